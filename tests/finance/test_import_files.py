"""A file that is no import file (a column missing or twice, no rows, empty, random bytes, another type, a
zip bomb, a stated or merged extent) is refused with its message and changes nothing (SPEC §7, §10)."""

from __future__ import annotations

import os

import pytest

from finance.importing.applying import import_file
from tests.finance.import_support import (
    PAYMENTS,
    csv_bytes,
    file_bytes,
    headers,
    problems_of,
    with_stated_dimension,
    xlsx_bytes,
    zip_bomb,
)

pytestmark = pytest.mark.django_db


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
        ("header-only.xlsx", xlsx_bytes([headers("departments")])),
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
    data = with_stated_dimension(xlsx_bytes([headers("departments"), ["C1", "某部门"]]), "A1:B1048576")

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
    data = with_stated_dimension(xlsx_bytes([headers("departments"), ["C1", "某部门"]]), "A1:B5000")

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
    data = xlsx_bytes([headers("departments"), ["C1", "某部门"], ["C2", None]], merge="B2:B3")

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
