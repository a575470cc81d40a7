"""Reading a CSV file: UTF-8 (with or without a byte-order mark), GBK/GB18030 or UTF-16, the encoding
detected, not asked; comma- or tab-separated."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator

from finance.importing import messages as msg
from finance.importing.messages import refuse


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


def read_csv(data: bytes) -> Iterator[tuple[int, list]]:
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
