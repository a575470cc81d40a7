"""Applying a plan: a clean plan written all-or-nothing, in one transaction, with bulk writes.

Projects, payments and evaluations go through django-simple-history's bulk helpers, so imports appear
in their change history. The write records the ``ImportBatch`` and an ``ImportedRow`` per row it
created or changed, and asks for one recompute when it commits.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import IntegrityError, transaction
from simple_history.utils import bulk_create_with_history, get_history_model_for_model

from finance.importing.kinds import Kind, chunks
from finance.importing.messages import ImportRefused
from finance.importing.planning import Plan, Progress, plan_import
from finance.importing.storing import (
    INSERT_BATCH,
    WRITE_BATCH,
    bulk_update,
    history_rows,
    json_value,
    refused_by_database,
    request_recompute,
)
from finance.importing.writing import insert_rows
from finance.models import FiscalYear, ImportBatch, ImportedRow


def checksum_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _jsonable(values: dict) -> dict:
    return {name: json_value(value) for name, value in values.items()}


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
                    bulk_update(kind, objs, fields, user=user, reason=reason)
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
            kind.after_import(batch=batch, user=user, context=plan.context)
            request_recompute(plan.years or _all_years())
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
            history_rows(
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
