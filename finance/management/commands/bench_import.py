"""``manage.py bench_import``: time the import of a generated payments file (issue 6: 100,000 rows ≤ 10 s).

The file is made against the projects of the current fiscal year already in the database (seed the demo
first), with new voucher numbers, so every row is a payment to create. The import is then rolled back,
unless ``--keep``, so the command can be run again on the same database.
"""

from __future__ import annotations

import csv
import datetime
import io
import random
import resource
import time
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import override_settings
from openpyxl import Workbook

from finance.importing.services import apply_plan, checksum_of, plan_import, rollback_batch
from finance.selectors import current_fiscal_year
from projects.models import Project

HEADER = ["voucher_no", "year", "project_code", "paid_on", "amount"]


def payments_file(
    *, rows: int, year: int, codes: list[str], as_of: datetime.date, seed: int, fmt: str
) -> bytes:
    """A payments file of ``rows`` new payments spread over ``codes`` between 1 January and ``as_of``."""
    rng = random.Random(seed)
    prefix = f"BENCH{int(time.time())}-"
    days = (as_of - datetime.date(year, 1, 1)).days + 1
    records = (
        [
            f"{prefix}{number:07d}",
            year,
            rng.choice(codes),
            (datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(days))).isoformat(),
            f"{Decimal(rng.randrange(100, 5_000_000)) / 100:.2f}",
        ]
        for number in range(rows)
    )
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(HEADER)
        writer.writerows(records)
        return buffer.getvalue().encode("utf-8")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("payments")
    sheet.append(HEADER)
    for record in records:
        sheet.append(record)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Command(BaseCommand):
    help = "Generate a payments file against the current year's projects and time its import (and rollback)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--rows", type=int, default=100_000, help="payments in the file")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv", dest="fmt")
        parser.add_argument("--seed", type=int, default=6)
        parser.add_argument("--keep", action="store_true", help="keep the imported payments (no rollback)")

    def handle(self, *args, rows: int, fmt: str, seed: int, keep: bool, **options) -> None:
        fiscal_year = current_fiscal_year()
        if fiscal_year is None:
            raise CommandError("no fiscal year in the database; run `manage.py seed_demo` first")
        codes = list(Project.objects.filter(fiscal_year=fiscal_year).values_list("code", flat=True))
        if not codes:
            raise CommandError(f"no projects in {fiscal_year.year}; run `manage.py seed_demo` first")
        started = time.perf_counter()
        data = payments_file(
            rows=rows, year=fiscal_year.year, codes=codes, as_of=fiscal_year.as_of(), seed=seed, fmt=fmt
        )
        generated = time.perf_counter() - started
        self.stdout.write(
            f"{connection.vendor}: {rows:,} payments over {len(codes):,} projects of {fiscal_year.year}, "
            f"{fmt.upper()} {len(data) / 1e6:.1f} MB (generated in {generated:.1f} s)"
        )
        memory_before = peak_rss_mb()
        # The recompute that an import queues is measured by bench_recompute, not here.
        with override_settings(RECOMPUTE_ON_CHANGE=False):
            started = time.perf_counter()
            plan = plan_import(kind="payments", file_name=f"bench.{fmt}", data=data)
            validated = time.perf_counter() - started
            if not plan.ok:
                raise CommandError(f"the generated file has problems: {plan.problems[:3]}")
            started = time.perf_counter()
            batch = apply_plan(plan=plan, file_name=f"bench.{fmt}", checksum=checksum_of(data))
            applied = time.perf_counter() - started
            del plan
            self.stdout.write(
                f"read + validate {validated:.2f} s, apply (one transaction) {applied:.2f} s, "
                f"import total {validated + applied:.2f} s; "
                f"created {batch.created_count:,}; "
                f"peak RSS {peak_rss_mb():.0f} MB (before the import: {memory_before:.0f} MB)"
            )
            if not keep:
                started = time.perf_counter()
                outcome = rollback_batch(batch_id=batch.pk)
                self.stdout.write(
                    f"rollback {time.perf_counter() - started:.2f} s ({outcome.deleted:,} payments deleted)"
                )
