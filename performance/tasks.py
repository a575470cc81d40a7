"""Celery tasks: thin, idempotent wrappers around the recompute services (SPEC §5)."""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

from finance.selectors import current_fiscal_year
from performance.services.recompute import recompute_if_stale

logger = logging.getLogger(__name__)

#: Seconds before a recompute that found its year locked by another run tries again.
BUSY_RETRY_SECONDS = 15


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
        raise self.retry(countdown=BUSY_RETRY_SECONDS, max_retries=40)
    if outcome.skipped:
        logger.info("recompute of %s skipped: run %s is up to date", year, outcome.run.pk)
    return outcome.run.pk if outcome.run else None


@shared_task(acks_late=True, reject_on_worker_lost=True)
def recompute_current_year() -> str | None:
    """The nightly run: queue the current year's recompute as of its as-of date; returns the task id."""
    fiscal_year = current_fiscal_year()
    if fiscal_year is None:
        return None
    return recompute_all.delay(fiscal_year.year).id
