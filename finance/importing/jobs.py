"""Import jobs: an upload kept in the database from validation and preview to an applied batch.

The web page and the Celery tasks share these functions; both take ids, so a job can be validated or
applied by a worker on another machine. A job is applied at most once: the apply claims it with a
conditional UPDATE inside its own transaction, so a second click or a retried task finds it applied,
and a worker that dies mid-apply leaves it ready to apply again.

A job being worked on shows signs of life (``heartbeat_at``: when it is taken, and with each progress
report). One silent for ``IMPORT_JOB_TIMEOUT_SECONDS`` lost its process (killed, out of memory) and is
marked failed with the reason (``fail_stalled_jobs``), so its page stops waiting; a validation is
tried at most ``MAX_ATTEMPTS`` times, so a file that kills its process cannot kill every worker in turn.
"""

from __future__ import annotations

import datetime
import resource
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from finance.importing import limits
from finance.importing import messages as msg
from finance.importing.applying import apply_plan, checksum_of
from finance.importing.messages import ImportRefused, Problem
from finance.importing.planning import Plan, plan_import
from finance.importing.reading import workload
from finance.importing.storing import refused_by_database
from finance.models import ImportJob

#: Validations of one job: the first, and one more for a worker that was restarted under it.
MAX_ATTEMPTS = 2


def _working() -> Q:
    """Jobs some process is (or should be) working on."""
    return Q(status__in=[ImportJob.Status.RECEIVED, ImportJob.Status.VALIDATING]) | Q(
        status=ImportJob.Status.VALID, apply_requested_at__isnull=False
    )


def fail_stalled_jobs() -> int:
    """Mark failed, in one statement, every job whose process has been silent for the timeout."""
    cutoff = timezone.now() - datetime.timedelta(seconds=settings.IMPORT_JOB_TIMEOUT_SECONDS)
    return (
        ImportJob.objects.filter(_working())
        .filter(Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff))
        .update(status=ImportJob.Status.FAILED, failure=msg.JOB_STOPPED, apply_requested_at=None)
    )


def create_job(*, kind: str, file_name: str, data: bytes, user) -> ImportJob:
    """Keep an upload as a job; a heavy file (by rows, cells or what it unpacks to) is marked to be
    validated in the background. Refuses a heavy file while the user has another one in progress."""
    uploader = user if user is not None and user.is_authenticated else None
    heavy = workload(file_name=file_name, data=data).heavy
    with transaction.atomic():
        if heavy and uploader is not None:
            # The user's row serialises two uploads of the same user (on PostgreSQL).
            get_user_model().objects.select_for_update().filter(pk=uploader.pk).first()
            fail_stalled_jobs()
            busy = (
                ImportJob.objects.filter(_working(), uploaded_by=uploader, in_background=True)
                .only("file_name")
                .first()
            )
            if busy is not None:
                raise ImportRefused([Problem(msg.HEAVY_IMPORT_BUSY, {"file": busy.file_name})])
        return ImportJob.objects.create(
            kind=kind,
            file_name=file_name[:255],
            content=data,
            size=len(data),
            checksum=checksum_of(data),
            uploaded_by=uploader,
            in_background=heavy,
            heartbeat_at=timezone.now(),
        )


def _store_problems(job: ImportJob, problems: list[Problem], count: int | None = None) -> None:
    job.problems = [problem.as_json() for problem in problems[: limits.max_problems()]]
    job.problem_count = len(problems) if count is None else count


def _store_plan(job: ImportJob, plan: Plan) -> None:
    job.rows_total = job.rows_done = plan.rows_total
    job.to_create = len(plan.creates)
    job.to_update = len(plan.updates) + plan.other_changes
    job.unchanged = plan.unchanged
    job.header_map = plan.headers
    job.ignored_columns = plan.ignored_columns
    _store_problems(job, plan.problems, plan.problem_count)
    job.warnings = [warning.as_json() for warning in plan.warnings[: limits.max_problems()]]
    job.warning_count = len(plan.warnings)
    job.changes = plan.changes


def _progress(job_id: int):
    def report(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(
            rows_done=done, rows_total=total, heartbeat_at=timezone.now()
        )

    return report


def _address_space_bytes() -> int | None:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return None


@contextmanager
def memory_cap(extra_bytes: int | None):
    """Let the process grow by at most ``extra_bytes`` of address space meanwhile (RLIMIT_AS): an
    allocation past it raises ``MemoryError`` instead of taking the machine's memory. Meant for a worker
    process that does one thing at a time; ``None`` or 0 (or no /proc) caps nothing."""
    current = _address_space_bytes() if extra_bytes else None
    if current is None:
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = current + extra_bytes
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _plan(job: ImportJob, *, memory_limit: int | None) -> Plan:
    """The job's plan, within the memory cap; a file that needs more is refused, not a crash."""
    try:
        with memory_cap(memory_limit):
            return plan_import(
                kind=job.kind, file_name=job.file_name, data=bytes(job.content), progress=_progress(job.pk)
            )
    except MemoryError:
        limit = f"{(memory_limit or 0) // (1024 * 1024):,}"
        raise ImportRefused([Problem(msg.OUT_OF_MEMORY, {"limit": limit})]) from None


def validate_job(*, job_id: int, memory_limit: int | None = None) -> ImportJob:
    """Validate a received job and store its preview: counts and the first problems (all counted).

    ``memory_limit``: the bytes the validation may add to the process (a worker's cap), or None.
    """
    working = [ImportJob.Status.RECEIVED, ImportJob.Status.VALIDATING]
    taken = ImportJob.objects.filter(pk=job_id, status__in=working, attempts__lt=MAX_ATTEMPTS).update(
        status=ImportJob.Status.VALIDATING, attempts=F("attempts") + 1, heartbeat_at=timezone.now()
    )
    if not taken:
        # Every attempt so far ended with its process: the file is not tried again.
        ImportJob.objects.filter(pk=job_id, status__in=working).update(
            status=ImportJob.Status.FAILED, failure=msg.JOB_STOPPED
        )
        return ImportJob.objects.get(pk=job_id)
    job = ImportJob.objects.get(pk=job_id)
    try:
        plan = _plan(job, memory_limit=memory_limit)
    except ImportRefused as refused:
        job.status = ImportJob.Status.INVALID
        _store_problems(job, refused.problems)
    except Exception:
        # Not the file's fault: stop the page waiting for it and let the error be logged.
        ImportJob.objects.filter(pk=job_id).update(status=ImportJob.Status.FAILED, failure=msg.JOB_ERROR)
        raise
    else:
        _store_plan(job, plan)
        job.status = ImportJob.Status.VALID if plan.ok else ImportJob.Status.INVALID
    # Only while still ours: a job marked failed meanwhile (its time ran out) stays failed.
    fields = [
        "status",
        "problems",
        "problem_count",
        "rows_total",
        "rows_done",
        "to_create",
        "to_update",
        "unchanged",
        "header_map",
        "ignored_columns",
        "warnings",
        "warning_count",
        "changes",
    ]
    ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.VALIDATING).update(
        **{name: getattr(job, name) for name in fields}
    )
    return ImportJob.objects.get(pk=job_id)


def request_apply(*, job_id: int) -> None:
    """Note that an officer asked to apply the job (the page shows it as being applied)."""
    now = timezone.now()
    ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.VALID).update(
        apply_requested_at=now, heartbeat_at=now
    )


def apply_job(*, job_id: int, user_id: int | None, memory_limit: int | None = None) -> ImportJob:
    """Validate the job's file again against today's data and apply it in one transaction."""
    job = ImportJob.objects.get(pk=job_id)
    if job.status != ImportJob.Status.VALID:
        return job
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    data = bytes(job.content)
    try:
        # Validation reads only; the transaction below is the short write.
        plan = _plan(job, memory_limit=memory_limit)
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
            status=ImportJob.Status.FAILED, failure=msg.JOB_ERROR
        )
        raise
    return job
