"""Fast inserts for the demo seed: COPY on PostgreSQL, executemany on SQLite; no ORM object per row."""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models

DEMO_APPS = ("finance", "workflow", "projects", "performance")


def insert_rows(model: type[models.Model], rows: list[dict]) -> int:
    """Insert plain rows keyed by field attname; returns how many."""
    if not rows:
        return 0
    attnames = list(rows[0])
    columns = {f.attname: f.column for f in model._meta.concrete_fields}
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    column_sql = ", ".join(qn(columns[name]) for name in attnames)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({column_sql}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([row[name] for name in attnames])
        else:
            placeholders = ", ".join(["%s"] * len(attnames))
            cursor.executemany(
                f"INSERT INTO {table} ({column_sql}) VALUES ({placeholders})",
                [[row[name] for name in attnames] for row in rows],
            )
    return len(rows)


def demo_models() -> Iterable[type[models.Model]]:
    for label in DEMO_APPS:
        yield from apps.get_app_config(label).get_models()


def wipe_district() -> None:
    """Delete every row of the district's apps (users stay), in one statement per table."""
    tables = [m._meta.db_table for m in demo_models() if not m._meta.proxy and m._meta.managed]
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(qn(t) for t in tables)} RESTART IDENTITY CASCADE")
        else:
            # Foreign keys are deferred on SQLite: the order does not matter inside the transaction.
            for table in tables:
                cursor.execute(f"DELETE FROM {qn(table)}")


def reset_sequences() -> None:
    """After inserts with explicit ids, point PostgreSQL's sequences past them."""
    if connection.vendor != "postgresql":
        return
    statements = connection.ops.sequence_reset_sql(no_style(), list(demo_models()))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
