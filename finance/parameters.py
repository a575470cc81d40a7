"""Strict readers of the numbers in query strings and form fields: ASCII digits only, of a bounded
length, else None.

``str.isdigit`` is no test for this: it says yes to superscripts (``"²⁰²¹"``) and other digits that
``int`` refuses, and ``int`` refuses more than 4,300 digits; either turned a bad address into a 500.
Every view reads a year, a page number or a page size through here, and answers a value that is None
as it answers any other unknown value (the current year, the first page, a 400 or a 404).
"""

from __future__ import annotations

#: Enough for any id, page number or page size the app hands out; a longer number is none of them.
MAX_DIGITS = 9
#: A fiscal year is written with four digits.
YEAR_DIGITS = 4


def whole_number(raw: str | None, *, max_digits: int = MAX_DIGITS) -> int | None:
    """``raw`` as a non-negative int if it is 1 to ``max_digits`` ASCII digits, else None."""
    if not isinstance(raw, str) or not 0 < len(raw) <= max_digits or not (raw.isascii() and raw.isdigit()):
        return None
    return int(raw)


def year_of(raw: str | None) -> int | None:
    """``raw`` as a year if it is four ASCII digits, else None."""
    if raw is None or len(raw) != YEAR_DIGITS:
        return None
    return whole_number(raw, max_digits=YEAR_DIGITS)


class YearConverter:
    """``<year:year>`` in a URL: four ASCII digits, so that no longer number reaches a query (an int
    beyond SQLite's or PostgreSQL's integers is a server error there, not an empty result)."""

    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{int(value):04d}"
