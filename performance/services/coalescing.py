"""SPEC §5 triggers: a change marks its year dirty and queues one recompute per transaction.

A save of a payment, project, evaluation, grant or budget review (``performance.signals``), an import
or an officer's button calls ``request_recompute``/``note_change``. Inside a transaction the changes are
gathered on one ``transaction.on_commit`` callback, so 200 saves in one transaction bump the year's
``requested_generation`` once and queue one task; the task skips itself when the latest run already
covers that generation. Nothing is kept in Redis: a killed worker leaves no lock behind, and a lost
task is made good by the next change or the nightly run.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import F
from django.utils import timezone

from finance.models import FiscalYear
from performance.models import RecomputeState

logger = logging.getLogger(__name__)


def bump_generation(*, year: int) -> None:
    """Count one more requested change for ``year``."""
    updated = RecomputeState.objects.filter(pk=year).update(
        requested_generation=F("requested_generation") + 1, requested_at=timezone.now()
    )
    if not updated:
        RecomputeState.objects.get_or_create(pk=year)
        RecomputeState.objects.filter(pk=year).update(
            requested_generation=F("requested_generation") + 1, requested_at=timezone.now()
        )


def enqueue_recompute(*, year: int) -> None:
    """Queue ``performance.tasks.recompute_all`` for ``year``; a broker that is down is logged, not
    raised: the change is committed and the next change or the nightly run picks it up."""
    from performance.tasks import recompute_all

    try:
        recompute_all.delay(year)
    except Exception:
        logger.exception("could not queue the recompute of %s", year)


class PendingRecompute:
    """The one on-commit callback of a transaction: the years and projects it changed."""

    def __init__(self, using: str) -> None:
        self.using = using
        self.years: set[int] = set()
        self.project_ids: set[int] = set()
        self.fired = False

    def __call__(self) -> None:
        from projects.models import Project

        self.fired = True
        years = set(self.years)
        ids = sorted(self.project_ids)
        for start in range(0, len(ids), 500):
            years.update(
                Project.objects.using(self.using)
                .filter(pk__in=ids[start : start + 500])
                .values_list("fiscal_year_id", flat=True)
                .distinct()
            )
        # Year Y's scores are year Y+1's "previous year": its increments and growth change too.
        years.update(
            FiscalYear.objects.using(self.using)
            .filter(year__in=[year + 1 for year in years])
            .values_list("year", flat=True)
        )
        for year in sorted(years):
            bump_generation(year=year)
            enqueue_recompute(year=year)


def _pending_callback(using: str) -> PendingRecompute | None:
    # Django keeps a transaction's on-commit callbacks in ``run_on_commit`` and drops those of a
    # rolled-back savepoint, so finding ours there tells whether this transaction already has one.
    for _savepoints, callback, *_ in connections[using].run_on_commit:
        if isinstance(callback, PendingRecompute) and not callback.fired:
            return callback
    return None


def note_change(
    *, years: Iterable[int] = (), project_ids: Iterable[int] = (), using: str = DEFAULT_DB_ALIAS
) -> None:
    """Mark the years of a change dirty and queue their recompute when the transaction commits."""
    if not settings.RECOMPUTE_ON_CHANGE:
        return
    connection = connections[using]
    pending = _pending_callback(using) if connection.in_atomic_block else None
    fresh = pending is None
    if fresh:
        pending = PendingRecompute(using)
    pending.years.update(int(year) for year in years if year is not None)
    pending.project_ids.update(int(pk) for pk in project_ids if pk is not None)
    if fresh:
        transaction.on_commit(pending, using=using, robust=True)


def request_recompute(*, year: int) -> None:
    """Ask for a recompute of ``year`` once the current transaction commits (imports, the button)."""
    note_change(years=[year])
