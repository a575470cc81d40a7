"""What the self-evaluation downloads read (SPEC §12.3): one project's form, or the forms of a unit's
or a department's projects of a year, scoped to what the user may see (``visible_to(user)``)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import OuterRef, Subquery

# The workbook's scope is shared with the targets' downloads (SPEC §13); re-exported for the views.
from finance.workbooks import NotAsked, WorkbookScope, workbook_scope, workbook_year  # noqa: F401
from performance.selectors.self_evaluations import evaluable
from projects.models import Project
from projects.selectors import visible_project


def evaluated_project(*, user, year: int, code: str) -> Project:
    """The project of ``year`` with ``code`` if the user may see it and it is in the budget (a pool
    proposal or a cancelled project has no self-evaluation); 404 otherwise."""
    project = visible_project(user=user, year=year, code=code)
    evaluable(project)
    return project


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
