from __future__ import annotations

import datetime
import time

from django.core.management.base import BaseCommand, CommandError

from demo.district.figures import CURRENT_YEAR, PREVIOUS_YEAR
from demo.seed import CREDENTIALS_FILE, seed_demo
from finance.models import Department


class Command(BaseCommand):
    help = (
        "Replace the district's data with the synthetic demo district (SPEC §8): 2020 and 2021, "
        "as of 2021-10-31, and the demo users admin, officer, head and unit."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--scale", type=int, default=1, help="copies of the district (for benchmarks)")
        parser.add_argument(
            "--seed", type=int, default=2021, help="random seed; the same seed gives the same data"
        )
        parser.add_argument("--password", help="demo users' password (else DEMO_PASSWORD, else generated)")
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when departments already exist"
        )
        parser.add_argument(
            "--no-recompute",
            action="store_true",
            help="leave the figures uncomputed (by default both years are computed for the pages)",
        )

    def handle(
        self,
        *args,
        scale: int,
        seed: int,
        password: str | None,
        if_empty: bool,
        no_recompute: bool,
        **options,
    ) -> None:
        if scale < 1:
            raise CommandError("--scale must be 1 or more")
        if if_empty and Department.objects.exists():
            self.stdout.write(
                "The database already holds a district; nothing seeded (drop --if-empty to replace it)."
            )
            return
        started = time.perf_counter()
        result = seed_demo(scale=scale, seed=seed, password=password)
        elapsed = time.perf_counter() - started
        counts = ", ".join(f"{table} {count:,}" for table, count in result.counts.items())
        self.stdout.write(f"Seeded the demo district ×{scale} in {elapsed:.1f} s: {counts}.")
        if result.password_source == "generated":
            self.stdout.write(
                f"Demo users admin, officer, head, unit; password {result.password} "
                f"(kept in {CREDENTIALS_FILE})."
            )
        elif result.password_source == "file":
            self.stdout.write(f"Demo users admin, officer, head, unit; password as in {CREDENTIALS_FILE}.")
        else:
            self.stdout.write(
                f"Demo users admin, officer, head, unit; password from the {result.password_source}."
            )
        if not no_recompute:
            # The pages show computed figures: compute both years now rather than at the first change.
            from performance.services import recompute_all

            for year, as_of in ((PREVIOUS_YEAR, datetime.date(PREVIOUS_YEAR, 12, 31)), (CURRENT_YEAR, None)):
                # The run also proposes the year's budget adjustments and logs how many.
                run = recompute_all(year=year, as_of=as_of)
                self.stdout.write(f"Computed {year} as of {run.as_of} in {run.duration_ms} ms.")
