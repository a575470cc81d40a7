"""Which run a page shows, and whether it is stale (SPEC §5)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import (
    DecimalField,
    OuterRef,
    Subquery,
)

from finance.models import FiscalYear
from finance.scoping import scope_of
from performance.models import (
    RecomputeRun,
    RecomputeState,
    RunFigures,
    ScopeKind,
)

#: Scopes whose figures are not one department's detail: every signed-in role sees them.
SHARED_SCOPES = frozenset({ScopeKind.DISTRICT, ScopeKind.FUNCTION_CLASS, ScopeKind.FUND_SOURCE})


MONEY_OUTPUT = DecimalField(max_digits=16, decimal_places=2)


def has_role(user) -> bool:
    return not scope_of(user).nothing


def computed_current_year() -> int | None:
    """The current fiscal year if it has a successful run (what the whole-dashboard workbook needs)."""
    return (
        RecomputeRun.objects.filter(fiscal_year__is_current=True, status=RecomputeRun.Status.SUCCEEDED)
        .values_list("fiscal_year_id", flat=True)
        .first()
    )


def latest_run(*, year: int) -> RecomputeRun | None:
    """The newest successful run of ``year``: the one every page shows."""
    return (
        RecomputeRun.objects.filter(fiscal_year_id=year, status=RecomputeRun.Status.SUCCEEDED)
        .order_by("-started_at", "-pk")
        .first()
    )


@dataclass(frozen=True)
class SnapshotStatus:
    """What a page says about its figures: the run, when it was computed, and whether it is stale."""

    run: RecomputeRun | None
    computed_at: datetime.datetime | None
    as_of: datetime.date | None
    is_stale: bool
    last_failure: RecomputeRun | None


def snapshot_status(*, year: int, fiscal_year: FiscalYear | None = None) -> SnapshotStatus:
    """Stale when changes were made since the run, or when the year's as-of date has moved on.

    One query: the newest successful run with its headline figures (``run_figures`` then reads none),
    with the newest failure after it (if any) and the year's recompute state read in the same query;
    ``fiscal_year`` saves a second when the page has loaded it.
    """
    state = RecomputeState.objects.filter(pk=year)
    failures_after = RecomputeRun.objects.filter(
        fiscal_year_id=year, status=RecomputeRun.Status.FAILED, started_at__gt=OuterRef("started_at")
    ).order_by("-started_at", "-pk")
    run = (
        RecomputeRun.objects.filter(fiscal_year_id=year, status=RecomputeRun.Status.SUCCEEDED)
        .select_related("figures")
        .annotate(
            failure_pk=Subquery(failures_after.values("pk")[:1]),
            failure_started_at=Subquery(failures_after.values("started_at")[:1]),
            failure_error=Subquery(failures_after.values("error")[:1]),
            requested_generation=Subquery(state.values("requested_generation")[:1]),
            computed_generation=Subquery(state.values("computed_generation")[:1]),
        )
        .order_by("-started_at", "-pk")
        .first()
    )
    failure = None
    if run is None:
        failure = (
            RecomputeRun.objects.filter(fiscal_year_id=year, status=RecomputeRun.Status.FAILED)
            .order_by("-started_at", "-pk")
            .first()
        )
    elif run.failure_pk is not None:
        failure = RecomputeRun(
            pk=run.failure_pk,
            fiscal_year_id=year,
            as_of=run.as_of,
            started_at=run.failure_started_at,
            status=RecomputeRun.Status.FAILED,
            error=run.failure_error or "",
        )
    if fiscal_year is None:
        fiscal_year = FiscalYear.objects.filter(pk=year).first()
    is_stale = (
        run is None
        or (run.requested_generation is not None and run.computed_generation < run.requested_generation)
        or (fiscal_year is not None and fiscal_year.as_of() != run.as_of)
    )
    return SnapshotStatus(
        run=run,
        computed_at=run.finished_at if run else None,
        as_of=run.as_of if run else None,
        is_stale=is_stale,
        last_failure=failure,
    )


def run_figures(*, run: RecomputeRun, user) -> RunFigures | None:
    """The run's headline figures (livelihood share, direct funds, budget reviews); district-wide."""
    if not has_role(user):
        return None
    figures = RecomputeRun.figures.related
    if figures.is_cached(run):  # loaded with the run (``snapshot_status``, the briefs' run)
        return figures.get_cached_value(run)
    return RunFigures.objects.filter(run=run).first()


def run_seconds(run: RecomputeRun) -> float:
    """How long the run took, in seconds."""
    return (run.duration_ms or 0) / 1000
