"""``manage.py bench_import``: time the import of a generated payments file (issue 6: 100,000 rows ≤ 10 s)
and measure its peak memory (issue 15).

The file is made against the projects of the current fiscal year already in the database (seed the demo
first), with new voucher numbers, so every row is a payment to create. The import is then rolled back,
unless ``--keep``, so the command can be run again on the same database.

``--hostile sparse`` validates instead the 1.5 KB workbook of issue 15 (one cell at XFD200000, no
<dimension>), which must be refused; ``--hostile unpacked`` a workbook of about 1.2 MB that unpacks to
about 274 MB (rows of long strings, the row limit's worth), which is validated and refused row by row.
Peak memory is the process's resident high-water mark (Linux ``VmHWM``), reset before each phase, so
that making the file does not count; elsewhere the process's ``ru_maxrss``.
"""

from __future__ import annotations

import csv
import datetime
import io
import random
import resource
import time
import zipfile
from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import override_settings
from django.utils import translation
from openpyxl import Workbook

from finance.importing.applying import apply_plan, checksum_of
from finance.importing.messages import ImportRefused
from finance.importing.planning import plan_import
from finance.importing.rollback import rollback_batch
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
    """The process's peak resident memory since the last ``reset_peak()`` (since it started, where
    Linux's /proc is not there to reset it)."""
    try:
        status = Path("/proc/self/status").read_text()
        return int(status.split("VmHWM:")[1].split()[0]) / 1024
    except (OSError, IndexError, ValueError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak() -> float:
    """Start measuring the peak afresh (Linux); returns the memory held now, in MB."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        status = Path("/proc/self/status").read_text()
        return int(status.split("VmRSS:")[1].split()[0]) / 1024
    except (OSError, IndexError, ValueError):
        return peak_rss_mb()


_SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main"><sheetData>'
)
_SHEET_END = "</sheetData></worksheet>"


def _workbook(sheet_parts) -> bytes:
    """A workbook written by hand around one sheet whose XML comes in parts (streamed into the zip)."""
    relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        target.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
            'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>',
        )
        target.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{package}"><Relationship Id="rId1" Type="{relationships}/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        target.writestr(
            "xl/workbook.xml",
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'xmlns:r="{relationships}"><sheets><sheet name="payments" sheetId="1" r:id="rId1"/></sheets>'
            "</workbook>",
        )
        target.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{package}"><Relationship Id="rId1" Type="{relationships}/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>',
        )
        with target.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(_SHEET_START.encode())
            for part in sheet_parts:
                sheet.write(part.encode())
            sheet.write(_SHEET_END.encode())
    return output.getvalue()


def _text(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def sparse_workbook() -> bytes:
    """Issue 15's 1.5 KB workbook: a header and one cell at XFD200000, no <dimension>."""
    return _workbook(
        [
            f'<row r="1">{_text("A1", "voucher_no")}{_text("B1", "year")}</row>',
            f'<row r="200000">{_text("XFD200000", "x")}</row>',
        ]
    )


def unpacked_workbook(*, rows: int = 199_999, text_length: int = 1_125) -> bytes:
    """A workbook of about 1.2 MB that unpacks to about 274 MB: rows of payments whose voucher numbers
    are 1,132 characters long (each row is refused: a voucher number has at most 40)."""

    def parts():
        yield (
            '<row r="1">'
            + "".join(_text(f"{column}1", name) for column, name in zip("ABCDE", HEADER, strict=True))
            + "</row>"
        )
        filler = "V" * text_length
        for number in range(2, rows + 2):
            yield (
                f'<row r="{number}">{_text(f"A{number}", f"{filler}{number:07d}")}'
                f'<c r="B{number}"><v>2021</v></c>{_text(f"C{number}", "P0001")}'
                f'{_text(f"D{number}", "2021-06-30")}<c r="E{number}"><v>100.5</v></c></row>'
            )

    return _workbook(parts())


class Command(BaseCommand):
    help = "Generate a payments file against the current year's projects and time its import (and rollback)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--rows", type=int, default=100_000, help="payments in the file")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv", dest="fmt")
        parser.add_argument("--seed", type=int, default=6)
        parser.add_argument("--keep", action="store_true", help="keep the imported payments (no rollback)")
        parser.add_argument(
            "--hostile",
            choices=["sparse", "unpacked"],
            help="validate issue 15's hostile workbook instead: one far cell, or 274 MB unpacked",
        )

    def handle(
        self, *args, rows: int, fmt: str, seed: int, keep: bool, hostile: str | None, **options
    ) -> None:
        if hostile:
            self._hostile(hostile)
            return
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
        memory_before = reset_peak()
        # The recompute that an import queues is measured by bench_recompute, not here.
        with override_settings(RECOMPUTE_ON_CHANGE=False):
            started = time.perf_counter()
            plan = plan_import(kind="payments", file_name=f"bench.{fmt}", data=data)
            validated = time.perf_counter() - started
            validate_peak = peak_rss_mb()
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
                f"peak RSS {validate_peak:.0f} MB validating, {peak_rss_mb():.0f} MB with the apply "
                f"(before the import: {memory_before:.0f} MB)"
            )
            if not keep:
                started = time.perf_counter()
                outcome = rollback_batch(batch_id=batch.pk)
                self.stdout.write(
                    f"rollback {time.perf_counter() - started:.2f} s ({outcome.deleted:,} payments deleted)"
                )

    def _hostile(self, which: str) -> None:
        started = time.perf_counter()
        data = sparse_workbook() if which == "sparse" else unpacked_workbook()
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
        self.stdout.write(
            f"{which}: XLSX {len(data):,} bytes, unpacks to {unpacked / 1e6:.1f} MB "
            f"(generated in {time.perf_counter() - started:.1f} s)"
        )
        memory_before = reset_peak()
        started = time.perf_counter()
        with translation.override("en"):
            try:
                plan = plan_import(kind="payments", file_name=f"{which}.xlsx", data=data)
            except ImportRefused as refused:
                outcome = f"refused: {refused.problems[0].text()}"
            else:
                first = plan.problems[0].text() if plan.problems else "-"
                outcome = (
                    f"{plan.rows_total:,} rows, {plan.problem_count:,} problems "
                    f"({len(plan.problems):,} kept), first: {first}"
                )
        self.stdout.write(
            f"validate {time.perf_counter() - started:.2f} s; peak RSS {peak_rss_mb():.0f} MB "
            f"(before: {memory_before:.0f} MB); {outcome}"
        )
