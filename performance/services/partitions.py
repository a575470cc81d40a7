"""The progress snapshots partitioned by run on PostgreSQL (migration performance.0002_postgresql);
SQLite keeps one table.

A run fills a table of its own, ``performance_progresssnapshot_r<run>``, before it has indexes or is
attached: one insert into an empty heap, then each index built in one sort by ``ATTACH``, instead of
417k rows (scale 100) added one by one to indexes shared with the runs kept (5.1 s then; 1.7 s and
0.9 s now). Nobody sees the table before the run commits. A run that falls out of the newest few is
dropped with its partition after the commit (``drop_stale_partitions``), not deleted row by row.
"""

from __future__ import annotations

from django.db import connection

from performance.models import RecomputeRun
from performance.services import _sql as sql

#: The progress snapshots' table (the partitioned parent on PostgreSQL).
SNAPSHOTS = "performance_progresssnapshot"


def snapshot_partition(run_id: int) -> str:
    """The PostgreSQL partition holding one run's progress snapshots."""
    return f"{SNAPSHOTS}_r{sql.integer(run_id)}"


#: A run's snapshot ids start above ``run id × RUN_ID_STRIDE``.
RUN_ID_STRIDE = 2**32


def snapshot_ids_sql(*, run_id: int) -> str:
    """SQL for the ids of a run's progress snapshots as one statement writes them: run id × 2³² plus
    the row's place in the statement (1, 2, …), so no two runs' rows share an id and none is drawn
    from the id sequence. Unique while a run writes fewer than 2³² rows and run ids stay below 2³¹.
    Rows created one at a time take the database's next id: on PostgreSQL from the sequence, far below
    any run's block for as long as it has handed out fewer than 2³² ids; on SQLite one above the
    largest id, inside the latest run's block and below the next run's."""
    return f"({sql.integer(run_id)} * {sql.integer(RUN_ID_STRIDE)} + ROW_NUMBER() OVER ())"


def create_snapshot_partition(*, run: RecomputeRun) -> str:
    """The table a run writes its progress snapshots into: on PostgreSQL a new one of its own, with
    no index yet and a check that lets ``ATTACH`` skip scanning the rows for their run; on SQLite the
    one table."""
    if not sql.is_postgres():
        return SNAPSHOTS
    target = snapshot_partition(run.pk)
    with connection.cursor() as cursor:
        # In the parent's schema by name: inside a run the run's work schema is first on the search
        # path, and a table created there would be dropped with it (``sql.work_schema``).
        cursor.execute(
            "SELECT quote_ident(n.nspname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.oid = %s::regclass",
            [SNAPSHOTS],
        )
        target = f"{cursor.fetchone()[0]}.{target}"
        cursor.execute(f"DROP TABLE IF EXISTS {target}")  # left by a database whose rows were truncated
        cursor.execute(
            f"CREATE TABLE {target} (LIKE {SNAPSHOTS} INCLUDING DEFAULTS INCLUDING CONSTRAINTS, "
            f"CHECK (run_id = {sql.integer(run.pk)}))"
        )
    return target


def attach_snapshot_partition(*, run: RecomputeRun) -> None:
    """PostgreSQL: analyse the run's filled snapshot table and attach it as the run's partition, which
    builds its indexes. Called last in the run: attaching holds SHARE UPDATE EXCLUSIVE on the parent
    until the commit, which pages read through but another year's run waits for at its own attach."""
    if not sql.is_postgres():
        return
    target = snapshot_partition(run.pk)
    with connection.cursor() as cursor:
        # Statistics now rather than whenever autovacuum comes by: the warning pages' plans right
        # after a run depend on them (384 ms against 126 ms at scale 100).
        with sql.local_settings(default_statistics_target="20"):
            cursor.execute(f"ANALYZE {target}")
        cursor.execute(
            f"ALTER TABLE {SNAPSHOTS} ATTACH PARTITION {target} FOR VALUES IN ({sql.integer(run.pk)})"
        )


def _partition_run_id(name: str) -> int | None:
    prefix = f"{SNAPSHOTS}_r"
    suffix = name[len(prefix) :] if name.startswith(prefix) else ""
    return int(suffix) if suffix.isdigit() else None


def drop_stale_partitions() -> list[int]:
    """PostgreSQL: drop the snapshot partitions (and left-over tables of that name) whose run no
    longer exists; returns their run ids. Runs deleted by pruning or in the admin leave theirs here.

    Outside a transaction (the task, after the run's commit) a partition is detached CONCURRENTLY,
    which takes only SHARE UPDATE EXCLUSIVE on the parent, so pages read on and no run can deadlock
    with it; a detach interrupted half way (a killed worker) is finalised. Inside a transaction (the
    tests, which run in one) it is dropped there and then, which locks the parent until the commit.
    """
    if not sql.is_postgres():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname, COALESCE(i.inhdetachpending, false), i.inhrelid IS NOT NULL
            FROM pg_class c
            LEFT JOIN pg_inherits i ON i.inhrelid = c.oid AND i.inhparent = %s::regclass
            WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace
              AND c.relname LIKE %s
            """,
            [SNAPSHOTS, f"{SNAPSHOTS}\\_r%"],
        )
        tables = cursor.fetchall()
    by_run = {run_id: table for table in tables if (run_id := _partition_run_id(table[0])) is not None}
    existing = set(RecomputeRun.objects.filter(pk__in=list(by_run)).values_list("pk", flat=True))
    stale = sorted(run_id for run_id in by_run if run_id not in existing)
    inside = connection.in_atomic_block
    with connection.cursor() as cursor:
        for run_id in stale:
            name, pending, attached = by_run[run_id]
            if attached and not inside:
                mode = "FINALIZE" if pending else "CONCURRENTLY"
                cursor.execute(f"ALTER TABLE {SNAPSHOTS} DETACH PARTITION {name} {mode}")
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
    return stale
