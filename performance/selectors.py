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
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, ExtractMonth

from finance.models import DirectFundGrant, FiscalYear
from finance.scoping import scope_of
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
from projects.models import Payment, Project

#: Scopes whose figures are not one department's detail: every signed-in role sees them.
SHARED_SCOPES = frozenset({ScopeKind.DISTRICT, ScopeKind.FUNCTION_CLASS, ScopeKind.FUND_SOURCE})

MONEY_OUTPUT = DecimalField(max_digits=16, decimal_places=2)


def _has_role(user) -> bool:
    return not scope_of(user).nothing


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


def snapshot_status(*, year: int, fiscal_year: FiscalYear | None = None) -> SnapshotStatus:
    """Stale when changes were made since the run, or when the year's as-of date has moved on.

    Two queries: the newest successful run (with the newest failure after it, if any, read in the same
    query) and the year's recompute state; ``fiscal_year`` saves a third when the page has loaded it.
    """
    failures_after = RecomputeRun.objects.filter(
        fiscal_year_id=year, status=RecomputeRun.Status.FAILED, started_at__gt=OuterRef("started_at")
    ).order_by("-started_at", "-pk")
    run = (
        RecomputeRun.objects.filter(fiscal_year_id=year, status=RecomputeRun.Status.SUCCEEDED)
        .annotate(
            failure_pk=Subquery(failures_after.values("pk")[:1]),
            failure_started_at=Subquery(failures_after.values("started_at")[:1]),
            failure_error=Subquery(failures_after.values("error")[:1]),
        )
        .order_by("-started_at", "-pk")
        .first()
    )
    failure = None
    if run is None:
        failure = (
            RecomputeRun.objects.filter(fiscal_year_id=year, status=RecomputeRun.Status.FAILED)
            .order_by("-started_at", "-pk")
            .first()
        )
    elif run.failure_pk is not None:
        failure = RecomputeRun(
            pk=run.failure_pk,
            fiscal_year_id=year,
            as_of=run.as_of,
            started_at=run.failure_started_at,
            status=RecomputeRun.Status.FAILED,
            error=run.failure_error or "",
        )
    state = RecomputeState.objects.filter(pk=year).first()
    if fiscal_year is None:
        fiscal_year = FiscalYear.objects.filter(pk=year).first()
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


def leaderboard_rows(*, run: RecomputeRun, user) -> QuerySet[LeaderboardEntry]:
    """Every department's line in page order, with its name and, on each line, ``ranked_count`` (the
    departments with an increment rank) and ``scored_count`` (those with a score), so that a rank
    reads "28 / 61": the ranks are shared with all roles."""
    if not _has_role(user):
        return LeaderboardEntry.objects.none()
    return (
        LeaderboardEntry.objects.filter(run=run)
        .select_related("department")
        .annotate(
            ranked_count=Window(expression=Count("increment_rank")),
            scored_count=Window(expression=Count("absolute_rank")),
        )
        .order_by("position")
    )


def department_entry(*, run: RecomputeRun, user, department_id: int) -> LeaderboardEntry | None:
    """One department's line with its score parts and dimension profile, if the user may see it,
    with ``ranked_count`` and ``scored_count`` of the whole leaderboard (as ``leaderboard_rows``)."""
    lines = LeaderboardEntry.objects.filter(run_id=OuterRef("run_id")).order_by().values("run_id")
    return (
        LeaderboardEntry.objects.visible_to(user)
        .filter(run=run, department_id=department_id)
        .select_related("department")
        .annotate(
            ranked_count=Subquery(lines.annotate(n=Count("increment_rank")).values("n")[:1]),
            scored_count=Subquery(lines.annotate(n=Count("absolute_rank")).values("n")[:1]),
        )
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


def weak_spots(
    *, run: RecomputeRun, user, department_id: int, entry: LeaderboardEntry | None = None
) -> WeakSpots | None:
    """None when the user may not see the department (the page answers 404); ``entry`` is the
    department's line when the caller has already read it."""
    if entry is None:
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
        .select_related("project", "project__unit", "project__department")
        .order_by("department_id", "project__code")
    )


def budget_adjustments(*, user, target_year: int) -> QuerySet[BudgetAdjustment]:
    """Proposals and decisions for the ``target_year`` budget that the user may see."""
    return (
        BudgetAdjustment.objects.visible_to(user)
        .filter(target_year=target_year)
        .select_related("project", "project__department", "project__unit", "evaluation", "decided_by")
        .order_by("project_id", "pk")
    )


@dataclass(frozen=True)
class AdjustmentEffect:
    """Next year's budget of one department's projects with proposals (or the district's), in 元:
    ``before`` their current budgets; ``decided`` with the accepted and changed decisions applied (the
    rest at their current budget); ``after`` with the pending proposals applied as well."""

    code: str
    name: str
    proposals: int
    pending: int
    before: Decimal
    decided: Decimal
    after: Decimal

    @property
    def change(self) -> Decimal:
        return self.after - self.before


def adjustment_effects(*, user, target_year: int) -> list[AdjustmentEffect]:
    """The effect of applying results (结果应用, §4.7) per department the user may see, in one query."""
    decision = BudgetAdjustment.Decision
    applied = Q(decision__in=[decision.ACCEPTED, decision.CHANGED])
    money = DecimalField(max_digits=18, decimal_places=2)
    decided = Case(When(applied, then=F("final_budget")), default=F("current_budget"), output_field=money)
    after = Case(
        When(applied, then=F("final_budget")),
        When(decision=decision.PENDING, then=F("proposed_budget")),
        default=F("current_budget"),
        output_field=money,
    )
    rows = (
        BudgetAdjustment.objects.visible_to(user)
        .filter(target_year=target_year)
        .order_by()
        .values("project__department__code", "project__department__name")
        .annotate(
            proposals=Count("pk"),
            pending=Count("pk", filter=Q(decision=decision.PENDING)),
            before=Sum("current_budget"),
            decided=Sum(decided),
            after=Sum(after),
        )
        .order_by("project__department__code")
    )
    return [
        AdjustmentEffect(
            code=row["project__department__code"],
            name=row["project__department__name"],
            proposals=row["proposals"],
            pending=row["pending"],
            before=row["before"],
            decided=row["decided"],
            after=row["after"],
        )
        for row in rows
    ]


def district_effect(effects: list[AdjustmentEffect], *, name: str) -> AdjustmentEffect | None:
    """The departments' effects added up (a few dozen rows already summed by the database)."""
    if not effects:
        return None
    zero = Decimal("0.00")
    return AdjustmentEffect(
        code="",
        name=name,
        proposals=sum(e.proposals for e in effects),
        pending=sum(e.pending for e in effects),
        before=sum((e.before for e in effects), zero),
        decided=sum((e.decided for e in effects), zero),
        after=sum((e.after for e in effects), zero),
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


# -- reads of the dashboard pages (SPEC §6) ----------------------------------------------------------

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
    from finance.models import FunctionClass

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
    from finance.models import BudgetUnit, Department

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


def grade_counts(*, year: int) -> dict[str, int]:
    """Finalised evaluations of ``year`` by grade, district-wide (the overview's distribution)."""
    from performance.models import Evaluation

    return dict(
        Evaluation.objects.finalised()
        .filter(fiscal_year_id=year)
        .order_by()
        .values("grade")
        .annotate(n=Count("pk"))
        .values_list("grade", "n")
    )


def department_progress(*, run: RecomputeRun, user, department_id: int) -> ProgressSnapshot | None:
    """One department's progress snapshot, if the user may see it."""
    return (
        progress_snapshots(run=run, user=user, scope_kind=ScopeKind.DEPARTMENT)
        .filter(scope_id=department_id)
        .first()
    )


def warning_counts_by_department(*, run: RecomputeRun, user) -> QuerySet[ProgressSnapshot]:
    """Every visible department with any lagging, zero-spending or overspent project, with the
    projects warned (each once), most serious first."""
    from finance.models import Department

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


@dataclass(frozen=True)
class KeyEvaluationSummary:
    category: str
    label: str
    count: int
    funds: Decimal


def key_evaluation_summary(*, user, year: int) -> list[KeyEvaluationSummary]:
    """Finalised key evaluations of ``year`` the user may see, by sub-category: count and funds
    involved (the project's budget, or for a department-wide evaluation the department's budget)."""
    from performance.models import Evaluation

    department_budget = (
        Project.objects.filter(fiscal_year_id=year, department_id=OuterRef("department_id"))
        .exclude(status=Project.Status.CANCELLED)
        .order_by()
        .values("department_id")
        .annotate(total=Sum("budget"))
        .values("total")
    )
    funds = Coalesce(
        "project__budget",
        Subquery(department_budget, output_field=MONEY_OUTPUT),
        Value(Decimal("0.00")),
        output_field=MONEY_OUTPUT,
    )
    rows = (
        Evaluation.objects.visible_to(user)
        .finalised()
        .filter(fiscal_year_id=year, kind=Evaluation.Kind.KEY)
        .order_by()
        .values("key_category")
        .annotate(count=Count("pk"), funds=Sum(funds, output_field=MONEY_OUTPUT))
    )
    totals = {row["key_category"]: row for row in rows}  # one row per sub-category
    labels = dict(Evaluation.KeyCategory.choices)
    return [
        KeyEvaluationSummary(
            category=value,
            label=str(labels[value]),
            count=totals[value]["count"],
            # SQLite sums decimals as binary floats: far below a cent at these sizes, rounded here.
            funds=Decimal(str(totals[value]["funds"])).quantize(Decimal("0.01")),
        )
        for value in labels
        if value in totals
    ]


def budget_adjustments_for_decision(*, user) -> QuerySet[BudgetAdjustment]:
    """Adjustments the user may see, with their project, for an officer's decision."""
    return BudgetAdjustment.objects.visible_to(user).select_related("project")


def department_and_unit_progress(
    *, run: RecomputeRun, user, department_id: int
) -> QuerySet[ProgressSnapshot]:
    """In one query: the department's own snapshot and its units' (with their codes and names),
    the units most behind first."""
    from finance.models import BudgetUnit

    units = BudgetUnit.objects.filter(pk=OuterRef("scope_id"))
    rows = (
        (ProgressSnapshot.objects.visible_to(user) if _has_role(user) else ProgressSnapshot.objects.none())
        .filter(run=run, department_id=department_id, scope_kind__in=[ScopeKind.DEPARTMENT, ScopeKind.UNIT])
        .annotate(unit_code=Subquery(units.values("code")[:1]), unit_name=Subquery(units.values("name")[:1]))
        .order_by("gap_pp", "scope_id")
    )
    # The units' rows carry the department's count too; only the department's is shown.
    return _with_warned_projects(rows, per_department=True)
