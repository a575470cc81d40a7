"""Reads of the recompute's snapshots for the pages, scoped to what the user may see (SPEC §1, §6).

Every page shows the latest successful run of a year (``latest_run``) with when it was computed and
whether it is stale (``snapshot_status``). Department-level rows go through ``visible_to(user)``;
district-wide figures (district, function class, fund source, the leaderboard's ranks) are shared
with every signed-in role, as the overview and the leaderboard are.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Avg,
    Case,
    DecimalField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractMonth

from finance.models import DirectFundGrant, FiscalYear, Payment
from finance.roles import ALL_DEPARTMENTS, department_scope
from performance.models import (
    BudgetAdjustment,
    InflatedSelfScore,
    LeaderboardEntry,
    MonthlySpending,
    ProgressSnapshot,
    RecomputeRun,
    RecomputeState,
    RunFigures,
    ScopeKind,
    WarningLevel,
    WeakProject,
)
from projects.models import Project

#: Scopes whose figures are not one department's detail: every signed-in role sees them.
SHARED_SCOPES = frozenset({ScopeKind.DISTRICT, ScopeKind.FUNCTION_CLASS, ScopeKind.FUND_SOURCE})

MONEY_OUTPUT = DecimalField(max_digits=16, decimal_places=2)


def _has_role(user) -> bool:
    return department_scope(user) is not None


def latest_run(*, year: int) -> RecomputeRun | None:
    """The newest successful run of ``year``: the one every page shows."""
    return (
        RecomputeRun.objects.filter(fiscal_year_id=year, status=RecomputeRun.Status.SUCCEEDED)
        .order_by("-started_at", "-pk")
        .first()
    )


@dataclass(frozen=True)
class SnapshotStatus:
    """What a page says about its figures: the run, when it was computed, and whether it is stale."""

    run: RecomputeRun | None
    computed_at: datetime.datetime | None
    as_of: datetime.date | None
    is_stale: bool
    last_failure: RecomputeRun | None


def snapshot_status(*, year: int) -> SnapshotStatus:
    """Stale when changes were made since the run, or when the year's as-of date has moved on."""
    run = latest_run(year=year)
    state = RecomputeState.objects.filter(pk=year).first()
    fiscal_year = FiscalYear.objects.filter(pk=year).first()
    failure = (
        RecomputeRun.objects.filter(fiscal_year_id=year, status=RecomputeRun.Status.FAILED)
        .order_by("-started_at", "-pk")
        .first()
    )
    if failure is not None and run is not None and failure.started_at <= run.started_at:
        failure = None
    is_stale = (
        run is None
        or (state is not None and state.is_behind)
        or (fiscal_year is not None and fiscal_year.as_of() != run.as_of)
    )
    return SnapshotStatus(
        run=run,
        computed_at=run.finished_at if run else None,
        as_of=run.as_of if run else None,
        is_stale=is_stale,
        last_failure=failure,
    )


def run_figures(*, run: RecomputeRun, user) -> RunFigures | None:
    """The run's headline figures (livelihood share, direct funds, budget reviews); district-wide."""
    if not _has_role(user):
        return None
    return RunFigures.objects.filter(run=run).first()


def progress_snapshots(*, run: RecomputeRun, user, scope_kind: str) -> QuerySet[ProgressSnapshot]:
    """The run's snapshots of one scope kind that the user may see, by scope id."""
    rows = ProgressSnapshot.objects.filter(run=run, scope_kind=scope_kind).order_by("scope_id")
    if scope_kind in SHARED_SCOPES:
        return rows if _has_role(user) else rows.none()
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


def monthly_series(
    *, run: RecomputeRun, user, scope_kind: str, scope_id: int | None = None
) -> list[tuple[int, Decimal]]:
    """(month, cumulative spent) of one scope; a department's only for those who may see it."""
    if not _has_role(user):
        return []
    if scope_kind == ScopeKind.DEPARTMENT:
        scope = department_scope(user)
        if scope is not ALL_DEPARTMENTS and scope != scope_id:
            return []
    elif scope_kind not in SHARED_SCOPES:
        return []  # units and projects have no stored series; see project_cumulative_payments
    return list(
        MonthlySpending.objects.filter(run=run, scope_kind=scope_kind, scope_id=scope_id)
        .order_by("month")
        .values_list("month", "cumulative_spent")
    )


def leaderboard_rows(*, run: RecomputeRun, user) -> QuerySet[LeaderboardEntry]:
    """Every department's line in page order, with its name: the ranks are shared with all roles."""
    if not _has_role(user):
        return LeaderboardEntry.objects.none()
    return LeaderboardEntry.objects.filter(run=run).select_related("department").order_by("position")


def department_entry(*, run: RecomputeRun, user, department_id: int) -> LeaderboardEntry | None:
    """One department's line with its score parts and dimension profile, if the user may see it."""
    return (
        LeaderboardEntry.objects.visible_to(user)
        .filter(run=run, department_id=department_id)
        .select_related("department")
        .first()
    )


def district_dimension_profile(*, run: RecomputeRun, user) -> dict[str, Decimal | None]:
    """The mean of each dimension's share of its maximum over the scored departments (district average)."""
    if not _has_role(user):
        return {}
    return LeaderboardEntry.objects.filter(run=run, score__isnull=False).aggregate(
        decision=Avg("decision_ratio"),
        process=Avg("process_ratio"),
        output=Avg("output_ratio"),
        benefit=Avg("benefit_ratio"),
    )


@dataclass(frozen=True)
class WeakSpots:
    """A department's weakest level-1 dimension and the projects that pull its score down most."""

    entry: LeaderboardEntry
    weakest_dimension: str
    projects: list[WeakProject]


def weak_spots(*, run: RecomputeRun, user, department_id: int) -> WeakSpots | None:
    """None when the user may not see the department (the page answers 404)."""
    entry = department_entry(run=run, user=user, department_id=department_id)
    if entry is None:
        return None
    projects = list(
        WeakProject.objects.visible_to(user)
        .filter(run=run, department_id=department_id)
        .select_related("project", "project__unit")
        .order_by("position")
    )
    return WeakSpots(entry=entry, weakest_dimension=entry.weakest_dimension, projects=projects)


def department_score_history(*, user, department_id: int) -> QuerySet[LeaderboardEntry]:
    """The department's line in the latest successful run of each year, oldest year first."""
    latest_of_year = (
        RecomputeRun.objects.filter(
            fiscal_year_id=OuterRef("run__fiscal_year_id"), status=RecomputeRun.Status.SUCCEEDED
        )
        .order_by("-started_at", "-pk")
        .values("pk")[:1]
    )
    return (
        LeaderboardEntry.objects.visible_to(user)
        .filter(department_id=department_id, run_id=Subquery(latest_of_year))
        .select_related("run")
        .order_by("run__fiscal_year_id")
    )


def inflated_self_scores(*, run: RecomputeRun, user) -> QuerySet[InflatedSelfScore]:
    """Projects flagged ``self_score_inflated`` by the run, that the user may see."""
    return (
        InflatedSelfScore.objects.visible_to(user)
        .filter(run=run)
        .select_related("project", "project__unit")
        .order_by("department_id", "project__code")
    )


def budget_adjustments(*, user, target_year: int) -> QuerySet[BudgetAdjustment]:
    """Proposals and decisions for the ``target_year`` budget that the user may see."""
    return (
        BudgetAdjustment.objects.visible_to(user)
        .filter(target_year=target_year)
        .select_related("project", "project__department", "evaluation", "decided_by")
        .order_by("project__department__code", "project__code")
    )


def direct_fund_grants(*, run: RecomputeRun, user) -> QuerySet[DirectFundGrant]:
    """The year's central direct fund grants with the budgets allocated from each and what those
    projects spent by the run's date (from the run's project snapshots)."""
    if not _has_role(user):
        return DirectFundGrant.objects.none()
    funded = Project.objects.filter(grant=OuterRef("pk"), status=Project.Status.APPROVED)
    allocated = funded.order_by().values("grant").annotate(total=Sum("budget")).values("total")
    spent = (
        ProgressSnapshot.objects.filter(
            run=run,
            scope_kind=ScopeKind.PROJECT,
            scope_id__in=Project.objects.filter(grant=OuterRef(OuterRef("pk"))).values("pk"),
        )
        .order_by()
        .values("run")
        .annotate(total=Sum("spent"))
        .values("total")
    )
    zero = Decimal("0.00")
    return (
        DirectFundGrant.objects.filter(fiscal_year_id=run.fiscal_year_id)
        .annotate(
            allocated=Coalesce(
                Subquery(allocated, output_field=MONEY_OUTPUT), zero, output_field=MONEY_OUTPUT
            ),
            spent=Coalesce(Subquery(spent, output_field=MONEY_OUTPUT), zero, output_field=MONEY_OUTPUT),
        )
        .order_by("code")
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
