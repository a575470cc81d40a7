"""What the self-evaluation downloads read (SPEC §12.3): one project's form, or the forms of a unit's
or a department's projects of a year, scoped to what the user may see (``visible_to(user)``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.utils.translation import gettext as _

from finance.models import BudgetUnit, Department, FiscalYear
from finance.parameters import year_of
from finance.scoping import scope_of
from performance.selectors.self_evaluations import evaluable
from projects.models import Project
from projects.selectors import visible_project


def evaluated_project(*, user, year: int, code: str) -> Project:
    """The project of ``year`` with ``code`` if the user may see it and it is in the budget (a pool
    proposal or a cancelled project has no self-evaluation); 404 otherwise."""
    project = visible_project(user=user, year=year, code=code)
    evaluable(project)
    return project


@dataclass(frozen=True)
class WorkbookScope:
    """Whose self-evaluations a workbook holds: one unit's or one department's, of one year."""

    year: int
    code: str
    name: str
    unit_id: int | None = None
    department_id: int | None = None


class NotAsked(ValueError):
    """The address names neither a unit nor a department, or both."""


def workbook_year(asked: str | None) -> int:
    """The asked fiscal year, or the latest one when none is asked; 404 for a year the app does not hold."""
    if asked is None or asked == "":
        latest = FiscalYear.objects.order_by("-year").values_list("year", flat=True).first()
        if latest is None:
            raise Http404("no fiscal year")
        return latest
    year = year_of(asked)
    if year is None or not FiscalYear.objects.filter(year=year).exists():
        raise Http404("no such fiscal year")
    return year


def workbook_scope(*, user, year: int, unit: str | None, department: str | None) -> WorkbookScope:
    """The unit or department the user asked for, if they may download its workbook: officers any;
    heads their department or one of its units; unit fillers their own unit only. 404 for anything else
    (it is not theirs, or no such code); ``NotAsked`` when the address names neither or both."""
    if bool(unit) == bool(department):
        raise NotAsked(_("Name one budget unit (?unit=) or one department (?department=)."))
    if unit:
        found = (
            BudgetUnit.objects.visible_to(user).filter(code=unit).values_list("pk", "code", "name").first()
        )
        if found is None:
            raise Http404("no such unit in the user's scope")
        return WorkbookScope(year=year, code=found[1], name=found[2], unit_id=found[0])
    if scope_of(user).unit_id is not None:
        raise Http404("a unit filler downloads their own unit's workbook only")
    found = (
        Department.objects.visible_to(user).filter(code=department).values_list("pk", "code", "name").first()
    )
    if found is None:
        raise Http404("no such department in the user's scope")
    return WorkbookScope(year=year, code=found[1], name=found[2], department_id=found[0])


def workbook_projects(*, user, scope: WorkbookScope) -> list[Project]:
    """The projects of the workbook, by code: the visible projects in the budget of the scope's year and
    unit or department (a pool proposal or a cancelled project has no self-evaluation). One query."""
    projects = Project.objects.visible_to(user).filter(
        fiscal_year_id=scope.year, status=Project.Status.APPROVED
    )
    if scope.unit_id is not None:
        projects = projects.filter(unit_id=scope.unit_id)
    else:
        projects = projects.filter(department_id=scope.department_id)
    return list(projects.select_related("unit", "department").order_by("code"))


def initial_budgets(projects: list[Project]) -> dict[int, Decimal]:
    """年初预算数: each project's budget as first recorded in its change history, else (a project loaded
    without history) its budget as it stands. One query however many projects."""
    history = Project.history.model.objects.filter(id=OuterRef("pk")).order_by("history_date", "history_id")
    first = dict(
        Project.objects.filter(pk__in=[project.pk for project in projects])
        .annotate(initial=Subquery(history.values("budget")[:1]))
        .values_list("pk", "initial")
    )
    return {
        project.pk: first[project.pk] if first.get(project.pk) is not None else project.budget
        for project in projects
    }
