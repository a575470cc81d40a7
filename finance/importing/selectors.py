"""Reads of import jobs and batches for the import pages (officers only: not department-scoped)."""

from __future__ import annotations

from django.db.models import QuerySet

from finance.models import ImportBatch, ImportedRow, ImportJob


def recent_batches(*, limit: int) -> list[ImportBatch]:
    """The newest batches, with who imported them."""
    return list(ImportBatch.objects.select_related("imported_by").order_by("-pk")[:limit])


def unfinished_jobs(*, user, limit: int) -> list[ImportJob]:
    """The user's newest uploads not yet applied, without their file or problems."""
    return list(
        ImportJob.objects.defer("content", "problems")
        .filter(uploaded_by=user)
        .exclude(status=ImportJob.Status.APPLIED)
        .order_by("-pk")[:limit]
    )


def jobs() -> QuerySet[ImportJob]:
    """Upload jobs without their file."""
    return ImportJob.objects.defer("content")


def jobs_with_batch() -> QuerySet[ImportJob]:
    """Upload jobs without their file, with the batch they wrote (a job's page)."""
    return jobs().select_related("batch")


def job_progress() -> QuerySet[ImportJob]:
    """Upload jobs, only what the progress bar asks."""
    return ImportJob.objects.only("status", "rows_done", "rows_total", "apply_requested_at", "failure")


def batches() -> QuerySet[ImportBatch]:
    return ImportBatch.objects.all()


def batches_with_user() -> QuerySet[ImportBatch]:
    return ImportBatch.objects.select_related("imported_by")


def batch_rows(batch: ImportBatch) -> QuerySet[ImportedRow]:
    """The rows a batch wrote, by file line (its lineage page)."""
    return batch.rows.order_by("line").only("line", "action", "object_id", "previous_values")
