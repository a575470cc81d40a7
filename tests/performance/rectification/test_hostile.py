"""Hostile input on the items' pages: a clear answer (4xx with a message), never a 500, nothing changed."""

from __future__ import annotations

import pytest

from performance.models import ItemState, RectificationFile
from tests.performance.rectification.conftest import PDF, stored_files, upload
from workflow.services import timeline

pytestmark = pytest.mark.django_db


def post(client, user, url, data, **extra):
    client.force_login(user)
    return client.post(url, data, **extra)


@pytest.mark.parametrize("action", ["", "approve", "<script>", "close\x00", "x" * 5000, "send_back "])
def test_an_unknown_step_is_refused_and_changes_nothing(client, item, officer, action):
    response = post(client, officer, f"/rectification/{item.pk}/transition/", {"action": action})

    assert response.status_code == 409
    item.refresh_from_db()
    assert item.state == ItemState.OPEN and len(timeline(item)) == 1


def test_a_reason_too_long_is_refused(client, item, head, officer):
    post(client, head, f"/rectification/{item.pk}/", {"measures": "m"})

    response = post(
        client,
        officer,
        f"/rectification/{item.pk}/transition/",
        {"action": "send_back", "reason": "x" * 2001},
    )

    assert response.status_code == 409
    item.refresh_from_db()
    assert item.state == ItemState.ANSWERED


@pytest.mark.parametrize(
    "data",
    [
        {"measures": ""},
        {"measures": "x" * 4001},
        {"measures": "m", "evidence": "y" * 4001},
        {"measures": "m\x00"},
    ],
)
def test_a_bad_answer_is_a_message_and_stores_nothing(client, item, head, media_root, data):
    response = post(client, head, f"/rectification/{item.pk}/", data | {"files": [upload("a.pdf", PDF)]})

    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    item.refresh_from_db()
    assert item.state == ItemState.OPEN
    assert RectificationFile.objects.count() == 0 and stored_files(media_root) == []


@pytest.mark.parametrize("pk", ["0", "999999999", "99999999999999999999"])
def test_unknown_items_and_files_are_404(client, officer, pk):
    client.force_login(officer)

    assert client.get(f"/rectification/{pk}/").status_code == 404
    assert client.get(f"/rectification/{pk}/files/{pk}/").status_code == 404
    assert client.post(f"/rectification/{pk}/transition/", {"action": "close"}).status_code == 404


def test_a_get_on_the_transition_is_refused(client, item, officer):
    client.force_login(officer)

    assert client.get(f"/rectification/{item.pk}/transition/").status_code == 405


@pytest.mark.parametrize("remove", [["abc"], ["999999"], ["-1"]])
def test_removing_a_file_that_is_not_the_items_is_a_message(client, item, head, officer, remove):
    from performance.services.rectification import send_back_item

    post(client, head, f"/rectification/{item.pk}/", {"measures": "m", "files": [upload("a.pdf", PDF)]})
    send_back_item(item, user=officer, reason="more")

    response = post(client, head, f"/rectification/{item.pk}/", {"measures": "m2", "remove": remove})

    assert response.status_code == 400
    item.refresh_from_db()
    assert (item.state, item.measures) == (ItemState.SENT_BACK, "m")
    assert RectificationFile.objects.count() == 1


def test_a_truncated_multipart_body_is_no_server_error(client, item, head):
    client.force_login(head)
    response = client.post(
        f"/rectification/{item.pk}/",
        data=b'--xyz\r\nContent-Disposition: form-data; name="measures"\r\n\r\nm',
        content_type="multipart/form-data; boundary=xyz",
    )

    assert response.status_code < 500


def test_a_file_number_beyond_any_key_is_404(client, officer, item):
    client.force_login(officer)
    huge = "9" * 30

    assert client.get(f"/rectification/{huge}/files/1/").status_code == 404
    assert client.get(f"/rectification/{item.pk}/files/{huge}/").status_code == 404
