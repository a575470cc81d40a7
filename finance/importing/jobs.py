"""Import jobs: an upload kept in the database from validation and preview to an applied batch.

The web page and the Celery tasks share these functions; both take ids, so a job can be validated or
applied by a worker on another machine. A job is applied at most once: the apply claims it with a
conditional UPDATE inside its own transaction, so a second click or a retried task finds it applied,
and a worker that dies mid-apply leaves it ready to apply again.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from finance.importing import limits
from finance.importing.messages import ImportRefused, Problem
from finance.importing.reading import estimate_rows
from finance.importing.services import Plan, apply_plan, checksum_of, plan_import, refused_by_database
from finance.models import ImportJob

#: Problems kept on a job for the page (the command line prints them all).
MAX_STORED_PROBLEMS = 10_000


def create_job(*, kind: str, file_name: str, data: bytes, user) -> ImportJob:
    """Keep an upload as a job; large files are marked to be validated in the background."""
    return ImportJob.objects.create(
        kind=kind,
        file_name=file_name[:255],
        content=data,
        size=len(data),
        checksum=checksum_of(data),
        uploaded_by=user if user is not None and user.is_authenticated else None,
        in_background=estimate_rows(file_name=file_name, data=data) > limits.background_rows(),
    )


def _store_problems(job: ImportJob, problems: list[Problem]) -> None:
    job.problems = [problem.as_json() for problem in problems[:MAX_STORED_PROBLEMS]]
    job.problem_count = len(problems)


def _store_plan(job: ImportJob, plan: Plan) -> None:
    job.rows_total = job.rows_done = plan.rows_total
    job.to_create = len(plan.creates)
    job.to_update = len(plan.updates)
    job.unchanged = plan.unchanged
    job.header_map = plan.headers
    job.ignored_columns = plan.ignored_columns
    _store_problems(job, plan.problems)
    job.warnings = [warning.as_json() for warning in plan.warnings[:MAX_STORED_PROBLEMS]]
    job.warning_count = len(plan.warnings)
    job.changes = plan.changes


def _progress(job_id: int):
    def report(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(rows_done=done, rows_total=total)

    return report


def validate_job(*, job_id: int) -> ImportJob:
    """Validate a received job and store its preview: counts and every problem."""
    job = ImportJob.objects.get(pk=job_id)
    if job.status not in (ImportJob.Status.RECEIVED, ImportJob.Status.VALIDATING):
        return job
    ImportJob.objects.filter(pk=job_id).update(status=ImportJob.Status.VALIDATING)
    try:
        plan = plan_import(
            kind=job.kind, file_name=job.file_name, data=bytes(job.content), progress=_progress(job_id)
        )
    except ImportRefused as refused:
        job.status = ImportJob.Status.INVALID
        _store_problems(job, refused.problems)
    except Exception:
        # Not the file's fault: stop the page waiting for it and let the error be logged.
        ImportJob.objects.filter(pk=job_id).update(status=ImportJob.Status.FAILED)
        raise
    else:
        _store_plan(job, plan)
        job.status = ImportJob.Status.VALID if plan.ok else ImportJob.Status.INVALID
    job.save()
    return job


def request_apply(*, job_id: int) -> None:
    """Note that an officer asked to apply the job (the page shows it as being applied)."""
    ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.VALID).update(
        apply_requested_at=timezone.now()
    )


def apply_job(*, job_id: int, user_id: int | None) -> ImportJob:
    """Validate the job's file again against today's data and apply it in one transaction."""
    job = ImportJob.objects.get(pk=job_id)
    if job.status != ImportJob.Status.VALID:
        return job
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    data = bytes(job.content)
    try:
        # Validation reads only; the transaction below is the short write.
        plan = plan_import(kind=job.kind, file_name=job.file_name, data=data, progress=_progress(job_id))
        if not plan.ok:
            raise ImportRefused(plan.problems)
        with transaction.atomic():
            claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.VALID).update(
                status=ImportJob.Status.APPLIED
            )
            if not claimed:
                return ImportJob.objects.get(pk=job_id)
            batch = apply_plan(plan=plan, file_name=job.file_name, checksum=checksum_of(data), user=user)
            _store_plan(job, plan)
            job.status = ImportJob.Status.APPLIED
            job.batch = batch
            job.content = b""  # the batch keeps the checksum; the file itself is no longer needed
            job.save()
    except (ImportRefused, IntegrityError) as error:
        # IntegrityError: PostgreSQL checks deferred foreign keys when the transaction commits.
        refused = refused_by_database(error) if isinstance(error, IntegrityError) else error
        job.refresh_from_db()
        job.status = ImportJob.Status.INVALID
        job.apply_requested_at = None
        _store_problems(job, refused.problems)
        job.save()
    except Exception:
        ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.VALID).update(
            status=ImportJob.Status.FAILED
        )
        raise
    return job
