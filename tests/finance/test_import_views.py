"""The import pages: officers only (404 for everyone else), preview → apply, background jobs, query budget."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from finance.importing.applying import import_file
from finance.models import Department, ImportBatch, ImportJob
from projects.models import Payment
from tests.factories import UserFactory
from tests.finance.import_support import PAYMENTS, csv_bytes, headers, upload
from tests.reading import rows_of

pytestmark = pytest.mark.django_db


def a_batch(officer) -> ImportBatch:
    _plan, batch = import_file(
        kind="departments",
        file_name="d.csv",
        data=csv_bytes([headers("departments"), ["C01", "区民政局"]]),
        user=officer,
    )
    return batch


@pytest.mark.parametrize("persona", ["head", "other_head", "plain_user"])
def test_only_officers_reach_import_rollback_and_templates(
    client, district, officer, head, other_head, persona
):
    users = {"head": head, "other_head": other_head, "plain_user": UserFactory(username="plain")}
    batch = a_batch(officer)
    job = ImportJob.objects.create(kind="departments", file_name="d.csv", content=b"x", size=1, checksum="0")
    client.force_login(users[persona])

    for url in (
        reverse("finance:import"),
        reverse("finance:import_job", args=[job.pk]),
        reverse("finance:import_job_status", args=[job.pk]),
        reverse("finance:import_problems", args=[job.pk]),
        reverse("finance:import_batch", args=[batch.pk]),
        reverse("finance:import_template", args=["payments", "xlsx"]),
    ):
        assert client.get(url).status_code == 404, url
    assert upload(client, "departments", "d.csv", b"code,name\nC02,x\n").status_code == 404
    assert client.post(reverse("finance:import_apply", args=[job.pk])).status_code == 404
    assert client.post(reverse("finance:import_rollback", args=[batch.pk])).status_code == 404
    batch.refresh_from_db()
    assert batch.rolled_back_at is None
    assert Department.objects.filter(code="C01").exists()


def test_anonymous_is_sent_to_the_login_page(client):
    response = client.get(reverse("finance:import"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_import_nav_link_shows_for_officers_only(client, officer, head):
    client.force_login(officer)
    assert reverse("finance:import") in client.get(reverse("home")).content.decode()
    client.force_login(head)
    assert reverse("finance:import") not in client.get(reverse("home")).content.decode()


def test_officer_previews_then_applies_a_file(client, district, officer):
    client.force_login(officer)
    data = csv_bytes(
        [PAYMENTS, ["V0001", 2021, "PA1", "2021-03-01", "100"], ["V0009", 2021, "PB1", "2021-03-02", "9"]]
    )

    response = upload(client, "payments", "pay.csv", data)

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("finance:import_job", args=[job.pk])
    assert (job.status, job.to_create, job.to_update, job.unchanged) == ("valid", 1, 0, 1)
    assert not Payment.objects.filter(voucher_no="V0009").exists()  # a preview writes nothing
    preview = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en")
    assert preview.status_code == 200
    assert "Apply: create 1, update 0" in preview.content.decode()

    response = client.post(
        reverse("finance:import_apply", args=[job.pk]), follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )

    job.refresh_from_db()
    assert (job.status, job.batch.created_count, job.content) == ("applied", 1, b"")
    assert Payment.objects.get(voucher_no="V0009").import_batch == job.batch
    assert "Imported: 1 created, 0 updated, 1 unchanged." in response.content.decode()
    # A second click does not apply it again.
    client.post(reverse("finance:import_apply", args=[job.pk]))
    assert ImportBatch.objects.count() == 1


def test_the_preview_lists_every_bad_row_with_line_column_and_reason(client, district, officer):
    client.force_login(officer)
    data = "凭证号,年度,项目编码,支付日期,支付金额\nV1,2021,PA1,2021-02-30,1\nV2,2021,NOPE,2021-03-01,x3\n"

    upload(client, "payments", "bad.csv", data.encode("gbk"))

    job = ImportJob.objects.get()
    assert (job.status, job.problem_count) == ("invalid", 2)
    page = client.get(reverse("finance:import_job", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = page.content.decode()
    assert "“2021-02-30”不是有效日期（格式为 YYYY-MM-DD）。" in html
    assert "支付日期" in html  # the column as the file names it
    assert "“x3”不是数字：请只写数字，可用千分位逗号、一个小数点和正负号，例如 -1,234.56。" in html
    assert "执行导入" not in html
    problems = b"".join(
        client.get(reverse("finance:import_problems", args=[job.pk])).streaming_content
    ).decode()
    assert problems.startswith("\ufeff")
    assert "2,支付日期" in problems and "3,支付金额" in problems


def test_a_form_error_for_a_file_of_another_type(client, district, officer):
    client.force_login(officer)

    response = upload(client, "departments", "data.xls", b"\xd0\xcf\x11\xe0")

    assert response.status_code == 200
    assert ImportJob.objects.count() == 0
    assert "data.xls" in response.content.decode()


def test_a_large_file_is_validated_and_applied_by_the_background_task(
    client, district, officer, settings, django_capture_on_commit_callbacks
):
    # Eager Celery (no broker) runs the task in the request; the job page then shows the finished job.
    settings.IMPORT_BACKGROUND_ROWS = 3
    client.force_login(officer)
    rows = [PAYMENTS] + [[f"V1{n:03d}", 2021, "PA1", "2021-05-01", "1"] for n in range(10)]

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, "payments", "big.csv", csv_bytes(rows))

    job = ImportJob.objects.get()
    assert job.in_background
    assert (job.status, job.rows_total, job.rows_done, job.to_create) == ("valid", 10, 10, 10)
    status = client.get(reverse("finance:import_job_status", args=[job.pk])).json()
    assert status == {"status": "valid", "rows_done": 10, "rows_total": 10, "finished": True, "failure": ""}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("finance:import_apply", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "applied"
    assert Payment.objects.filter(import_batch=job.batch).count() == 10
    assert response.status_code == 302


def test_with_the_broker_down_a_large_file_is_checked_and_applied_in_the_request(
    client, district, officer, settings, monkeypatch, django_capture_on_commit_callbacks
):
    # The broker refuses the task (as kombu does when Redis is down): nothing may be left waiting.
    from kombu.exceptions import OperationalError

    from finance import tasks

    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.validate_import, "delay", refuse)
    monkeypatch.setattr(tasks.apply_import, "delay", refuse)
    settings.IMPORT_BACKGROUND_ROWS = 3
    client.force_login(officer)
    rows = [PAYMENTS] + [[f"V2{n:03d}", 2021, "PA1", "2021-05-01", "1"] for n in range(10)]

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, "payments", "big.csv", csv_bytes(rows))
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert (job.in_background, job.status, job.to_create) == (True, "valid", 10)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("finance:import_apply", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == "applied"
    assert Payment.objects.filter(import_batch=job.batch).count() == 10


def test_a_job_being_checked_shows_a_progress_bar_polled_by_a_static_script(client, district, officer):
    client.force_login(officer)
    job = ImportJob.objects.create(
        kind="payments",
        file_name="p.csv",
        content=b"x",
        size=1,
        checksum="0",
        status="validating",
        rows_total=100,
    )

    html = client.get(reverse("finance:import_job", args=[job.pk])).content.decode()

    assert f'data-import-status-url="{reverse("finance:import_job_status", args=[job.pk])}"' in html
    assert "<progress" in html
    assert "js/import_progress.js" in html
    assert "<script>" not in html  # no inline script (CSP)


def test_rollback_from_the_page(client, district, officer):
    batch = a_batch(officer)
    client.force_login(officer)

    response = client.post(
        reverse("finance:import_rollback", args=[batch.pk]), follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert not Department.objects.filter(code="C01").exists()
    assert "Rolled back departments · d.csv: 1 rows deleted, 0 rows restored." in response.content.decode()


def test_the_import_page_shows_rollback_only_for_the_latest_batch_of_each_kind(client, district, officer):
    first = a_batch(officer)
    _plan, second = import_file(
        kind="departments",
        file_name="d2.csv",
        data=csv_bytes([headers("departments"), ["C02", "区统计局"]]),
        user=officer,
    )
    client.force_login(officer)

    html = client.get(reverse("finance:import")).content.decode()

    assert reverse("finance:import_rollback", args=[second.pk]) in html
    assert reverse("finance:import_rollback", args=[first.pk]) not in html


@pytest.mark.parametrize("count", [1, 30])
def test_the_import_page_makes_the_same_few_queries_for_1_and_30_batches(
    client, district, officer, count, django_assert_max_num_queries
):
    for n in range(count):
        import_file(
            kind="departments",
            file_name=f"d{n}.csv",
            data=csv_bytes([headers("departments"), [f"N{n:02d}", f"部门{n}"]]),
            user=officer,
        )
    client.force_login(officer)

    # session, user, the user's groups (is_officer), the head's department (context processor), the
    # header's to-do count, latest batch per kind, recent batches with their importer, the user's
    # unapplied uploads.
    with django_assert_max_num_queries(8):
        response = client.get(reverse("finance:import"))
    assert response.status_code == 200


def test_an_upload_over_the_size_limit_is_refused_before_it_is_read(client, district, officer, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1000
    client.force_login(officer)

    response = upload(
        client, "departments", "big.csv", b"code,name\n" + b"C1,x\n" * 20_000, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 413
    assert "the limit is 1,000 bytes" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_a_file_over_the_limit_sent_without_a_length_is_refused_by_the_form(district, officer, settings):
    from finance.forms import ImportForm

    settings.IMPORT_MAX_UPLOAD_BYTES = 10
    form = ImportForm({"kind": "departments"}, {"file": SimpleUploadedFile("d.csv", b"code,name\nC1,x\n")})

    assert not form.is_valid()
    assert "file" in form.errors


def test_the_import_form_still_checks_csrf(district, officer):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)

    response = upload(client, "departments", "d.csv", b"code,name\nC1,x\n")

    assert response.status_code == 403
    assert ImportJob.objects.count() == 0


def test_the_preview_shows_old_and_new_value_of_each_changed_field(client, district, officer):
    client.force_login(officer)
    data = csv_bytes(
        [
            headers("projects"),
            [2021, "PA1", "学生资助（调整）", "UA1", "208", "一般公共预算", "development", "1,200,000.50"],
            [2021, "PB1", "医疗设备", "UB1", "205", "gov_fund", "livelihood", "2000000"],
        ]
    )

    upload(client, "projects", "projects.csv", data)

    job = ImportJob.objects.get()
    assert (job.status, job.to_update) == ("valid", 2)
    page = client.get(reverse("finance:import_job", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    (pa1, pb1) = rows_of(page, "原值 → 新值")
    # Named by the file's own headers; codes as the file gives them, choices by their labels.
    assert pa1[:2] == ["2", "2021 / PA1"]
    assert "name: 学生资助 → 学生资助（调整）" in pa1[2]
    assert "function_code: 205 → 208" in pa1[2]
    assert "category: 民生 → 发展" in pa1[2]
    assert "budget: 1,000,000.00 → 1,200,000.50" in pa1[2]
    assert "unit_code" not in pa1[2]  # unchanged
    assert pb1[:2] == ["3", "2021 / PB1"]
    assert "fund_source: 一般公共预算 → 政府性基金预算" in pb1[2]


def test_the_preview_warns_of_a_payment_after_the_as_of_date_and_still_applies(client, district, officer):
    from finance.models import FiscalYear

    FiscalYear.objects.filter(year=2021).update(data_as_of="2021-10-31")
    client.force_login(officer)
    data = csv_bytes([PAYMENTS, ["V0002", 2021, "PA1", "2021-11-05", "20.00"]])

    upload(client, "payments", "late.csv", data)

    job = ImportJob.objects.get()
    assert (job.status, job.warning_count, job.problem_count) == ("valid", 1, 0)
    page = client.get(reverse("finance:import_job", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert "Worth a look: 1. The file can still be applied." in html
    assert "The payment date 2021-11-05 is after 2021-10-31" in html
    assert "Apply: create 1, update 0" in html
