"""Where a stored row came from: the import batches and file lines that created or changed it."""

from __future__ import annotations

from django.db import models

from finance.models import ImportedRow


def lineage_of(obj: models.Model) -> list[ImportedRow]:
    """The imported rows behind ``obj``, latest first, each with its batch (file, who, when)."""
    return list(
        ImportedRow.objects.filter(model_label=obj._meta.label_lower, object_id=obj.pk)
        .select_related("batch", "batch__imported_by")
        .order_by("-batch_id")
    )


def lineage_for_objects(model: type[models.Model], ids: list[int]) -> dict[int, ImportedRow]:
    """For many rows of one model: each row's latest imported row not rolled back, by object id."""
    latest: dict[int, ImportedRow] = {}
    for row in (
        ImportedRow.objects.filter(
            model_label=model._meta.label_lower, object_id__in=ids, batch__rolled_back_at__isnull=True
        )
        .select_related("batch")
        .order_by("object_id", "-batch_id")
    ):
        latest.setdefault(row.object_id, row)
    return latest
