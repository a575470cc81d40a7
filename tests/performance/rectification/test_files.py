"""SPEC §14.2 evidence files: at most 5 of at most 10 MB, PDF, images and office documents only, judged
by their content; stored under MEDIA_ROOT (outside the static root) with generated names and served
only to those who may see the item. A refused upload stores nothing, on disk or in the database."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from performance.models import ItemState, RectificationFile
from performance.services.rectification import answer_item
from tests.performance.rectification.conftest import (
    EXE,
    HTML,
    JPEG,
    PDF,
    PNG,
    office_package,
    stored_files,
    upload,
)
from tests.reading import download, get
from workflow.services import TransitionRefused

pytestmark = pytest.mark.django_db


def send(client, user, item, *files, measures="Measures.", **extra):
    client.logout()
    client.force_login(user)
    return client.post(
        f"/rectification/{item.pk}/", {"measures": measures, "evidence": "", "files": list(files), **extra}
    )


def refused_with(response, words: str) -> bool:
    return words in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("整改报告.pdf", PDF, "application/pdf"),
        ("photo.PNG", PNG, "image/png"),
        ("photo.jpg", JPEG, "image/jpeg"),
        ("photo.jpeg", JPEG, "image/jpeg"),
        (
            "report.docx",
            office_package("word/"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "ledger.xlsx",
            office_package("xl/"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "slides.pptx",
            office_package("ppt/"),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "application/msword"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "application/vnd.ms-excel"),
    ],
)
def test_each_accepted_kind_is_stored_and_served_as_what_it_is(
    client, item, head, name, content, content_type
):
    response = send(client, head, item, upload(name, content, "text/html"))

    assert response.status_code == 302
    evidence = RectificationFile.objects.get()
    assert (evidence.name, evidence.content_type, evidence.size) == (name, content_type, len(content))
    fetched = get(client, head, f"/rectification/{item.pk}/files/{evidence.pk}/")
    assert download(fetched) == content
    assert fetched["Content-Type"] == content_type
    assert fetched["X-Content-Type-Options"] == "nosniff"
    assert fetched["Content-Disposition"].startswith("attachment;")


def test_a_file_is_stored_under_media_root_with_a_generated_name_outside_the_static_root(
    client, item, head, media_root
):
    send(client, head, item, upload("../../static/整改报告.pdf", PDF))

    [path] = stored_files(media_root)
    assert path.suffix == ".pdf" and "整改报告" not in path.name and len(path.stem) == 32
    static_root = Path(settings.STATIC_ROOT).resolve()
    assert static_root not in path.resolve().parents
    assert (Path(settings.BASE_DIR) / "static").resolve() not in path.resolve().parents
    assert RectificationFile.objects.get().name == "整改报告.pdf"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", EXE),  # a program named as a PDF
        ("report.pdf", HTML),  # a page named as a PDF
        ("photo.png", JPEG),  # an image of another kind
        ("report.docx", office_package("xl/")),  # a workbook named as a document
        ("report.docx", b"PK\x03\x04 not a zip at all"),
        ("report.xlsx", PDF),
        ("run.exe", EXE),
        ("page.html", HTML),
        ("noext", PDF),
    ],
)
def test_a_file_whose_content_is_not_an_accepted_kind_is_refused_and_nothing_is_stored(
    client, item, head, media_root, name, content
):
    response = send(client, head, item, upload(name, content, "application/pdf"))

    assert response.status_code == 400
    assert refused_with(response, name.rsplit("/", 1)[-1])
    assert RectificationFile.objects.count() == 0
    assert stored_files(media_root) == []
    item.refresh_from_db()
    assert item.state == ItemState.OPEN


def test_an_empty_file_is_refused(client, item, head, media_root):
    response = send(client, head, item, upload("empty.pdf", b""))

    assert response.status_code == 400
    assert RectificationFile.objects.count() == 0 and stored_files(media_root) == []


def test_a_file_above_10_mb_is_refused_and_one_of_exactly_10_mb_is_taken(client, item, head, media_root):
    limit = 10 * 1024 * 1024
    assert settings.RECTIFICATION_MAX_FILE_BYTES == limit

    too_big = send(client, head, item, upload("big.pdf", PDF + b"0" * (limit + 1 - len(PDF))))
    assert too_big.status_code == 400
    assert refused_with(too_big, "at most 10 MB")
    assert RectificationFile.objects.count() == 0 and stored_files(media_root) == []

    just = send(client, head, item, upload("just.pdf", PDF + b"0" * (limit - len(PDF))))
    assert just.status_code == 302
    assert RectificationFile.objects.get().size == limit


def test_a_sixth_file_is_refused_whether_sent_at_once_or_later(client, item, head, officer, media_root):
    six = [upload(f"p{n}.pdf", PDF) for n in range(6)]
    at_once = send(client, head, item, *six)
    assert at_once.status_code == 400
    assert refused_with(at_once, "at most 5 files")
    assert RectificationFile.objects.count() == 0 and stored_files(media_root) == []

    assert send(client, head, item, *[upload(f"p{n}.pdf", PDF) for n in range(5)]).status_code == 302
    from performance.services.rectification import send_back_item

    send_back_item(item, user=officer, reason="Add the contract.")
    later = send(client, head, item, upload("sixth.pdf", PDF))
    assert later.status_code == 400
    assert refused_with(later, "at most 5 files")
    assert RectificationFile.objects.count() == 5 and len(stored_files(media_root)) == 5


def test_removing_a_file_makes_room_for_another(
    client, item, head, officer, media_root, django_capture_on_commit_callbacks
):
    send(client, head, item, *[upload(f"p{n}.pdf", PDF) for n in range(5)])
    from performance.services.rectification import send_back_item

    send_back_item(item, user=officer, reason="p0 is the wrong contract.")
    first = RectificationFile.objects.get(name="p0.pdf")

    # The removed file leaves the disk once the answer is committed.
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, head, item, upload("contract.pdf", PDF), remove=[first.pk])

    assert response.status_code == 302
    assert sorted(RectificationFile.objects.values_list("name", flat=True)) == [
        "contract.pdf",
        "p1.pdf",
        "p2.pdf",
        "p3.pdf",
        "p4.pdf",
    ]
    assert len(stored_files(media_root)) == 5


def test_an_upload_declared_larger_than_any_answer_is_refused_before_it_is_read(client, item, head):
    client.force_login(head)
    response = client.post(
        f"/rectification/{item.pk}/",
        data=b"x",
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
    )

    assert response.status_code == 413
    assert refused_with(response, "too big")


def test_form_fields_beyond_djangos_limit_are_a_message_not_a_server_error(client, item, head, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client.force_login(head)
    response = client.post(f"/rectification/{item.pk}/", {"measures": "x" * 5000})

    assert response.status_code == 413
    assert refused_with(response, "too big")
    item.refresh_from_db()
    assert item.state == ItemState.OPEN


def test_a_failure_after_the_files_are_written_leaves_none_on_disk(item, head, media_root, monkeypatch):
    from performance.services import rectification

    def failing(*args, **kwargs):
        raise RuntimeError("the timeline could not be written")

    monkeypatch.setattr(rectification, "record_step", failing)
    with pytest.raises(RuntimeError):
        answer_item(
            item, user=head, measures="m", evidence="", uploads=[upload("a.pdf", PDF), upload("b.pdf", PDF)]
        )

    assert RectificationFile.objects.count() == 0
    assert stored_files(media_root) == []


def test_the_service_refuses_six_files_too(item, head):
    with pytest.raises(TransitionRefused):
        answer_item(
            item, user=head, measures="m", evidence="", uploads=[upload(f"{n}.pdf", PDF) for n in range(6)]
        )


# -- who may fetch a file ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("officer", 200), ("head", 200), ("unit_filler", 200), ("other_head", 404), ("anonymous", 302)],
)
def test_who_fetches_an_evidence_file(client, item, head, request, persona, status):
    send(client, head, item, upload("report.pdf", PDF))
    evidence = RectificationFile.objects.get()
    user = None if persona == "anonymous" else request.getfixturevalue(persona)

    assert get(client, user, f"/rectification/{item.pk}/files/{evidence.pk}/").status_code == status


def test_a_file_asked_for_under_another_item_is_404(client, item, head, officer, district):
    from performance.models import RectificationItem

    send(client, head, item, upload("report.pdf", PDF))
    evidence = RectificationFile.objects.get()
    other = RectificationItem.objects.create(
        department=district.a,
        fiscal_year_id=2021,
        source="weak_spot",
        problem="p",
        requirement="r",
        deadline=item.deadline,
    )

    assert get(client, officer, f"/rectification/{other.pk}/files/{evidence.pk}/").status_code == 404


def test_a_file_gone_from_the_disk_is_a_404_not_a_server_error(client, item, head, media_root):
    send(client, head, item, upload("report.pdf", PDF))
    for path in stored_files(media_root):
        path.unlink()
    evidence = RectificationFile.objects.get()

    assert get(client, head, f"/rectification/{item.pk}/files/{evidence.pk}/").status_code == 404
