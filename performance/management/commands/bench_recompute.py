"""``manage.py bench_recompute --scale N``: seed N copies of the demo district and time the recompute
against the floor (SPEC §9). Run it against a throw-away database: the seed replaces its data.

The seed gets a monitoring round with approved reports for three quarters of the projects
(``performance.management.bench_monitoring``), so the monitoring figures of SPEC §14.1 are timed too.
The floor is the bare pass over payments, ``SELECT project_id, SUM(amount) … GROUP BY project_id``,
wrapped in a COUNT/SUM so its rows are not shipped to Python. Both are timed best of 3 in the same
run; the recompute runs in a child process (``manage.py recompute --repeat 3``) whose peak resident
memory is the worker's. The last line is machine-readable:

    recompute_s=X floor_s=Y ratio=X/Y peak_mb=Z projects=P payments=Q
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from finance.selectors import current_fiscal_year
from performance.management.bench_monitoring import seed_bench_monitoring
from projects.models import Payment, Project

BENCH_PASSWORD = "bench-password-123"

FLOOR_SQL = """
    SELECT COUNT(*), SUM(total) FROM (
        SELECT project_id, SUM(amount) AS total FROM projects_payment WHERE paid_on <= %s GROUP BY project_id
    ) per_project
"""


class Command(BaseCommand):
    help = "Seed --scale copies of the demo district, then time the full recompute against the floor."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--scale", type=int, default=1, help="copies of the demo district to seed")
        parser.add_argument("--no-seed", action="store_true", help="time the data already in the database")
        parser.add_argument("--repeat", type=int, default=3, help="timings to take the best of")
        parser.add_argument(
            "--in-process",
            action="store_true",
            help="time the recompute in this process (peak is then the seed's too)",
        )

    def handle(self, *args, scale: int, no_seed: bool, repeat: int, in_process: bool, **options) -> None:
        if not no_seed:
            started = time.perf_counter()
            call_command(
                "seed_demo", scale=scale, password=BENCH_PASSWORD, no_recompute=True, stdout=self.stdout
            )
            self.stdout.write(f"seed_s={time.perf_counter() - started:.1f}")
        fiscal_year = current_fiscal_year()
        if fiscal_year is None:
            raise CommandError("No fiscal year in the database: seed it first (drop --no-seed).")
        year, as_of = fiscal_year.year, fiscal_year.as_of()
        if not no_seed:
            started = time.perf_counter()
            reports = seed_bench_monitoring(year=year, as_of=as_of)
            self.stdout.write(
                f"monitoring_reports={reports} monitoring_seed_s={time.perf_counter() - started:.1f}"
            )
        self._analyze()
        projects = Project.objects.filter(fiscal_year_id=year).count()
        payments = Payment.objects.count()

        floor = min(self._time_floor(as_of) for _ in range(repeat))
        if in_process:
            recompute, peak_kb = self._recompute_here(year, as_of, repeat)
        else:
            recompute, peak_kb = self._recompute_in_child(year, as_of, repeat)
        peak_mb = peak_kb / 1024
        self.stdout.write(
            f"database={connection.vendor} year={year} as_of={as_of.isoformat()} "
            f"best_of={repeat} recompute={recompute:.3f}s floor={floor:.3f}s"
        )
        self.stdout.write(
            f"recompute_s={recompute:.3f} floor_s={floor:.3f} ratio={recompute / floor:.2f} "
            f"peak_mb={peak_mb:.0f} projects={projects} payments={payments}"
        )

    def _analyze(self) -> None:
        """Fresh statistics and visibility map after a bulk seed, so both timings use the index."""
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                for table in (
                    "projects_payment",
                    "projects_project",
                    "performance_evaluation",
                    "performance_monitoringreport",
                    "performance_monitoringline",
                ):
                    cursor.execute(f"VACUUM ANALYZE {table}")
            else:
                cursor.execute("ANALYZE")

    def _time_floor(self, as_of) -> float:
        with connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute(FLOOR_SQL, [as_of])
            cursor.fetchall()
            return time.perf_counter() - started

    def _recompute_here(self, year: int, as_of, repeat: int) -> tuple[float, float]:
        from performance.services import recompute_all

        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            recompute_all(year=year, as_of=as_of)
            timings.append(time.perf_counter() - started)
        return min(timings), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    def _recompute_in_child(self, year: int, as_of, repeat: int) -> tuple[float, float]:
        command = [
            sys.executable,
            str(Path(settings.BASE_DIR) / "manage.py"),
            "recompute",
            f"--year={year}",
            f"--as-of={as_of.isoformat()}",
            f"--repeat={repeat}",
        ]
        # Connections are not shared with the child; it opens its own from the same environment.
        result = subprocess.run(command, capture_output=True, text=True, env=os.environ.copy(), check=False)
        if result.returncode != 0:
            raise CommandError(f"the recompute failed:\n{result.stdout}{result.stderr}")
        self.stdout.write(result.stdout.strip())
        best = re.search(r"best_s=([0-9.]+)", result.stdout)
        if best is None:
            raise CommandError(f"no timing in the recompute's output:\n{result.stdout}")
        return float(best.group(1)), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
