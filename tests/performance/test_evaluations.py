"""SPEC §4.3: grades, the computed self-evaluation score and the self-scoring check (自评偏差)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from performance.models import Evaluation, Grade, InflatedSelfScore, LeaderboardEntry
from performance.services import recompute_all, self_evaluation_scores
from tests.factories import IndicatorFactory
from tests.performance.conftest import evaluate, pay, project

pytestmark = pytest.mark.django_db

OCT_31 = datetime.date(2021, 10, 31)

GRADE_EDGES = [
    ("59.99", Grade.POOR),
    ("60.00", Grade.FAIR),
    ("79.99", Grade.FAIR),
    ("80.00", Grade.GOOD),
    ("89.99", Grade.GOOD),
    ("90.00", Grade.EXCELLENT),
]


@pytest.mark.parametrize(("total", "grade"), GRADE_EDGES)
def test_evaluation_grade_at_the_edges(year_2021, unit_a, total, grade):
    evaluation = evaluate(project(unit_a, "1000"), total)

    evaluation.refresh_from_db()
    assert (evaluation.total, evaluation.grade) == (Decimal(total), grade)


@pytest.mark.parametrize(("total", "grade"), GRADE_EDGES)
def test_department_score_grade_at_the_edges(year_2021, unit_a, total, grade):
    evaluate(project(unit_a, "1000"), total)  # the only project: C = its total

    run = recompute_all(year=2021, as_of=OCT_31)

    entry = LeaderboardEntry.objects.get(run=run)
    assert (entry.score, entry.grade) == (Decimal(total), grade)


def indicator(project_, direction: str, weight: str, *, target=None, actual=None, judgement=None):
    return IndicatorFactory(
        project=project_,
        direction=direction,
        weight=Decimal(weight),
        target_value=None if target is None else Decimal(target),
        actual_value=None if actual is None else Decimal(actual),
        judgement=None if judgement is None else Decimal(judgement),
    )


def score_of(project_, as_of=OCT_31):
    (score,) = self_evaluation_scores(year=2021, as_of=as_of, project_ids=[project_.pk])
    return score


def test_self_evaluation_score_from_execution_and_each_kind_of_indicator(year_2021, unit_a):
    scored = project(unit_a, "1000000")
    pay(scored, "800000", datetime.date(2021, 6, 1))
    indicator(scored, "gte", "30", target="100", actual="80")  # 80/100 = 0.8 → 24
    indicator(scored, "gte", "10", target="100", actual="150")  # 1.5 capped at 1 → 10
    indicator(scored, "lte", "20", target="5", actual="10")  # 5/10 = 0.5 → 10
    indicator(scored, "eq", "10", target="1", actual="1")  # equal → 10
    indicator(scored, "qualitative", "20", judgement="0.75")  # officer's 0.75 → 15

    score = score_of(scored)

    assert score.execution_rate == Decimal("0.8000")  # 800,000 / 1,000,000
    assert score.execution_points == Decimal("8.00")  # 0.8 × 10
    assert score.indicator_points == Decimal("69.00")  # 24 + 10 + 10 + 10 + 15 (weights add up to 90)
    assert score.score == Decimal("77.00")
    assert score.grade == Grade.FAIR


def test_self_evaluation_score_caps_and_edge_indicators(year_2021, unit_a):
    capped = project(unit_a, "1000000")
    pay(capped, "1200000", datetime.date(2021, 6, 1))
    indicator(capped, "lte", "40", target="3", actual="0")  # "≤" with actual 0 is complete → 40
    indicator(capped, "gte", "20", target="0", actual="5")  # "≥" with target 0 is complete → 20
    indicator(capped, "gte", "20", target="100")  # no actual yet → 0
    indicator(capped, "eq", "10", target="1", actual="2")  # not equal → 0

    score = score_of(capped)

    assert score.execution_rate == Decimal("1.2000")
    assert score.execution_points == Decimal("10.00")  # 1.2 × 10 capped at 10
    assert score.indicator_points == Decimal("60.00")  # 40 + 20 + 0 + 0
    assert score.score == Decimal("70.00")


def test_self_evaluation_indicators_share_90_points_by_weight(year_2021, unit_a):
    unbudgeted = project(unit_a, "0")
    indicator(unbudgeted, "gte", "20", target="10", actual="10")  # complete
    indicator(unbudgeted, "qualitative", "25", judgement="0.5")

    score = score_of(unbudgeted)

    assert score.execution_points == Decimal("0.00")  # execution rate 0 where the budget is 0
    assert score.indicator_points == Decimal("65.00")  # 90 × (20 × 1 + 25 × 0.5) / 45
    assert score.score == Decimal("65.00")


def test_self_evaluation_rounds_each_part_half_up(year_2021, unit_a):
    thirds = project(unit_a, "300")
    pay(thirds, "100", datetime.date(2021, 6, 1))
    indicator(thirds, "gte", "90", target="3", actual="2")  # 2/3 → 60.00

    score = score_of(thirds)

    assert score.execution_points == Decimal("3.33")  # 100/300 × 10 = 3.333…
    assert score.indicator_points == Decimal("60.00")
    assert score.score == Decimal("63.33")


def test_self_evaluation_without_indicators_earns_execution_points_only(year_2021, unit_a):
    bare = project(unit_a, "1000")
    pay(bare, "500", datetime.date(2021, 6, 1))
    pay(bare, "500", datetime.date(2021, 11, 1))  # after the date asked for

    score = score_of(bare)

    assert (score.execution_points, score.indicator_points, score.score) == (
        Decimal("5.00"),  # 500/1,000 × 10
        Decimal("0.00"),
        Decimal("5.00"),
    )


def test_self_score_inflated_flags(year_2021, unit_a):
    def with_spending(budget: str, spent: str):
        created = project(unit_a, budget)
        pay(created, spent, datetime.date(2021, 6, 1))
        return created

    above_key = with_spending("1000", "900")
    evaluate(above_key, "92", kind=Evaluation.Kind.SELF)
    evaluate(above_key, "76")  # 92 − 76 = 16 > 15
    at_limit = with_spending("1000", "900")
    evaluate(at_limit, "91", kind=Evaluation.Kind.SELF)
    evaluate(at_limit, "76")  # 91 − 76 = 15, not more than 15
    low_execution = with_spending("10000", "5999")
    evaluate(low_execution, "92", kind=Evaluation.Kind.SELF)  # 优 with 59.99 % executed
    enough_execution = with_spending("10000", "6000")
    evaluate(enough_execution, "92", kind=Evaluation.Kind.SELF)  # 优 with 60.00 %
    good_low = with_spending("10000", "1000")
    evaluate(good_low, "88", kind=Evaluation.Kind.SELF)  # 良, not 优
    draft = with_spending("1000", "900")
    evaluate(draft, "99", kind=Evaluation.Kind.SELF, status=Evaluation.Status.DRAFT)
    evaluate(draft, "60")

    run = recompute_all(year=2021, as_of=OCT_31)

    flagged = {row.project_id: row for row in InflatedSelfScore.objects.filter(run=run)}
    assert set(flagged) == {above_key.pk, low_execution.pk}
    assert flagged[above_key.pk].exceeds_key and not flagged[above_key.pk].excellent_but_low_execution
    assert flagged[above_key.pk].key_total == Decimal("76.00")
    assert flagged[low_execution.pk].excellent_but_low_execution
    assert flagged[low_execution.pk].execution_rate == Decimal("0.5999")  # 5,999 / 10,000
    assert flagged[low_execution.pk].key_total is None
