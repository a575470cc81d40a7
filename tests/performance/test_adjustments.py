"""SPEC §4.7: budget adjustments proposed by grade, accepted, changed or rejected by an officer."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from performance import apps
from performance.models import BudgetAdjustment, Evaluation
from performance.services import (
    accept_budget_adjustment,
    change_budget_adjustment,
    recompute_all,
    reject_budget_adjustment,
)
from projects.models import Project
from tests.factories import propose_adjustments
from tests.performance.conftest import evaluate, pay, project

pytestmark = pytest.mark.django_db


def proposals() -> dict[str, tuple]:
    return {
        row.project.name: (row.grade, row.proposed_action, row.current_budget, row.proposed_budget)
        for row in BudgetAdjustment.objects.select_related("project")
    }


def test_proposals_by_grade(graded):
    added = propose_adjustments(2021)

    assert added == 4
    assert proposals() == {
        "excellent": ("excellent", "priority", Decimal("1000000.00"), Decimal("1000000.00")),
        "good": ("good", "keep", Decimal("1000000.00"), Decimal("1000000.00")),
        "fair": ("fair", "cut", Decimal("1000000.00"), Decimal("900000.00")),  # cut 10 %
        "poor": ("poor", "cancel", Decimal("1000000.00"), Decimal("700000.00")),  # cut 30 % or cancel
    }
    assert set(BudgetAdjustment.objects.values_list("target_year", "decision")) == {(2022, "pending")}


def test_proposing_twice_adds_nothing(graded):
    propose_adjustments(2021)

    assert propose_adjustments(2021) == 0
    assert BudgetAdjustment.objects.count() == 4


def test_a_key_evaluation_replaces_a_pending_self_evaluation_proposal(graded):
    propose_adjustments(2021)
    # The bureau's key evaluation counts over the self-evaluation; 78 is within 15 points of the
    # self-evaluation's 92, so the recompute's self-scoring check (§4.3) doubts neither.
    evaluate(graded["excellent"], "78")

    propose_adjustments(2021)

    assert proposals()["excellent"] == ("fair", "cut", Decimal("1000000.00"), Decimal("900000.00"))
    assert BudgetAdjustment.objects.count() == 4


def test_proposed_budget_is_rounded_half_up_to_the_cent(year_2021, unit_a):
    evaluate(project(unit_a, "333.35", name="odd"), "70", kind=Evaluation.Kind.SELF)

    propose_adjustments(2021)

    assert proposals()["odd"][3] == Decimal("300.02")  # 333.35 × 0.9 = 300.015


def test_drafts_and_pool_projects_get_no_proposal(year_2021, unit_a):
    evaluate(project(unit_a, "1000", name="draft"), "90", kind=Evaluation.Kind.SELF, status="draft")
    evaluate(
        project(unit_a, "1000", name="pool", status=Project.Status.PROPOSED), "90", kind=Evaluation.Kind.SELF
    )

    assert propose_adjustments(2021) == 0


def test_officer_accepts_changes_and_rejects(graded, officer):
    propose_adjustments(2021)
    fair = BudgetAdjustment.objects.get(project=graded["fair"])
    poor = BudgetAdjustment.objects.get(project=graded["poor"])
    good = BudgetAdjustment.objects.get(project=graded["good"])

    accepted = accept_budget_adjustment(adjustment=fair, user=officer)
    changed = change_budget_adjustment(
        adjustment=poor, user=officer, final_budget=Decimal("0"), note="cancel it"
    )
    rejected = reject_budget_adjustment(adjustment=good, user=officer, note="policy priority")

    assert (accepted.decision, accepted.final_budget, accepted.decided_by) == (
        "accepted",
        Decimal("900000.00"),
        officer,
    )
    assert (changed.decision, changed.final_budget, changed.note) == ("changed", Decimal("0"), "cancel it")
    assert (rejected.decision, rejected.final_budget) == ("rejected", None)
    assert accepted.decided_at is not None


def test_a_department_head_cannot_decide(graded, head):
    propose_adjustments(2021)

    with pytest.raises(PermissionDenied):
        accept_budget_adjustment(adjustment=BudgetAdjustment.objects.first(), user=head)


def test_a_changed_budget_must_not_be_negative(graded, officer):
    propose_adjustments(2021)

    with pytest.raises(ValidationError):
        change_budget_adjustment(
            adjustment=BudgetAdjustment.objects.first(), user=officer, final_budget=Decimal("-1")
        )


def test_a_recompute_proposes_from_the_evaluations_it_scores(graded):
    # No separate step: the run that scores the finalised evaluations also proposes (§4.7).
    recompute_all(year=2021)

    assert proposals()["fair"] == ("fair", "cut", Decimal("1000000.00"), Decimal("900000.00"))
    assert BudgetAdjustment.objects.count() == 4

    recompute_all(year=2021)  # nothing changed: nothing added, nothing rewritten

    assert BudgetAdjustment.objects.count() == 4


def test_a_pending_proposal_follows_its_project_and_a_decided_one_does_not(graded, officer):
    recompute_all(year=2021)
    accept_budget_adjustment(adjustment=BudgetAdjustment.objects.get(project=graded["good"]), user=officer)
    Project.objects.filter(pk__in=[graded["fair"].pk, graded["good"].pk]).update(budget=Decimal("500000"))

    recompute_all(year=2021)

    # Pending: the new budget and 500,000 × 0.9; accepted: as decided, with the budget it was decided on.
    assert proposals()["fair"] == ("fair", "cut", Decimal("500000.00"), Decimal("450000.00"))
    assert proposals()["good"] == ("good", "keep", Decimal("1000000.00"), Decimal("1000000.00"))
    assert BudgetAdjustment.objects.get(project=graded["good"]).decision == "accepted"


def test_a_proposal_is_withdrawn_when_its_evaluation_stops_counting(graded, officer):
    recompute_all(year=2021)
    accept_budget_adjustment(adjustment=BudgetAdjustment.objects.get(project=graded["good"]), user=officer)
    Evaluation.objects.filter(project__in=[graded["poor"], graded["good"]]).update(status="draft")
    Project.objects.filter(pk=graded["fair"].pk).update(status=Project.Status.CANCELLED)

    recompute_all(year=2021)

    # Reopened and cancelled: their pending proposals go; the accepted one stays as decided.
    assert set(proposals()) == {"excellent", "good"}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_finalising_an_evaluation_proposes_its_adjustment(year_2021, unit_a):
    # Committed saves queue the recompute (eager here, no broker), and the run proposes (§4.7, §5).
    target = project(unit_a, "1000000", name="finalised later")
    draft = evaluate(target, "70", kind=Evaluation.Kind.SELF, status=Evaluation.Status.DRAFT)
    assert "finalised later" not in proposals()

    draft.status = Evaluation.Status.FINALISED
    draft.save()

    assert proposals()["finalised later"] == ("fair", "cut", Decimal("1000000.00"), Decimal("900000.00"))


def test_a_proposal_follows_its_evaluation_to_another_project_and_year(graded, unit_a):
    recompute_all(year=2021)
    other = project(unit_a, "2000000", name="other")
    Evaluation.objects.filter(project=graded["fair"]).update(project=other)

    recompute_all(year=2021)

    # Moved with its evaluation, refigured on the new project's budget: 2,000,000 × 0.9.
    assert proposals()["other"] == ("fair", "cut", Decimal("2000000.00"), Decimal("1800000.00"))
    assert "fair" not in proposals()

    Project.objects.filter(pk=other.pk).update(fiscal_year_id=2020)
    Evaluation.objects.filter(project=other).update(fiscal_year_id=2020)
    recompute_all(year=2020, as_of=datetime.date(2020, 12, 31))  # one proposal per evaluation: retargeted

    assert BudgetAdjustment.objects.get(project=other).target_year == 2021


def test_accepting_takes_the_proposal_as_it_is_now(graded, officer):
    recompute_all(year=2021)
    shown = BudgetAdjustment.objects.get(project=graded["fair"])  # the page showed 900,000
    Project.objects.filter(pk=graded["fair"].pk).update(budget=Decimal("500000"))
    recompute_all(year=2021)

    accepted = accept_budget_adjustment(adjustment=shown, user=officer)

    assert accepted.final_budget == Decimal("450000.00")  # 500,000 × 0.9, not the stale 900,000


def test_deciding_a_withdrawn_proposal_says_so(graded, officer):
    recompute_all(year=2021)
    shown = BudgetAdjustment.objects.get(project=graded["poor"])
    Evaluation.objects.filter(project=graded["poor"]).update(status="draft")
    recompute_all(year=2021)

    with pytest.raises(ValidationError, match="撤回"):  # "withdrawn", in the default language
        reject_budget_adjustment(adjustment=shown, user=officer)


# -- a proposal never rewards a doubtful score (§4.7 as amended, the self-scoring check of §4.3) ------


def reviewed() -> dict[str, tuple]:
    return {
        row.project.name: (row.grade, row.proposed_action, row.review_reasons, row.proposed_budget)
        for row in BudgetAdjustment.objects.select_related("project")
    }


def test_an_inflated_self_evaluation_gets_review_instead_of_its_grades_proposal(doubtful):
    # Run on both engines (the suite runs on SQLite and, with DATABASE_URL, on PostgreSQL).
    recompute_all(year=2021, as_of=datetime.date(2021, 10, 31))

    keep = Decimal("1000000.00")  # under review the budget stays until an officer decides
    assert reviewed() == {
        # The key evaluation (70, 中) counts, but the self-evaluation is 16 points above it.
        "above key by 16": ("fair", "review", "exceeds_key", keep),
        "above key by 15": ("fair", "cut", "", Decimal("900000.00")),  # 1,000,000 × 0.9
        "excellent at 59.99 %": ("excellent", "review", "excellent_low_execution", keep),
        "excellent at 60 %": ("excellent", "priority", "", keep),
        "both": ("fair", "review", "exceeds_key excellent_low_execution", keep),
    }
    row = BudgetAdjustment.objects.get(project=doubtful["both"])
    assert row.review_reason_labels == ["自评高于重点评价", "自评为优但执行率低"]


def test_a_review_proposal_follows_the_check_when_the_doubt_is_gone(doubtful):
    recompute_all(year=2021, as_of=datetime.date(2021, 10, 31))
    pay(doubtful["excellent at 59.99 %"], "100", datetime.date(2021, 4, 1))  # 600,000: exactly 60 %

    recompute_all(year=2021, as_of=datetime.date(2021, 10, 31))

    assert reviewed()["excellent at 59.99 %"] == ("excellent", "priority", "", Decimal("1000000.00"))


def test_proposals_deleted_by_hand_come_back_with_the_next_run(doubtful):
    recompute_all(year=2021, as_of=datetime.date(2021, 10, 31))
    BudgetAdjustment.objects.all().delete()

    propose_adjustments(2021)

    assert reviewed()["above key by 16"][1:3] == ("review", "exceeds_key")


def test_a_proposal_under_review_is_not_accepted(doubtful, officer):
    recompute_all(year=2021, as_of=datetime.date(2021, 10, 31))
    review = BudgetAdjustment.objects.get(project=doubtful["above key by 16"])

    with pytest.raises(ValidationError, match="复核|review|不采纳"):
        accept_budget_adjustment(adjustment=review, user=officer)

    changed = change_budget_adjustment(adjustment=review, user=officer, final_budget=Decimal("800000"))
    assert (changed.decision, changed.final_budget) == ("changed", Decimal("800000"))


def test_a_decided_proposal_is_not_decided_again(graded, officer):
    propose_adjustments(2021)
    fair = BudgetAdjustment.objects.get(project=graded["fair"])
    accept_budget_adjustment(adjustment=fair, user=officer)

    with pytest.raises(ValidationError):
        reject_budget_adjustment(adjustment=fair, user=officer)

    assert BudgetAdjustment.objects.get(pk=fair.pk).decision == "accepted"


def test_an_sqlite_too_old_for_the_recompute_is_refused(monkeypatch):
    monkeypatch.setattr(apps.sqlite3, "sqlite_version_info", (3, 37, 2))

    errors = apps.check_sqlite_version(databases=["default"])

    expected = ["performance.E001"] if connection.vendor == "sqlite" else []
    assert [error.id for error in errors] == expected
