"""Every class of bad input gets its message, with line and column, and changes nothing (SPEC §7, §10)."""

from __future__ import annotations

import os

import pytest
from django.utils import translation

from finance.importing.applying import import_file
from finance.importing.messages import ImportRefused
from tests.finance.import_support import (
    csv_bytes,
    file_bytes,
    make_district,
    snapshot,
    some_history,
    with_stated_dimension,
    xlsx_bytes,
    zip_bomb,
)

pytestmark = pytest.mark.django_db

PAYMENTS = ["voucher_no", "year", "project_code", "paid_on", "amount"]
EVALUATIONS = [
    "year",
    "kind",
    "project_code",
    "department_code",
    "decision",
    "process",
    "output",
    "benefit",
    "evaluator",
    "status",
]


@pytest.fixture
def district(department_a, department_b):
    state = make_district(department_a, department_b)
    some_history(state)
    return state


def problems_of(kind: str, name: str, data: bytes, user) -> list[tuple[int | None, str, str]]:
    """(line, column, English message) of every problem; asserts that nothing was changed."""
    before = snapshot()
    with translation.override("en"):
        try:
            plan, batch = import_file(kind=kind, file_name=name, data=data, user=user)
        except ImportRefused as refused:
            found = [(p.line, p.column, p.text()) for p in refused.problems]
        else:
            assert batch is None
            found = [(p.line, p.column, p.text()) for p in plan.problems]
    assert found, "expected problems"
    assert snapshot() == before
    return found


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
            ["year", "code", "name", "unit_code", "function_code", "fund_source", "category", "budget"],
            [2021, "PX", "某项目", "U404", "999", "彩票公益金", "民生", "1"],
        ],
        "csv",
    )

    assert problems_of("projects", name, data, officer) == [
        (2, "function_code", "There is no function class with code 999."),
        (2, "fund_source", "There is no fund source 彩票公益金."),
        (2, "unit_code", "There is no budget unit with code U404."),
    ]
    name, data = file_bytes([["code", "name", "department_code"], ["U9", "某单位", "Z99"]], "csv")
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
            ["year", "code", "name", "unit_code", "function_code", "fund_source", "category", "budget"],
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
            [
                "year",
                "project_code",
                "level1",
                "level2",
                "name",
                "direction",
                "target",
                "unit",
                "weight",
                "actual",
            ],
            [2021, "PA1", "产出指标", "数量指标", "新指标", ">=", "", "人", 30, ""],
            [2021, "PA1", "产出指标", "数量指标", "另一指标", "定性", "", "", 95, ""],
        ],
        "csv",
    )

    assert problems_of("indicators", name, data, officer) == [
        (2, "target", "A quantitative indicator (≥, ≤, =) needs a target value."),
        (3, "weight", "95 is outside 0–90."),
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_missing_column_is_named_in_both_languages(district, officer, fmt):
    name, data = file_bytes([["voucher_no", "年度", "project_code", "amount"], ["V1", 2021, "PA1", "1"]], fmt)

    assert problems_of("payments", name, data, officer) == [
        (1, "paid_on", "The column “paid_on” (支付日期) is missing from the header."),
    ]


def test_a_column_given_twice_is_refused(district, officer):
    name, data = file_bytes([["code", "部门编码", "name"], ["C1", "C1", "x"]], "csv")

    assert problems_of("departments", name, data, officer) == [
        (1, "code", "The column “部门编码” appears twice in the header."),
    ]


@pytest.mark.parametrize(
    "name,data",
    [
        ("header-only.csv", b"code,name\n"),
        ("blank.csv", b"\n\n ,\n"),
        ("header-only.xlsx", xlsx_bytes([["code", "name"]])),
        ("empty.xlsx", xlsx_bytes([])),
    ],
)
def test_a_file_without_rows_is_refused(district, officer, name, data):
    assert problems_of("departments", name, data, officer) == [
        (None, "", "The file holds no rows of data, only a header or nothing at all.")
    ]


@pytest.mark.parametrize("name", ["empty.csv", "empty.xlsx"])
def test_a_0_byte_file_is_refused(district, officer, name):
    assert problems_of("departments", name, b"", officer) == [(None, "", "The file is empty (0 bytes).")]


def test_random_bytes_named_xlsx_are_refused(district, officer):
    found = problems_of("departments", "data.xlsx", os.urandom(4096), officer)

    assert len(found) == 1
    assert found[0][2].startswith("The file is not a readable XLSX workbook: ")


def test_random_bytes_named_csv_are_refused(district, officer):
    data = bytes(range(256)) * 8

    assert problems_of("departments", "data.csv", data, officer) == [
        (None, "", "The file is not a text (CSV) file: it contains binary data.")
    ]


def test_a_file_of_another_type_is_refused(district, officer):
    assert problems_of("departments", "data.xls", b"\xd0\xcf\x11\xe0", officer) == [
        (None, "", "Upload an .xlsx or a .csv file; “data.xls” is neither.")
    ]


def test_a_zip_bomb_named_xlsx_is_refused_before_it_is_parsed(district, officer, settings):
    # The check is the same at any limit; a small one keeps the test fast (the default is 300 MB).
    settings.IMPORT_MAX_XLSX_UNPACKED_BYTES = 8 * 1024 * 1024
    bomb = zip_bomb(32 * 1024 * 1024)
    assert len(bomb) < 200 * 1024  # 32 MB of zeros pack into a few dozen kilobytes

    assert problems_of("departments", "data.xlsx", bomb, officer) == [
        (
            None,
            "",
            "The workbook unpacks to more than 8,388,608 bytes; it is refused to protect the server. "
            "Save the data as a smaller workbook or as CSV.",
        )
    ]


def test_an_xlsx_stating_1048576_rows_is_refused(district, officer):
    data = with_stated_dimension(xlsx_bytes([["code", "name"], ["C1", "某部门"]]), "A1:B1048576")

    assert problems_of("departments", "data.xlsx", data, officer) == [
        (
            None,
            "",
            "The first sheet states that it spans 1,048,576 rows (A1:B1048576); at most 200,000 rows "
            "are accepted. Delete the empty rows below the data, or copy the data to a new sheet, "
            "and save again.",
        )
    ]


def test_a_sheet_whose_stated_size_is_wrong_but_small_reads_its_real_rows(district, officer):
    # calamine reads the cells the sheet has, not the size it states.
    data = with_stated_dimension(xlsx_bytes([["code", "name"], ["C1", "某部门"]]), "A1:B5000")

    plan, batch = import_file(kind="departments", file_name="data.xlsx", data=data, user=officer)

    assert (plan.rows_total, batch.created_count) == (1, 1)


def test_merged_header_cells_are_refused(district, officer):
    data = xlsx_bytes([["部门编码及名称", None], ["C1", "某部门"]], merge="A1:B1")

    assert problems_of("departments", "data.xlsx", data, officer) == [
        (
            1,
            "",
            "The header cells A1:B1 are merged; every column needs its own header cell. "
            "Unmerge the cells and give each column its header.",
        )
    ]


def test_merged_data_cells_are_named(district, officer):
    data = xlsx_bytes([["code", "name"], ["C1", "某部门"], ["C2", None]], merge="B2:B3")

    found = problems_of("departments", "data.xlsx", data, officer)

    assert (2, "", "The cells B2:B3 are merged; only the first holds a value. Unmerge them.") in found
    assert (3, "name", "A value is required.") in found


def test_one_bad_row_at_line_100000_is_found_and_nothing_is_written(district, officer):
    rows = [PAYMENTS] + [
        [f"V{n:06d}", 2021, "PA1" if n % 2 else "PB1", "2021-06-30", "10.00"] for n in range(2, 100_000)
    ]
    rows.append(["V100000", 2021, "PA1", "2021-06-31", "10.00"])
    data = csv_bytes(rows)

    assert problems_of("payments", "big.csv", data, officer) == [
        (100_000, "paid_on", "“2021-06-31” is not a valid date (use YYYY-MM-DD).")
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
        [["voucher_no", "year", "project_code", "paid_on", header], ["V1", 2021, "PA1", "2021-03-01", "1"]],
        "csv",
    )

    ((line, column, message),) = problems_of("payments", name, data, officer)
    assert (line, column) == (1, "amount")
    assert message.startswith(f"The column “{header}” gives its amounts in ")
    assert message.endswith(
        "amounts are imported in 元 (yuan). Convert them to 元 and name the column “支付金额（元）”."
    )
