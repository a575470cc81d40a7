"""Turning one spreadsheet cell into a value: text, codes, years, amounts, dates and choices.

A cell comes from calamine (str, int, float, bool, date, datetime) or from CSV (str). Each parser
returns the value or raises ``CellError`` with a message the user can act on.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.utils import translation

from finance.importing import messages as msg
from finance.importing.messages import CellError

#: A cell starting with one of these could run as a formula in a spreadsheet (SPEC §7).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(text: str) -> str:
    """Prefix a single quote to text a spreadsheet could run as a formula; ``unescape_formula`` undoes it.

    Text that already starts with a quote before such a character (or before another quote) gets one
    more, so that every text survives the round trip exactly.
    """
    if text[:1] in FORMULA_STARTS or (text[:1] == "'" and text[1:2] in (*FORMULA_STARTS, "'")):
        return "'" + text
    return text


def unescape_formula(text: str) -> str:
    """Drop the quote that ``escape_formula`` (or a careful user) put before a formula character."""
    if text[:1] == "'" and text[1:2] in (*FORMULA_STARTS, "'"):
        return text[1:]
    return text


def as_text(cell) -> str:
    """The cell as trimmed text: whole numbers without ".0", dates as YYYY-MM-DD."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return unescape_formula(cell.strip())
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else repr(cell)
    if isinstance(cell, datetime.datetime):
        return cell.date().isoformat() if cell.time() == datetime.time() else cell.isoformat(sep=" ")
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    return str(cell).strip()


def is_blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def text(max_length: int) -> Callable:
    def parse(cell) -> str:
        value = as_text(cell)
        if len(value) > max_length:
            raise CellError(msg.TOO_LONG, limit=max_length, length=len(value))
        return value

    return parse


#: Full-width digits, signs, comma and point, as Chinese input methods type them, and the typographic
#: minus sign: read as their ASCII forms. No other script's digits are read as numbers.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９＋－，．\u2212", "0123456789+-,.-")


def ascii_digits(text: str) -> str:
    """``text`` with full-width digits, signs, comma and point turned into their ASCII forms."""
    return text.translate(_FULL_WIDTH)


# re.ASCII: \d is 0-9 only; str.isdigit and int() would also take superscripts and other scripts' digits.
_YEAR = re.compile(r"(\d{4})(?:\.0+)?\s*年?", re.ASCII)


def year(cell) -> int:
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if isinstance(cell, int) and not isinstance(cell, bool):
        value = cell
    else:
        raw = as_text(cell)
        match = _YEAR.fullmatch(ascii_digits(raw))
        if not match:
            raise CellError(msg.NOT_A_YEAR, value=raw)
        value = int(match.group(1))
    if not 2000 <= value <= 2100:
        raise CellError(msg.NOT_A_YEAR, value=value)
    return value


#: A number as text: an optional sign, digits (optionally grouped by thousands commas), an optional
#: decimal point followed by digits. Nothing else: no spaces or underscores inside, no exponent.
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?", re.ASCII)
#: How close a spreadsheet's binary float must be to a value with the allowed decimals to be taken as it.
_FLOAT_SLACK = Decimal("0.000000001")


def decimal(
    *, places: int, max_digits: int, minimum: Decimal | None = Decimal(0), maximum: Decimal | None = None
) -> Callable:
    """A number with at most ``places`` decimals that fits ``max_digits``, at least ``minimum`` (0 unless
    told otherwise; None: no lower bound). Text is read strictly (``_NUMBER``), full-width forms allowed."""
    step = Decimal(1).scaleb(-places)
    limit = Decimal(10) ** (max_digits - places)

    def parse(cell) -> Decimal:
        if isinstance(cell, bool):
            raise CellError(msg.NOT_A_NUMBER, value=as_text(cell))
        if isinstance(cell, int):
            value = Decimal(cell)
        elif isinstance(cell, float):
            # repr is the shortest text that reads back as the same float: 1234.56, not 1234.5599999…
            value = Decimal(repr(cell))
            if value.is_finite() and abs(value) < limit:
                rounded = value.quantize(step)
                if abs(value - rounded) <= _FLOAT_SLACK:
                    value = rounded
        else:
            raw = ascii_digits(as_text(cell))
            if not _NUMBER.fullmatch(raw):
                raise CellError(msg.NOT_A_NUMBER, value=as_text(cell))
            value = Decimal(raw.replace(",", ""))
        if not value.is_finite():
            raise CellError(msg.NOT_A_NUMBER, value=as_text(cell))
        if minimum == 0 and value < 0:
            raise CellError(msg.NEGATIVE, value=as_text(cell))
        if abs(value) >= limit:
            raise CellError(msg.NUMBER_TOO_LARGE, value=as_text(cell))
        quantized = value.quantize(step)
        if value != quantized:
            raise CellError(msg.TOO_MANY_DECIMALS, value=as_text(cell), places=places)
        if (minimum is not None and quantized < minimum) or (maximum is not None and quantized > maximum):
            low = minimum if minimum is not None else "…"
            high = maximum if maximum is not None else "…"
            raise CellError(msg.OUT_OF_RANGE, value=as_text(cell), low=low, high=high)
        return quantized

    return parse


_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]00:00(?::00)?)?$", re.ASCII
)
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$", re.ASCII)


def date(cell) -> datetime.date:
    if isinstance(cell, datetime.datetime):
        return cell.date()
    if isinstance(cell, datetime.date):
        return cell
    if isinstance(cell, str) and len(cell) == 10 and cell[4] == "-" and cell[7] == "-":
        try:
            return datetime.date.fromisoformat(cell)
        except ValueError:
            raise CellError(msg.BAD_DATE, value=cell) from None
    raw = as_text(cell)
    normalised = ascii_digits(raw)
    match = _DATE.match(normalised) or _COMPACT_DATE.match(normalised)
    if not match:
        raise CellError(msg.BAD_DATE, value=raw)
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise CellError(msg.BAD_DATE, value=raw) from None


def _normalise(value: str) -> str:
    return re.sub(r"\s+", "", value).casefold()


def choice(options: Callable[[], Iterable[tuple[str, object]]], *, aliases: dict[str, str] | None = None):
    """One of a set of codes, given as the code or as its English or Chinese label (``aliases`` add more)."""
    table: dict[str, str] = {}

    def build() -> None:
        for language in ("en", "zh-hans"):
            with translation.override(language):
                for code, label in options():
                    table.setdefault(_normalise(str(label)), code)
        for code, _label in options():
            table[_normalise(code)] = code
        for alias, code in (aliases or {}).items():
            table[_normalise(alias)] = code

    def parse(cell) -> str:
        if not table:
            build()
        raw = as_text(cell)
        code = table.get(_normalise(raw))
        if code is None:
            shown = ", ".join(dict.fromkeys(code for code, _label in options()))
            raise CellError(msg.BAD_CHOICE, value=raw, choices=shown)
        return code

    return parse


def label_for(options: Iterable[tuple[str, object]], code: str) -> str:
    """The label of ``code`` in the active language (for exports with Chinese or English headers)."""
    for value, label in options:
        if value == code:
            return str(label)
    return code
