"""SPEC §5: one run in one transaction, idempotent, failure-safe, pruned, coalesced, locked per year."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import psycopg
import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from performance.models import (
    InflatedSelfScore,
    LeaderboardEntry,
    MonthlySpending,
    ProgressSnapshot,
    RecomputeRun,
    RecomputeState,
    RunFigures,
    WeakProject,
)
from performance.services import RecomputeBusy, progress, recompute_all, recompute_if_stale
from performance.services.coalescing import bump_generation
from performance.services.partitions import snapshot_partition
from performance.services.recompute import ADVISORY_LOCK_CLASS
from performance.tasks import recompute_all as recompute_task
from projects.models import Payment
from tests.factories import PaymentFactory
from tests.performance.conftest import MAY_26, evaluate, pay, project, search_path, snapshot, work_schemas

SNAPSHOT_FIELDS = [field.name for field in ProgressSnapshot._meta.fields if field.name not in {"id", "run"}]
# The rank change is measured against the run before, so it is the one field that differs.
LEADERBOARD_FIELDS = [
    field.attname for field in LeaderboardEntry._meta.fields if field.name not in {"id", "run", "rank_change"}
]


def snapshot_rows(run) -> list[tuple]:
    return sorted(ProgressSnapshot.objects.filter(run=run).values_list(*SNAPSHOT_FIELDS), key=repr)


def leaderboard_rows(run) -> list[tuple]:
    return list(
        LeaderboardEntry.objects.filter(run=run).order_by("position").values_list(*LEADERBOARD_FIELDS)
    )


@pytest.mark.django_db
def test_two_runs_on_the_same_data_store_identical_snapshots(small_district):
    first = recompute_all(year=2021, as_of=MAY_26)
    second = recompute_all(year=2021, as_of=MAY_26)

    assert first.pk != second.pk
    assert snapshot_rows(first) == snapshot_rows(second)
    assert (
        len(snapshot_rows(first)) == 2 + 2 + 2 + 1 + 1 + 1
    )  # projects, units, departments, class, source, district
    assert leaderboard_rows(first) == leaderboard_rows(second)
    assert set(LeaderboardEntry.objects.filter(run=second).values_list("rank_change", flat=True)) == {0}
    assert first.row_counts == second.row_counts
    assert second.status == RecomputeRun.Status.SUCCEEDED and second.duration_ms is not None


def run_rows(run) -> dict[str, list[tuple]]:
    """Every row a run wrote, without ids, run and rank change (measured against the run before)."""
    rows = {}
    for model in (
        ProgressSnapshot,
        MonthlySpending,
        RunFigures,
        LeaderboardEntry,
        WeakProject,
        InflatedSelfScore,
    ):
        fields = [
            field.attname
            for field in model._meta.concrete_fields
            if field.attname not in {"id", "run_id", "rank_change"}
        ]
        rows[model.__name__] = sorted(model.objects.filter(run=run).values_list(*fields), key=repr)
    return rows


@pytest.mark.django_db
def test_cutting_the_projects_into_slices_gives_the_same_run(small_district, unit_b, settings):
    """At scale PostgreSQL sums payments in slices of project ids; every figure must be the same."""
    for index in range(6):
        now = project(unit_b if index % 2 else small_district, f"{(index + 1) * 1000}")
        for month in (1, 3, 5):
            pay(now, f"{100 * (index + month)}.25", datetime.date(2021, month, 3 + index))
        evaluate(now, f"{70 + index}.5", kind="self" if index % 3 else "key")
        before = project(unit_b, f"{(index + 2) * 900}", year=2020)
        pay(before, f"{50 * (index + 1)}.10", datetime.date(2020, 5, 20 + index))
        evaluate(before, f"{65 + index}", year=2020)
    inflated = project(unit_b, "10000")  # graded 优 by itself, 1 % spent: flagged
    pay(inflated, "100", datetime.date(2021, 2, 1))
    evaluate(inflated, "95", kind="self")
    whole = recompute_all(year=2021, as_of=MAY_26)

    settings.RECOMPUTE_PROJECT_SLICES = 3
    settings.RECOMPUTE_SLICE_MIN_PROJECTS = 1
    if connection.vendor == "postgresql":
        assert len(progress._project_slices()) == 3
    sliced = recompute_all(year=2021, as_of=MAY_26)

    assert run_rows(sliced) == run_rows(whole)
    counts = {name: len(rows) for name, rows in run_rows(whole).items()}
    assert counts["ProgressSnapshot"] == 9 + 2 + 2 + 1 + 1 + 1
    assert counts["WeakProject"] and counts["InflatedSelfScore"] == 1


@pytest.mark.django_db
def test_a_run_that_fails_half_way_leaves_the_previous_run_as_it_was(small_district):
    previous = recompute_all(year=2021, as_of=MAY_26)
    before = snapshot_rows(previous)
    pay(
        project(small_district, "100"), "100", datetime.date(2021, 4, 1)
    )  # a change the failed run would show
    # The leaderboard is written after the progress snapshots: make the database refuse it.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION refuse_leaderboard() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'injected failure'; END $$"
            )
            cursor.execute(
                "CREATE TRIGGER refuse_leaderboard BEFORE INSERT ON performance_leaderboardentry "
                "FOR EACH ROW EXECUTE FUNCTION refuse_leaderboard()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER refuse_leaderboard BEFORE INSERT ON performance_leaderboardentry "
                "BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
            )

    path_before = search_path() if connection.vendor == "postgresql" else None
    with pytest.raises(DatabaseError, match="injected failure"):
        recompute_all(year=2021, as_of=MAY_26)

    failed = RecomputeRun.objects.get(status=RecomputeRun.Status.FAILED)
    assert "injected failure" in failed.error and failed.finished_at is not None
    assert list(RecomputeRun.objects.filter(status=RecomputeRun.Status.SUCCEEDED)) == [previous]
    assert snapshot_rows(previous) == before
    assert set(ProgressSnapshot.objects.values_list("run_id", flat=True)) == {previous.pk}
    assert set(MonthlySpending.objects.values_list("run_id", flat=True)) == {previous.pk}
    assert list(RunFigures.objects.values_list("run_id", flat=True)) == [previous.pk]
    if connection.vendor == "postgresql":  # the failed run's partition and work tables rolled back
        assert snapshot_tables() == {snapshot_partition(previous.pk): True}
        assert work_schemas() == []
        assert search_path() == path_before


@pytest.mark.django_db
def test_a_runs_snapshot_ids_are_its_id_times_2_to_the_32_plus_their_place(small_district):
    first = recompute_all(year=2021, as_of=MAY_26)
    second = recompute_all(year=2021, as_of=MAY_26)
    for run in (first, second):
        ids = sorted(ProgressSnapshot.objects.filter(run=run).values_list("id", flat=True))
        base = run.pk * 2**32
        assert ids == list(range(base + 1, base + len(ids) + 1))
    # A snapshot saved on its own takes an id the database gives (PostgreSQL: from the sequence, far
    # below any run's; SQLite: above the largest so far), and the next run's ids still do not meet it.
    values = ProgressSnapshot.objects.filter(run=second).values()[0]
    values.pop("id")
    single = ProgressSnapshot.objects.create(**values)
    third = recompute_all(year=2021, as_of=MAY_26)
    all_ids = list(ProgressSnapshot.objects.values_list("id", flat=True))
    assert len(all_ids) == len(set(all_ids)) and single.pk in all_ids
    third_ids = ProgressSnapshot.objects.filter(run=third).values_list("id", flat=True)
    assert min(third_ids) == third.pk * 2**32 + 1


def snapshot_tables() -> dict[str, bool]:
    """PostgreSQL: the tables named for a run's progress snapshots, and whether each is attached."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname, i.inhrelid IS NOT NULL
            FROM pg_class c LEFT JOIN pg_inherits i ON i.inhrelid = c.oid
            WHERE c.relkind = 'r' AND c.relname LIKE 'performance\\_progresssnapshot\\_r%%'
            """
        )
        return dict(cursor.fetchall())


def partitions_of_stored_runs() -> dict[str, bool]:
    succeeded = RecomputeRun.objects.filter(status=RecomputeRun.Status.SUCCEEDED)
    return {snapshot_partition(pk): True for pk in succeeded.values_list("pk", flat=True)}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_each_kept_run_has_its_partition_and_pruned_runs_none(small_district):
    # Outside a transaction, as in a worker: the pruned runs' partitions are detached concurrently
    # after the commit, then dropped.
    runs = [recompute_all(year=2021, as_of=MAY_26) for _ in range(5)]

    kept = [run.pk for run in runs[-3:]]
    # (The fixture's saves, committed one by one, ran recomputes of both years too.)
    assert snapshot_tables() == partitions_of_stored_runs()
    assert set(kept) <= set(RecomputeRun.objects.values_list("pk", flat=True))
    assert not set(snapshot_tables()) & {snapshot_partition(run.pk) for run in runs[:2]}
    # A page's question about one run reads that run's partition only.
    rows = ProgressSnapshot.objects.filter(run=runs[-1], scope_kind="district")
    plan = rows.explain()
    assert snapshot_partition(runs[-1].pk) in plan
    assert not any(snapshot_partition(pk) in plan for pk in kept[:-1])
    assert rows.get().spent == snapshot(runs[-1], "district", None).spent


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_partition_left_by_a_deleted_run_is_dropped_by_the_next_run(small_district):
    first = recompute_all(year=2021, as_of=MAY_26)
    RecomputeRun.objects.filter(pk=first.pk).delete()  # as the admin does, or a worker killed after pruning

    second = recompute_all(year=2021, as_of=MAY_26)

    assert snapshot_partition(first.pk) not in snapshot_tables()
    assert snapshot_tables() == partitions_of_stored_runs()
    assert snapshot_partition(second.pk) in snapshot_tables()


@pytest.mark.django_db
def test_only_the_last_three_runs_of_a_year_are_kept(small_district):
    runs = [recompute_all(year=2021, as_of=MAY_26) for _ in range(5)]

    kept = {run.pk for run in runs[-3:]}
    assert set(RecomputeRun.objects.values_list("pk", flat=True)) == kept
    assert set(ProgressSnapshot.objects.values_list("run_id", flat=True)) == kept
    assert set(LeaderboardEntry.objects.values_list("run_id", flat=True)) == kept
    assert set(MonthlySpending.objects.values_list("run_id", flat=True)) == kept


@pytest.mark.django_db
def test_as_of_outside_the_year_is_refused(small_district):
    with pytest.raises(ValueError, match="not in fiscal year 2021"):
        recompute_all(year=2021, as_of=datetime.date(2022, 1, 1))


@pytest.mark.django_db
def test_a_queued_recompute_skips_when_nothing_changed(small_district):
    first = recompute_if_stale(year=2021, as_of=MAY_26)
    again = recompute_if_stale(year=2021, as_of=MAY_26)
    other_date = recompute_if_stale(year=2021, as_of=datetime.date(2021, 5, 27))

    assert not first.skipped and again.skipped and again.run == first.run
    assert not other_date.skipped  # a new as-of date is new work
    assert RecomputeRun.objects.count() == 2


@pytest.mark.django_db
def test_a_committed_change_makes_the_next_queued_recompute_run(small_district):
    first = recompute_if_stale(year=2021, as_of=MAY_26)

    bump_generation(year=2021)  # what the on-commit callback of a change does
    second = recompute_if_stale(year=2021, as_of=MAY_26)
    third = recompute_if_stale(year=2021, as_of=MAY_26)

    assert not second.skipped and second.run != first.run
    assert third.skipped and third.run == second.run
    state = RecomputeState.objects.get(pk=2021)
    assert (state.requested_generation, state.computed_generation) == (1, 1)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_200_saves_in_one_transaction_queue_one_recompute(year_2021, unit_a):
    target = project(unit_a, "1000000")  # autocommit: this save already ran its own recompute
    runs_before = RecomputeRun.objects.filter(fiscal_year_id=2021).count()
    requested_before = RecomputeState.objects.get(pk=2021).requested_generation

    with transaction.atomic():
        for _ in range(200):
            PaymentFactory(project=target, amount=Decimal("10.00"), paid_on=datetime.date(2021, 1, 1))
        assert connection.run_on_commit and len(connection.run_on_commit) == 1

    assert RecomputeRun.objects.filter(fiscal_year_id=2021).count() == runs_before + 1
    state = RecomputeState.objects.get(pk=2021)
    assert state.requested_generation == requested_before + 1
    assert state.computed_generation == state.requested_generation
    latest = RecomputeRun.objects.filter(status=RecomputeRun.Status.SUCCEEDED).order_by("-started_at", "-pk")[
        0
    ]
    row = ProgressSnapshot.objects.get(run=latest, scope_kind="project", scope_id=target.pk)
    assert row.spent == Decimal("2000.00")  # 200 × 10
    assert Payment.objects.count() == 200


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rolled_back_transaction_queues_nothing(year_2021, unit_a):
    target = project(unit_a, "1000000")
    runs_before = RecomputeRun.objects.count()

    with pytest.raises(RuntimeError):
        with transaction.atomic():
            PaymentFactory(project=target)
            raise RuntimeError("the import failed")

    assert RecomputeRun.objects.count() == runs_before
    with transaction.atomic():
        PaymentFactory(project=target)  # the next transaction still queues its own
    assert RecomputeRun.objects.count() == runs_before + 1


@pytest.mark.django_db
def test_the_task_returns_the_run_and_is_idempotent(small_district):
    first = recompute_task.delay(2021, MAY_26.isoformat()).get()
    second = recompute_task.delay(2021, MAY_26.isoformat()).get()

    assert first == second == RecomputeRun.objects.get(status=RecomputeRun.Status.SUCCEEDED).pk


@pytest.mark.django_db
def test_recompute_command_prints_row_counts_and_duration(small_district):
    out = io.StringIO()

    call_command("recompute", year=2021, as_of="2021-05-26", stdout=out)

    text = out.getvalue()
    assert "progress=9" in text and "leaderboard=2" in text and "duration_ms=" in text
    assert RecomputeRun.objects.get().as_of == MAY_26


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_second_run_of_the_same_year_is_refused_while_one_holds_the_lock(small_district):
    params = connection.get_connection_params()
    with psycopg.connect(**params, autocommit=False) as other:
        other.execute("SELECT pg_advisory_xact_lock(%s, %s)", [ADVISORY_LOCK_CLASS, 2021])

        with pytest.raises(RecomputeBusy):
            recompute_all(year=2021, as_of=MAY_26)
        assert recompute_if_stale(year=2021, as_of=MAY_26).busy
        assert recompute_all(year=2020, as_of=datetime.date(2020, 5, 26)).status == "succeeded"  # other year

        other.rollback()  # the lock dies with the transaction

    assert recompute_all(year=2021, as_of=MAY_26).status == RecomputeRun.Status.SUCCEEDED
    assert not RecomputeRun.objects.filter(fiscal_year_id=2021, status=RecomputeRun.Status.FAILED).exists()
