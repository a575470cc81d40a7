"""Rolling back an import: the latest batch of a kind undone exactly, or refused with the reason.

The rows the batch created are deleted and those it updated get their previous values back, unless a
row was changed since (by hand or by another import) or other rows now refer to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from simple_history.utils import get_history_model_for_model

from finance.importing import messages as msg
from finance.importing.kinds import KINDS, Kind, chunks
from finance.importing.messages import ImportRefused, Problem
from finance.importing.storing import (
    INSERT_BATCH,
    WRITE_BATCH,
    bulk_update,
    history_rows,
    refused_by_database,
    request_recompute,
)
from finance.importing.writing import filter_in
from finance.models import ImportBatch, ImportedRow


@dataclass
class RollbackOutcome:
    batch: ImportBatch
    deleted: int
    restored: int


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


def _from_json(model: type[models.Model], values: dict) -> dict:
    fields = {f.attname: f for f in model._meta.concrete_fields}
    return {
        name: fields[name].to_python(value) if value is not None else None for name, value in values.items()
    }


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
            bulk_update(kind, objs, fields, user=user, reason=reason)
        kind.after_write(kind.moved_ids(restorable))
        kind.after_rollback(
            batch=batch, user=user, deleted=created_ids, restored=[obj.pk for obj, _previous in restorable]
        )
        years |= kind.years_of_ids(sorted(updated))
        batch.rolled_back_at = timezone.now()
        batch.save(update_fields=["rolled_back_at"])
        request_recompute(years)
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
                history_rows(history, rows, history_type="-", user=user, reason=reason)
                queryset._raw_delete(manager.db)
        return
    for part in chunks(ids):
        try:
            manager.filter(pk__in=part).delete()
        except models.ProtectedError as exc:  # pragma: no cover - _refuse_rows_in_use finds these first
            raise ImportRefused([Problem(msg.DATABASE_REFUSED, {"detail": str(exc)[:300]})]) from exc
