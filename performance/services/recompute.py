"""SPEC §5 the recompute: every snapshot of a year rebuilt in one transaction, one run at a time."""

from __future__ import annotations

import datetime
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from finance.models import FiscalYear
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
from performance.services import _sql as sql
from performance.services.adjustments import propose_budget_adjustments
from performance.services.evaluations import inflated_self_scores
from performance.services.leaderboard import DEPARTMENT_SCORES, leaderboard, weak_projects
from performance.services.livelihood import livelihood_share
from performance.services.monitoring import monitoring_round
from performance.services.partitions import attach_snapshot_partition, drop_stale_partitions
from performance.services.progress import (
    PROJECT_SUMS,
    direct_funds,
    drop_project_sums,
    project_sums,
    same_period_last_year,
    time_progress,
)
from performance.services.reviews import budget_review_totals
from performance.services.rollups import monthly_spending, progress_snapshots

logger = logging.getLogger(__name__)

#: First key of the PostgreSQL advisory lock; the second is the year ("RCPR").
ADVISORY_LOCK_CLASS = 0x52435052
#: SPEC §5 two recomputes never interleave: the year's lock, held to the end of the transaction.
LOCK_YEAR = "SELECT pg_try_advisory_xact_lock(%s, %s)"
#: SPEC §5 the run's transaction settings on PostgreSQL: enough memory to hash the roll-ups of ~30k
#: scopes (``project_sums`` turns hashing off for its own pass); no JIT, which costs more than it saves
#: on these one-off queries.
TUNE_TRANSACTION = ("SET LOCAL work_mem = '64MB'", "SET LOCAL jit = off")


class RecomputeBusy(Exception):
    """Another recompute of the same year holds the lock."""


def _lock_year(year: int) -> bool:
    """Take the year's lock for the rest of the transaction; False when another run holds it.

    PostgreSQL: a transaction-level advisory lock, released at commit or rollback and by the server
    when a killed worker's connection drops, so nothing is ever left behind. SQLite lets one writer at
    a time: the run's first statement is a write, so a second run waits for the first to commit.
    """
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute(LOCK_YEAR, [ADVISORY_LOCK_CLASS, year])
        return bool(cursor.fetchone()[0])


def _tune_transaction() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for statement in TUNE_TRANSACTION:
                cursor.execute(statement)


def _requested_generation(year: int) -> int:
    return RecomputeState.objects.filter(pk=year).values_list("requested_generation", flat=True).first() or 0


def _store_figures(*, run: RecomputeRun, as_of: datetime.date) -> None:
    year = run.fiscal_year_id
    livelihood = livelihood_share(year=year)
    funds = direct_funds(year=year)
    reviews = budget_review_totals(start=datetime.date(year, 1, 1), end=as_of)
    RunFigures.objects.create(
        run=run,
        time_progress=time_progress(as_of=as_of),
        previous_as_of=same_period_last_year(as_of=as_of),
        general_budget_spent=livelihood.general_budget_spent,
        livelihood_spent=livelihood.livelihood_spent,
        livelihood_share=livelihood.share,
        previous_general_budget_spent=livelihood.previous_general_budget_spent,
        previous_livelihood_spent=livelihood.previous_livelihood_spent,
        livelihood_growth=livelihood.livelihood_growth,
        direct_funds_received=funds.received,
        direct_funds_allocated=funds.allocated,
        direct_funds_spent=funds.spent,
        direct_funds_allocation_progress=funds.allocation_progress,
        direct_funds_spending_progress=funds.spending_progress,
        review_count=reviews.count,
        review_submitted=reviews.submitted,
        review_cut=reviews.cut,
        review_cut_rate=reviews.cut_rate,
    )


def delete_runs(run_ids: list[int]) -> None:
    """Delete runs with everything they wrote."""
    if not run_ids:
        return
    # Children first, each in one DELETE: snapshots carry no database-level foreign key to their run.
    # On PostgreSQL a run's progress snapshots go with their partition, dropped once this transaction
    # has committed (``drop_stale_partitions``): no 417k-row delete, and no lock on the parent table
    # held through the rest of a run.
    if connection.vendor != "postgresql":
        ProgressSnapshot.objects.filter(run_id__in=run_ids).delete()
    for model in (
        MonthlySpending,
        WeakProject,
        InflatedSelfScore,
        LeaderboardEntry,
        RunFigures,
    ):
        model.objects.filter(run_id__in=run_ids).delete()
    RecomputeRun.objects.filter(pk__in=run_ids).delete()


def prune_runs(*, year: int, keep: int | None = None) -> int:
    """Keep the newest ``keep`` successful runs of a year and the newest ``keep`` runs of any status;
    delete the rest (``keep`` defaults to ``RECOMPUTE_KEEP_RUNS``). Returns the runs deleted."""
    keep = settings.RECOMPUTE_KEEP_RUNS if keep is None else keep
    runs = RecomputeRun.objects.filter(fiscal_year_id=year).order_by("-started_at", "-pk")
    kept = set(runs.filter(status=RecomputeRun.Status.SUCCEEDED).values_list("pk", flat=True)[:keep])
    kept |= set(runs.values_list("pk", flat=True)[:keep])
    stale = list(runs.exclude(pk__in=kept).values_list("pk", flat=True))
    delete_runs(stale)
    return len(stale)


def _drop_stale_partitions() -> None:
    """After the run's commit: the pruned runs' snapshot partitions. A failure here costs nothing but
    disk until the next run, which tries again; it never fails the run that has committed."""
    try:
        dropped = drop_stale_partitions()
    except DatabaseError:
        logger.exception("could not drop the snapshot partitions of deleted runs")
        return
    if dropped:
        logger.info("dropped the snapshot partitions of runs %s", dropped)


def _validated_as_of(year: int, as_of: datetime.date | None) -> datetime.date:
    fiscal_year = FiscalYear.objects.get(pk=year)
    as_of = as_of or fiscal_year.as_of()
    if as_of.year != year:
        raise ValueError(f"as_of {as_of.isoformat()} is not in fiscal year {year}")
    return as_of


def recompute_all(*, year: int, as_of: datetime.date | None = None) -> RecomputeRun:
    """Rebuild every snapshot of ``year`` as of ``as_of`` (default: the year's as-of date) and store
    them under a new ``RecomputeRun``; raises ``RecomputeBusy`` when another run of the year is going.

    Everything is written in one transaction, so a page sees the previous run until this one commits,
    and a failure leaves the previous run as it was; the failed run is then recorded on its own with
    its error. Running it twice on the same data gives the same snapshots.
    """
    as_of = _validated_as_of(year, as_of)
    started_at = timezone.now()
    clock = time.perf_counter()
    try:
        with transaction.atomic():
            run = RecomputeRun.objects.create(fiscal_year_id=year, as_of=as_of, started_at=started_at)
            if not _lock_year(year):
                raise RecomputeBusy(f"a recompute of {year} is already running")
            generation = _requested_generation(year)
            monitoring = monitoring_round(year=year, as_of=as_of)
            _tune_transaction()
            # The work tables (rc_project and those built from it) in a schema of the run's own, where
            # parallel workers can read them (``work_schema``); gone with it at the end of the block.
            with sql.work_schema(f"rc_run_{sql.integer(run.pk)}"):
                counts = {"projects": project_sums(year=year, as_of=as_of, monitoring=monitoring)}
                counts["progress"] = progress_snapshots(run=run, as_of=as_of)
                counts["monthly"] = monthly_spending(run=run, as_of=as_of)
                _store_figures(run=run, as_of=as_of)
                counts["leaderboard"] = leaderboard(run=run)
                counts["weak_projects"] = weak_projects(run=run)
                counts["inflated_self_scores"] = inflated_self_scores(run=run)
                # §4.7 follows the evaluations the run has just scored and the self-scoring check it has
                # just made (not a row count of the run: a second run on the same data adds none).
                proposed = propose_budget_adjustments(year=year, projects=PROJECT_SUMS, run=run)
                drop_project_sums()
                sql.drop_work_tables(DEPARTMENT_SCORES)
            attach_snapshot_partition(run=run)
            run.status = RecomputeRun.Status.SUCCEEDED
            run.finished_at = timezone.now()
            run.duration_ms = round((time.perf_counter() - clock) * 1000)
            run.row_counts = counts
            if monitoring is not None:
                run.monitoring_round_id, run.monitoring_as_of = monitoring.round_id, monitoring.as_of
            run.save(
                update_fields=[
                    "status",
                    "finished_at",
                    "duration_ms",
                    "row_counts",
                    "monitoring_round",
                    "monitoring_as_of",
                ]
            )
            RecomputeState.objects.get_or_create(pk=year)
            RecomputeState.objects.filter(pk=year).update(
                computed_generation=Greatest(F("computed_generation"), generation)
            )
            prune_runs(year=year)
        if proposed:
            logger.info("recompute of %s proposed %s budget adjustments for %s", year, proposed, year + 1)
        _drop_stale_partitions()
    except RecomputeBusy:
        raise
    except Exception as exc:
        logger.exception("recompute of %s as of %s failed", year, as_of)
        RecomputeRun.objects.create(
            fiscal_year_id=year,
            as_of=as_of,
            started_at=started_at,
            finished_at=timezone.now(),
            status=RecomputeRun.Status.FAILED,
            duration_ms=round((time.perf_counter() - clock) * 1000),
            error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        raise
    return run


@dataclass(frozen=True)
class RecomputeOutcome:
    """What a queued recompute did: the run it stored, or why it stored none."""

    run: RecomputeRun | None
    skipped: bool = False
    busy: bool = False


def recompute_if_stale(*, year: int, as_of: datetime.date | None = None) -> RecomputeOutcome:
    """Run ``recompute_all`` unless the latest successful run already covers every requested change
    and the same as-of date: how a burst of queued recomputes collapses into one or two runs."""
    as_of = _validated_as_of(year, as_of)
    state = RecomputeState.objects.filter(pk=year).first()
    latest = (
        RecomputeRun.objects.filter(fiscal_year_id=year, status=RecomputeRun.Status.SUCCEEDED)
        .order_by("-started_at", "-pk")
        .first()
    )
    up_to_date = state is None or not state.is_behind
    if latest is not None and latest.as_of == as_of and up_to_date:
        return RecomputeOutcome(run=latest, skipped=True)
    try:
        return RecomputeOutcome(run=recompute_all(year=year, as_of=as_of))
    except RecomputeBusy:
        return RecomputeOutcome(run=None, busy=True)
