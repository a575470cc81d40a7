"""Celery tasks of the finance app: thin wrappers that load an import job by id and call its service."""

from __future__ import annotations

from celery import shared_task

from finance.importing import jobs, limits


def _memory_limit(task) -> int | None:
    """A worker process caps the memory of the import it runs; run eagerly (in a web process, whose
    other threads share its limits) it does not."""
    return None if task.request.is_eager else limits.memory_limit_bytes()


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def validate_import(self, job_id: int) -> str:
    """Validate an uploaded import file and store its preview; returns the job's status."""
    return jobs.validate_job(job_id=job_id, memory_limit=_memory_limit(self)).status


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def apply_import(self, job_id: int, user_id: int | None) -> int | None:
    """Apply a validated import job in one transaction; returns the id of its batch (None if no change)."""
    return jobs.apply_job(job_id=job_id, user_id=user_id, memory_limit=_memory_limit(self)).batch_id
