"""Celery tasks: thin, idempotent wrappers around the recompute services (SPEC §5)."""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.db.models import Exists, F, OuterRef

from finance.models import FiscalYear
from finance.selectors import current_fiscal_year
from performance.models import RecomputeRun, RecomputeState
from performance.services.coalescing import bump_generation
from performance.services.recompute import recompute_if_stale

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=8,
)
def recompute_all(self, year: int, as_of_iso: str | None = None) -> int | None:
    """Recompute ``year`` as of ``as_of_iso`` (default: the year's as-of date) unless the latest run
    already covers every change; returns the id of the run that holds the year's figures.

    Acknowledged only when done, so a worker that dies mid-run leaves the message to another worker
    (and the previous snapshots in place: the run's transaction never committed).
    """
    as_of = datetime.date.fromisoformat(as_of_iso) if as_of_iso else None
    outcome = recompute_if_stale(year=year, as_of=as_of)
    if outcome.busy:
        # Another run of the year is going; it may have started before our change, so come back.
        countdown = settings.RECOMPUTE_BUSY_RETRY_SECONDS
        logger.info(
            "recompute of %s is busy: another run holds the year's lock; again in %s s", year, countdown
        )
        raise self.retry(countdown=countdown, max_retries=40)
    if outcome.skipped:
        logger.info("recompute of %s skipped: run %s is up to date", year, outcome.run.pk)
    return outcome.run.pk if outcome.run else None


@shared_task(acks_late=True, reject_on_worker_lost=True)
def recompute_current_year() -> str | None:
    """The nightly run: queue the current year's recompute as of its as-of date; returns the task id.

    The year is marked as wanting a run first, as a change would mark it: if the message or the run
    is lost (the broker down, the worker killed), the year stays behind and beat's stale-year check
    (``recompute_stale_years``) queues it again within minutes, instead of the next night.
    """
    fiscal_year = current_fiscal_year()
    if fiscal_year is None:
        return None
    bump_generation(year=fiscal_year.year)
    return recompute_all.delay(fiscal_year.year).id


def years_behind() -> list[int]:
    """Years with changes that no run covers yet, less those whose newest run failed after the last
    change: the same data would fail the same way, and the next change or the button tries again."""
    failed_since_last_change = RecomputeRun.objects.filter(
        fiscal_year_id=OuterRef("pk"),
        status=RecomputeRun.Status.FAILED,
        started_at__gte=OuterRef("requested_at"),
    )
    return list(
        RecomputeState.objects.filter(
            computed_generation__lt=F("requested_generation"),
            year__in=FiscalYear.objects.values("year"),
        )
        .exclude(Exists(failed_since_last_change))
        .order_by("year")
        .values_list("year", flat=True)
    )


@shared_task(acks_late=True, reject_on_worker_lost=True, autoretry_for=(OperationalError, InterfaceError))
def recompute_stale_years() -> list[int]:
    """Every few minutes (beat): queue a recompute of each year whose changes no run covers yet;
    returns those years.

    A change queues its recompute when its transaction commits; with the broker down that enqueue is
    only logged and the year stays behind. This makes it good once the broker is back. A year already
    queued costs one skipped task.
    """
    years = years_behind()
    for year in years:
        recompute_all.delay(year)
    if years:
        logger.info("queued the recompute of stale years %s", years)
    return years
