"""``manage.py import_data KIND FILE [--dry-run]``: the import page's work from the command line."""

from __future__ import annotations

import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from finance.importing.applying import import_file
from finance.importing.kinds import KINDS
from finance.importing.messages import ImportRefused, Problem


def describe(problem: Problem, headers: dict[str, str]) -> str:
    where = []
    if problem.line:
        where.append(f"line {problem.line}")
    if problem.column:
        where.append(headers.get(problem.column, problem.column))
    return f"{', '.join(where)}: {problem.text()}" if where else problem.text()


class Command(BaseCommand):
    help = (
        "Import one XLSX or CSV file of departments, units, projects, payments, evaluations or indicators. "
        "Every problem is printed with its line and column; nothing changes unless the whole file is clean."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", choices=sorted(KINDS), help="what the file holds")
        parser.add_argument("file", help="path of the .xlsx or .csv file")
        parser.add_argument("--dry-run", action="store_true", help="validate and report; change nothing")
        parser.add_argument("--user", help="username recorded as the importer")
        parser.add_argument("--language", default=None, help="language of the messages: zh-hans or en")

    def handle(
        self, *args, kind: str, file: str, dry_run: bool, user: str | None, language: str | None, **options
    ):
        with translation.override(language or translation.get_language()):
            return self._import(kind=kind, path=Path(file), dry_run=dry_run, username=user)

    def _import(self, *, kind: str, path: Path, dry_run: bool, username: str | None) -> None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror or exc}") from None
        importer = None
        if username:
            importer = get_user_model().objects.filter(username=username).first()
            if importer is None:
                raise CommandError(f"there is no user {username!r}")
        started = time.perf_counter()
        try:
            plan, batch = import_file(
                kind=kind, file_name=path.name, data=data, user=importer, dry_run=dry_run
            )
        except ImportRefused as refused:
            for problem in refused.problems:
                self.stderr.write(describe(problem, {}))
            raise CommandError(f"{path.name}: not imported") from None
        elapsed = time.perf_counter() - started
        if not plan.ok:
            for problem in plan.problems:
                self.stderr.write(describe(problem, plan.headers))
            if plan.problem_count > len(plan.problems):
                more = plan.problem_count - len(plan.problems)
                self.stderr.write(f"… and {more} more, counted but not kept (IMPORT_MAX_PROBLEMS)")
            raise CommandError(
                f"{path.name}: {plan.problem_count} problem(s) in {plan.rows_total} rows; nothing was changed"
            )
        for warning in plan.warnings:
            self.stdout.write(f"warning: {describe(warning, plan.headers)}")
        counts = f"{len(plan.creates)} to create, {len(plan.updates)} to update, {plan.unchanged} unchanged"
        if dry_run:
            self.stdout.write(
                f"{path.name}: {plan.rows_total} rows are valid ({counts}); dry run, nothing changed."
            )
        elif batch is None:
            self.stdout.write(
                f"{path.name}: nothing to change, all {plan.rows_total} rows are already stored."
            )
        else:
            self.stdout.write(f"{path.name}: imported as batch {batch.pk} ({counts}) in {elapsed:.1f} s.")
