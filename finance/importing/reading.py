"""Reading an uploaded file into a header and rows with their line numbers, safely.

XLSX goes through python-calamine, which reads only the cells a sheet really has (openpyxl's read-only
mode trusts the sheet's stated size and can walk a million empty rows), but builds the whole rectangle
from the sheet's first to its last cell: one cell at XFD200000 would be 100 GB. So before calamine sees
a workbook, the zip is checked in one streamed pass with a running count: the total it unpacks to is
capped, and the first sheet's XML is scanned for the last row and column its cells and rows name
(``scan_sheet``), so a zip bomb, a sheet that claims or reaches a million rows, or one a few cells wide
but 16,384 columns across is refused with a message before anything is built. The rows are then handed
on one at a time (``Table.rows`` is an iterator), so only the rectangle of real cells is held, never a
second copy of it as Python objects. CSV may be UTF-8 (with or without a byte-order mark),
GBK/GB18030 or UTF-16; the encoding is detected, not asked.
"""

from __future__ import annotations

import codecs
import csv
import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from python_calamine import CalamineWorkbook

from finance.importing import limits
from finance.importing import messages as msg
from finance.importing.messages import ImportRefused, Problem

XLSX_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".txt")
#: How much of a worksheet's XML is read to find its stated dimension (it comes before the data).
_HEAD_BYTES = 64 * 1024


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


@dataclass
class SheetScan:
    """What a sheet's XML says of its size, found without building it: the last row and column
    (1-based) any cell or row names, the cells it has, and the bytes of its XML."""

    last_row: int = 0
    last_column: int = 0
    cells: int = 0
    xml_bytes: int = 0
    last_ref: str = ""

    @property
    def extent_cells(self) -> int:
        """The cells of the rectangle from A1 to the last cell: what the reader would build."""
        return self.last_row * self.last_column


def refuse(message: str, **params) -> ImportRefused:
    return ImportRefused([Problem(message, {k: str(v) for k, v in params.items()})])


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
        rows, merged, expected = _read_xlsx(data)
    else:
        rows, merged, expected = _read_csv(data), [], data.count(b"\n")
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
            scan = scan_sheet(archive, _first_sheet_path(archive), limit=limits.background_unpacked_bytes())
            return Workload(
                rows=scan.last_row, cells=max(scan.cells, scan.extent_cells), unpacked_bytes=scan.xml_bytes
            )
    except _Oversized as oversized:
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
    problems = _merged_problems(merged, header_line)
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


# -- XLSX -----------------------------------------------------------------------------------------


def _read_xlsx(data: bytes) -> tuple[Iterator[tuple[int, list]], list, int]:
    """The first sheet's rows, numbered from 1, read lazily; its merged ranges; its last row."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise refuse(msg.NOT_XLSX, detail=_zip_detail(exc)) from None
    with archive:
        sheet_path = _first_sheet_path(archive)
        scan = _check_unpacked_size(archive, sheet_path)
        _check_stated_dimension(archive, sheet_path)
    _check_extent(scan)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        end = sheet.end
        if end is not None and end[0] + 1 > limits.max_rows() + 1:  # the scan saw it first
            raise refuse(msg.TOO_MANY_ROWS, limit=f"{limits.max_rows():,}")
        merged = sheet.merged_cell_ranges or []
        rows = sheet.iter_rows()
    except ImportRefused:
        raise
    except Exception as exc:  # noqa: BLE001 - calamine raises its own error types and OSError alike
        raise refuse(msg.NOT_XLSX, detail=str(exc) or exc.__class__.__name__) from None
    return _numbered(rows), merged, scan.last_row


def _numbered(rows: Iterator[list]) -> Iterator[tuple[int, list]]:
    for index, row in enumerate(rows):
        yield index + 1, row


def _zip_detail(exc: Exception) -> str:
    return str(exc) or exc.__class__.__name__


def _check_unpacked_size(archive: zipfile.ZipFile, sheet_path: str) -> SheetScan:
    """Refuse a workbook that unpacks to more than the limit, by its stated sizes and by unpacking it;
    scan the first sheet's XML on the way (one pass).

    The stated sizes can lie, so every member is also streamed through the decompressor with a running
    count that stops at the limit; that also checks each member's CRC.
    """
    limit = limits.max_xlsx_unpacked_bytes()
    members = archive.infolist()
    if len(members) > 10_000 or sum(member.file_size for member in members) > limit:
        raise refuse(msg.ZIP_BOMB, limit=f"{limit:,}")
    total = 0
    scan = SheetScan()
    try:
        for member in members:
            scanner = _SheetScanner(scan) if member.filename == sheet_path else None
            with archive.open(member) as stream:
                while chunk := stream.read(_CHUNK):
                    total += len(chunk)
                    if total > limit:
                        raise refuse(msg.ZIP_BOMB, limit=f"{limit:,}")
                    if scanner is not None:
                        scanner.feed(chunk)
    except ImportRefused:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError) as exc:
        raise refuse(msg.NOT_XLSX, detail=_zip_detail(exc)) from None
    return scan


#: Bytes read from a zip member at a time.
_CHUNK = 1024 * 1024
#: The longest start tag the scan waits for across chunks; a real one is a few dozen bytes.
_LONGEST_TAG = 64 * 1024


class _Oversized(Exception):
    def __init__(self, read: int) -> None:
        self.read = read


def scan_sheet(archive: zipfile.ZipFile, sheet_path: str, *, limit: int) -> SheetScan:
    """Stream a sheet's XML out of the zip (at most ``limit`` bytes, else ``_Oversized``) and scan it."""
    scan = SheetScan()
    scanner = _SheetScanner(scan)
    with archive.open(sheet_path) as stream:
        while chunk := stream.read(_CHUNK):
            scanner.feed(chunk)
            if scan.xml_bytes > limit:
                raise _Oversized(scan.xml_bytes)
    return scan


# A start tag of a row or cell (any namespace prefix, as calamine reads them by local name) and its
# attribute r: a cell reference (letters, digits), or anything else. XML has no "<" in text or attribute
# values, so every match is a tag (or sits in a comment or CDATA, where counting it errs on the safe
# side). Only an attribute named exactly r counts (x:r is another attribute).
_TAG = re.compile(
    rb"<(?:[\w.-]+:)?(c|row)(?=[\s/>])"
    rb"""(?:[^<>]*?(?<=\s)r\s*=\s*(?:"|')(?:\$?([A-Za-z]{0,8})\$?([0-9]{0,12})|([^"']*))(?:"|'))?[^<>]*>"""
)


class _SheetScanner:
    """Finds, in a sheet's XML fed in chunks, the last row and column that its rows and cells name,
    the way calamine places them: a cell at its ``r``, else after the previous cell of its row; a row
    at its ``r``, else after the previous row. Keeps only an unfinished tag between chunks.

    Every tag of a chunk is found by one regular expression; when all of them name their place (as
    every spreadsheet program writes them) the chunk is summed up without a step per cell."""

    def __init__(self, scan: SheetScan) -> None:
        self.scan = scan
        self.row = 0
        self.column = 0
        self.tail = b""

    def feed(self, chunk: bytes) -> None:
        self.scan.xml_bytes += len(chunk)
        buffer = self.tail + chunk if self.tail else chunk
        tags = _TAG.findall(buffer)
        end = buffer.rfind(b">")
        opened = buffer.rfind(b"<")
        self.tail = buffer[opened:] if opened > end else b""
        if len(self.tail) > _LONGEST_TAG:
            raise refuse(msg.NOT_XLSX, detail="a tag of more than 64 KB")
        if tags and all(
            not bad and digits and (letters if name == b"c" else not letters)
            for name, letters, digits, bad in tags
        ):
            self._placed(tags)
        else:
            for tag in tags:
                self._tag(*tag)

    def _placed(self, tags: list[tuple[bytes, bytes, bytes, bytes]]) -> None:
        """A chunk whose every row and cell names its place."""
        scan = self.scan
        cells = [(letters, digits) for name, letters, digits, _bad in tags if name == b"c"]
        if cells:
            scan.cells += len(cells)
            last_row = max(map(int, (digits for _letters, digits in cells)))
            last_column = max(map(_column_number, {letters for letters, _digits in cells}))
            if last_row > scan.last_row or last_column > scan.last_column:
                scan.last_row = max(scan.last_row, last_row)
                scan.last_column = max(scan.last_column, last_column)
                scan.last_ref = f"{column_letter(scan.last_column - 1)}{scan.last_row}"
        # Where the next chunk's cells without a place would go: after its last row and last cell.
        rows = [digits for name, _letters, digits, _bad in tags if name == b"row"]
        if rows:
            self.row, self.column = int(rows[-1]), 0
        if tags[-1][0] == b"c":
            self.column = _column_number(tags[-1][1])

    def _tag(self, name: bytes, letters: bytes, digits: bytes, bad: bytes) -> None:
        scan = self.scan
        if bad or (name == b"row" and letters) or (letters and len(digits) > 12):
            ref = (letters + digits + bad)[:20].decode("ascii", "replace")
            raise refuse(msg.NOT_XLSX, detail=f"cell reference {ref}")
        if name == b"row":
            # A row with no cells builds nothing: only cells extend the rectangle.
            self.row = int(digits) if digits else self.row + 1
            self.column = 0
            return
        scan.cells += 1
        row = int(digits) if digits else (self.row or 1)
        column = _column_number(letters) if letters else self.column + 1
        self.column = column
        if row > scan.last_row or column > scan.last_column:
            scan.last_row = max(scan.last_row, row)
            scan.last_column = max(scan.last_column, column)
            scan.last_ref = f"{column_letter(scan.last_column - 1)}{scan.last_row}"


def _column_number(letters: bytes) -> int:
    """b"A" -> 1, b"XFD" -> 16384 (long nonsense is only a large number, refused as too wide)."""
    number = 0
    for letter in letters[:8].upper():
        number = number * 26 + letter - 64
    return number if len(letters) <= 8 else number * 26 ** (len(letters) - 8)


def _check_extent(scan: SheetScan) -> None:
    """Refuse a sheet whose cells reach past the rows, columns or cells one file may span."""
    if scan.last_row > limits.max_rows() + 1:
        raise refuse(
            msg.SHEET_TOO_LONG, ref=scan.last_ref, rows=f"{scan.last_row:,}", limit=f"{limits.max_rows():,}"
        )
    if scan.last_column > limits.max_columns():
        raise refuse(
            msg.SHEET_TOO_WIDE,
            ref=scan.last_ref,
            columns=f"{scan.last_column:,}",
            limit=f"{limits.max_columns():,}",
        )
    if scan.extent_cells > limits.max_cells():
        raise refuse(
            msg.SHEET_TOO_MANY_CELLS,
            ref=scan.last_ref,
            cells=f"{scan.extent_cells:,}",
            limit=f"{limits.max_cells():,}",
        )


_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\s(?:\w+:)?id=\"([^\"]+)\"")
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)>")
_ATTRIBUTE = re.compile(rb"(\w+)=\"([^\"]*)\"")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]*)(\d*)(?::([A-Z]*)(\d+))?\"")


def _first_sheet_path(archive: zipfile.ZipFile) -> str:
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names:
        raise refuse(msg.NOT_XLSX, detail="xl/workbook.xml")
    workbook = _head(archive, "xl/workbook.xml", 1024 * 1024)
    rels = (
        _head(archive, "xl/_rels/workbook.xml.rels", 1024 * 1024)
        if "xl/_rels/workbook.xml.rels" in names
        else b""
    )
    sheet = _SHEET.search(workbook)
    if sheet:
        for match in _RELATIONSHIP.finditer(rels):
            attributes = dict(_ATTRIBUTE.findall(match.group(1)))
            if attributes.get(b"Id") == sheet.group(1) and b"Target" in attributes:
                target = attributes[b"Target"].decode("utf-8", "replace")
                path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
                if path in names:
                    return path
    return "xl/worksheets/sheet1.xml"


def _head(archive: zipfile.ZipFile, name: str, size: int) -> bytes:
    with archive.open(name) as stream:
        return stream.read(size)


def _check_stated_dimension(archive: zipfile.ZipFile, sheet_path: str) -> None:
    """Refuse a sheet whose own <dimension> says it has more rows than any file may hold."""
    if sheet_path not in set(archive.namelist()):
        return
    match = _DIMENSION.search(_head(archive, sheet_path, _HEAD_BYTES))
    if not match:
        return
    last_row = int(match.group(4) or match.group(2) or 0)
    if last_row > limits.max_rows() + 1:
        ref = match.group(0).split(b'"')[1].decode("ascii", "replace")
        raise refuse(msg.SHEET_TOO_LARGE, rows=f"{last_row:,}", ref=ref, limit=f"{limits.max_rows():,}")


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _merged_problems(merged, header_line: int | None) -> list[Problem]:
    problems = []
    for (top, left), (bottom, right) in merged:
        cells = f"{column_letter(left)}{top + 1}:{column_letter(right)}{bottom + 1}"
        if header_line is not None and top + 1 <= header_line <= bottom + 1:
            problems.append(Problem(msg.MERGED_HEADER, {"cells": cells}, line=header_line))
        else:
            problems.append(Problem(msg.MERGED_CELLS, {"cells": cells}, line=top + 1))
    return problems


# -- CSV ------------------------------------------------------------------------------------------


def decode_text(data: bytes) -> str:
    """The file's text: UTF-8 (with or without BOM), UTF-16 with BOM, else GBK/GB18030."""
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        if b"\x00" in data:
            raise refuse(msg.NOT_TEXT)
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            raise refuse(msg.NOT_TEXT)
        return text
    raise refuse(msg.BAD_ENCODING)


def _read_csv(data: bytes) -> Iterator[tuple[int, list]]:
    """The file's rows with their line numbers, read as iterated (the row limit is ``_data_rows``')."""
    text = decode_text(data)
    first_line = next((line for line in _lines(text) if line.strip()), "")
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    return _csv_rows(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _lines(text: str) -> Iterator[str]:
    for match in re.finditer(r"[^\r\n]*", text):
        yield match.group(0)


def _csv_rows(reader) -> Iterator[tuple[int, list]]:
    previous = 0
    try:
        for cells in reader:
            if cells:  # a blank line
                yield previous + 1, cells
            previous = reader.line_num
    except csv.Error as exc:
        raise refuse(msg.BAD_CSV, detail=f"line {reader.line_num}: {exc}") from None
