"""SPEC §4.5 the incremental leaderboard: ranks, ties, new departments, rank change, weak spots."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from performance.models import Evaluation, LeaderboardEntry, WeakProject
from performance.services import recompute_all
from tests.factories import BudgetUnitFactory, DepartmentFactory
from tests.performance.conftest import evaluate, project

pytestmark = pytest.mark.django_db

OCT_31 = datetime.date(2021, 10, 31)

# code: (score 2020, score 2021); each department has one project a year with a key evaluation.
SCORES = {
    "L01": ("70", "80"),  # Δ +10, C 80
    "L02": ("75", "85"),  # Δ +10, C 85: ties L01 on Δ, ranks above it on C
    "L03": ("80", "85"),  # Δ +5, C 85
    "L04": ("80", "85"),  # Δ +5, C 85: exact tie with L03, shares its rank
    "L05": ("90", "80"),  # Δ −10
    "L06": (None, "88"),  # no score in 2020: new
    "L07": (None, None),  # projects but no evaluation in 2021: no score
}


@pytest.fixture
def seven_departments(year_2021) -> dict[str, Evaluation | None]:
    """The departments of SCORES; returns each department's 2021 evaluation."""
    this_year = {}
    for code, (before, now) in SCORES.items():
        unit = BudgetUnitFactory(department=DepartmentFactory(code=code, name=f"区{code}局"))
        last_year_project = project(unit, "1000000", year=2020)
        if before:
            evaluate(last_year_project, before, year=2020)
        this_year_project = project(unit, "1000000")
        this_year[code] = evaluate(this_year_project, now) if now else None
    return this_year


def lines(run) -> list[tuple]:
    return list(
        LeaderboardEntry.objects.filter(run=run)
        .order_by("position")
        .values_list("department__code", "increment", "score", "increment_rank", "absolute_rank", "is_new")
    )


def test_ranks_by_increment_then_score_with_shared_ranks_and_new_departments(seven_departments):
    run = recompute_all(year=2021, as_of=OCT_31)

    assert lines(run) == [
        ("L02", Decimal("10.0000"), Decimal("85.0000"), 1, 2, False),
        ("L01", Decimal("10.0000"), Decimal("80.0000"), 2, 5, False),
        ("L03", Decimal("5.0000"), Decimal("85.0000"), 3, 2, False),
        ("L04", Decimal("5.0000"), Decimal("85.0000"), 3, 2, False),  # same Δ and C: same rank
        ("L05", Decimal("-10.0000"), Decimal("80.0000"), 5, 5, False),  # RANK() skips 4
        ("L06", None, Decimal("88.0000"), None, 1, True),  # new: after the ranked, no increment rank
        ("L07", None, None, None, None, False),  # no score this year
    ]
    assert list(LeaderboardEntry.objects.filter(run=run).values_list("rank_change", flat=True)) == [None] * 7


def test_rank_change_since_the_previous_run(seven_departments):
    recompute_all(year=2021, as_of=OCT_31)
    climber = seven_departments["L05"]
    climber.process = Decimal("19")  # 30 + 30 + 20 + 19 = 99: Δ = 99 − 90 = +9
    climber.save()

    run = recompute_all(year=2021, as_of=OCT_31)

    changes = dict(LeaderboardEntry.objects.filter(run=run).values_list("department__code", "rank_change"))
    ranks = dict(LeaderboardEntry.objects.filter(run=run).values_list("department__code", "increment_rank"))
    assert ranks == {"L02": 1, "L01": 2, "L05": 3, "L03": 4, "L04": 4, "L06": None, "L07": None}
    assert changes == {
        "L02": 0,
        "L01": 0,
        "L05": 2,
        "L03": -1,
        "L04": -1,
        "L06": None,
        "L07": None,
    }  # 5→3, 3→4


def test_weak_spots_lowest_dimension_and_projects_pulling_the_score_down(year_2021, unit_a, department_a):
    # The helper fills output, benefit, decision, then process:
    # 70 → process 0/20; 90 → 10/20; 75 → 0/20; 95 → 15/20.
    below = project(unit_a, "1000000")
    evaluate(below, "70")
    evaluate(project(unit_a, "3000000"), "90")
    far_below = project(unit_a, "2000000")
    evaluate(far_below, "75")
    evaluate(project(unit_a, "500000"), "95")

    run = recompute_all(year=2021, as_of=OCT_31)

    entry = LeaderboardEntry.objects.get(run=run, department=department_a)
    assert entry.score == Decimal("82.6923")  # (1M × 70 + 3M × 90 + 2M × 75 + 0.5M × 95) / 6.5M = 537.5 / 6.5
    assert entry.weakest_dimension == "process"
    assert entry.process_ratio == Decimal("0.3125")  # (0 + 0.5 + 0 + 0.75) / 4
    assert entry.decision_ratio == Decimal("0.8125")  # (0.5 + 1 + 0.75 + 1) / 4
    weak = list(WeakProject.objects.filter(run=run).values_list("project_id", "pull", "position"))
    assert weak == [
        (far_below.pk, Decimal("15384600.00"), 1),  # 2,000,000 × (82.6923 − 75)
        (below.pk, Decimal("12692300.00"), 2),  # 1,000,000 × (82.6923 − 70)
    ]


def test_the_weak_projects_kept_follow_the_setting_in_force(year_2021, unit_a, department_a, settings):
    """WEAK_PROJECTS_PER_DEPARTMENT is read by each run (override_settings reaches it)."""
    far_below = project(unit_a, "2000000")
    evaluate(far_below, "75")
    evaluate(project(unit_a, "1000000"), "70")
    evaluate(project(unit_a, "3000000"), "90")
    settings.WEAK_PROJECTS_PER_DEPARTMENT = 1

    run = recompute_all(year=2021, as_of=OCT_31)

    # C = (2M × 75 + 1M × 70 + 3M × 90) / 6M = 81.6667; pulls 2M × 6.6667 > 1M × 11.6667: one kept
    assert list(WeakProject.objects.filter(run=run).values_list("project_id", flat=True)) == [far_below.pk]


def test_a_department_with_low_coverage_keeps_its_rank(year_2021, unit_a, department_a):
    evaluate(project(unit_a, "1000000"), "70")
    project(unit_a, "9000000")

    entry = LeaderboardEntry.objects.get(run=recompute_all(year=2021, as_of=OCT_31))

    assert entry.coverage == Decimal("0.1000") and entry.low_coverage  # 1M / 10M
    assert entry.absolute_rank == 1 and entry.is_new
