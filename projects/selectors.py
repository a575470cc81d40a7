"""Reads of projects for their pages, scoped to what the user may see (``visible_to(user)``, the one
rule of ``finance.scoping``), with what the apps above add (``projects.extensions``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, IntegerField, QuerySet, Sum, Value, When
from django.db.models.functions import ExtractMonth
from django.shortcuts import get_object_or_404

from finance.importing.lineage import lineage_of_rows
from finance.models import FiscalYear
from finance.parameters import year_of
from projects import extensions
from projects.models import Indicator, IndicatorTemplate, Payment, Project, QuotaStandard
from projects.targets.summary import with_targets_state

#: Entries of the project page's "where the figures came from": one per import batch and kind of row.
LINEAGE_SHOWN = 10


@dataclass(frozen=True)
class YearChoice:
    """The year a page shows (asked for, else the current one, else the latest) and its state."""

    year: int | None
    years: list[int]
    fiscal_year: FiscalYear | None
    state: dict = field(default_factory=dict)

    def context(self) -> dict:
        return {"year": self.year, "years": self.years} | self.state


def year_choice(*, user, asked: str | None) -> YearChoice:
    """One query for the fiscal years, then the registered page state of the chosen year."""
    fiscal_years = list(FiscalYear.objects.order_by("-year"))
    by_year = {fy.year: fy for fy in fiscal_years}
    asked_year = year_of(asked)
    if asked_year in by_year:
        fiscal_year = by_year[asked_year]
    else:
        current = [fy for fy in fiscal_years if fy.is_current]
        fiscal_year = current[0] if current else (fiscal_years[0] if fiscal_years else None)
    state = extensions.state_of(user=user, fiscal_year=fiscal_year)
    if fiscal_year is None:
        return YearChoice(year=None, years=[], fiscal_year=None, state=state)
    return YearChoice(
        year=fiscal_year.year, years=[fy.year for fy in fiscal_years], fiscal_year=fiscal_year, state=state
    )


def projects_of_year(
    *, user, year: int | None, state: dict, department_id: int | None = None
) -> QuerySet[Project]:
    """The year's visible projects in the budget (of one department if given) by code, annotated by the
    apps above. Proposals of the pool and cancelled projects are listed on the pool page, not here."""
    projects = Project.objects.visible_to(user).filter(fiscal_year_id=year, status=Project.Status.APPROVED)
    if department_id is not None:
        projects = projects.filter(department_id=department_id)
    projects = projects.select_related("department", "unit")
    return extensions.annotate(projects, user=user, state=state).order_by("code")


def visible_project(*, user, year: int, code: str, with_targets: bool = False) -> Project:
    """The project of ``year`` with ``code`` if the user may see it; 404 otherwise (SPEC §1). With
    ``with_targets``, where its targets stand too (``projects.targets.summary``, in the same query)."""
    projects = (
        Project.objects.visible_to(user)
        .select_related(
            "unit",
            "department",
            "function_class",
            "fund_source",
            "grant",
            "fiscal_year",
            "import_batch",
            *extensions.related(),
        )
        .annotate(**extensions.detail_annotations())
    )
    if with_targets:
        projects = with_targets_state(projects)
    return get_object_or_404(projects, fiscal_year_id=year, code=code)


def project_indicators(*, user, project: Project) -> list[Indicator]:
    """The project's indicators, in their order."""
    return list(Indicator.objects.visible_to(user).filter(project=project).order_by("level1", "level2", "pk"))


def project_lineage(project: Project) -> list:
    """The import batches that created or changed the project (one from ``visible_project``), its
    payments, its indicators and the rows the apps above name (``extensions.lineage_source``): one
    query."""
    return lineage_of_rows(
        [
            Project.objects.filter(pk=project.pk),
            Payment.objects.filter(project_id=project.pk),
            Indicator.objects.filter(project_id=project.pk),
            *extensions.lineage_sources(project),
        ],
        limit=LINEAGE_SHOWN,
    )


def project_cumulative_payments(*, user, project_id: int, as_of: datetime.date) -> list[tuple[int, Decimal]]:
    """(month, cumulative paid) of one project to ``as_of``, for its detail page's chart."""
    # Anything paid before 1 January counts in January's point, as it does in the snapshot.
    month = Case(
        When(paid_on__lt=datetime.date(as_of.year, 1, 1), then=Value(1)),
        default=ExtractMonth("paid_on"),
        output_field=IntegerField(),
    )
    by_month = dict(
        Payment.objects.visible_to(user)
        .filter(project_id=project_id, paid_on__lte=as_of)
        .annotate(month=month)
        .order_by()
        .values("month")
        .annotate(total=Sum("amount"))
        .values_list("month", "total")
    )
    series, running = [], Decimal("0.00")
    for month in range(1, as_of.month + 1):
        running += by_month.get(month) or Decimal("0.00")
        series.append((month, running))
    return series


def indicator_templates(*, user) -> QuerySet[IndicatorTemplate]:
    """The indicator templates (SPEC §13) the user may see: all for officers, their own department's for
    heads and unit fillers; with their departments, by department, category and levels."""
    return (
        IndicatorTemplate.objects.visible_to(user)
        .select_related("department")
        .order_by("department__code", "category", "level1", "level2", "name")
    )


def quota_standards() -> QuerySet[QuotaStandard]:
    """The expenditure quota standards (SPEC §13), district-wide, newest year first, by name."""
    return QuotaStandard.objects.order_by("-fiscal_year_id", "name")


def indicator_template(*, user, pk: int) -> IndicatorTemplate:
    """One indicator template the user may see; 404 otherwise."""
    return get_object_or_404(IndicatorTemplate.objects.visible_to(user), pk=pk)


def quota_standard(*, pk: int) -> QuotaStandard:
    """One quota standard; 404 if there is none."""
    return get_object_or_404(QuotaStandard, pk=pk)
