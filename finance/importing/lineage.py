"""Where a stored row came from: the import batches and file lines that created or changed it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.db.models import Count, Max, Min, Q

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


@dataclass(frozen=True)
class BatchLineage:
    """One import batch's share in a set of rows: which file, who, when, which lines, how many rows."""

    batch_id: int
    imported_at: object
    imported_by: str | None
    file_name: str
    rolled_back_at: object
    model: type[models.Model]
    rows: int
    created: int
    updated: int
    first_line: int
    last_line: int

    @property
    def what(self) -> str:
        return str(self.model._meta.verbose_name)


def lineage_of_rows(sources: Iterable[models.QuerySet], *, limit: int) -> list[BatchLineage]:
    """The batches that created or changed any row of ``sources`` (say a project, its payments, its
    indicators and its evaluations), one entry per batch and model, latest first: one query, however
    many rows and batches there are."""
    models_by_label: dict[str, type[models.Model]] = {}
    condition = Q()
    for queryset in sources:
        label = queryset.model._meta.label_lower
        models_by_label[label] = queryset.model
        condition |= Q(model_label=label, object_id__in=queryset.order_by().values("pk"))
    if not models_by_label:
        return []
    grouped = (
        ImportedRow.objects.filter(condition)
        .values(
            "batch_id",
            "model_label",
            "batch__imported_at",
            "batch__imported_by__username",
            "batch__file_name",
            "batch__rolled_back_at",
        )
        .annotate(
            rows=Count("pk"),
            created=Count("pk", filter=Q(action=ImportedRow.Action.CREATED)),
            first_line=Min("line"),
            last_line=Max("line"),
        )
        .order_by("-batch_id", "model_label")[:limit]
    )
    return [
        BatchLineage(
            batch_id=row["batch_id"],
            imported_at=row["batch__imported_at"],
            imported_by=row["batch__imported_by__username"],
            file_name=row["batch__file_name"],
            rolled_back_at=row["batch__rolled_back_at"],
            model=models_by_label[row["model_label"]],
            rows=row["rows"],
            created=row["created"],
            updated=row["rows"] - row["created"],
            first_line=row["first_line"],
            last_line=row["last_line"],
        )
        for row in grouped
    ]
