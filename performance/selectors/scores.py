"""Scores, the leaderboard, weak spots and evaluations, as the user may see them (SPEC §4.3–§4.5)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Avg,
    Count,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce

from performance.models import (
    Evaluation,
    InflatedSelfScore,
    LeaderboardEntry,
    RecomputeRun,
    WeakProject,
)
from performance.selectors.runs import MONEY_OUTPUT, has_role
from projects.models import Project

#: The evaluations a figure counts: of a department, or of a project in the budget. A proposal of the
#: pool (its ex-ante assessment) and a cancelled project count in no figure (SPEC §12.4).
COUNTED = Q(project__isnull=True) | Q(project__status=Project.Status.APPROVED)


def leaderboard_rows(*, run: RecomputeRun, user) -> QuerySet[LeaderboardEntry]:
    """Every department's line in page order, with its name and, on each line, ``ranked_count`` (the
    departments with an increment rank) and ``scored_count`` (those with a score), so that a rank
    reads "28 / 61": the ranks are shared with all roles."""
    if not has_role(user):
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
    if not has_role(user):
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


def department_score_history(*, user, department_id: int, ranks: bool = False) -> QuerySet[LeaderboardEntry]:
    """The department's line in the latest successful run of each year, oldest year first; with
    ``ranks``, each line also has ``ranked_count`` and ``scored_count`` of its run (as
    ``department_entry``), so that the line of the run a page shows needs no query of its own."""
    latest_of_year = (
        RecomputeRun.objects.filter(
            fiscal_year_id=OuterRef("run__fiscal_year_id"), status=RecomputeRun.Status.SUCCEEDED
        )
        .order_by("-started_at", "-pk")
        .values("pk")[:1]
    )
    rows = (
        LeaderboardEntry.objects.visible_to(user)
        .filter(department_id=department_id, run_id=Subquery(latest_of_year))
        .select_related("run")
        .order_by("run__fiscal_year_id")
    )
    if ranks:
        lines = LeaderboardEntry.objects.filter(run_id=OuterRef("run_id")).order_by().values("run_id")
        rows = rows.select_related("department").annotate(
            ranked_count=Subquery(lines.annotate(n=Count("increment_rank")).values("n")[:1]),
            scored_count=Subquery(lines.annotate(n=Count("absolute_rank")).values("n")[:1]),
        )
    return rows


def inflated_self_scores(*, run: RecomputeRun, user) -> QuerySet[InflatedSelfScore]:
    """Projects flagged ``self_score_inflated`` by the run, that the user may see."""
    return (
        InflatedSelfScore.objects.visible_to(user)
        .filter(run=run)
        .select_related("project", "project__unit", "project__department")
        .order_by("department_id", "project__code")
    )


def grade_counts(*, year: int) -> dict[str, int]:
    """Finalised evaluations of ``year`` by grade, district-wide (the overview's distribution)."""
    return dict(
        Evaluation.objects.finalised()
        .filter(COUNTED, fiscal_year_id=year)
        .order_by()
        .values("grade")
        .annotate(n=Count("pk"))
        .values_list("grade", "n")
    )


@dataclass(frozen=True)
class KeyEvaluationSummary:
    category: str
    label: str
    count: int
    funds: Decimal


def key_evaluation_summary(*, user, year: int) -> list[KeyEvaluationSummary]:
    """Finalised key evaluations of ``year`` the user may see, by sub-category: count and funds
    involved (the project's budget, or for a department-wide evaluation the department's budget)."""
    department_budget = (
        Project.objects.filter(
            fiscal_year_id=year, department_id=OuterRef("department_id"), status=Project.Status.APPROVED
        )
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
        .filter(COUNTED, fiscal_year_id=year, kind=Evaluation.Kind.KEY)
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


def key_evaluation_total(summary: list[KeyEvaluationSummary]) -> dict:
    """The summary's total row: evaluations and funds of every sub-category."""
    return {
        "count": sum(row.count for row in summary),
        "funds": sum((row.funds for row in summary), Decimal("0.00")),
    }


def evaluation_list(*, user, year: int | None) -> QuerySet[Evaluation]:
    """The evaluations of ``year`` the user may see, for the evaluations list."""
    return (
        Evaluation.objects.visible_to(user)
        .filter(fiscal_year_id=year)
        .select_related("project", "project__department", "department")
        # An order the (year, kind) index and the primary key serve, whatever the size.
        .order_by("kind", "pk")
    )
