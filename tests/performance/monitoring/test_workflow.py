"""SPEC §12.1 a monitoring report through the one workflow over HTTP: the unit submits, the head
forwards, the officer approves; refusals answer with a message on the page, or 409 for a POST that is not
the page's own; hostile input changes nothing; the to-do lists carry the reports."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from performance.models import MonitoringLine, MonitoringReport
from tests.performance.monitoring.conftest import COMPLETE, form_data, page_url
from tests.reading import get, text
from workflow.models import State, Transition
from workflow.todo import count_for

pytestmark = pytest.mark.django_db


def _submit(client, filler, report):
    client.force_login(filler)
    data = {**form_data(report, **COMPLETE), "then": "submit"}
    assert client.post(page_url(report), data).status_code == 302
    report.refresh_from_db()
    assert report.state == State.SUBMITTED


def test_submit_forward_approve_over_http(
    client, report, filler, head, bureau, django_capture_on_commit_callbacks
):
    _submit(client, filler, report)
    transition = page_url(report) + "transition/"

    client.force_login(head)
    assert client.post(transition, {"action": "forward", "from_page": "1"}).status_code == 302
    client.force_login(bureau)
    with django_capture_on_commit_callbacks() as callbacks:
        assert client.post(transition, {"action": "approve", "from_page": "1"}).status_code == 302

    report.refresh_from_db()
    assert report.state == State.APPROVED
    steps = Transition.objects.filter(object_id=report.pk, content_type__model="monitoringreport")
    assert list(steps.values_list("action", "to_state")) == [
        ("create", "draft"),
        ("submit", "submitted"),
        ("forward", "forwarded"),
        ("approve", "approved"),
    ]
    assert callbacks  # approval queues the coalesced recompute (SPEC §12.1)


def test_a_head_returns_with_a_reason_and_the_unit_edits_again(client, report, filler, head):
    _submit(client, filler, report)
    client.force_login(head)
    client.post(
        page_url(report) + "transition/", {"action": "return", "reason": "请补充说明", "from_page": "1"}
    )

    report.refresh_from_db()
    assert report.state == State.RETURNED
    page = get(client, filler, page_url(report))
    assert "请补充说明" in text(page) and 'name="expected-' in page.content.decode()


def test_a_refused_transition_from_elsewhere_is_409_and_changes_nothing(client, report, filler, head, bureau):
    transition = page_url(report) + "transition/"
    client.force_login(head)
    # A draft cannot be forwarded; the officer cannot approve a draft; the unit cannot submit an
    # incomplete report.
    for user, action in ((head, "forward"), (bureau, "approve"), (filler, "submit")):
        client.force_login(user)
        assert client.post(transition, {"action": action}).status_code == 409
    report.refresh_from_db()
    assert report.state == State.DRAFT
    # From the page's own form: a message on the page instead.
    client.force_login(head)
    response = client.post(transition, {"action": "forward", "from_page": "1"})
    assert response.status_code == 302 and response["Location"] == page_url(report)


def test_a_transition_needs_post(client, report, head):
    client.force_login(head)
    assert client.get(page_url(report) + "transition/").status_code == 405


def test_a_reviewer_posting_the_form_changes_nothing(client, report, head, bureau):
    for user in (head, bureau):
        client.force_login(user)
        response = client.post(page_url(report), form_data(report, **COMPLETE), follow=True)
        assert response.status_code == 200
    assert not MonitoringLine.objects.filter(report=report, expected_value__isnull=False).exists()


# -- hostile input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "field", "value"),
    [
        ("受助学生人数", "expected", "abc"),
        ("受助学生人数", "achieved", "1e20"),
        ("受助学生人数", "expected", "100000000000000000000"),  # 10^20: more than 15 digits
        ("受助学生人数", "expected", "NaN"),
        ("受助学生人数", "expected", "Infinity"),
        ("受助学生人数", "expected", "²"),
        ("政策知晓度", "judgement", "1.5"),
        ("政策知晓度", "judgement", "-0.1"),
        ("受助学生人数", "cause", "weather"),
        ("受助学生人数", "cause_text", "长" * 2001),
        ("受助学生人数", "measure", "长" * 2001),
    ],
)
def test_hostile_input_gets_a_message_and_changes_nothing(client, report, filler, name, field, value):
    client.force_login(filler)
    entered = {**COMPLETE, name: {**COMPLETE.get(name, {}), field: value}}
    before = list(MonitoringLine.objects.filter(report=report).values())

    response = client.post(
        page_url(report), {**form_data(report, **entered), "then": "submit"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    assert "Nothing was saved: please correct the marked fields." in text(response)
    assert list(MonitoringLine.objects.filter(report=report).values()) == before
    report.refresh_from_db()
    assert report.state == State.DRAFT


def test_a_line_of_another_report_posted_is_ignored(client, report, filler, watched):
    other = MonitoringReport.objects.get(project__code="PA09")
    foreign = other.lines.get()
    client.force_login(filler)

    client.post(
        page_url(report),
        {**form_data(report, **COMPLETE), f"expected-{foreign.pk}": "1", f"measure-{foreign.pk}": "x"},
    )

    foreign.refresh_from_db()
    assert (foreign.expected_value, foreign.measure) == (None, "")
    assert report.lines.get(name="受助学生人数").expected_value == Decimal("100")


# -- the to-do lists ------------------------------------------------------------------------------


def test_the_todo_lists_carry_the_reports_to_each_role(client, report, filler, head, bureau, other_head):
    assert "学生资助 (PA01)" in text(get(client, filler, "/todo/"))
    assert count_for(filler) == 1  # PA01's draft (PA02 has no targets and no report)
    assert "PA01" not in text(get(client, head, "/todo/"))

    _submit(client, filler, report)
    assert count_for(filler) == 0
    page = get(client, head, "/todo/").content.decode()
    assert f'action="{page_url(report)}transition/"' in page and 'value="forward"' in page
    assert "PA01" not in text(get(client, other_head, "/todo/"))

    client.force_login(head)
    response = client.post(
        page_url(report) + "transition/", {"action": "forward", "from_page": "1", "back": "todo"}
    )
    assert response["Location"] == reverse("workflow:todo")
    page = get(client, bureau, "/todo/").content.decode()
    assert 'value="approve"' in page and page_url(report) in page
    client.post(page_url(report) + "transition/", {"action": "approve", "from_page": "1", "back": "todo"})
    report.refresh_from_db()
    assert report.state == State.APPROVED
    assert page_url(report) not in get(client, bureau, "/todo/").content.decode()
