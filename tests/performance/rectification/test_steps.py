"""SPEC §14.2: who takes which step of a rectification item, from which state, and what each step
leaves in the item and its timeline. Refused steps change nothing; outside the scope they are 404s."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from performance.models import ItemSource, ItemState, RectificationItem
from performance.services.rectification import answer_item, close_item, open_item, send_back_item
from tests.factories import make_unit_filler
from tests.reading import get
from workflow.models import Action
from workflow.services import TransitionRefused, timeline

pytestmark = pytest.mark.django_db


def post(client, user, url, data=None, **kwargs):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.post(url, data or {}, **kwargs)


def answered(item, head):
    return answer_item(item, user=head, measures="Payments scheduled weekly.", evidence="Ledger of November.")


def test_the_officer_opens_an_item_and_its_timeline_says_so(item, officer):
    steps = timeline(item)

    assert item.state == ItemState.OPEN
    assert item.opened_by == officer
    assert [(step.action, step.from_state, step.to_state, step.actor) for step in steps] == [
        (Action.OPEN, "", ItemState.OPEN, officer)
    ]


@pytest.mark.parametrize("persona", ["head", "other_head", "unit_filler"])
def test_only_the_bureau_opens_items(district, persona, request):
    user = request.getfixturevalue(persona)
    item = RectificationItem(
        department=district.a,
        fiscal_year_id=2021,
        source=ItemSource.WEAK_SPOT,
        problem="p",
        requirement="r",
        deadline=timezone.localdate(),
    )

    with pytest.raises(TransitionRefused):
        open_item(item, user=user)
    assert RectificationItem.objects.count() == 0


def test_head_answers_officer_sends_back_head_answers_again_officer_closes(item, head, officer):
    answered(item, head)
    send_back_item(item, user=officer, reason="The ledger is not signed.")
    item.refresh_from_db()
    assert (item.state, item.sent_back_reason) == (ItemState.SENT_BACK, "The ledger is not signed.")
    answer_item(item, user=head, measures="Signed ledger attached.", evidence="")
    close_item(item, user=officer)
    item.refresh_from_db()

    assert item.state == ItemState.CLOSED
    assert item.closed_at is not None
    assert [(step.action, step.from_state, step.to_state) for step in timeline(item)] == [
        (Action.OPEN, "", "open"),
        (Action.ANSWER, "open", "answered"),
        (Action.SEND_BACK, "answered", "sent_back"),
        (Action.ANSWER, "sent_back", "answered"),
        (Action.CLOSE, "answered", "closed"),
    ]
    assert timeline(item)[2].reason == "The ledger is not signed."


def test_sending_back_needs_a_reason(item, head, officer):
    answered(item, head)

    for blank in ("", "   "):
        with pytest.raises(TransitionRefused, match="reason"):
            send_back_item(item, user=officer, reason=blank)
    item.refresh_from_db()
    assert item.state == ItemState.ANSWERED
    assert len(timeline(item)) == 2


def test_an_answer_needs_the_measures_taken(item, head):
    with pytest.raises(TransitionRefused):
        answer_item(item, user=head, measures="  ", evidence="x")
    item.refresh_from_db()
    assert item.state == ItemState.OPEN


def test_the_officer_cannot_close_or_send_back_an_item_not_yet_answered(item, officer):
    with pytest.raises(TransitionRefused):
        close_item(item, user=officer)
    with pytest.raises(TransitionRefused):
        send_back_item(item, user=officer, reason="too slow")
    item.refresh_from_db()
    assert item.state == ItemState.OPEN


def test_an_answered_or_closed_item_cannot_be_answered(item, head, officer):
    answered(item, head)
    with pytest.raises(TransitionRefused):
        answered(item, head)
    close_item(item, user=officer)
    with pytest.raises(TransitionRefused):
        answered(item, head)


def test_the_officer_does_not_answer_and_the_head_does_not_close(item, head, officer):
    with pytest.raises(TransitionRefused):
        answered(item, officer)
    answered(item, head)
    with pytest.raises(TransitionRefused):
        close_item(item, user=head)
    with pytest.raises(TransitionRefused):
        send_back_item(item, user=head, reason="x")
    item.refresh_from_db()
    assert item.state == ItemState.ANSWERED


def test_another_departments_head_is_out_of_scope(item, other_head):
    with pytest.raises(TransitionRefused) as refused:
        answered(item, other_head)
    assert refused.value.not_found


def test_a_unit_filler_reads_their_units_items_but_answers_nothing(client, item, district):
    filler = make_unit_filler(district.units["A01-01"], "filler")  # PA02 is A01-01's

    assert get(client, filler, f"/rectification/{item.pk}/").status_code == 200
    with pytest.raises(TransitionRefused):
        answered(item, filler)
    assert "rectification-answer" not in get(client, filler, f"/rectification/{item.pk}/").content.decode()


# -- over HTTP: each role on the item's page and its steps --------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("officer", 200), ("head", 200), ("other_head", 404), ("unit_filler", 200), ("anonymous", 302)],
)
def test_who_opens_the_items_page(client, item, request, persona, status):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)

    assert get(client, user, f"/rectification/{item.pk}/").status_code == status


@pytest.mark.parametrize("persona", ["head", "other_head", "unit_filler", "anonymous"])
def test_only_the_officer_opens_the_new_item_form(client, district, request, persona):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    url = f"/rectification/new/?source=warning&project={district.projects['PA02'].pk}"

    assert get(client, user, url).status_code in (302, 404)
    response = post(client, user, url, {"source": "warning", "project": district.projects["PA02"].pk})
    assert response.status_code in (302, 404)
    assert RectificationItem.objects.count() == 0


def test_the_head_answers_over_http_and_the_officer_closes(client, item, head, officer):
    response = post(client, head, f"/rectification/{item.pk}/", {"measures": "Paid 600.", "evidence": "PV-1"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == ItemState.ANSWERED

    response = post(
        client, officer, f"/rectification/{item.pk}/transition/", {"action": "close", "from_page": "1"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == ItemState.CLOSED


def test_a_send_back_without_reason_over_http_is_a_409_and_changes_nothing(client, item, head, officer):
    answered(item, head)

    response = post(client, officer, f"/rectification/{item.pk}/transition/", {"action": "send_back"})

    assert response.status_code == 409
    item.refresh_from_db()
    assert item.state == ItemState.ANSWERED


@pytest.mark.parametrize("persona", ["other_head", "unit_filler"])
def test_steps_out_of_role_over_http_change_nothing(client, item, head, request, persona):
    answered(item, head)
    user = request.getfixturevalue(persona)

    closing = post(client, user, f"/rectification/{item.pk}/transition/", {"action": "close"})
    answering = post(client, user, f"/rectification/{item.pk}/", {"measures": "x"})

    expected = 404 if persona == "other_head" else 409
    assert closing.status_code == expected
    assert answering.status_code == expected
    item.refresh_from_db()
    assert item.state == ItemState.ANSWERED


def test_anonymous_steps_go_to_the_login_page(client, item):
    for url in (f"/rectification/{item.pk}/", f"/rectification/{item.pk}/transition/", "/rectification/new/"):
        response = post(client, None, url, {"action": "close", "measures": "x"})
        assert response.status_code == 302 and "/login" in response["Location"], url
    item.refresh_from_db()
    assert item.state == ItemState.OPEN


# -- overdue ---------------------------------------------------------------------------------------------


def test_an_item_is_in_time_on_its_deadline_and_overdue_the_day_after(item):
    deadline = item.deadline

    assert not item.is_overdue(today=deadline)
    assert item.is_overdue(today=deadline + datetime.timedelta(days=1))


def test_a_closed_item_is_never_overdue(item, head, officer):
    answered(item, head)
    close_item(item, user=officer)
    item.refresh_from_db()

    assert not item.is_overdue(today=item.deadline + datetime.timedelta(days=100))


def test_an_answered_item_not_yet_closed_is_overdue_after_its_deadline(item, head):
    answered(item, head)
    item.refresh_from_db()

    assert item.is_overdue(today=item.deadline + datetime.timedelta(days=1))


# -- to-do lists ------------------------------------------------------------------------------------------


def test_the_heads_to_do_list_holds_the_items_to_answer_and_the_officers_those_to_close(
    client, item, head, officer, other_head
):
    def listed(user) -> bool:
        return f"/rectification/{item.pk}/" in get(client, user, "/todo/").content.decode()

    assert (listed(head), listed(officer), listed(other_head)) == (True, False, False)
    answered(item, head)
    assert (listed(head), listed(officer)) == (False, True)
    send_back_item(item, user=officer, reason="more")
    assert (listed(head), listed(officer)) == (True, False)
