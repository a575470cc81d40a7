"""``manage.py recompute --year Y [--as-of YYYY-MM-DD]``: run the recompute now and report it."""

from __future__ import annotations

import datetime
import time

from django.core.management.base import BaseCommand, CommandError

from finance.models import FiscalYear
from performance.services import RecomputeBusy, recompute_all


class Command(BaseCommand):
    help = "Rebuild a year's progress snapshots and leaderboard now (SPEC §5) and print the run's row counts."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--year", type=int, required=True, help="fiscal year")
        parser.add_argument("--as-of", help="date the figures are computed as of (default: the year's)")
        parser.add_argument(
            "--repeat", type=int, default=1, help="run it this many times and report the best (benchmarks)"
        )

    def handle(self, *args, year: int, as_of: str | None, repeat: int, **options) -> None:
        if not FiscalYear.objects.filter(pk=year).exists():
            raise CommandError(f"No fiscal year {year}.")
        try:
            as_of_date = datetime.date.fromisoformat(as_of) if as_of else None
        except ValueError as exc:
            raise CommandError(f"--as-of must be YYYY-MM-DD, got {as_of!r}") from exc
        timings = []
        for _ in range(max(repeat, 1)):
            started = time.perf_counter()
            try:
                run = recompute_all(year=year, as_of=as_of_date)
            except RecomputeBusy as exc:
                raise CommandError(f"{exc}; try again when it has finished.") from exc
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            timings.append(time.perf_counter() - started)
        counts = " ".join(f"{name}={count}" for name, count in run.row_counts.items())
        self.stdout.write(
            f"run {run.pk} {run.status}: year={year} as_of={run.as_of.isoformat()} {counts} "
            f"duration_ms={run.duration_ms}"
        )
        if repeat > 1:
            self.stdout.write(f"best_s={min(timings):.3f} runs={len(timings)}")
