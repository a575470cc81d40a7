"""An import job never waits for good (issue 15): a job whose process died is marked failed after
``IMPORT_JOB_TIMEOUT_SECONDS`` and says why, a file is tried at most twice, a worker's import has a
memory cap, the problems kept are bounded, and each user has at most one heavy validation at a time."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from finance.importing import jobs
from finance.importing.planning import plan_import
from finance.models import ImportJob
from tests.factories import make_officer
from tests.finance.import_support import PAYMENTS, csv_bytes, headers, one_far_cell, snapshot, upload

pytestmark = pytest.mark.django_db


STOPPED = (
    "The process working on this file stopped without finishing (it was restarted, or the file needed "
    "more memory than it had); nothing was changed. Upload the file again, or split it into smaller "
    "files; tell the administrator if it happens again."
)


def a_job(*, status: str = "validating", silent_for: int = 0, **fields) -> ImportJob:
    job = ImportJob.objects.create(
        kind="payments", file_name="p.csv", content=b"x", size=1, checksum="0", status=status, **fields
    )
    ImportJob.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - datetime.timedelta(seconds=silent_for)
    )
    return job


def test_a_job_whose_process_died_is_failed_after_the_timeout_and_says_why(client, officer, settings):
    settings.IMPORT_JOB_TIMEOUT_SECONDS = 600
    dead = a_job(silent_for=601, rows_total=100_000, rows_done=5000)
    alive = a_job(silent_for=30)
    client.force_login(officer)

    status = client.get(
        reverse("finance:import_job_status", args=[dead.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).json()
    page = client.get(reverse("finance:import_job", args=[dead.pk]), HTTP_ACCEPT_LANGUAGE="en")

    assert status == {
        "status": "failed",
        "rows_done": 5000,
        "rows_total": 100_000,
        "finished": True,
        "failure": STOPPED,
    }
    html = page.content.decode()
    assert "data-import-status-url" not in html  # the page stops polling
    assert STOPPED in html
    alive.refresh_from_db()
    assert alive.status == "validating"


def test_an_apply_whose_process_died_is_failed_too(officer, settings):
    settings.IMPORT_JOB_TIMEOUT_SECONDS = 600
    job = a_job(status="valid", silent_for=601, apply_requested_at=timezone.now())

    assert jobs.fail_stalled_jobs() == 1

    job.refresh_from_db()
    assert (job.status, job.failure, job.apply_requested_at) == ("failed", STOPPED, None)


def test_a_file_whose_process_died_twice_is_not_tried_a_third_time(bare_district):
    # The task comes back to a worker each time its process is killed (acks_late): the file that
    # killed two processes is not handed to a third.
    job = a_job(attempts=jobs.MAX_ATTEMPTS)

    assert jobs.validate_job(job_id=job.pk).status == "failed"

    job.refresh_from_db()
    assert (job.status, job.failure) == ("failed", STOPPED)


def test_a_job_failed_meanwhile_stays_failed_when_its_late_validation_ends(bare_district, monkeypatch):
    job = a_job(status="received")
    job.content = csv_bytes([PAYMENTS, ["V1", 2021, "PA1", "2021-05-01", "1"]])
    job.save()

    def fail_meanwhile(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(status="failed", failure=STOPPED)

    monkeypatch.setattr(jobs, "_progress", lambda job_id: fail_meanwhile)

    assert jobs.validate_job(job_id=job.pk).status == "failed"


def test_an_import_beyond_the_memory_cap_is_refused_with_a_message_not_a_crash(bare_district, officer):
    # 20 MB of CSV: decoding it alone takes more than the 8 MB this import may add.
    data = b"voucher_no,year,project_code,paid_on,amount\n" + b"V1,2021,PA1,2021-05-01,1\n" * 800_000
    job = jobs.create_job(kind="payments", file_name="big.csv", data=data, user=officer)
    before = snapshot()

    job = jobs.validate_job(job_id=job.pk, memory_limit=8 * 1024 * 1024)

    with translation.override("en"):
        texts = [(p["message"] % p["params"]) for p in job.problems]
    assert job.status == "invalid"
    assert texts == [
        "Checking this file needs more memory than one import may use (8 MB); nothing was changed. "
        "Split the file, or save it as CSV."
    ]
    assert snapshot() == before
    # The cap was lifted afterwards: the same file validates without it.
    ImportJob.objects.filter(pk=job.pk).update(status="received", attempts=0)
    assert jobs.validate_job(job_id=job.pk).status == "invalid"  # 800,000 rows of one voucher


def test_the_problems_kept_are_the_first_by_line_and_all_are_counted(
    bare_district, settings, client, officer
):
    settings.IMPORT_MAX_PROBLEMS = 5
    rows = [PAYMENTS] + [[f"V{n}", 2021, "PA1", "2021-02-30", "1"] for n in range(12)]
    rows.insert(3, ["V-x", 2021, "NOPE", "2021-05-01", "1"])  # a problem found later, by lookup, at line 4

    plan = plan_import(kind="payments", file_name="p.csv", data=csv_bytes(rows))

    assert plan.problem_count == 13
    assert [(p.line, p.column) for p in plan.problems] == [
        (2, "paid_on"),
        (3, "paid_on"),
        (4, "project_code"),
        (5, "paid_on"),
        (6, "paid_on"),
    ]
    client.force_login(officer)
    upload(client, "payments", "p.csv", csv_bytes(rows))
    job = ImportJob.objects.get()
    assert (job.problem_count, len(job.problems)) == (13, 5)
    html = client.get(
        reverse("finance:import_job", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Problems found: 13." in html
    assert "The first 5 are listed here." in html


BUSY = "is still being checked or applied; wait until it is done before you upload another large file."


def test_a_user_has_one_heavy_validation_at_a_time(bare_district, client, officer):
    client.force_login(officer)
    # Heavy: the workbook spans 101 × 600 cells (more than IMPORT_BACKGROUND_CELLS), in 1.5 KB. Its task
    # is never run here (the on-commit callback is not executed), so the job stays received, as while a
    # worker checks it.
    first = upload(client, "departments", "far.xlsx", one_far_cell("CW600"))
    assert first.status_code == 302
    assert ImportJob.objects.get().in_background

    second = upload(client, "departments", "far2.xlsx", one_far_cell("CW600"), HTTP_ACCEPT_LANGUAGE="en")

    assert second.status_code == 409
    assert f"Your large file “far.xlsx” {BUSY}" in second.content.decode()
    assert ImportJob.objects.count() == 1
    # A light file is still checked at once, and another officer's large file is taken.
    light = upload(client, "departments", "d.csv", csv_bytes([headers("departments"), ["C9", "区民政局"]]))
    assert light.status_code == 302
    client.force_login(make_officer("officer2"))
    assert upload(client, "departments", "far.xlsx", one_far_cell("CW600")).status_code == 302


def test_a_heavy_validation_that_died_does_not_block_the_next(bare_district, client, officer, settings):
    settings.IMPORT_JOB_TIMEOUT_SECONDS = 600
    client.force_login(officer)
    upload(client, "departments", "far.xlsx", one_far_cell("CW600"))
    ImportJob.objects.update(heartbeat_at=timezone.now() - datetime.timedelta(seconds=601))

    assert upload(client, "departments", "far2.xlsx", one_far_cell("CW600")).status_code == 302

    assert list(ImportJob.objects.order_by("pk").values_list("status", flat=True)) == ["failed", "received"]


def test_the_hostile_workbook_goes_to_the_worker_and_is_refused_there(
    bare_district, client, officer, django_capture_on_commit_callbacks
):
    client.force_login(officer)

    with django_capture_on_commit_callbacks(execute=True):
        upload(client, "departments", "far.xlsx", one_far_cell("CW600"))

    job = ImportJob.objects.get()
    assert (job.in_background, job.status, job.problem_count) == (True, "invalid", 1)
    assert job.problems[0]["params"]["ref"] == "CW600"
