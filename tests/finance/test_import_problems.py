"""Every class of bad value gets its message, with line and column, and changes nothing (SPEC §7, §10)."""

from __future__ import annotations

import pytest
from django.utils import translation

from finance.importing.applying import import_file
from tests.finance.import_support import (
    PAYMENTS,
    csv_bytes,
    file_bytes,
    headers,
    problems_of,
)

pytestmark = pytest.mark.django_db


EVALUATIONS = headers("evaluations")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_unknown_references_are_named_with_their_line(district, officer, fmt):
    name, data = file_bytes(
        [
            PAYMENTS,
            ["V1", 2021, "PA1", "2021-03-01", "1"],
            ["V2", 2021, "NOPE", "2021-03-01", "1"],
            ["V3", 2019, "PA1", "2021-03-01", "1"],
        ],
        fmt,
    )

    assert problems_of("payments", name, data, officer) == [
        (3, "project_code", "There is no project NOPE in fiscal year 2021."),
        (4, "year", "There is no fiscal year 2019."),
    ]


def test_unknown_unit_department_function_class_and_fund_source(district, officer):
    name, data = file_bytes(
        [
            headers("projects"),
            [2021, "PX", "某项目", "U404", "999", "彩票公益金", "民生", "1"],
        ],
        "csv",
    )

    assert problems_of("projects", name, data, officer) == [
        (2, "function_code", "There is no function class with code 999."),
        (2, "fund_source", "There is no fund source 彩票公益金."),
        (2, "unit_code", "There is no budget unit with code U404."),
    ]
    name, data = file_bytes([headers("units"), ["U9", "某单位", "Z99"]], "csv")
    assert problems_of("units", name, data, officer) == [
        (2, "department_code", "There is no department with code Z99."),
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_key_twice_in_the_file_is_refused_at_its_second_line(district, officer, fmt):
    name, data = file_bytes(
        [
            PAYMENTS,
            ["V1", 2021, "PA1", "2021-03-01", "1"],
            ["V2", 2021, "PA1", "2021-03-01", "1"],
            ["V1", 2021, "PB1", "2021-03-02", "2"],
        ],
        fmt,
    )

    assert problems_of("payments", name, data, officer) == [
        (4, "voucher_no", "V1 appears again: line 2 has the same key."),
    ]


NOT_A_NUMBER = (
    "“{}” is not a number: write digits, with thousands commas if you like, one decimal point "
    "and an optional sign, such as -1,234.56."
)


@pytest.mark.parametrize(
    "amount,message",
    [
        ("12,5x", NOT_A_NUMBER.format("12,5x")),
        ("abc", NOT_A_NUMBER.format("abc")),
        ("1.234", "1.234 has more than 2 decimal places."),
        ("NaN", NOT_A_NUMBER.format("NaN")),
        ("", "A value is required."),
        ("1e20", NOT_A_NUMBER.format("1e20")),  # no exponents: digits, commas, a point and a sign only
        ("123456789012345", "123456789012345 is too large."),
    ],
)
def test_bad_amounts_are_refused(district, officer, amount, message):
    name, data = file_bytes([PAYMENTS, ["V1", 2021, "PA1", "2021-03-01", amount]], "csv")

    assert problems_of("payments", name, data, officer) == [(2, "amount", message)]


@pytest.mark.parametrize(
    "amount",
    [
        "1 2 3",  # spaces inside
        "1_000",  # Python's digit grouping
        "١٢٣",  # Arabic-Indic digits
        "۱۲۳",  # Extended Arabic-Indic (Persian) digits
        "²⁰²¹",  # superscripts
        "𝟏𝟐𝟑",  # mathematical bold digits
        "1,00",  # a comma that does not group thousands
        "12,345,67",
        "1.2.3",
        "--1",
        "+-1",
        "1e5",
        "Infinity",
        "0x10",
        "(100)",
    ],
)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_numbers_are_read_strictly_and_refused_with_line_and_column(district, officer, amount, fmt):
    name, data = file_bytes(
        [PAYMENTS, ["V1", 2021, "PA1", "2021-03-01", "1"], ["V2", 2021, "PA1", "2021-03-01", amount]], fmt
    )

    assert problems_of("payments", name, data, officer) == [(3, "amount", NOT_A_NUMBER.format(amount))]


def test_a_negative_number_in_a_spreadsheet_cell_is_refused(district, officer):
    name, data = file_bytes(
        [
            headers("projects"),
            [2021, "PA1", "学生资助", "UA1", "205", "一般公共预算", "民生", -0.01],
        ],
        "xlsx",
    )

    assert problems_of("projects", name, data, officer) == [
        (2, "budget", "-0.01 is negative; it must be 0 or more.")
    ]


@pytest.mark.parametrize("year", ["²⁰²¹", "٢٠٢١", "20 21", "2021.5", "MMXXI"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_year_in_other_digits_is_refused_with_line_and_column(district, officer, year, fmt):
    name, data = file_bytes([PAYMENTS, ["V1", year, "PA1", "2021-03-01", "1"]], fmt)

    assert problems_of("payments", name, data, officer) == [
        (2, "year", f"“{year}” is not a year: write its four digits, such as 2021.")
    ]


@pytest.mark.parametrize("paid_on", ["٢٠٢١-٠٣-٠١", "٢٠٢١/٠٣/٠١", "٢٠٢١年٣月١日", "²⁰²¹-03-01", "2021/0³/01"])
def test_a_date_in_other_digits_is_refused(district, officer, paid_on):
    name, data = file_bytes([PAYMENTS, ["V1", 2021, "PA1", paid_on, "1"]], "csv")

    assert problems_of("payments", name, data, officer) == [
        (2, "paid_on", f"“{paid_on}” is not a valid date (use YYYY-MM-DD).")
    ]


def test_a_superscript_year_leaves_the_job_invalid_with_its_problem_not_failed(district, officer):
    from finance.importing import jobs
    from finance.models import ImportJob

    data = csv_bytes([PAYMENTS, ["V1", "²⁰²¹", "PA1", "2021-03-01", "1"]])
    job = jobs.create_job(kind="payments", file_name="payments.csv", data=data, user=officer)

    job = jobs.validate_job(job_id=job.pk)

    assert job.status == ImportJob.Status.INVALID
    assert [(p["line"], p["column"]) for p in job.problems] == [(2, "year")]


@pytest.mark.parametrize("paid_on", ["2021-02-30", "2021/02/30", "2021年2月30日", "30.02.2021", "someday"])
def test_30_february_and_other_bad_dates_are_refused(district, officer, paid_on):
    name, data = file_bytes([PAYMENTS, ["V1", 2021, "PA1", paid_on, "1"]], "csv")

    assert problems_of("payments", name, data, officer) == [
        (2, "paid_on", f"“{paid_on}” is not a valid date (use YYYY-MM-DD).")
    ]


def test_a_score_above_its_maximum_is_refused(district, officer):
    name, data = file_bytes(
        [
            EVALUATIONS,
            [2021, "self", "PB1", "", "20.5", 17, 31, 25, "", "draft"],
            [2021, "self", "PA1", "", 18, 17, 26, 101, "", "draft"],
        ],
        "csv",
    )

    assert problems_of("evaluations", name, data, officer) == [
        (2, "decision", "20.5 is above the maximum of 20 for this dimension."),
        (2, "output", "31 is above the maximum of 30 for this dimension."),
        (3, "benefit", "101 is outside 0–100."),
    ]


def test_evaluation_targets_must_fit_their_kind(district, officer):
    name, data = file_bytes(
        [
            EVALUATIONS,
            [2021, "self", "", "A01", 18, 17, 26, 25, "", "draft"],
            [2021, "department", "PA1", "", 18, 17, 26, 25, "", "draft"],
            [2021, "key", "PA1", "A01", 18, 17, 26, 25, "", "draft"],
            [2021, "key", "", "", 18, 17, 26, 25, "", "sent"],
        ],
        "csv",
    )

    assert problems_of("evaluations", name, data, officer) == [
        (2, "project_code", "“unit self-evaluation” is of a project: give its project code."),
        (3, "department_code", "A department-wide evaluation is of a department: give its department code."),
        (4, "project_code", "Give either a project code or a department code, not both and not neither."),
        (5, "status", "“sent” is not one of: draft, submitted, finalised."),
    ]


def test_a_quantitative_indicator_needs_a_target(district, officer):
    name, data = file_bytes(
        [
            headers("indicators"),
            [2021, "PA1", "产出指标", "数量指标", "新指标", ">=", "", "人", 30, ""],
            [2021, "PA1", "产出指标", "数量指标", "另一指标", "定性", "", "", 95, ""],
        ],
        "csv",
    )

    assert problems_of("indicators", name, data, officer) == [
        (2, "target", "A quantitative indicator (≥, ≤, =) needs a target value."),
        (3, "weight", "95 is outside 0–90."),
    ]


def test_a_target_longer_than_the_database_holds_is_refused(district, officer):
    name, data = file_bytes(
        [
            headers("indicators"),
            # 18 digits: SQLite keeps the value as a float and would read back what Decimal(18,4) cannot hold
            [2021, "PA1", "产出指标", "数量指标", "新指标", ">=", "99999999999999.9999", "人", 30, ""],
            [2021, "PA1", "产出指标", "数量指标", "另一指标", ">=", "99999999999.9999", "人", 30, ""],
            # With the stored 资助人数 (30), a complete set (SPEC §13): only the long target is wrong.
            [2021, "PA1", "效益指标", "社会效益指标", "资助覆盖率", ">=", "95", "%", 30, ""],
        ],
        "csv",
    )

    assert [(line, column) for line, column, _text in problems_of("indicators", name, data, officer)] == [
        (2, "target")
    ]


def test_problems_read_in_chinese(district, officer):
    name, data = file_bytes([PAYMENTS, ["V1", 2021, "PA1", "2021-02-30", "1 000"]], "csv")

    with translation.override("zh-hans"):
        plan, _batch = import_file(kind="payments", file_name=name, data=data, user=officer)
        texts = [p.text() for p in plan.problems]

    assert texts == [
        "“1 000”不是数字：请只写数字，可用千分位逗号、一个小数点和正负号，例如 -1,234.56。",
        "“2021-02-30”不是有效日期（格式为 YYYY-MM-DD）。",
    ]
