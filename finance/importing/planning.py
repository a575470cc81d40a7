"""Planning an import: read a file and validate every row, writing nothing (SPEC §7, issue 6).

``plan_import`` works out every problem with its line and column, and what would be created, updated
or left unchanged; ``applying.apply_plan`` then writes a clean plan.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import models

from finance.importing import limits
from finance.importing import messages as msg
from finance.importing.kinds import KINDS, Kind, row_parser
from finance.importing.messages import ImportRefused, Problem
from finance.importing.reading import read_table
from finance.importing.storing import json_value
from finance.importing.writing import filter_in

#: How often (in rows) validation reports its progress.
PROGRESS_EVERY = 5000
#: Updated rows whose changed fields a plan describes for the preview (old → new).
PREVIEW_CHANGES = 200
#: The context key under which ``check_file`` lists changes beyond the kind's rows, as preview changes.
OTHER_CHANGES = "other_changes"
#: ... and how many records they count as (several changes may be of one record); their number if not given.
OTHER_CHANGE_COUNT = "other_change_count"

Progress = Callable[[int, int], None]


@dataclass
class Plan:
    """What importing a file would do: its problems, or the rows to create and update."""

    kind: Kind
    rows_total: int = 0
    #: The first problems by line (``IMPORT_MAX_PROBLEMS`` of them); ``problem_count`` counts them all.
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    #: Worth a look before applying (a payment dated after the as-of date), no reason to refuse.
    warnings: list[Problem] = field(default_factory=list)
    creates: list[tuple[int, dict]] = field(default_factory=list)  # (line, attributes)
    updates: list[tuple[int, models.Model, dict, dict]] = field(default_factory=list)  # (line, obj, old, new)
    unchanged: int = 0
    years: set[int] = field(default_factory=set)
    headers: dict[str, str] = field(default_factory=dict)  # column key -> its header in the file
    ignored_columns: list[str] = field(default_factory=list)
    #: The first updates' changed fields: {"line", "key", "fields": [{"name", "column", "old", "new"}]}.
    changes: list[dict] = field(default_factory=list)
    #: Records beyond the kind's rows that applying would change (a project's targets: its goal), as
    #: the kind's ``check_file`` found them; a file that changes only these still applies.
    other_changes: int = 0
    #: What the kind worked out while checking (``Resolved.context``), for its ``after_import``.
    context: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def has_changes(self) -> bool:
        return bool(self.creates or self.updates or self.other_changes)


class FirstProblems:
    """The first ``limit`` problems by line and column, whatever order they come in, and the count of
    all: memory stays bounded however many rows are wrong."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.count = 0
        self._kept: list[Problem] = []

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.count += 1
            self._kept.append(problem)
            if len(self._kept) >= 2 * self.limit:
                self._trim()

    def _trim(self) -> None:
        self._kept.sort(key=lambda problem: (problem.line or 0, problem.column))
        del self._kept[self.limit :]

    def first(self) -> list[Problem]:
        self._trim()
        return list(self._kept)


def _normalise_header(text: str) -> str:
    return re.sub(r"[\s_\-]+", "", str(text)).casefold()


#: A unit in brackets at the end of a header: 预算金额（元）, amount (yuan), 支付金额(万元).
_HEADER_UNIT = re.compile(r"^(.*?)\s*[(（]\s*([^()（）]*?)\s*[)）]\s*$")
#: What a header may say for an amount in 元.
_YUAN = {"元", "yuan", "rmb", "cny", "人民币元", "人民币", "¥", "￥"}


def _split_unit(text: str) -> tuple[str, str | None]:
    """A header's text and the unit it names in brackets at its end (None when it names none)."""
    match = _HEADER_UNIT.match(text)
    return (match.group(1), match.group(2)) if match else (text, None)


def map_header(kind: Kind, header: list[str], line: int) -> tuple[dict[str, int], dict[str, str], list[str]]:
    """Column key -> index in the row, and the header text found for it; English or Chinese headers.

    Raises ``ImportRefused`` when a column is missing or given twice.
    """
    names: dict[str, str] = {}
    for column in kind.columns:
        names[_normalise_header(column.key)] = column.key
        names[_normalise_header(column.zh)] = column.key
    mapping: dict[str, int] = {}
    headers: dict[str, str] = {}
    ignored: list[str] = []
    problems: list[Problem] = []
    units = {column.key: column.unit for column in kind.columns}
    refused: set[str] = set()  # columns found, but in a unit the import does not read
    for index, text in enumerate(header):
        key = names.get(_normalise_header(text))
        if key is None:
            base, unit = _split_unit(str(text))
            key = names.get(_normalise_header(base)) if unit is not None else None
            if key is not None and units[key] and _normalise_header(unit) not in _YUAN:
                column = next(c for c in kind.columns if c.key == key)
                problems.append(
                    Problem(
                        msg.WRONG_UNIT,
                        {"column": text, "unit": unit, "expected": column.header("zh")},
                        line=line,
                        column=key,
                    )
                )
                refused.add(key)
                continue
        if key is None:
            if text:
                ignored.append(text)
            continue
        if key in mapping:
            problems.append(Problem(msg.DUPLICATE_COLUMN, {"column": text}, line=line, column=key))
            continue
        mapping[key] = index
        headers[key] = text
    for column in kind.columns:
        if column.key not in mapping and column.key not in refused and not column.optional:
            problems.append(
                Problem(
                    msg.MISSING_COLUMN, {"column": column.key, "zh": column.zh}, line=line, column=column.key
                )
            )
    if problems:
        raise ImportRefused(problems)
    return mapping, headers, ignored


def plan_import(*, kind: str, file_name: str, data: bytes, progress: Progress | None = None) -> Plan:
    """Read and validate a file; write nothing. Raises ``ImportRefused`` when the file cannot be read.

    The file's rows are read one at a time and kept only as parsed values; of the problems, the first
    ``IMPORT_MAX_PROBLEMS`` are kept and all are counted.
    """
    importer = KINDS[kind]
    table = read_table(file_name=file_name, data=data)
    mapping, headers, ignored = map_header(importer, table.header, table.header_line)
    plan = Plan(kind=importer, headers=headers, ignored_columns=ignored)
    found = FirstProblems(limits.max_problems())
    found.extend(table.problems)

    parsed: list[tuple[int, dict]] = []
    first_line_of: dict[tuple, int] = {}
    key_columns = importer.key_columns
    parse_row = row_parser(importer, mapping)
    expected = table.expected_rows
    done = 0
    for done, (line, raw) in enumerate(table.rows, start=1):
        row, problems = parse_row(line, raw)
        if all(key in row for key in key_columns):
            # Keys compare as the database's unique constraints do: exactly.
            key = tuple(row[key] for key in key_columns)
            first = first_line_of.setdefault(key, line)
            if first != line:
                shown = next(
                    (key for key in reversed(key_columns) if row[key] not in ("", None)), key_columns[0]
                )
                problems.append(
                    Problem(
                        msg.DUPLICATE_KEY,
                        {"key": importer.key_text(row), "first": str(first)},
                        line=line,
                        column=shown,
                    )
                )
        if problems:
            found.extend(problems)
        else:
            parsed.append((line, row))
        if progress and done % PROGRESS_EVERY == 0:
            progress(done, max(expected, done))
    plan.rows_total = done
    del table, first_line_of

    resolved = importer.resolve(parsed)
    del parsed
    found.extend(resolved.problems)
    resolved.problems = []
    existing = importer.existing([attrs for _line, _row, attrs in resolved.rows])
    checked: list[tuple[int, dict, dict]] = []
    for line, row, attrs in resolved.rows:
        instance = existing.get(importer.key_of(attrs))
        problems = importer.check(line, row, attrs, instance, resolved.context)
        if problems:
            found.extend(problems)
            continue
        checked.append((line, row, attrs))
        plan.years.update(importer.years(attrs, row))
        if instance is None:
            plan.creates.append((line, attrs))
            continue
        compared = [*attrs, *importer.derived_fields]
        before = {name: getattr(instance, name) for name in compared}
        for name, value in attrs.items():
            setattr(instance, name, value)
        importer.finish(instance)
        changed = [name for name in compared if getattr(instance, name) != before[name]]
        if changed:
            previous = {name: before[name] for name in changed}
            previous["import_batch_id"] = instance.import_batch_id
            new = {name: getattr(instance, name) for name in changed}
            plan.updates.append((line, instance, previous, new))
            if len(plan.changes) < PREVIEW_CHANGES:
                plan.changes.append(_change(importer, line, row, previous, new))
        else:
            plan.unchanged += 1
    found.extend(importer.check_file(checked, resolved.context))
    del checked
    # ``check_file`` may add warnings (SPEC §13's, for the indicators) and changes beyond the rows.
    plan.warnings.extend(resolved.warnings)
    others = resolved.context.pop(OTHER_CHANGES, [])
    plan.other_changes = resolved.context.pop(OTHER_CHANGE_COUNT, len(others))
    plan.changes.extend(others[: max(0, PREVIEW_CHANGES - len(plan.changes))])
    plan.context = resolved.context
    _name_references(importer, plan.changes)
    if progress:
        progress(plan.rows_total, plan.rows_total)
    plan.problems = found.first()
    plan.problem_count = found.count
    plan.warnings.sort(key=lambda problem: (problem.line or 0, problem.column))
    return plan


def _change(kind: Kind, line: int, row: dict, previous: dict, new: dict) -> dict:
    """One updated row for the preview: its line, its key as the file gives it, each changed field."""
    return {
        "line": line,
        "key": kind.key_text(row),
        "fields": [
            {"name": name, "column": kind.column_of(name), "old": previous[name], "new": value}
            for name, value in new.items()
        ],
    }


def _name_references(kind: Kind, changes: list[dict]) -> None:
    """Turn the changes' values into JSON text, references named by their code (one query per kind
    of reference, for all the changes at once)."""
    wanted: dict[str, set] = {}
    for change in changes:
        for entry in change["fields"]:
            if entry["name"] in kind.references:
                wanted.setdefault(entry["name"], set()).update(
                    value for value in (entry["old"], entry["new"]) if value is not None
                )
    labels: dict[str, dict] = {}
    for name, ids in wanted.items():
        model, label_field = kind.references[name]
        labels[name] = {}
        for queryset in filter_in(model._default_manager.all(), "pk", sorted(ids)):
            labels[name].update(queryset.values_list("pk", label_field))
    for change in changes:
        for entry in change["fields"]:
            named = labels.get(entry["name"])
            for side in ("old", "new"):
                value = entry[side]
                if named is not None and value is not None:
                    value = named.get(value, value)
                entry[side] = json_value(value)
