"""The import pages (SPEC §7): upload, preview, apply, the batches and their rollback; officers only."""

from __future__ import annotations

import logging
from decimal import Decimal
from functools import partial

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from finance.exporting import (
    render_csv,
)
from finance.forms import ImportForm
from finance.importing import jobs as import_jobs
from finance.importing import limits, selectors
from finance.importing import messages as msg
from finance.importing.kinds import KINDS as IMPORT_KINDS
from finance.importing.messages import ImportRefused, Problem
from finance.importing.rollback import latest_batches, rollback_batch
from finance.models import ImportBatch, ImportJob
from finance.parameters import whole_number
from finance.roles import is_officer
from finance.tasks import apply_import, validate_import

logger = logging.getLogger(__name__)


#: Rows of the recent batches list and of a batch's lineage page; problems shown on a job's page.
RECENT_BATCHES = 20
LINEAGE_PAGE = 100
PROBLEMS_SHOWN = 1000


def officer_only(request: HttpRequest) -> None:
    # 404, not 403: the import pages do not exist for anyone but budget officers (SPEC §1).
    if not is_officer(request.user):
        raise Http404


def _problem_rows(job: ImportJob, limit: int | None = None, *, stored: str = "problems") -> list[dict]:
    """The job's problems (or, with ``stored="warnings"``, its warnings) as the page shows them."""
    headers = job.header_map or {}
    rows = []
    for data in getattr(job, stored)[:limit]:
        problem = Problem.from_json(data)
        column = problem.column
        rows.append(
            {
                "line": problem.line,
                "column": headers.get(column, column),
                "key": column,
                "text": problem.text(),
            }
        )
    return rows


def _change_rows(job: ImportJob) -> list[dict]:
    """The rows the job would update, each changed field with its old and new value: named by the
    file's own header (or the field's name for a value computed on write), codes shown by their labels."""
    headers = job.header_map or {}
    options = IMPORT_KINDS[job.kind].model._meta
    rows = []
    for change in job.changes:
        fields = []
        for entry in change["fields"]:
            try:
                field = options.get_field(entry["name"])
            except FieldDoesNotExist:  # a change beyond the kind's rows (an indicators file's goal)
                fields.append({"label": headers.get(entry["column"]) or entry["name"], **entry})
                continue
            labels = {str(code): label for code, label in field.flatchoices} if field.choices else {}
            shown = {
                side: labels.get(str(entry[side]), entry[side])
                if field.get_internal_type() != "DecimalField" or entry[side] is None
                else f"{Decimal(entry[side]):,}"  # 1,200,000.50, as amounts read in a spreadsheet
                for side in ("old", "new")
            }
            fields.append({"label": headers.get(entry["column"]) or field.verbose_name, **shown})
        rows.append({"line": change["line"], "key": change["key"], "fields": fields})
    return rows


#: Room for the form's other fields and the multipart boundaries on top of the file itself.
UPLOAD_OVERHEAD_BYTES = 64 * 1024


@csrf_exempt  # checked below, once the size is known: the CSRF check would read the whole body first
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    """Choose a kind and a file; below, the templates, the exports and the recent batches with rollback."""
    officer_only(request)
    declared = whole_number(request.META.get("CONTENT_LENGTH"), max_digits=18) or 0
    if request.method == "POST" and declared > limits.max_upload_bytes() + UPLOAD_OVERHEAD_BYTES:
        # Refused before the body is read, so a huge upload never reaches the disk.
        refusal = gettext(msg.FILE_TOO_LARGE) % {
            "size": f"{declared:,}",
            "limit": f"{limits.max_upload_bytes():,}",
        }
        return _import_page(request, ImportForm(), status=413, refusal=refusal)
    return _import_start(request)


@csrf_protect
def _import_start(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = import_jobs.create_job(
                kind=form.cleaned_data["kind"], file_name=upload.name, data=upload.read(), user=request.user
            )
        except ImportRefused as refused:
            # Another large file of the user's is being worked on: one at a time each.
            refusal = " ".join(problem.text() for problem in refused.problems)
            return _import_page(request, form, status=409, refusal=refusal)
        if job.in_background:
            _queue(validate_import, job.pk, run_here=partial(import_jobs.validate_job, job_id=job.pk))
        else:
            import_jobs.validate_job(job_id=job.pk)
        return redirect("finance:import_job", pk=job.pk)
    return _import_page(request, form)


def _queue(task, *args, run_here) -> None:
    """Queue ``task`` once the request's transaction commits; when the broker cannot take it (down,
    or not answering), do the work here in the request instead: slower for the officer, but the
    upload is never left waiting for a task that was never sent."""

    def send() -> None:
        try:
            task.delay(*args)
        except Exception:  # noqa: BLE001 - any failure to publish means nobody will run it
            logger.exception("could not queue %s; running it in the request", task.name)
            run_here()

    transaction.on_commit(send)


def _import_page(
    request: HttpRequest, form: ImportForm, *, status: int = 200, refusal: str = ""
) -> HttpResponse:
    import_jobs.fail_stalled_jobs()
    latest = latest_batches()
    batches = selectors.recent_batches(limit=RECENT_BATCHES)
    for batch in batches:
        batch.can_roll_back = latest.get(batch.kind) == batch.pk
    jobs = selectors.unfinished_jobs(user=request.user, limit=5)
    return render(
        request,
        "finance/import.html",
        {
            "form": form,
            "refusal": refusal,
            "kinds": ImportBatch.Kind.choices,
            "batches": batches,
            "jobs": jobs,
        },
        status=status,
    )


def _working(job: ImportJob) -> bool:
    return job.status in (ImportJob.Status.RECEIVED, ImportJob.Status.VALIDATING) or (
        job.status == ImportJob.Status.VALID and job.apply_requested_at is not None
    )


def _failure_text(job: ImportJob) -> str:
    return gettext(job.failure or msg.JOB_ERROR) if job.status == ImportJob.Status.FAILED else ""


def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """The preview of an upload: counts to create, update and leave unchanged, and every bad row."""
    officer_only(request)
    import_jobs.fail_stalled_jobs()
    job = get_object_or_404(selectors.jobs_with_batch(), pk=pk)
    return render(
        request,
        "finance/import_job.html",
        {
            "job": job,
            "working": _working(job),
            "failure": _failure_text(job),
            "problems": _problem_rows(job, PROBLEMS_SHOWN),
            "problems_shown": min(len(job.problems), PROBLEMS_SHOWN),
            "warnings": _problem_rows(job, PROBLEMS_SHOWN, stored="warnings"),
            "changes": _change_rows(job) if job.status != ImportJob.Status.INVALID else [],
            "can_apply": job.status == ImportJob.Status.VALID
            and job.apply_requested_at is None
            and (job.to_create or job.to_update),
        },
    )


@never_cache
def import_job_status(request: HttpRequest, pk: int) -> JsonResponse:
    """The job's progress for the page's progress bar."""
    officer_only(request)
    import_jobs.fail_stalled_jobs()
    job = get_object_or_404(selectors.job_progress(), pk=pk)
    return JsonResponse(
        {
            "status": job.status,
            "rows_done": job.rows_done,
            "rows_total": job.rows_total,
            "finished": not _working(job),
            "failure": _failure_text(job),
        }
    )


@require_POST
def import_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Apply a validated upload: in the request for a small file, by a background task for a large one."""
    officer_only(request)
    job = get_object_or_404(selectors.jobs(), pk=pk)
    if job.status == ImportJob.Status.VALID and job.apply_requested_at is None:
        import_jobs.request_apply(job_id=job.pk)
        if job.in_background:
            _queue(
                apply_import,
                job.pk,
                request.user.pk,
                run_here=partial(import_jobs.apply_job, job_id=job.pk, user_id=request.user.pk),
            )
        else:
            job = import_jobs.apply_job(job_id=job.pk, user_id=request.user.pk)
            _report_applied(request, job)
    return redirect("finance:import_job", pk=pk)


def _report_applied(request: HttpRequest, job: ImportJob) -> None:
    if job.status != ImportJob.Status.APPLIED:
        messages.error(request, gettext("The import was not applied; see the problems below."))
    elif job.batch_id is None:
        messages.success(request, gettext("Nothing to change: every row is already as in the file."))
    else:
        messages.success(
            request,
            gettext("Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
            % {"created": job.to_create, "updated": job.to_update, "unchanged": job.unchanged},
        )


def import_problems_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    """Every stored problem of an upload as CSV: line, column, reason."""
    officer_only(request)
    job = get_object_or_404(selectors.jobs(), pk=pk)
    head = [gettext("Line"), gettext("Column"), gettext("Problem")]
    rows = ([row["line"] or "", row["column"], row["text"]] for row in _problem_rows(job))
    response = StreamingHttpResponse(render_csv(head, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-problems.csv"'
    return response


@require_POST
def import_rollback(request: HttpRequest, pk: int) -> HttpResponse:
    """Roll back the latest batch of a kind, or say why not."""
    officer_only(request)
    batch = get_object_or_404(selectors.batches(), pk=pk)
    try:
        outcome = rollback_batch(batch_id=batch.pk, user=request.user)
    except ImportRefused as refused:
        for problem in refused.problems:
            messages.error(request, problem.text())
    else:
        messages.success(
            request,
            gettext("Rolled back %(batch)s: %(deleted)s rows deleted, %(restored)s rows restored.")
            % {"batch": outcome.batch, "deleted": outcome.deleted, "restored": outcome.restored},
        )
    return redirect("finance:import")


def import_batch(request: HttpRequest, pk: int) -> HttpResponse:
    """One batch: who, when, which file, and each row it wrote with its file line."""
    officer_only(request)
    batch = get_object_or_404(selectors.batches_with_user(), pk=pk)
    page = Paginator(selectors.batch_rows(batch), LINEAGE_PAGE)
    return render(
        request,
        "finance/import_batch.html",
        {
            "batch": batch,
            "page": page.get_page(request.GET.get("page")),
            "can_roll_back": latest_batches().get(batch.kind) == batch.pk,
        },
    )
