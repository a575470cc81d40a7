"""Set-based reads and writes for large imports: one query for many keys, plain multi-row inserts.

A file of 100,000 new payments is written with COPY on PostgreSQL (executemany on SQLite): the ORM's
bulk_create spends most of its time in Python preparing each value, several times what the database
needs. Small files go through the ORM's bulk helpers.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db import connection, models
from django.db.models.expressions import RawSQL

#: Keys per IN (...) list where the database has no arrays (SQLite).
CHUNK = 2000


def filter_in(queryset: models.QuerySet, field_name: str, values: list) -> Iterator[models.QuerySet]:
    """Querysets that together hold the rows whose ``field_name`` is one of ``values``.

    PostgreSQL takes every value in one array parameter (``IN (SELECT unnest(%s))``), which plans once;
    a long IN list per chunk costs a planning of thousands of literals each time.
    """
    if not values:
        return
    if connection.vendor == "postgresql":
        options = queryset.model._meta
        field = options.pk if field_name == "pk" else options.get_field(field_name)
        cast = field.db_type(connection)
        yield queryset.filter(
            **{f"{field_name}__in": RawSQL(f"SELECT unnest(%s::{cast}[])", (list(values),))}
        )
        return
    for start in range(0, len(values), CHUNK):
        yield queryset.filter(**{f"{field_name}__in": values[start : start + CHUNK]})


def insert_rows(model: type[models.Model], attnames: list[str], rows: Iterable[Iterable]) -> None:
    """Insert rows (values in the order of ``attnames``): COPY on PostgreSQL, executemany elsewhere."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    column_sql = ", ".join(quote(fields[name].column) for name in attnames)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({column_sql}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        prepare = [fields[name].get_db_prep_save for name in attnames]
        cursor.executemany(
            f"INSERT INTO {table} ({column_sql}) VALUES ({', '.join(['%s'] * len(attnames))})",
            ([to_db(value, connection) for to_db, value in zip(prepare, row, strict=True)] for row in rows),
        )
