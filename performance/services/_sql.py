"""SQL fragments that give the same exact answer on PostgreSQL and SQLite.

Money is carried through the recompute as integer cents (分) and ratios as integers in units of 10⁻⁴,
so no float ever decides a figure: PostgreSQL computes in ``numeric``, SQLite in 64-bit integers (its
DECIMAL columns hold binary floats, so every money column is turned into exact cents first). Division
that must round does it with integer division, rounding half away from zero (``ROUND_HALF_UP``):

    round(a / b) = (2a + b) div 2b          for a ≥ 0, b > 0

The values spliced into SQL text here are integers and column names chosen by this package, never
user input; dates and other values go in as query parameters.
"""

from __future__ import annotations

from django.db import connection


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def idiv(a: str, b: str) -> str:
    """Integer quotient of two integer-valued expressions, truncated toward zero."""
    if is_postgres():
        return f"div({a}, {b})"
    return f"(({a}) / ({b}))"


def round_div(a: str, b: str) -> str:
    """a ÷ b rounded to the nearest integer, halves away from zero; a ≥ 0 and b > 0."""
    return idiv(f"2 * ({a}) + ({b})", f"2 * ({b})")


def round_div_signed(a: str, b: str) -> str:
    """a ÷ b rounded to the nearest integer, halves away from zero; any sign of a, b > 0."""
    return f"(CASE WHEN ({a}) >= 0 THEN {round_div(a, b)} ELSE -{round_div(f'-({a})', b)} END)"


def scaled(column: str, places: int) -> str:
    """A decimal column with ``places`` decimals as an exact integer (e.g. 元 → 分 for places=2)."""
    if is_postgres():
        return f"({column} * {10**places})"
    return f"CAST(ROUND({column} * {10**places}) AS INTEGER)"


def cents(column: str) -> str:
    return scaled(column, 2)


def sum_cents(column: str, condition: str | None = None) -> str:
    """Σ of a money column in exact cents, 0 when no row matches."""
    where = f" FILTER (WHERE {condition})" if condition else ""
    if is_postgres():
        # Sum in numeric, scale once per group rather than once per row.
        return f"(COALESCE(SUM({column}){where}, 0) * 100)"
    return f"COALESCE(SUM({cents(column)}){where}, 0)"


def sum_money(column: str, condition: str) -> str:
    """Σ of a money column where ``condition`` holds, in the engine's own exact unit: numeric 元 on
    PostgreSQL (scaling each group's sum costs more than it saves), integer cents on SQLite. Turn it
    into cents with ``money_to_cents`` after rolling it up."""
    if is_postgres():
        return f"COALESCE(SUM({column}) FILTER (WHERE {condition}), 0)"
    return sum_cents(column, condition)


def money_to_cents(expression: str) -> str:
    return f"(({expression}) * 100)" if is_postgres() else expression


def bigint(expression: str) -> str:
    """An integer-valued expression as a 64-bit integer: sums of bigint are far cheaper than of
    numeric in PostgreSQL; SQLite's integers already are."""
    return f"CAST({expression} AS bigint)" if is_postgres() else expression


def fence() -> str:
    """Keep PostgreSQL from inlining a subquery, so the expressions it computes are computed once."""
    return "OFFSET 0" if is_postgres() else ""


def to_decimal(expression: str, places: int) -> str:
    """An integer in units of 10^-places back to a decimal value for a DecimalField column."""
    if is_postgres():
        # Multiplying by an exact numeric 0.01 is exact too, and cheaper than dividing.
        return f"(CAST({expression} AS numeric) * 0.{'0' * (places - 1)}1)"
    return f"(({expression}) / {10**places}.0)"


def exact(column: str) -> str:
    """A 2-place decimal column exactly, for ratios only (units cancel): the numeric itself on
    PostgreSQL, saving a multiplication per row; integer hundredths on SQLite."""
    return column if is_postgres() else cents(column)


def least(*expressions: str) -> str:
    return f"{'LEAST' if is_postgres() else 'MIN'}({', '.join(expressions)})"


def greatest(*expressions: str) -> str:
    return f"{'GREATEST' if is_postgres() else 'MAX'}({', '.join(expressions)})"


def binary(column: str) -> str:
    """Order text by its bytes on both engines (SQLite's BINARY collation)."""
    return f'{column} COLLATE "C"' if is_postgres() else column


def integer(value) -> str:
    """An integer literal; refuses anything that is not an int so nothing else gets spliced in."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"expected an int, got {value!r}")
    return str(value)


def quote(value: str) -> str:
    """A string literal for one of this package's own constants (scope kinds, grades, codes)."""
    value = str(value)
    if not value.replace("_", "").isalnum():
        raise ValueError(f"not a plain identifier-like constant: {value!r}")
    return f"'{value}'"


def execute_insert(statement: str, params=None) -> int:
    """Run an INSERT … SELECT and return the rows it wrote (Python's sqlite3 reports -1 for a
    statement that starts with WITH, so SQLite is asked with changes())."""
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        if cursor.rowcount >= 0:
            return cursor.rowcount
        cursor.execute("SELECT changes()")
        return cursor.fetchone()[0]
