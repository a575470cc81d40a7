"""Reading an XLSX workbook's first sheet safely: the zip is checked before python-calamine sees it.

The zip is checked in one streamed pass with a running count: the total it unpacks to is capped, and
the first sheet's XML is scanned for the last row and column its cells and rows name
(``sheet_scan``), so a zip bomb, a sheet that claims or reaches a million rows, or one a few cells wide
but 16,384 columns across is refused with a message before anything is built. The rows are then
handed on one at a time, so only the rectangle of real cells is held, never a second copy of it as
Python objects.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator

from python_calamine import CalamineWorkbook

from finance.importing import limits
from finance.importing import messages as msg
from finance.importing.messages import ImportRefused, Problem, refuse
from finance.importing.sheet_scan import READ_CHUNK, SheetScan, SheetScanner, column_letter

#: How much of a worksheet's XML is read to find its stated dimension (it comes before the data).
_HEAD_BYTES = 64 * 1024


def read_xlsx(data: bytes) -> tuple[Iterator[tuple[int, list]], list, int]:
    """The first sheet's rows, numbered from 1, read lazily; its merged ranges; its last row."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise refuse(msg.NOT_XLSX, detail=_zip_detail(exc)) from None
    with archive:
        sheet_path = first_sheet_path(archive)
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
            scanner = SheetScanner(scan) if member.filename == sheet_path else None
            with archive.open(member) as stream:
                while chunk := stream.read(READ_CHUNK):
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


def first_sheet_path(archive: zipfile.ZipFile) -> str:
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


def merged_problems(merged, header_line: int | None) -> list[Problem]:
    problems = []
    for (top, left), (bottom, right) in merged:
        cells = f"{column_letter(left)}{top + 1}:{column_letter(right)}{bottom + 1}"
        if header_line is not None and top + 1 <= header_line <= bottom + 1:
            problems.append(Problem(msg.MERGED_HEADER, {"cells": cells}, line=header_line))
        else:
            problems.append(Problem(msg.MERGED_CELLS, {"cells": cells}, line=top + 1))
    return problems
