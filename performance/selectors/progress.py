"""Progress against time: snapshots, series, warnings and direct funds, as the user may see them
(SPEC §4.1–§4.2)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from finance.models import BudgetUnit, Department, FunctionClass
from performance.models import (
    MonthlySpending,
    ProgressSnapshot,
    RecomputeRun,
    ScopeKind,
    WarningLevel,
)
from performance.selectors.runs import SHARED_SCOPES, has_role
from performance.services.progress import time_progress
from projects.models import Project


def progress_snapshots(*, run: RecomputeRun, user, scope_kind: str) -> QuerySet[ProgressSnapshot]:
    """The run's snapshots of one scope kind that the user may see, by scope id."""
    rows = ProgressSnapshot.objects.filter(run=run, scope_kind=scope_kind).order_by("scope_id")
    if scope_kind in SHARED_SCOPES:
        return rows if has_role(user) else rows.none()
    return rows & ProgressSnapshot.objects.visible_to(user)


def project_progress(*, run: RecomputeRun, user) -> QuerySet[ProgressSnapshot]:
    """Project snapshots the user may see, with the project's code, name and unit for tables."""
    projects = Project.objects.filter(pk=OuterRef("scope_id"))
    return (
        progress_snapshots(run=run, user=user, scope_kind=ScopeKind.PROJECT)
        .annotate(
            project_code=Subquery(projects.values("code")[:1]),
            project_name=Subquery(projects.values("name")[:1]),
            unit_name=Subquery(projects.values("unit__name")[:1]),
        )
        .order_by("department_id", "gap_pp", "scope_id")
    )


def project_warnings(*, run: RecomputeRun, user) -> QuerySet[ProgressSnapshot]:
    """Lagging (attention or serious), zero-spending and overspent projects, by department (§6 warnings)."""
    return project_progress(run=run, user=user).filter(
        ~Q(warning_level=WarningLevel.NORMAL) | Q(zero_spending=True) | Q(overspent=True)
    )


def warning_rows(*, run: RecomputeRun | None, user) -> QuerySet[ProgressSnapshot]:
    """The warnings page's projects (``project_warnings``), each with its ``department_name``; none
    before the year's first run."""
    if run is None:
        return ProgressSnapshot.objects.none()
    departments = Department.objects.filter(pk=OuterRef("department_id"))
    return project_warnings(run=run, user=user).annotate(
        department_name=Subquery(departments.values("name")[:1])
    )


def double_deviation_rows(*, run: RecomputeRun | None, user) -> QuerySet[ProgressSnapshot]:
    """SPEC §14.1 the projects with a double deviation (双偏差) in the run's monitoring round that the
    user may see, with their department's name, the furthest from their targets first."""
    if run is None or run.monitoring_round_id is None:
        return ProgressSnapshot.objects.none()
    departments = Department.objects.filter(pk=OuterRef("department_id"))
    return (
        project_progress(run=run, user=user)
        .filter(double_deviation_projects__gt=0)
        .annotate(department_name=Subquery(departments.values("name")[:1]))
        .order_by("expected_completion", "monitoring_gap_pp", "scope_id")
    )


def monthly_series(
    *, run: RecomputeRun, user, scope_kind: str, scope_id: int | None = None
) -> list[tuple[int, Decimal]]:
    """(month, cumulative spent) of one scope; a department's only for those who may see it."""
    if not has_role(user):
        return []
    if scope_kind == ScopeKind.DEPARTMENT:
        rows = MonthlySpending.objects.visible_to(user)
    elif scope_kind in SHARED_SCOPES:
        rows = MonthlySpending.objects.all()  # the district's and its classes' series are shared
    else:
        return []  # units and projects have no stored series; see project_cumulative_payments
    return list(
        rows.filter(run=run, scope_kind=scope_kind, scope_id=scope_id)
        .order_by("month")
        .values_list("month", "cumulative_spent")
    )


#: The treemap of the overview draws at most this many departments (the largest by budget), so the
#: page stays small at 100× (6,400 departments); the tables list them all.
TREEMAP_DEPARTMENTS = 40


#: A project on the warnings page: lagging (attention or serious), zero-spending or overspent.
WARNED = ~Q(warning_level=WarningLevel.NORMAL) | Q(zero_spending=True) | Q(overspent=True)


def _with_warned_projects(rows: QuerySet[ProgressSnapshot], *, per_department: bool) -> QuerySet:
    """``rows`` annotated with ``warned_projects``, the projects of the scope that have any warning,
    each counted once, and ``warnings_counted_twice``, how many more the four counts (serious,
    attention, zero-spending, overspent) add up to, as a project can be zero-spending and serious."""
    projects = ProgressSnapshot.objects.filter(
        run_id=OuterRef("run_id"), scope_kind=ScopeKind.PROJECT
    ).filter(WARNED)
    if per_department:
        projects = projects.filter(department_id=OuterRef("department_id"))
    count = projects.order_by().values("run_id").annotate(n=Count("pk")).values("n")[:1]
    warned = Coalesce(Subquery(count, output_field=IntegerField()), Value(0))
    return rows.annotate(warned_projects=warned).annotate(
        warnings_counted_twice=F("serious_projects")
        + F("attention_projects")
        + F("zero_spending_projects")
        + F("overspent_projects")
        - F("warned_projects")
    )


def district_snapshot(*, run: RecomputeRun, user) -> ProgressSnapshot | None:
    """The whole district's progress (budget, spent, progress, warning counts with the projects
    warned, each once); shared with all roles."""
    rows = progress_snapshots(run=run, user=user, scope_kind=ScopeKind.DISTRICT)
    return _with_warned_projects(rows, per_department=False).first()


@dataclass(frozen=True)
class FunctionClassRow:
    code: str
    name: str
    budget: Decimal
    spent: Decimal
    spending_progress: Decimal
    is_livelihood: bool


def function_class_spending(*, run: RecomputeRun, user) -> list[FunctionClassRow]:
    """Budget and spending of each function class in the run, with its livelihood flag."""

    classes = FunctionClass.objects.filter(pk=OuterRef("scope_id"))
    rows = progress_snapshots(run=run, user=user, scope_kind=ScopeKind.FUNCTION_CLASS).annotate(
        class_code=Subquery(classes.values("code")[:1]),
        class_name=Subquery(classes.values("name")[:1]),
        class_livelihood=Subquery(classes.values("is_livelihood")[:1]),
    )
    return [
        FunctionClassRow(
            code=row.class_code or "",
            name=f"{row.class_code} {row.class_name}" if row.class_code else "—",
            budget=row.budget,
            spent=row.spent,
            spending_progress=row.spending_progress,
            is_livelihood=bool(row.class_livelihood),
        )
        for row in rows
    ]


def department_unit_tree(*, run: RecomputeRun, user, limit: int = TREEMAP_DEPARTMENTS) -> list[dict]:
    """The largest visible departments with their units' snapshots, for the overview's treemap:
    dicts of id, parent, label, budget, spent, gap_pp and warning_level, departments first."""

    departments = list(
        progress_snapshots(run=run, user=user, scope_kind=ScopeKind.DEPARTMENT)
        .annotate(name=Subquery(Department.objects.filter(pk=OuterRef("scope_id")).values("name")[:1]))
        .order_by("-budget", "scope_id")[:limit]
        .values("scope_id", "name", "budget", "spent", "gap_pp", "warning_level")
    )
    department_ids = [row["scope_id"] for row in departments]
    units = (
        progress_snapshots(run=run, user=user, scope_kind=ScopeKind.UNIT)
        .filter(department_id__in=department_ids)
        .annotate(name=Subquery(BudgetUnit.objects.filter(pk=OuterRef("scope_id")).values("name")[:1]))
        .values("scope_id", "department_id", "name", "budget", "spent", "gap_pp", "warning_level")
    )
    nodes = [
        {**row, "id": f"d{row['scope_id']}", "parent": "", "label": row["name"] or "—"} for row in departments
    ]
    nodes += [
        {
            **row,
            "id": f"u{row['scope_id']}",
            "parent": f"d{row['department_id']}",
            "label": row["name"] or "—",
        }
        for row in units
        if row["budget"]
    ]
    return nodes


def warning_counts_by_department(*, run: RecomputeRun, user) -> QuerySet[ProgressSnapshot]:
    """Every visible department with any lagging, zero-spending or overspent project, with the
    projects warned (each once), most serious first."""

    departments = Department.objects.filter(pk=OuterRef("scope_id"))
    rows = (
        progress_snapshots(run=run, user=user, scope_kind=ScopeKind.DEPARTMENT)
        .filter(
            Q(attention_projects__gt=0)
            | Q(serious_projects__gt=0)
            | Q(zero_spending_projects__gt=0)
            | Q(overspent_projects__gt=0)
        )
        .annotate(
            department_code=Subquery(departments.values("code")[:1]),
            department_name=Subquery(departments.values("name")[:1]),
        )
        .order_by("-serious_projects", "-attention_projects", "scope_id")
    )
    return _with_warned_projects(rows, per_department=True)


def department_and_unit_progress(
    *, run: RecomputeRun, user, department_id: int
) -> QuerySet[ProgressSnapshot]:
    """In one query: the department's own snapshot, its units' (with their codes and names), the units
    most behind first, and its projects with a double deviation in the run's monitoring round (with
    their codes and names; §14.1, among its weak spots)."""

    units = BudgetUnit.objects.filter(pk=OuterRef("scope_id"))
    projects = Project.objects.filter(pk=OuterRef("scope_id"))

    def of(kind: str, subquery: Subquery):
        return Case(When(scope_kind=kind, then=subquery), default=Value(None, output_field=CharField()))

    rows = (
        (ProgressSnapshot.objects.visible_to(user) if has_role(user) else ProgressSnapshot.objects.none())
        .filter(run=run, department_id=department_id)
        .filter(
            Q(scope_kind__in=[ScopeKind.DEPARTMENT, ScopeKind.UNIT])
            | Q(scope_kind=ScopeKind.PROJECT, double_deviation_projects__gt=0)
        )
        .annotate(
            unit_code=of(ScopeKind.UNIT, Subquery(units.values("code")[:1])),
            unit_name=of(ScopeKind.UNIT, Subquery(units.values("name")[:1])),
            project_code=of(ScopeKind.PROJECT, Subquery(projects.values("code")[:1])),
            project_name=of(ScopeKind.PROJECT, Subquery(projects.values("name")[:1])),
        )
        .order_by("gap_pp", "scope_id")
    )
    # The units' rows carry the department's count too; only the department's is shown.
    return _with_warned_projects(rows, per_department=True)


def month_time_progress(as_of: datetime.date, months: list[int]) -> dict[int, Decimal]:
    """Time progress at each month's end, or at ``as_of`` in its own month."""
    result = {}
    for month in months:
        if month == as_of.month:
            day = as_of
        else:
            next_month = datetime.date(as_of.year + (month == 12), month % 12 + 1, 1)
            day = min(next_month - datetime.timedelta(days=1), as_of)
        result[month] = time_progress(as_of=day)
    return result
