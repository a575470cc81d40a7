"""SQL fragments that give the same exact answer on PostgreSQL and SQLite.

Money is carried through the recompute as integer cents (分) and ratios as integers in units of 10⁻⁴,
so no float ever decides a figure: PostgreSQL computes in ``numeric`` or 64-bit integers, SQLite in
64-bit integers (its DECIMAL columns hold binary floats, so every money column is turned into exact
cents first; payments carry theirs already, in ``Payment.amount_cents``). Division that must round
does it with integer division, rounding half away from zero (``ROUND_HALF_UP``):

    round(a / b) = (2a + b) div 2b          for a ≥ 0, b > 0

The values spliced into SQL text here are integers and column names chosen by this package, never
user input, and go through ``integer`` and ``quote``; dates and other values go in as query parameters.
Column lists are mappings of column name → SQL expression (``select_list``, ``insert_select``), so a
column and the value written into it sit on one line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection, transaction


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


def round_div_bigint(a: str, b: str) -> str:
    """``round_div`` for 64-bit integer operands: integer division truncates like ``div`` on PostgreSQL
    without going through numeric, and is SQLite's own. Used for one project's progress, where
    2 × 10⁴ × cents stays inside 64 bits for any spending below 4.6 × 10¹² 元 (beyond that PostgreSQL
    raises an error rather than giving a wrong figure)."""
    return f"((2 * ({a}) + ({b})) / (2 * ({b})))"


def round_div_signed(a: str, b: str) -> str:
    """a ÷ b rounded to the nearest integer, halves away from zero; any sign of a, b > 0."""
    return f"(CASE WHEN ({a}) >= 0 THEN {round_div(a, b)} ELSE -{round_div(f'-({a})', b)} END)"


def scaled(column: str, places: int) -> str:
    """A decimal column with ``places`` decimals as an exact integer (e.g. 元 → 分 for places=2)."""
    if is_postgres():
        return f"({column} * {integer(10**places)})"
    return f"CAST(ROUND({column} * {integer(10**places)}) AS INTEGER)"


def cents(column: str) -> str:
    return scaled(column, 2)


def sum_cents(column: str, condition: str | None = None) -> str:
    """Σ of a money column in exact cents, 0 when no row matches."""
    where = f" FILTER (WHERE {condition})" if condition else ""
    if is_postgres():
        # Sum in numeric, scale once per group rather than once per row.
        return f"(COALESCE(SUM({column}){where}, 0) * 100)"
    return f"COALESCE(SUM({cents(column)}){where}, 0)"


def sum_bigint(expression: str, condition: str | None = None) -> str:
    """Σ of a 64-bit integer expression as a 64-bit integer (NULL over no rows, like SUM): PostgreSQL's
    own ``sum(bigint)`` returns ``numeric``, so it uses ``bigint_sum`` (migration
    performance.0002_postgresql), which raises rather than overflow; SQLite's SUM of integers is one
    already."""
    where = f" FILTER (WHERE {condition})" if condition else ""
    return f"{'bigint_sum' if is_postgres() else 'SUM'}({expression}){where}"


def numeric(expression: str) -> str:
    """An integer expression as PostgreSQL ``numeric``, so that arithmetic on it cannot overflow 64
    bits; unchanged on SQLite."""
    return f"CAST({expression} AS numeric)" if is_postgres() else expression


def bigint(expression: str) -> str:
    """An integer-valued expression as a 64-bit integer: sums of bigint are far cheaper than of
    numeric in PostgreSQL; SQLite's integers already are."""
    return f"CAST({expression} AS bigint)" if is_postgres() else expression


def to_decimal(expression: str, places: int) -> str:
    """An integer in units of 10^-places back to a decimal value for a DecimalField column."""
    if is_postgres():
        # Multiplying by an exact numeric 0.01 is exact too, and cheaper than dividing.
        return f"(CAST({expression} AS numeric) * 0.{'0' * (places - 1)}1)"
    return f"(({expression}) / {integer(10**places)}.0)"


def typed(expression: str, column) -> str:
    """``expression`` as the exact type of a model field's column on PostgreSQL (e.g. numeric(16,2),
    varchar(10)), so that inserting it into that column needs no conversion per row; computed in a
    parallel pass, the conversion is paid there. Unchanged on SQLite, whose columns take any value."""
    if not is_postgres():
        return expression
    return f"CAST({expression} AS {column.db_type(connection)})"


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


#: The empty string as an SQL literal (``quote`` takes only non-empty constants).
EMPTY = "''"


def band_case(expression: str, bands: Sequence[tuple[str, int | None]], *, null: str | None = None) -> str:
    """The SQL twin of ``performance.models.band_for``: ``CASE WHEN expression >= floor THEN 'band' …
    ELSE 'last band' END`` over ``bands`` (band, integer floor in the units of ``expression``), best
    first, the last one's floor None. ``null``: the value where the expression is NULL."""
    *floored, (last, _below) = bands
    whens = [f"WHEN {expression} IS NULL THEN {null}"] if null is not None else []
    whens += [f"WHEN {expression} >= {integer(floor)} THEN {quote(band)}" for band, floor in floored]
    return f"CASE {' '.join(whens)} ELSE {quote(last)} END"


def select_list(columns: Mapping[str, str]) -> str:
    """``expression AS name, …`` of a mapping of column name → SQL expression (a bare column named as
    its own expression stands alone)."""
    return ", ".join(
        name if expression == name else f"{expression} AS {name}" for name, expression in columns.items()
    )


def insert_select(table: str, columns: Mapping[str, str], source: str) -> str:
    """``INSERT INTO table (names) SELECT expressions source`` from one mapping of column name → SQL
    expression, so the two lists cannot fall out of step; ``source`` is the rest of the SELECT
    (``FROM …``)."""
    return f"INSERT INTO {table} ({', '.join(columns)}) SELECT {select_list(columns)} {source}"


def execute_insert(statement: str, params=None) -> int:
    """Run an INSERT … SELECT and return the rows it wrote (Python's sqlite3 reports -1 for a
    statement that starts with WITH, so SQLite is asked with changes())."""
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        if cursor.rowcount >= 0:
            return cursor.rowcount
        cursor.execute("SELECT changes()")
        return cursor.fetchone()[0]


@contextmanager
def local_settings(**values: str):
    """PostgreSQL settings for the statements inside the block only (within the run's transaction);
    nothing on SQLite."""
    if not is_postgres():
        yield
        return
    with connection.cursor() as cursor:
        saved = {}
        for name, value in values.items():
            cursor.execute("SELECT current_setting(%s), set_config(%s, %s, true)", [name, name, value])
            saved[name] = cursor.fetchone()[0]
        try:
            yield
        finally:
            for name, value in saved.items():
                cursor.execute("SELECT set_config(%s, %s, true)", [name, value])


#: The schema of the recompute under way on this connection, holding its work tables; None outside one.
_WORK_SCHEMA: ContextVar[str | None] = ContextVar("recompute_work_schema", default=None)


def _may_create_schemas() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT has_database_privilege(current_database(), 'CREATE')")
        return bool(cursor.fetchone()[0])


@contextmanager
def work_schema(name: str):
    """PostgreSQL: the work tables created inside the block (``create_work_table``) go into a schema of
    their own, ``name``, as UNLOGGED tables; the schema comes first on the search path, so every
    unqualified ``rc_…`` inside the block means the run's own table. On leaving the block normally the
    schema is dropped with them and the search path restored. Else (SQLite, or a database user who
    may not create schemas) they are temporary tables, and nothing else changes.

    Why: parallel workers cannot read temporary tables, which live in the backend's own memory; they
    can read a regular table that their leader's transaction created. The block is a transaction (a
    savepoint inside the run's): the schema is seen by no other session, and whatever fails inside it,
    even if a caller catches the error, rolls the schema, its tables and the search path back; a
    killed worker's transaction never committed them either. The name is the run's own, so runs of
    different years do not wait on each other's tables. Tables created unqualified inside the block
    would land in the schema and go with it: the snapshot partition is created in its parent's schema
    by name (``partitions.create_snapshot_partition``).
    """
    if not is_postgres() or not _may_create_schemas():
        yield
        return
    if not name.replace("_", "").isalnum() or not name[0].isalpha():
        raise ValueError(f"not a plain schema name: {name!r}")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {name}")
        cursor.execute("SELECT current_setting('search_path')")
        saved = cursor.fetchone()[0]
        # pg_temp last, so that a temporary table of the same name left in the session cannot shadow
        # a work table either.
        path = ", ".join(part for part in (name, saved.strip(), "pg_temp") if part)
        cursor.execute("SELECT set_config('search_path', %s, true)", [path])
        token = _WORK_SCHEMA.set(name)
        try:
            yield
        finally:
            _WORK_SCHEMA.reset(token)
        cursor.execute(f"DROP SCHEMA {name} CASCADE")
        cursor.execute("SELECT set_config('search_path', %s, true)", [saved])


def create_work_table(name: str, select: str, params=None, *, columns: tuple[str, ...] = ()) -> int:
    """``CREATE TABLE name [(columns)] AS select``, in place of a work table of that name left by an
    earlier step: UNLOGGED in the run's work schema (``work_schema``), else TEMPORARY; returns the rows
    written, or -1 where the database does not say (SQLite). SQLite takes no ``columns``: name them in
    ``select``."""
    drop_work_tables(name)
    schema = _WORK_SCHEMA.get()
    created = f"UNLOGGED TABLE {schema}.{name}" if schema else f"TEMPORARY TABLE {name}"
    named = f" ({', '.join(columns)})" if columns else ""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE {created}{named} AS {select}", params)
        return cursor.rowcount


#: The work table of ``insert_found``.
FOUND = "rc_found"


def insert_found(*, table: str, columns: tuple[str, ...], select: str, work_table: str = FOUND) -> int:
    """``INSERT INTO table (columns) select`` in two steps: the rows are found into a work table by a
    ``CREATE TABLE … AS`` first, then copied. PostgreSQL runs no part of an ``INSERT … SELECT`` in
    parallel, but does run the scans and joins of a ``CREATE TABLE … AS`` in parallel; worth it for a
    few rows found in a large table. Without the run's work schema nothing would run in parallel, so
    it is one ``INSERT … SELECT``. Returns the rows written."""
    listed = ", ".join(columns)
    if _WORK_SCHEMA.get() is None:
        return execute_insert(f"INSERT INTO {table} ({listed}) {select}")
    create_work_table(work_table, select, columns=columns)
    written = execute_insert(f"INSERT INTO {table} ({listed}) SELECT {listed} FROM {work_table}")
    drop_work_tables(work_table)
    return written


def drop_work_tables(*names: str) -> None:
    """Drop work tables (``create_work_table``) where they exist."""
    schema = _WORK_SCHEMA.get() or ("pg_temp" if is_postgres() else "temp")
    with connection.cursor() as cursor:
        for name in names:
            cursor.execute(f"DROP TABLE IF EXISTS {schema}.{name}")
