"""A payment entered by hand (Django admin) follows the import's rules: a reversal never takes its
project's payments below zero up to any date, and the date lies in the project's fiscal year."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from projects.models import Payment
from tests.finance.import_support import make_district, project, some_history

pytestmark = pytest.mark.django_db


@pytest.fixture
def district(department_a, department_b):
    state = make_district(department_a, department_b)
    some_history(state)  # V0001: 100.00 元 to PA1 on 2021-03-01
    return state


def test_a_reversal_up_to_what_was_paid_before_it_is_valid(district):
    Payment(
        voucher_no="R1", project=project("PA1"), paid_on=datetime.date(2021, 3, 2), amount=Decimal("-100")
    ).full_clean()


def test_a_reversal_before_the_payment_it_reverses_is_refused(district):
    reversal = Payment(
        voucher_no="R1", project=project("PA1"), paid_on=datetime.date(2021, 2, 28), amount=Decimal("-0.01")
    )

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        reversal.full_clean()

    assert refused.value.message_dict == {
        "amount": [
            "The project's payments to 2021-02-28 would sum to -0.01 yuan, below zero: "
            "a reversal may take back at most what was paid up to its date."
        ]
    }


def test_lowering_a_payment_below_a_later_reversal_is_refused(district):
    Payment.objects.create(
        voucher_no="R1", project=project("PA1"), paid_on=datetime.date(2021, 3, 5), amount=Decimal("-80")
    )
    paid = Payment.objects.get(voucher_no="V0001")
    paid.amount = Decimal("79.99")

    with pytest.raises(ValidationError) as refused:
        paid.full_clean()

    assert list(refused.value.message_dict) == ["amount"]


def test_a_payment_dated_outside_its_projects_fiscal_year_is_refused(district):
    late = Payment(
        voucher_no="L1", project=project("PA1"), paid_on=datetime.date(2022, 1, 1), amount=Decimal("1")
    )

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        late.full_clean()

    assert refused.value.message_dict == {"paid_on": ["A payment of fiscal year 2021 is dated in 2021."]}
