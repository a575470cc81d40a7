"""A workbook is judged by the cells its sheet really spans, before the reader builds anything (issue 15).

The XLSX reader (calamine) builds the rectangle from a sheet's first to its last cell, about 30 bytes a
cell: one cell at XFD200000 in a 1.5 KB file is 3.3 billion cells, 100 GB, and the process aborts.
The sheet's XML is scanned first and such a file refused with a message. The hostile files are written
by hand (zip and XML), and read in a child process with its memory capped, so that a reader that
builds them fails the test instead of taking the machine down with it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from django.utils import translation

from finance.importing.applying import import_file
from finance.importing.messages import ImportRefused
from finance.importing.reading import read_table, workload
from finance.importing.sheet_scan import SheetScan, SheetScanner
from tests.finance.import_support import (
    cell_xml,
    hand_xlsx,
    make_district,
    one_far_cell,
    sheet_xml,
    snapshot,
)

ROOT = Path(__file__).resolve().parents[2]
#: The child's address space: far above what reading a small workbook takes, far below the rectangles.
CHILD_MEMORY = 1536 * 1024 * 1024

_CHILD = """
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, ({memory}, {memory}))
import django
django.setup()
from django.utils import translation
from finance.importing.messages import ImportRefused
from finance.importing.reading import read_table
data = sys.stdin.buffer.read()
started = time.perf_counter()
with translation.override("en"):
    try:
        table = read_table(file_name="hostile.xlsx", data=data)
        outcome = {{"rows": sum(1 for _ in table.rows)}}
    except ImportRefused as refused:
        outcome = {{"refused": [problem.text() for problem in refused.problems]}}
outcome["seconds"] = time.perf_counter() - started
# VmHWM, not ru_maxrss: Linux carries the parent's peak over to a child through exec.
status = open("/proc/self/status").read()
outcome["peak_mb"] = int(status.split("VmHWM:")[1].split()[0]) / 1024
print(json.dumps(outcome))
"""


def read_in_capped_process(data: bytes) -> dict:
    """What reading ``data`` gives in a child process of capped memory: refused texts or a row count,
    with its time and peak memory; a child that dies says so."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test"}
    child = subprocess.run(
        [sys.executable, "-c", _CHILD.format(memory=CHILD_MEMORY)],
        input=data,
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert child.returncode == 0, f"the reader died ({child.returncode}): {child.stderr.decode()[-2000:]}"
    return json.loads(child.stdout.decode().strip().splitlines()[-1])


def test_one_cell_at_xfd200000_in_a_1_5_kb_file_is_refused_before_anything_is_built():
    data = one_far_cell("XFD200000")
    assert len(data) < 1600

    outcome = read_in_capped_process(data)

    assert outcome["refused"] == [
        "The first sheet has a cell at XFD200000, column 16,384; at most 100 columns are accepted. "
        "Delete what lies to the right of the data, or copy the data to a new sheet, and save again."
    ]
    assert outcome["seconds"] < 2
    assert outcome["peak_mb"] < 200  # the rectangle would be 100 GB


def test_a_cell_at_xfd4000_is_refused_too_though_its_rectangle_would_fit_in_memory():
    # 16,384 × 4,000 cells: 2.6 GB when it was built.
    outcome = read_in_capped_process(one_far_cell("XFD4000"))

    assert outcome["refused"] == [
        "The first sheet has a cell at XFD4000, column 16,384; at most 100 columns are accepted. "
        "Delete what lies to the right of the data, or copy the data to a new sheet, and save again."
    ]
    assert outcome["peak_mb"] < 200


def test_a_cell_below_the_row_limit_is_refused_by_its_row():
    outcome = read_in_capped_process(one_far_cell("B300000"))

    assert outcome["refused"] == [
        "The first sheet has a cell at B300000, row 300,000; at most 200,000 rows are accepted. "
        "Delete what lies below the data, or copy the data to a new sheet, and save again."
    ]


def test_a_rectangle_of_too_many_cells_is_refused(settings):
    settings.IMPORT_MAX_CELLS = 1000  # 60 columns × 20 rows = 1,200 cells
    data = one_far_cell("BH20")

    with pytest.raises(ImportRefused) as refused:
        read_table(file_name="data.xlsx", data=data)

    with translation.override("en"):
        texts = [problem.text() for problem in refused.value.problems]
    assert texts == [
        "The first sheet spans 1,200 cells up to BH20; at most 1,000 are accepted. "
        "Delete what lies beyond the data, or split the file."
    ]


@pytest.mark.django_db
def test_a_refused_sheet_changes_nothing(department_a, department_b, officer):
    make_district(department_a, department_b)
    before = snapshot()

    with pytest.raises(ImportRefused):
        # One column too wide, and small enough to build: a regression fails here, it does not crash.
        import_file(kind="departments", file_name="x.xlsx", data=one_far_cell("CW20"), user=officer)

    assert snapshot() == before


def scan(xml: str, *, chunk: int = 1 << 20) -> SheetScan:
    found = SheetScan()
    scanner = SheetScanner(found)
    data = xml.encode()
    for start in range(0, len(data), chunk):
        scanner.feed(data[start : start + chunk])
    return found


def test_the_scan_places_cells_as_the_reader_does():
    # Cells without a reference follow the previous one; rows without one follow the previous row.
    xml = sheet_xml(
        f"<row>{cell_xml(None, 'a')}{cell_xml(None, 'b')}</row>"
        f'<row r="7">{cell_xml("C7", "c")}{cell_xml(None, "d")}</row>'
        f"<row>{cell_xml(None, 'e')}</row>"
    )

    found = scan(xml)

    assert (found.last_row, found.last_column, found.cells) == (8, 4, 5)  # D7 is the widest, row 8 last
    assert found.extent_cells == 8 * 4


def test_the_scan_sees_a_far_cell_split_across_chunks_behind_a_prefix_and_single_quotes():
    xml = sheet_xml(
        f"<row r='1'>{cell_xml('A1', 'a')}</row><x:row r='9'><x:c r='XFD9' t='n'><v>1</v></x:c></x:row>"
    )

    for chunk in (1, 3, 7, 1 << 20):
        found = scan(xml, chunk=chunk)
        assert (found.last_row, found.last_column, found.last_ref) == (9, 16384, "XFD9")


def test_the_scan_is_not_fooled_by_an_attribute_that_only_ends_in_r():
    # calamine reads the attribute named r; x:r="A1" next to it must not hide r="XFD9".
    xml = sheet_xml('<row r="9"><c x:r="A1" r="XFD9"><v>1</v></c></row>')

    assert scan(xml).last_column == 16384


def test_a_cell_reference_that_is_not_one_is_refused():
    with pytest.raises(ImportRefused) as refused:
        scan(sheet_xml('<row r="1"><c r="&#65;1"><v>1</v></c></row>'))

    with translation.override("en"):
        text = refused.value.problems[0].text()
    assert text == "The file is not a readable XLSX workbook: cell reference &#65;1"


def test_an_ordinary_workbook_reads_the_same_as_before():
    data = hand_xlsx(
        sheet_xml(
            f'<row r="1">{cell_xml("A1", "code")}{cell_xml("B1", "name")}</row>'
            f'<row r="3">{cell_xml("A3", "C1")}{cell_xml("B3", "某部门")}</row>'
        )
    )

    table = read_table(file_name="d.xlsx", data=data)

    assert (table.header, table.header_line, list(table.rows)) == (
        ["code", "name"],
        1,
        [(3, ["C1", "某部门"])],
    )


# -- which files go to a worker --------------------------------------------------------------------


def test_a_tiny_workbook_spanning_millions_of_cells_is_heavy():
    assert workload(file_name="x.xlsx", data=one_far_cell("XFD200000")).heavy


def test_a_small_workbook_that_unpacks_to_much_is_heavy(settings):
    settings.IMPORT_BACKGROUND_UNPACKED_BYTES = 1024 * 1024
    long_text = "长" * 2000
    rows = "".join(
        f'<row r="{n}">{cell_xml(f"A{n}", f"C{n}")}{cell_xml(f"B{n}", long_text)}</row>'
        for n in range(1, 300)
    )
    data = hand_xlsx(sheet_xml(rows))
    assert len(data) < 64 * 1024  # small as a file: 300 rows, 600 cells
    assert zipfile.ZipFile(BytesIO(data)).getinfo("xl/worksheets/sheet1.xml").file_size > 1024 * 1024

    measured = workload(file_name="x.xlsx", data=data)

    assert measured.heavy
    assert measured.unpacked_bytes > 1024 * 1024


def test_an_ordinary_small_file_is_validated_in_the_web_process():
    data = hand_xlsx(
        sheet_xml(f'<row r="1">{cell_xml("A1", "code")}</row><row r="2">{cell_xml("A2", "C1")}</row>')
    )

    assert not workload(file_name="x.xlsx", data=data).heavy
    assert not workload(file_name="x.csv", data=b"code,name\nC1,x\n").heavy
