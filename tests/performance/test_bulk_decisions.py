"""SPEC §4.7: an officer decides many budget adjustments at once, each recorded as if decided singly; one
row that cannot be decided, and none is."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from performance.models import BudgetAdjustment
from performance.services import (
    accept_budget_adjustment,
    decide_budget_adjustments,
    recompute_all,
)
from tests.factories import propose_adjustments

pytestmark = pytest.mark.django_db


# -- many at once, each as if decided singly --------------------------------------------------------


def history_of(adjustment: BudgetAdjustment) -> list[tuple]:
    return [
        (h.history_type, h.decision, h.final_budget, h.note, h.history_user_id)
        for h in BudgetAdjustment.history.filter(id=adjustment.pk).order_by("history_date", "history_id")
    ]


def test_a_bulk_decision_is_recorded_as_if_made_singly(graded, officer, django_assert_max_num_queries):
    propose_adjustments(2021)
    single = BudgetAdjustment.objects.get(project=graded["excellent"])
    accept_budget_adjustment(adjustment=single, user=officer, note="by hand")
    rest = BudgetAdjustment.objects.filter(decision="pending")

    # Lock and read, check, update, insert the history: the same count for 3 rows or 3,000.
    with django_assert_max_num_queries(8):
        count = decide_budget_adjustments(
            adjustments=rest, user=officer, decision="accepted", note="批量采纳"
        )

    assert count == 3
    for name, final in (("good", "1000000.00"), ("fair", "900000.00"), ("poor", "700000.00")):
        row = BudgetAdjustment.objects.get(project=graded[name])
        assert (row.decision, row.final_budget, row.note, row.decided_by) == (
            "accepted",
            Decimal(final),  # the proposed budget, as a single acceptance takes it
            "批量采纳",
            officer,
        )
        assert history_of(row) == [("~", "accepted", Decimal(final), "批量采纳", officer.pk)]
    assert history_of(single) == [("~", "accepted", Decimal("1000000.00"), "by hand", officer.pk)]


def test_a_bulk_rejection_keeps_no_final_budget(graded, officer):
    propose_adjustments(2021)

    decide_budget_adjustments(
        adjustments=BudgetAdjustment.objects.all(), user=officer, decision="rejected", note="政策保障"
    )

    assert set(BudgetAdjustment.objects.values_list("decision", "final_budget")) == {("rejected", None)}


@pytest.mark.parametrize(
    "decision, note, expected, message",
    [
        ("accepted", "", None, "reason|理由"),  # one reason is required
        ("changed", "x", None, "accepted or not adopted|采纳"),  # no shared figure for many rows
        ("accepted", "x", 3, "changed since|已变化"),  # the officer confirmed 3, there are 4
    ],
)
def test_bad_bulk_input_decides_nothing(graded, officer, decision, note, expected, message):
    propose_adjustments(2021)

    with pytest.raises(ValidationError, match=message):
        decide_budget_adjustments(
            adjustments=BudgetAdjustment.objects.all(),
            user=officer,
            decision=decision,
            note=note,
            expected=expected,
        )

    assert set(BudgetAdjustment.objects.values_list("decision", flat=True)) == {"pending"}
    assert not BudgetAdjustment.history.exists()


def test_a_bulk_decision_with_one_decided_row_decides_none(graded, officer):
    propose_adjustments(2021)
    accept_budget_adjustment(adjustment=BudgetAdjustment.objects.get(project=graded["good"]), user=officer)

    with pytest.raises(ValidationError, match="1"):
        decide_budget_adjustments(
            adjustments=BudgetAdjustment.objects.all(), user=officer, decision="rejected", note="x"
        )

    assert BudgetAdjustment.objects.filter(decision="pending").count() == 3


def test_a_bulk_acceptance_with_a_review_row_decides_none(doubtful, officer):
    recompute_all(year=2021, as_of=datetime.date(2021, 10, 31))

    with pytest.raises(ValidationError, match="3"):  # three proposals ask for review
        decide_budget_adjustments(
            adjustments=BudgetAdjustment.objects.all(), user=officer, decision="accepted", note="x"
        )

    assert BudgetAdjustment.objects.filter(decision="pending").count() == 5


def test_a_department_head_cannot_decide_many(graded, head):
    propose_adjustments(2021)

    with pytest.raises(PermissionDenied):
        decide_budget_adjustments(
            adjustments=BudgetAdjustment.objects.all(), user=head, decision="rejected", note="x"
        )
