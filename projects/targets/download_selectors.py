"""What the target declaration's downloads read (SPEC §13): one project's version, or the working
versions of a unit's or a department's projects of a year, scoped to what the user may see."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from finance.parameters import whole_number
from finance.workbooks import WorkbookScope
from projects.models import DeclaredIndicator, Project, TargetDeclaration
from projects.targets.national_form import Form
from workflow.models import State


class BadVersion(ValueError):
    """``?version=`` is not a version number."""


class NoVersion(LookupError):
    """The project has no such version (or none at all) to download."""


def _with_indicators(declarations):
    return declarations.select_related("quota_standard").prefetch_related(
        Prefetch("indicators", queryset=DeclaredIndicator.objects.order_by("position", "pk"))
    )


def chosen_version(project: Project, asked: str | None) -> TargetDeclaration:
    """``?version=N`` of the project, else the version under way, else the one in force, with its
    indicators (two queries). ``BadVersion`` for a version that is no number, ``NoVersion`` for none."""
    declarations = _with_indicators(TargetDeclaration.objects.filter(project=project))
    if asked not in (None, ""):
        version = whole_number(asked, max_digits=5)
        if version is None or version == 0:
            raise BadVersion(
                _("“%(asked)s” is not a version number: give a whole number such as 1 or 2.")
                % {"asked": asked}
            )
        found = declarations.filter(version=version).first()
        if found is None:
            raise NoVersion(
                _("%(project)s has no version %(version)s of its targets.")
                % {"project": project.code, "version": version}
            )
        return found
    working = sorted(declarations.filter(superseded_at__isnull=True), key=lambda d: d.state == State.APPROVED)
    if not working:
        raise NoVersion(
            _("%(project)s has no targets declared yet: start them on the project's targets page.")
            % {"project": project.code}
        )
    return working[0]


def form_of(project: Project, declaration: TargetDeclaration) -> Form:
    return Form(project=project, declaration=declaration, indicators=list(declaration.indicators.all()))


def workbook_forms(*, user, scope: WorkbookScope) -> list[Form]:
    """The forms of the workbook, by project code: each visible project of the scope's year and unit or
    department (pool projects too, cancelled ones not) that has targets, in its working version (the one
    under way, else the one in force). Three queries however many projects."""
    projects = (
        Project.objects.visible_to(user)
        .filter(fiscal_year_id=scope.year)
        .exclude(status=Project.Status.CANCELLED)
    )
    if scope.unit_id is not None:
        projects = projects.filter(unit_id=scope.unit_id)
    else:
        projects = projects.filter(department_id=scope.department_id)
    working: dict[int, TargetDeclaration] = {}
    declarations = _with_indicators(
        TargetDeclaration.objects.filter(project__in=projects.values("pk"), superseded_at__isnull=True)
    )
    projects = list(projects.select_related("unit", "department").order_by("code"))
    for declaration in declarations:
        current = working.get(declaration.project_id)
        if current is None or current.state == State.APPROVED:
            working[declaration.project_id] = declaration
    return [form_of(project, working[project.pk]) for project in projects if project.pk in working]
