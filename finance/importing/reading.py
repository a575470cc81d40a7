"""Reading an uploaded file into a header and rows with their line numbers, safely.

XLSX goes through python-calamine, which reads only the cells a sheet really has (openpyxl's read-only
mode trusts the sheet's stated size and can walk a million empty rows). Before calamine sees a
workbook, the zip is checked: the total it unpacks to is capped and its first sheet's stated size is
read, so a zip bomb or a sheet that claims a million rows is refused with a message. CSV may be UTF-8
(with or without a byte-order mark), GBK/GB18030 or UTF-16; the encoding is detected, not asked.
"""

from __future__ import annotations

import codecs
import csv
import io
import posixpath
import re
import zipfile
import zlib
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
    """A file's header (first non-empty row) and its rows of data, each with its line number."""

    header: list[str]
    header_line: int
    rows: list[tuple[int, list]]
    problems: list[Problem] = field(default_factory=list)


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
    rows, problems = _read_xlsx(data) if file_format(file_name) == "xlsx" else (_read_csv(data), [])
    return _split_header(rows, problems)


def estimate_rows(*, file_name: str, data: bytes) -> int:
    """A cheap guess of the rows in a file, to choose between validating now and in the background."""
    try:
        kind = file_format(file_name)
    except ImportRefused:
        return 0
    if kind == "csv":
        return data.count(b"\n")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            sheet_path = _first_sheet_path(archive)
            match = _DIMENSION.search(_head(archive, sheet_path, _HEAD_BYTES))
            if match and (match.group(4) or match.group(2)):
                return int(match.group(4) or match.group(2))
            # No stated size: about 60 bytes of sheet XML per cell, five cells a row.
            return archive.getinfo(sheet_path).file_size // 300
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, ImportRefused, zlib.error):
        return 0


def _split_header(rows, problems: list[Problem]) -> Table:
    header_line = None
    header: list[str] = []
    data_rows: list[tuple[int, list]] = []
    max_rows = limits.max_rows()
    for line, cells in rows:
        if not any(cell.strip() if isinstance(cell, str) else cell is not None for cell in cells):
            continue
        if header_line is None:
            header_line = line
            header = [str(cell).strip() if cell is not None else "" for cell in cells]
            continue
        data_rows.append((line, cells))
    if len(data_rows) > max_rows:
        raise refuse(msg.TOO_MANY_ROWS, limit=f"{max_rows:,}")
    if header_line is None or not data_rows:
        raise refuse(msg.NO_ROWS)
    header_problems = [p for p in problems if p.line == header_line]
    if header_problems:
        raise ImportRefused(header_problems)
    return Table(header=header, header_line=header_line, rows=data_rows, problems=problems)


def _blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


# -- XLSX -----------------------------------------------------------------------------------------


def _read_xlsx(data: bytes) -> tuple[list[tuple[int, list]], list[Problem]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise refuse(msg.NOT_XLSX, detail=_zip_detail(exc)) from None
    with archive:
        _check_unpacked_size(archive)
        sheet_path = _first_sheet_path(archive)
        _check_stated_dimension(archive, sheet_path)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        end = sheet.end
        if end is not None and end[0] + 1 > limits.max_rows() + 1:
            raise refuse(msg.TOO_MANY_ROWS, limit=f"{limits.max_rows():,}")
        rows = sheet.to_python(skip_empty_area=False)
        merged = sheet.merged_cell_ranges or []
    except ImportRefused:
        raise
    except Exception as exc:  # noqa: BLE001 - calamine raises its own error types and OSError alike
        raise refuse(msg.NOT_XLSX, detail=str(exc) or exc.__class__.__name__) from None
    numbered = [(index + 1, row) for index, row in enumerate(rows)]
    return numbered, _merged_problems(merged, numbered)


def _zip_detail(exc: Exception) -> str:
    return str(exc) or exc.__class__.__name__


def _check_unpacked_size(archive: zipfile.ZipFile) -> None:
    """Refuse a workbook that unpacks to more than the limit, by its stated sizes and by unpacking it.

    The stated sizes can lie, so every member is also streamed through the decompressor with a running
    count that stops at the limit; that also checks each member's CRC.
    """
    limit = limits.max_xlsx_unpacked_bytes()
    members = archive.infolist()
    if len(members) > 10_000 or sum(member.file_size for member in members) > limit:
        raise refuse(msg.ZIP_BOMB, limit=f"{limit:,}")
    total = 0
    try:
        for member in members:
            with archive.open(member) as stream:
                while chunk := stream.read(1024 * 1024):
                    total += len(chunk)
                    if total > limit:
                        raise refuse(msg.ZIP_BOMB, limit=f"{limit:,}")
    except ImportRefused:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError) as exc:
        raise refuse(msg.NOT_XLSX, detail=_zip_detail(exc)) from None


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


def _merged_problems(merged, numbered: list[tuple[int, list]]) -> list[Problem]:
    problems = []
    header_line = next((line for line, cells in numbered if not all(_blank(c) for c in cells)), None)
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


def _read_csv(data: bytes) -> list[tuple[int, list]]:
    text = decode_text(data)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list]] = []
    previous = 0
    most = limits.max_rows() + 1  # and the header
    try:
        for cells in reader:
            if cells:  # a blank line
                rows.append((previous + 1, cells))
            previous = reader.line_num
            if len(rows) > most:
                raise refuse(msg.TOO_MANY_ROWS, limit=f"{limits.max_rows():,}")
    except csv.Error as exc:
        raise refuse(msg.BAD_CSV, detail=f"line {reader.line_num}: {exc}") from None
    return rows
