"""SPEC §5: a run's work tables: unlogged in its own schema where parallel workers read them, taken back
after an error or a commit, never shadowed by another table and never waiting for another run's."""

from __future__ import annotations

import datetime
import re
import threading

import pytest
from django.db import DatabaseError, connection, transaction

from performance.models import (
    RecomputeRun,
)
from performance.services import _sql as sql
from performance.services import progress, recompute_all
from tests.performance.conftest import MAY_26, search_path, snapshot, work_schemas


def relation(name: str) -> tuple[str, str]:
    """PostgreSQL: (schema, persistence: 'p' logged, 'u' unlogged, 't' temporary) of a table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname, c.relpersistence FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass(%s)",
            [name],
        )
        return cursor.fetchone()


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_runs_work_tables_are_unlogged_in_its_own_schema_where_parallel_workers_read_them():
    with sql.work_schema("rc_run_probe"), connection.cursor() as cursor:
        sql.create_work_table("rc_probe", "SELECT n FROM generate_series(1, 20000) n")
        assert relation("rc_probe") == ("rc_run_probe", "u")
        # Rows of this uncommitted transaction, counted by a parallel plan (a temporary table
        # could not be: its pages live in this backend's memory).
        cursor.execute("SET LOCAL parallel_setup_cost = 0")
        cursor.execute("SET LOCAL parallel_tuple_cost = 0")
        cursor.execute("SET LOCAL min_parallel_table_scan_size = 0")
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) SELECT COUNT(*) FROM rc_probe")
        plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "Parallel Seq Scan" in plan
        assert int(re.search(r"Workers Launched: (\d+)", plan).group(1)) >= 1, plan
        cursor.execute("SELECT COUNT(*), SUM(n) FROM rc_probe")
        assert cursor.fetchone() == (20000, 200010000)
    assert work_schemas() == []
    assert relation("rc_probe") is None


@pytest.mark.postgres
@pytest.mark.django_db
def test_an_error_caught_around_the_work_schema_still_takes_it_back():
    before = search_path()
    with pytest.raises(DatabaseError, match="division by zero"):
        with sql.work_schema("rc_run_probe"), connection.cursor() as cursor:
            sql.create_work_table("rc_probe", "SELECT 1 AS n")
            cursor.execute("SELECT 1 / 0")
    # The caller goes on in its transaction: no schema, no table, the search path as it was.
    assert work_schemas() == []
    assert relation("rc_probe") is None
    assert search_path() == before


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_table_named_like_a_work_table_elsewhere_does_not_shadow_the_runs_own(small_district):
    expected = snapshot(recompute_all(year=2021, as_of=MAY_26), "district", None).spent
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE public.rc_project (project_id bigint)")  # left from debugging, say
        cursor.execute("CREATE TEMPORARY TABLE rc_rollup (scope_kind text)")

    run = recompute_all(year=2021, as_of=MAY_26)

    assert snapshot(run, "district", None).spent == expected
    assert relation("public.rc_project") == ("public", "p")  # left alone


@pytest.mark.postgres
@pytest.mark.django_db
def test_without_the_right_to_create_schemas_work_tables_are_temporary():
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE rc_no_schemas")  # may use temporary tables (PUBLIC), not create schemas
        cursor.execute("SET ROLE rc_no_schemas")
        try:
            with sql.work_schema("rc_run_probe"):
                sql.create_work_table("rc_probe", "SELECT 1 AS n")
                assert relation("rc_probe")[1] == "t"
            assert work_schemas() == []
        finally:
            cursor.execute("RESET ROLE")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_committed_run_leaves_no_work_tables(small_district):
    before = search_path()
    recompute_all(year=2021, as_of=MAY_26)

    assert work_schemas() == []
    assert relation("rc_project") is None
    assert search_path() == before


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_run_does_not_wait_for_the_work_tables_of_another_run_under_way(small_district):
    finished = {}

    def run_2020():
        try:
            finished["run"] = recompute_all(year=2020, as_of=datetime.date(2020, 5, 26))
        finally:
            connection.close()  # this thread's own connection

    # As a run of 2021 holds them half way: its work tables, created and not yet committed.
    with transaction.atomic(), sql.work_schema("rc_run_elsewhere"):
        sql.create_work_table(progress.PROJECT_SUMS, "SELECT 1 AS project_id")
        other = threading.Thread(target=run_2020)
        other.start()
        other.join(timeout=60)
        assert not other.is_alive(), "the 2020 run waited for the 2021 run's tables"
    assert finished["run"].status == RecomputeRun.Status.SUCCEEDED
    assert work_schemas() == []
