"""Finding a sheet's real size in its XML without building it (for ``reading_xlsx`` and ``workload``).

python-calamine builds the whole rectangle from a sheet's first to its last cell: one cell at XFD200000
would be 100 GB. So the sheet's XML is streamed out of the zip and scanned for the last row and column
its cells and rows name, the way calamine places them, with a running count of the bytes read.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass

from finance.importing import messages as msg
from finance.importing.messages import refuse

#: Bytes read from a zip member at a time.
READ_CHUNK = 1024 * 1024
#: The longest start tag the scan waits for across chunks; a real one is a few dozen bytes.
_LONGEST_TAG = 64 * 1024


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


class Oversized(Exception):
    """A sheet's XML runs past the scan's limit; ``read`` is how many bytes were read."""

    def __init__(self, read: int) -> None:
        self.read = read


def scan_sheet(archive: zipfile.ZipFile, sheet_path: str, *, limit: int) -> SheetScan:
    """Stream a sheet's XML out of the zip (at most ``limit`` bytes, else ``Oversized``) and scan it."""
    scan = SheetScan()
    scanner = SheetScanner(scan)
    with archive.open(sheet_path) as stream:
        while chunk := stream.read(READ_CHUNK):
            scanner.feed(chunk)
            if scan.xml_bytes > limit:
                raise Oversized(scan.xml_bytes)
    return scan


# A start tag of a row or cell (any namespace prefix, as calamine reads them by local name) and its
# attribute r: a cell reference (letters, digits), or anything else. XML has no "<" in text or attribute
# values, so every match is a tag (or sits in a comment or CDATA, where counting it errs on the safe
# side). Only an attribute named exactly r counts (x:r is another attribute).
_TAG = re.compile(
    rb"<(?:[\w.-]+:)?(c|row)(?=[\s/>])"
    rb"""(?:[^<>]*?(?<=\s)r\s*=\s*(?:"|')(?:\$?([A-Za-z]{0,8})\$?([0-9]{0,12})|([^"']*))(?:"|'))?[^<>]*>"""
)


class SheetScanner:
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


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
