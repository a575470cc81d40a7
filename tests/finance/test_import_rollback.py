"""Rolling back the latest import of a kind restores exactly what it changed, or refuses and says why."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from finance.importing.applying import import_file
from finance.importing.messages import ImportRefused
from finance.importing.rollback import rollback_batch
from finance.models import BudgetUnit, ImportBatch
from performance.models import Evaluation
from projects.models import Payment
from tests.factories import PaymentFactory
from tests.finance.import_support import PAYMENTS, file_bytes, headers, project, snapshot

pytestmark = pytest.mark.django_db


def apply(kind: str, rows: list[list], user, fmt: str = "csv") -> ImportBatch:
    name, data = file_bytes(rows, fmt)
    plan, batch = import_file(kind=kind, file_name=name, data=data, user=user)
    assert plan.problems == []
    return batch


def refusal(batch: ImportBatch, user) -> str:
    with translation.override("en"):
        with pytest.raises(ImportRefused) as refused:
            rollback_batch(batch_id=batch.pk, user=user)
        return refused.value.problems[0].text()


@pytest.mark.parametrize("threshold", [5000, 1], ids=["orm", "plain-inserts"])
def test_rollback_restores_the_state_before_the_import_exactly(district, officer, settings, threshold):
    settings.IMPORT_PLAIN_INSERT_THRESHOLD = threshold
    apply("payments", [PAYMENTS, ["V0002", 2021, "PB1", "2021-04-01", "5"]], officer)
    before = snapshot(with_lineage=False)
    batch = apply(
        "payments",
        [
            PAYMENTS,
            # A new date and amount (a voucher never moves to another project: SPEC §7 as amended).
            ["V0001", 2021, "PA1", "2021-03-02", "150.00"],
            ["V0002", 2021, "PB1", "2021-04-01", "5"],  # unchanged
            ["V0003", 2021, "PA1", "2021-05-01", "30"],  # new
        ],
        officer,
    )
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (1, 1, 1)

    outcome = rollback_batch(batch_id=batch.pk, user=officer)

    assert (outcome.deleted, outcome.restored) == (1, 1)
    assert snapshot(with_lineage=False) == before
    batch.refresh_from_db()
    assert batch.rolled_back_at is not None
    # The change history shows the import and its rollback.
    v1 = list(
        Payment.history.filter(voucher_no="V0001")
        .order_by("history_id")
        .values_list("history_type", "amount")
    )
    assert v1 == [("+", Decimal("100.00")), ("~", Decimal("150.00")), ("~", Decimal("100.00"))]
    v3 = list(
        Payment.history.filter(voucher_no="V0003")
        .order_by("history_id")
        .values_list("history_type", flat=True)
    )
    assert v3 == ["+", "-"]
    assert Payment.history.filter(voucher_no="V0003", history_type="-").get().history_user == officer


def test_rolling_back_a_unit_move_moves_its_projects_back(district, officer):
    before = snapshot(with_lineage=False)
    batch = apply("units", [headers("units"), ["UA1", "第一小学", "B02"]], officer)
    assert project("PA1").department.code == "B02"

    rollback_batch(batch_id=batch.pk, user=officer)

    assert BudgetUnit.objects.get(code="UA1").department.code == "A01"
    assert project("PA1").department.code == "A01"
    assert snapshot(with_lineage=False) == before


def test_rollback_of_evaluations_restores_scores_total_and_grade(district, officer):
    header = headers("evaluations")
    before = snapshot(with_lineage=False)
    batch = apply("evaluations", [header, [2021, "self", "PA1", "", 10, 10, 10, 10, "", "draft"]], officer)
    evaluation = Evaluation.objects.get(project=project("PA1"))
    assert (evaluation.total, evaluation.grade) == (Decimal("40.00"), "poor")

    rollback_batch(batch_id=batch.pk, user=officer)

    assert snapshot(with_lineage=False) == before


def test_only_the_latest_batch_of_a_kind_can_be_rolled_back(district, officer):
    first = apply("payments", [PAYMENTS, ["V0005", 2021, "PA1", "2021-04-01", "5"]], officer)
    second = apply("payments", [PAYMENTS, ["V0006", 2021, "PA1", "2021-04-01", "6"]], officer)
    apply("departments", [headers("departments"), ["C09", "区统计局"]], officer)
    before = snapshot()

    assert refusal(first, officer) == (
        "Only the latest import of a kind can be rolled back; roll back payments · data.csv first."
    )
    assert snapshot() == before

    rollback_batch(batch_id=second.pk, user=officer)
    assert refusal(second, officer) == "This import was already rolled back."
    # Once the later one is rolled back, the earlier one is the latest of its kind.
    rollback_batch(batch_id=first.pk, user=officer)
    assert not Payment.objects.filter(voucher_no__in=["V0005", "V0006"]).exists()


def test_rollback_refuses_to_overwrite_a_later_change(district, officer):
    batch = apply("payments", [PAYMENTS, ["V0001", 2021, "PA1", "2021-03-01", "120"]], officer)
    payment = Payment.objects.get(voucher_no="V0001")
    payment.amount = Decimal("130.00")  # corrected by hand after the import
    payment.save()
    before = snapshot()

    assert refusal(batch, officer) == (
        "1 rows that this import wrote were changed afterwards (for example line 2); "
        "rolling back would overwrite those changes, so nothing was rolled back."
    )
    assert snapshot() == before


def test_rollback_refuses_to_delete_rows_others_now_refer_to(district, officer):
    header = headers("projects")
    batch = apply(
        "projects", [header, [2021, "PN1", "新项目", "UA1", "205", "general", "livelihood", "10"]], officer
    )
    PaymentFactory(voucher_no="V0100", project=project("PN1"))
    before = snapshot()

    assert refusal(batch, officer) == (
        "1 payments now refer to rows that this import created (for example line 2); "
        "remove them first, so nothing was rolled back."
    )
    assert snapshot() == before
