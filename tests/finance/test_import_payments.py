"""The payments kind's own rules (SPEC §7 as amended): reversals never take a project below zero up to any
date, dates lie in the fiscal year, a voucher belongs to one project, amounts are in 元."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from finance.importing.applying import import_file
from finance.models import FiscalYear
from projects.models import Payment
from tests.finance.import_support import (
    PAYMENTS,
    csv_bytes,
    file_bytes,
    headers,
    problems_of,
    some_history,
)

pytestmark = pytest.mark.django_db


# -- payments: reversals, dates, vouchers (SPEC §7 as amended) ----------------------------------------
# The district's PA1 has one payment, V0001: 100.00 元 on 2021-03-01.


BELOW_ZERO = (
    "The payments of project PA1 学生资助 (2021) would sum to {total} yuan up to {date}, below zero: "
    "a reversal may take back at most what was paid up to its date."
)


def test_a_reversal_before_anything_was_paid_is_refused_naming_line_project_and_date(district, officer):
    name, data = file_bytes(
        [
            PAYMENTS,
            ["V0002", 2021, "PA1", "2021-03-10", "50.00"],
            ["V0003", 2021, "PA1", "2021-02-15", "-30.00"],  # before V0001's 100.00 of 2021-03-01
        ],
        "csv",
    )

    assert problems_of("payments", name, data, officer) == [
        (3, "amount", BELOW_ZERO.format(total="-30.00", date="2021-02-15"))
    ]


def test_payments_are_summed_by_date_not_by_their_order_in_the_file(district, officer):
    name, data = file_bytes(
        [
            PAYMENTS,
            ["V0002", 2021, "PA1", "2021-03-20", "1,000.00"],  # the file's first line, but paid later
            ["V0003", 2021, "PA1", "2021-03-02", "-150.00"],
        ],
        "csv",
    )

    # 100.00 on 03-01, then 100.00 − 150.00 = −50.00 on 03-02, before the 1,000.00 of 03-20.
    assert problems_of("payments", name, data, officer) == [
        (3, "amount", BELOW_ZERO.format(total="-50.00", date="2021-03-02"))
    ]


def test_lowering_a_stored_payment_below_a_later_reversal_is_refused(district, officer):
    reversal = [PAYMENTS, ["V0002", 2021, "PA1", "2021-03-10", "-80.00"]]
    plan, batch = import_file(kind="payments", file_name="r.csv", data=csv_bytes(reversal), user=officer)
    assert plan.ok and batch is not None  # 100.00 − 80.00 = 20.00

    name, data = file_bytes([PAYMENTS, ["V0001", 2021, "PA1", "2021-03-01", "50.00"]], "csv")

    # 50.00 − 80.00 = −30.00 on 2021-03-10; the line that lowered V0001 is named.
    assert problems_of("payments", name, data, officer) == [
        (2, "amount", BELOW_ZERO.format(total="-30.00", date="2021-03-10"))
    ]


@pytest.mark.parametrize("paid_on", ["0001-01-01", "9999-12-31", "2020-12-31", "2022-01-01"])
def test_a_payment_dated_outside_its_fiscal_year_is_refused(district, officer, paid_on):
    name, data = file_bytes([PAYMENTS, ["V1", 2021, "PA1", paid_on, "1"]], "csv")

    assert problems_of("payments", name, data, officer) == [
        (
            2,
            "paid_on",
            f"The payment date {paid_on} is outside fiscal year 2021: a payment of 2021 is dated from "
            "2021-01-01 to 2021-12-31.",
        )
    ]


def test_a_voucher_of_another_project_is_refused_naming_both_projects(district, officer):
    name, data = file_bytes([PAYMENTS, ["V0001", 2021, "PB1", "2021-03-01", "100.00"]], "csv")

    assert problems_of("payments", name, data, officer) == [
        (
            2,
            "voucher_no",
            "Voucher V0001 already belongs to project PA1 学生资助 (2021); this line gives project "
            "PB1 医疗设备 (2021). A voucher is never moved to another project: correct the line, or "
            "reverse the payment in its project and pay the other project under a new voucher.",
        )
    ]


@pytest.mark.parametrize("header", ["支付金额（万元）", "amount (10k yuan)", "支付金额(亿元)"])
def test_an_amount_column_in_another_unit_than_yuan_is_refused(district, officer, header):
    name, data = file_bytes(
        [[*PAYMENTS[:-1], header], ["V1", 2021, "PA1", "2021-03-01", "1"]],
        "csv",
    )

    ((line, column, message),) = problems_of("payments", name, data, officer)
    assert (line, column) == (1, "amount")
    assert message.startswith(f"The column “{header}” gives its amounts in ")
    assert message.endswith(
        "amounts are imported in 元 (yuan). Convert them to 元 and name the column “支付金额（元）”."
    )


def test_a_reversal_within_what_was_paid_before_it_is_imported(bare_district, officer):
    some_history(bare_district)  # V0001: 100.00 元 to PA1 on 2021-03-01
    name, data = file_bytes(
        [
            headers("payments"),
            ["V0002", 2021, "PA1", "2021-03-05", "-60.00"],
            ["V0003", 2021, "PA1", "2021-03-04", "－40"],  # full-width minus; 100 − 40 − 60 = 0, not below
            ["V0004", 2021, "PB1", "2021-05-01", "20.00"],
            ["V0005", 2021, "PB1", "2021-05-01", "-20.00"],  # same day: the day's payments count together
        ],
        "csv",
    )

    plan, batch = import_file(kind="payments", file_name=name, data=data, user=officer)

    assert plan.problems == [] and batch is not None
    assert dict(Payment.objects.filter(voucher_no__gte="V0002").values_list("voucher_no", "amount")) == {
        "V0002": Decimal("-60.00"),
        "V0003": Decimal("-40.00"),
        "V0004": Decimal("20.00"),
        "V0005": Decimal("-20.00"),
    }


def test_a_payment_after_the_as_of_date_is_imported_with_a_warning(bare_district, officer):
    FiscalYear.objects.filter(year=2021).update(data_as_of=datetime.date(2021, 10, 31))
    name, data = file_bytes(
        [
            headers("payments"),
            ["V0002", 2021, "PA1", "2021-10-31", "10.00"],
            ["V0003", 2021, "PA1", "2021-11-05", "20.00"],
        ],
        "csv",
    )

    with translation.override("en"):
        plan, batch = import_file(kind="payments", file_name=name, data=data, user=officer)
        warnings = [(w.line, w.column, w.text()) for w in plan.warnings]

    assert plan.problems == [] and batch is not None and batch.created_count == 2
    assert warnings == [
        (
            3,
            "paid_on",
            "The payment date 2021-11-05 is after 2021-10-31, the date the figures of 2021 are computed as "
            "of: the payment is imported, but counts in the figures only once they are computed as of a "
            "later date.",
        )
    ]
