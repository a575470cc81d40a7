"""Import and roll back: parse → validate every row → one short atomic write (SPEC §7, issue 6).

``plan_import`` reads a file and works out, without writing anything, every problem with its line and
column and what would be created, updated or left unchanged. ``apply_plan`` writes a clean plan in one
transaction with bulk writes (through django-simple-history's bulk helpers for projects, payments and
evaluations, so imports appear in their change history), records the ``ImportBatch`` and an
``ImportedRow`` per row it created or changed, and asks for one recompute when it commits.
``rollback_batch`` undoes the latest batch of a kind exactly, or refuses with the reason.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from simple_history.utils import (
    bulk_create_with_history,
    bulk_update_with_history,
    get_history_model_for_model,
)

from finance.importing import limits
from finance.importing import messages as msg
from finance.importing.kinds import KINDS, Kind, chunks, row_parser
from finance.importing.messages import ImportRefused, Problem
from finance.importing.reading import read_table
from finance.importing.writing import filter_in, insert_rows
from finance.models import FiscalYear, ImportBatch, ImportedRow
from finance.signals import years_changed

#: Rows per bulk statement.
WRITE_BATCH = 1000
#: Rows per round of plain inserts.
INSERT_BATCH = 10_000
#: How often (in rows) validation reports its progress.
PROGRESS_EVERY = 5000
#: Updated rows whose changed fields a plan describes for the preview (old → new).
PREVIEW_CHANGES = 200

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

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def has_changes(self) -> bool:
        return bool(self.creates or self.updates)


@dataclass
class RollbackOutcome:
    batch: ImportBatch
    deleted: int
    restored: int


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


def checksum_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


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
    plan.warnings.extend(resolved.warnings)
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
                entry[side] = _json_value(value)


def _json_value(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


def _jsonable(values: dict) -> dict:
    return {name: _json_value(value) for name, value in values.items()}


def _from_json(model: type[models.Model], values: dict) -> dict:
    fields = {f.attname: f for f in model._meta.concrete_fields}
    return {
        name: fields[name].to_python(value) if value is not None else None for name, value in values.items()
    }


def _request_recompute(years: Iterable[int]) -> None:
    """Ask for one recompute of the years an import changed, queued when the transaction commits
    (coalesced with any other change of the same transaction: one run per year, not one per row)."""
    years_changed.send(sender=ImportBatch, years=sorted(set(years)))


def _all_years() -> set[int]:
    return set(FiscalYear.objects.values_list("year", flat=True))


def apply_plan(*, plan: Plan, file_name: str, checksum: str, user=None) -> ImportBatch | None:
    """Write a clean plan all-or-nothing; returns the batch, or None when nothing would change."""
    if not plan.ok:
        raise ImportRefused(plan.problems)
    if not plan.has_changes:
        return None
    kind = plan.kind
    user = user if user is not None and user.is_authenticated else None
    reason = f"import: {file_name}"[:100]
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                kind=kind.name,
                file_name=file_name[:255],
                checksum=checksum,
                imported_by=user,
                created_count=len(plan.creates),
                updated_count=len(plan.updates),
                unchanged_count=plan.unchanged,
            )
            if len(plan.creates) >= _plain_insert_threshold():
                _insert_creates(kind, plan.creates, batch=batch, user=user, reason=reason)
            else:
                _bulk_creates(kind, plan.creates, batch=batch, user=user, reason=reason)
            if plan.updates:
                fields = sorted(
                    {name for _l, _o, _p, new in plan.updates for name in new} | {"import_batch_id"}
                )
                for part in chunks(plan.updates, WRITE_BATCH):
                    objs = [obj for _line, obj, _previous, _new in part]
                    for obj in objs:
                        obj.import_batch_id = batch.pk
                    _bulk_update(kind, objs, fields, user=user, reason=reason)
                    ImportedRow.objects.bulk_create(
                        ImportedRow(
                            batch=batch,
                            model_label=kind.model_label,
                            object_id=obj.pk,
                            line=line,
                            action=ImportedRow.Action.UPDATED,
                            previous_values=_jsonable(previous),
                            new_values=_jsonable(new),
                        )
                        for line, obj, previous, new in part
                    )
                kind.after_write(kind.moved_ids((obj, previous) for _l, obj, previous, _n in plan.updates))
            _request_recompute(plan.years or _all_years())
    except IntegrityError as exc:
        # A row written by someone else since validation, or a rule only the database knows.
        raise refused_by_database(exc) from exc
    return batch


def _plain_insert_threshold() -> int:
    return settings.IMPORT_PLAIN_INSERT_THRESHOLD


def _bulk_creates(
    kind: Kind, creates: list[tuple[int, dict]], *, batch: ImportBatch, user, reason: str
) -> None:
    """Insert new rows with the ORM (django-simple-history's helper where the model keeps history)."""
    model = kind.model
    for part in chunks(creates, WRITE_BATCH):
        objs = [kind.build({**attrs, "import_batch_id": batch.pk}) for _line, attrs in part]
        if kind.with_history:
            bulk_create_with_history(objs, model, default_user=user, default_change_reason=reason)
        else:
            model._default_manager.bulk_create(objs)
        ImportedRow.objects.bulk_create(
            ImportedRow(
                batch=batch,
                model_label=kind.model_label,
                object_id=obj.pk,
                line=line,
                action=ImportedRow.Action.CREATED,
            )
            for (line, _attrs), obj in zip(part, objs, strict=True)
        )


def _insert_creates(
    kind: Kind, creates: list[tuple[int, dict]], *, batch: ImportBatch, user, reason: str
) -> None:
    """The same rows as ``_bulk_creates`` (history "+" rows included), by plain inserts (COPY on PostgreSQL).

    The new rows take their ids from the table's identity; they are read back by the batch they carry
    (no other row has it yet: updates come after) to name them in the history and lineage rows.
    """
    model = kind.model
    pk_name = model._meta.pk.attname
    # The database fills its identity and generated columns (Payment.amount_cents) itself.
    attnames = [f.attname for f in model._meta.concrete_fields if f.attname != pk_name and not f.generated]
    history = get_history_model_for_model(model) if kind.with_history else None
    tracked = [f.attname for f in history.tracked_fields] if history is not None else []
    key_fields = list(kind.key_fields)
    rows = [kind.values_for_create({**attrs, "import_batch_id": batch.pk}) for _line, attrs in creates]
    insert_rows(model, attnames, ([values[name] for name in attnames] for values in rows))
    written = model._default_manager.filter(import_batch_id=batch.pk).order_by()
    ids = {
        tuple(key): pk
        for pk, *key in written.values_list(pk_name, *key_fields).iterator(chunk_size=INSERT_BATCH)
    }
    for values in rows:
        values[pk_name] = ids[kind.key_of(values)]
    del ids
    if history is not None:
        for part in chunks(rows, INSERT_BATCH):
            _history_rows(
                history,
                [[values[name] for name in tracked] for values in part],
                history_type="+",
                user=user,
                reason=reason,
            )
    insert_rows(
        ImportedRow,
        ["batch_id", "model_label", "object_id", "line", "action"],
        (
            (batch.pk, kind.model_label, values[pk_name], line, ImportedRow.Action.CREATED)
            for (line, _attrs), values in zip(creates, rows, strict=True)
        ),
    )


def _bulk_update(kind: Kind, objs: list[models.Model], fields: list[str], *, user, reason: str) -> None:
    names = [kind.model._meta.get_field(name).name if name.endswith("_id") else name for name in fields]
    if kind.with_history:
        bulk_update_with_history(objs, kind.model, names, default_user=user, default_change_reason=reason)
    else:
        kind.model._default_manager.bulk_update(objs, names)


def import_file(
    *,
    kind: str,
    file_name: str,
    data: bytes,
    user=None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> tuple[Plan, ImportBatch | None]:
    """Validate a file and, unless ``dry_run`` or it has problems, apply it."""
    plan = plan_import(kind=kind, file_name=file_name, data=data, progress=progress)
    if dry_run or not plan.ok:
        return plan, None
    return plan, apply_plan(plan=plan, file_name=file_name, checksum=checksum_of(data), user=user)


# -- rollback ---------------------------------------------------------------------------------------


def latest_batches() -> dict[str, int]:
    """Kind -> id of its latest batch not rolled back: the one each kind may roll back."""
    latest: dict[str, int] = {}
    for kind, pk in (
        ImportBatch.objects.filter(rolled_back_at__isnull=True)
        .order_by("kind", "-pk")
        .values_list("kind", "pk")
    ):
        latest.setdefault(kind, pk)
    return latest


def _history_rows(history, rows: list[list], *, history_type: str, user, reason: str) -> None:
    """Change-history rows as django-simple-history writes them, from the tracked fields' values."""
    tracked = [f.attname for f in history.tracked_fields]
    extra = [timezone.now(), user.pk if user else None, reason, history_type]
    names = [*tracked, "history_date", "history_user_id", "history_change_reason", "history_type"]
    insert_rows(history, names, (row + extra for row in rows))


def _refuse_rows_in_use(model, ids: list[int], line_of: dict[int, int]) -> None:
    """Refuse when other rows (payments of a created project, …) refer to rows about to be deleted."""
    for relation in model._meta.related_objects:
        related = relation.related_model
        for part in chunks(ids):
            users = related._default_manager.filter(**{f"{relation.field.name}__in": part})
            count = users.count()
            if count:
                example = users.values_list(relation.field.attname, flat=True).first()
                raise ImportRefused(
                    [
                        Problem(
                            msg.ROLLBACK_IN_USE,
                            {
                                "count": str(count),
                                "what": str(related._meta.verbose_name_plural),
                                "line": str(line_of.get(example, "?")),
                            },
                        )
                    ]
                )


def _constrained_hidden_relations(model) -> bool:
    return any(
        relation.hidden and getattr(relation.field, "db_constraint", True)
        for relation in model._meta.get_fields(include_hidden=True)
        if relation.auto_created and not relation.concrete and relation.is_relation
    )


def refused_by_database(exc: IntegrityError) -> ImportRefused:
    """The refusal to show for a rule only the database knows (or a row changed since validation)."""
    return ImportRefused([Problem(msg.DATABASE_REFUSED, {"detail": str(exc).splitlines()[0][:300]})])


def rollback_batch(*, batch_id: int, user=None) -> RollbackOutcome:
    """Undo the latest batch of a kind exactly: delete the rows it created, restore those it updated."""
    user = user if user is not None and user.is_authenticated else None
    try:
        return _rollback(batch_id=batch_id, user=user)
    except IntegrityError as exc:  # PostgreSQL checks deferred foreign keys at commit
        raise refused_by_database(exc) from exc


def _rollback(*, batch_id: int, user) -> RollbackOutcome:
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
        if batch.rolled_back_at is not None:
            raise ImportRefused([Problem(msg.ROLLBACK_ALREADY)])
        latest_id = latest_batches().get(batch.kind)
        if latest_id != batch.pk:
            latest = ImportBatch.objects.get(pk=latest_id)
            raise ImportRefused([Problem(msg.ROLLBACK_NOT_LATEST, {"latest": str(latest)})])
        kind = KINDS[batch.kind]
        model = kind.model
        manager = model._default_manager
        reason = f"rollback of import {batch.pk}: {batch.file_name}"[:100]

        created = dict(batch.rows.filter(action=ImportedRow.Action.CREATED).values_list("object_id", "line"))
        updated = {
            object_id: (line, previous, new)
            for object_id, line, previous, new in batch.rows.filter(
                action=ImportedRow.Action.UPDATED
            ).values_list("object_id", "line", "previous_values", "new_values")
        }
        created_ids = sorted(created)
        # Rows another import wrote since, or rows changed by hand since this import, are not overwritten.
        changed_since: list[int] = []
        for part in chunks(created_ids):
            changed_since += (
                manager.filter(pk__in=part).exclude(import_batch_id=batch.pk).values_list("pk", flat=True)
            )
        restorable: list[tuple[models.Model, dict]] = []
        for part in chunks(sorted(updated)):
            found = manager.in_bulk(part)
            for object_id in part:
                line, previous, new = updated[object_id]
                obj = found.get(object_id)
                if obj is None or obj.import_batch_id != batch.pk:
                    changed_since.append(object_id)
                    continue
                written = _from_json(model, new)
                if any(getattr(obj, name) != value for name, value in written.items()):
                    changed_since.append(object_id)
                    continue
                restorable.append((obj, _from_json(model, previous)))
        if changed_since:
            lines = sorted(created.get(pk) or updated[pk][0] for pk in changed_since)
            raise ImportRefused(
                [
                    Problem(
                        msg.ROLLBACK_CHANGED_SINCE, {"count": str(len(changed_since)), "line": str(lines[0])}
                    )
                ]
            )
        _refuse_rows_in_use(model, created_ids, created)

        years = kind.years_of_ids(created_ids + sorted(updated))
        _delete_created(kind, created_ids, user=user, reason=reason)
        for part in chunks(restorable, WRITE_BATCH):
            objs = []
            for obj, previous in part:
                for name, value in previous.items():
                    setattr(obj, name, value)
                objs.append(obj)
            fields = sorted({name for _obj, previous in part for name in previous})
            _bulk_update(kind, objs, fields, user=user, reason=reason)
        kind.after_write(kind.moved_ids(restorable))
        years |= kind.years_of_ids(sorted(updated))
        batch.rolled_back_at = timezone.now()
        batch.save(update_fields=["rolled_back_at"])
        _request_recompute(years)
    return RollbackOutcome(batch=batch, deleted=len(created_ids), restored=len(restorable))


def _delete_created(kind: Kind, ids: list[int], *, user, reason: str) -> None:
    model = kind.model
    manager = model._default_manager
    if kind.with_history and not _constrained_hidden_relations(model):
        # The ORM's delete would load every row and write its history one by one: here the history rows
        # ("-", as django-simple-history writes them) and the delete are one statement each per round.
        history = get_history_model_for_model(model)
        tracked = [f.attname for f in history.tracked_fields]
        for part in chunks(ids, INSERT_BATCH):
            for queryset in filter_in(manager.all(), "pk", part):
                rows = [list(values) for values in queryset.values_list(*tracked)]
                _history_rows(history, rows, history_type="-", user=user, reason=reason)
                queryset._raw_delete(manager.db)
        return
    for part in chunks(ids):
        try:
            manager.filter(pk__in=part).delete()
        except models.ProtectedError as exc:  # pragma: no cover - _refuse_rows_in_use finds these first
            raise ImportRefused([Problem(msg.DATABASE_REFUSED, {"detail": str(exc)[:300]})]) from exc
