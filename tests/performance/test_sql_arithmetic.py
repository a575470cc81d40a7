"""The recompute's SQL arithmetic: rounding as Python rounds, and 64-bit sums exact, also over parallel
workers, NULL over no rows and refusing to overflow."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from performance.services import _sql as sql
from performance.services.progress import ratio

pytestmark = pytest.mark.django_db


@settings(max_examples=200, deadline=None)
@given(
    numerator=st.integers(min_value=0, max_value=10**13),
    denominator=st.integers(min_value=1, max_value=10**13),
)
def test_sql_rounding_matches_python_rounding(numerator, denominator):
    with connection.cursor() as cursor:
        # Money reaches this SQL as numeric on PostgreSQL and as a 64-bit integer on SQLite.
        a, b = f"CAST({numerator} AS NUMERIC)", f"CAST({denominator} AS NUMERIC)"
        cursor.execute(f"SELECT {sql.round_div(f'10000 * {a}', b)}")
        units = int(cursor.fetchone()[0])
    assert Decimal(units).scaleb(-4) == ratio(numerator, denominator)


BIG = 4 * 10**18  # two of these pass the 64-bit limit of 9 223 372 036 854 775 807


@pytest.mark.django_db
def test_a_64_bit_sum_is_exact_null_over_no_rows_and_refuses_to_overflow():
    values = "(SELECT 1 AS x UNION ALL SELECT NULL UNION ALL SELECT -7 UNION ALL SELECT %s) v"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql.sum_bigint('x')}, {sql.sum_bigint('x', 'x < 0')} FROM {values}", [BIG])
        # 1 − 7 + 4·10¹⁸ exactly (a float would give …999994 or …000000), and the filtered sum alone.
        row = cursor.fetchone()
        assert row == (BIG - 6, -7) and all(type(value) is int for value in row)  # not numeric
        cursor.execute(f"SELECT {sql.sum_bigint('x')} FROM {values} WHERE x > %s", [BIG, BIG])
        assert cursor.fetchone() == (None,)
    with pytest.raises(DatabaseError, match="(?i)out of range|overflow"), transaction.atomic():
        with connection.cursor() as cursor:
            three = "(SELECT %s AS x UNION ALL SELECT %s UNION ALL SELECT %s) v"
            cursor.execute(f"SELECT {sql.sum_bigint('x')} FROM {three}", [BIG, BIG, BIG])
            cursor.fetchone()


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_64_bit_sum_in_parallel_workers_adds_their_parts_exactly():
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE probe_sum AS "
            "SELECT n % 3 AS g, CAST(n AS bigint) * 1000003 AS x FROM generate_series(1, 200000) n"
        )
        cursor.execute("ANALYZE probe_sum")
        cursor.execute("SET LOCAL parallel_setup_cost = 0")
        cursor.execute("SET LOCAL parallel_tuple_cost = 0")
        cursor.execute("SET LOCAL min_parallel_table_scan_size = 0")
        statement = f"SELECT g, {sql.sum_bigint('x')} FROM probe_sum GROUP BY g ORDER BY g"
        cursor.execute(f"EXPLAIN {statement}")
        assert "Partial" in "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute(statement)
        expected = [(r, sum(n * 1000003 for n in range(1, 200001) if n % 3 == r)) for r in range(3)]
        assert cursor.fetchall() == expected
