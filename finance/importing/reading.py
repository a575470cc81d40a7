"""Reading an uploaded file into a header and rows with their line numbers, safely.

XLSX goes through python-calamine after the zip and the sheet's size are checked (``reading_xlsx``,
``sheet_scan``); openpyxl's read-only mode would trust the sheet's stated size and can walk a million
empty rows. CSV is decoded whatever its encoding (``reading_csv``). The rows are handed on one at a
time (``Table.rows`` is an iterator), so a file's rows are never held twice.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from finance.importing import limits
from finance.importing import messages as msg
from finance.importing.messages import ImportRefused, Problem, refuse
from finance.importing.reading_csv import read_csv
from finance.importing.reading_xlsx import first_sheet_path, merged_problems, read_xlsx
from finance.importing.sheet_scan import Oversized, scan_sheet

XLSX_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".txt")


@dataclass
class Table:
    """A file's header (first non-empty row) and its rows of data, each with its line number.

    ``rows`` is read as it is iterated, once; it raises ``ImportRefused`` past the row limit.
    ``expected_rows`` is a guess for the progress bar.
    """

    header: list[str]
    header_line: int
    rows: Iterator[tuple[int, list]]
    problems: list[Problem] = field(default_factory=list)
    expected_rows: int = 0


def file_format(file_name: str) -> str:
    """ "xlsx" or "csv" by the file's name; anything else is refused."""
    lowered = file_name.lower()
    if lowered.endswith(XLSX_SUFFIXES):
        return "xlsx"
    if lowered.endswith(CSV_SUFFIXES):
        return "csv"
    raise refuse(msg.UNKNOWN_FORMAT, name=file_name)


def read_table(*, file_name: str, data: bytes) -> Table:
    """The file's header and rows; raises ``ImportRefused`` for a file that cannot be read at all."""
    if not data:
        raise refuse(msg.EMPTY_FILE)
    if len(data) > limits.max_upload_bytes():
        raise refuse(msg.FILE_TOO_LARGE, size=f"{len(data):,}", limit=f"{limits.max_upload_bytes():,}")
    if file_format(file_name) == "xlsx":
        rows, merged, expected = read_xlsx(data)
    else:
        rows, merged, expected = read_csv(data), [], data.count(b"\n")
    return _split_header(rows, merged, expected)


@dataclass
class Workload:
    """How heavy a file is to validate, judged cheaply: rows, cells and the bytes it unpacks to."""

    rows: int = 0
    cells: int = 0
    unpacked_bytes: int = 0

    @property
    def heavy(self) -> bool:
        """Whether it goes to a worker rather than being validated in the web process."""
        return (
            self.rows > limits.background_rows()
            or self.cells > limits.background_cells()
            or self.unpacked_bytes > limits.background_unpacked_bytes()
        )


def workload(*, file_name: str, data: bytes) -> Workload:
    """A cheap measure of a file's work, to choose between validating now and in the background.

    A workbook is judged by what it unpacks to and by the rectangle of cells its sheet spans, never by
    its file size (a 1.5 KB workbook can span 3 billion cells). Only a workbook whose stated sizes are
    small is unpacked here, and then at most to the background limit: past that it is heavy anyway.
    A file that cannot be read is light: reading it fails at once.
    """
    try:
        kind = file_format(file_name)
    except ImportRefused:
        return Workload()
    if kind == "csv":
        rows = data.count(b"\n")
        return Workload(rows=rows, cells=rows * (data[: 64 * 1024].split(b"\n", 1)[0].count(b",") + 1))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            stated = sum(member.file_size for member in archive.infolist())
            if stated > limits.background_unpacked_bytes():
                return Workload(unpacked_bytes=stated)
            scan = scan_sheet(archive, first_sheet_path(archive), limit=limits.background_unpacked_bytes())
            return Workload(
                rows=scan.last_row, cells=max(scan.cells, scan.extent_cells), unpacked_bytes=scan.xml_bytes
            )
    except Oversized as oversized:
        return Workload(unpacked_bytes=oversized.read)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, ImportRefused, zlib.error, EOFError):
        return Workload()
    except (NotImplementedError, RuntimeError):
        return Workload()


def _split_header(rows: Iterable[tuple[int, list]], merged: list, expected_rows: int) -> Table:
    """The header and a lazy iterator over the rows of data; reads only as far as the first of them."""
    rows = iter(rows)
    header_line = None
    header: list[str] = []
    for line, cells in rows:
        if _empty(cells):
            continue
        header_line = line
        header = [str(cell).strip() if cell is not None else "" for cell in cells]
        break
    first = next(((line, cells) for line, cells in rows if not _empty(cells)), None)
    if header_line is None or first is None:
        raise refuse(msg.NO_ROWS)
    problems = merged_problems(merged, header_line)
    header_problems = [p for p in problems if p.line == header_line]
    if header_problems:
        raise ImportRefused(header_problems)
    return Table(
        header=header,
        header_line=header_line,
        rows=_data_rows(first, rows),
        problems=problems,
        expected_rows=max(expected_rows - header_line, 1),
    )


def _data_rows(first: tuple[int, list], rows: Iterator[tuple[int, list]]) -> Iterator[tuple[int, list]]:
    max_rows = limits.max_rows()
    yield first
    count = 1
    for line, cells in rows:
        if _empty(cells):
            continue
        count += 1
        if count > max_rows:
            raise refuse(msg.TOO_MANY_ROWS, limit=f"{max_rows:,}")
        yield line, cells


def _empty(cells: list) -> bool:
    return not any(cell.strip() if isinstance(cell, str) else cell is not None for cell in cells)
