"""SPEC §14.1 a project's monitoring report page, for every role: the unit fills its own, the reviewers
read it with their transitions, everyone else gets 404; the spending comes from payments to the
round's date."""

from __future__ import annotations

import datetime

import pytest

from performance.models import MonitoringReport
from tests.performance.monitoring.conftest import AS_OF, page_url
from tests.reading import get, nav_links, rows, text
from workflow.models import Round
from workflow.rounds import open_round

pytestmark = pytest.mark.django_db


def test_the_unit_fills_its_own_report(client, report, filler):
    response = get(client, filler, page_url(report))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="monitoring-form"' in html
    assert f'name="expected-{report.lines.get(name="受助学生人数").pk}"' in html
    assert f'name="judgement-{report.lines.get(name="政策知晓度").pk}"' in html
    assert 'value="submit"' in html


def test_the_spending_comes_from_payments_to_the_rounds_date(client, report, filler):
    client.force_login(filler)
    response = client.get(page_url(report), HTTP_ACCEPT_LANGUAGE="en")

    # 400,000 of 1,000,000 paid by 31 July (100,000 paid in September does not count): 40.0 %;
    # time progress 212/365 = 58.08 %; gap −18.08 pp, attention.
    spending = rows(response, 1)
    assert spending == [["100.00", "40.00", "40.0%", "58.1%", "-18.1", "attention"]]
    assert "Spent to 2021-07-31" in text(response)


@pytest.mark.parametrize("persona", ["head", "bureau"])
def test_the_reviewers_read_it_with_their_transitions_and_the_timeline(client, report, request, persona):
    report.state = "submitted" if persona == "head" else "forwarded"
    report.save()
    client.force_login(request.getfixturevalue(persona))

    response = client.get(page_url(report), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="monitoring-form"' not in html and 'name="expected-' not in html
    assert ('value="forward"' if persona == "head" else 'value="approve"') in html
    assert 'value="return"' in html
    assert "Timeline" in text(response) and "create" in text(response)


def test_a_submitted_report_is_read_only_for_its_unit(client, report, filler):
    report.state = "submitted"
    report.save()

    html = get(client, filler, page_url(report)).content.decode()

    assert 'name="expected-' not in html and 'value="forward"' not in html


@pytest.mark.parametrize("persona", ["other_head", "sibling", "nobody"])
def test_others_get_404(client, report, request, persona):
    user = request.getfixturevalue(persona)

    assert get(client, user, page_url(report)).status_code == 404
    client.force_login(user)
    assert client.post(page_url(report), {}).status_code == 404
    assert client.post(page_url(report) + "transition/", {"action": "forward"}).status_code == 404


def test_anonymous_goes_to_the_login_page(client, report):
    response = client.get(page_url(report))

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_round_of_another_year_or_kind_or_unknown_is_404(client, report, filler, bureau):
    other_kind = Round.objects.create(kind="self_evaluation", fiscal_year_id=2021, deadline=AS_OF)
    last_year, _count = open_round(
        user=bureau, kind="monitoring", year=2020, as_of=datetime.date(2020, 7, 31), deadline=AS_OF
    )
    for round_id in (other_kind.pk, last_year.pk, 999999, 99999999999999999999999):
        assert get(client, filler, f"/projects/2021/PA01/monitoring/{round_id}/").status_code == 404
    # The 2020 round holds the 2020 project's report, not this one's.
    assert get(client, filler, page_url(last_year, year=2020)).status_code == 200


def test_a_project_without_a_report_in_the_round_is_404(client, round_, filler, head):
    # PA02 has no targets, PA05 is a pool proposal: neither is reported.
    for code in ("PA02", "PA05"):
        assert get(client, filler, page_url(round_, code=code)).status_code == 404
        assert get(client, head, page_url(round_, code=code)).status_code == 404


def test_the_project_page_links_its_reports(client, report, filler, head):
    for user in (filler, head):
        html = get(client, user, "/projects/2021/PA01/").content.decode()
        assert f'href="{page_url(report)}"' in html
    assert page_url(report) not in get(client, head, "/projects/2021/PA02/").content.decode()


# -- /monitoring/ ---------------------------------------------------------------------------------


def test_the_monitoring_page_shows_each_rounds_progress_by_department(client, round_, bureau):
    MonitoringReport.objects.filter(project__code="PA09").update(state="approved")
    MonitoringReport.objects.filter(project__code="PB01").update(state="submitted")
    client.force_login(bureau)

    response = client.get("/monitoring/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    # A01: PA01 (draft) and PA09 (approved); B02: PB01 (submitted). Not past the deadline: none overdue.
    assert rows(response) == [
        ["区教育体育局", "2", "1", "1", "0"],
        ["区卫生健康委员会", "1", "1", "0", "0"],
        ["Total", "3", "2", "1", "0"],
    ]
    # PA02 is approved without targets.
    assert "1 approved project of the year has no targets in force and is not reported." in text(response)


def test_the_monitoring_page_is_scoped(client, round_, head, other_head, filler, sibling):
    head_rows = rows(get(client, head, "/monitoring/"))
    assert len(head_rows) == 1 and head_rows[0][1:] == ["2", "0", "0", "0"]
    other_rows = rows(get(client, other_head, "/monitoring/"))
    assert len(other_rows) == 1 and other_rows[0][1:] == ["1", "0", "0", "0"]
    # A unit filler: its own reports, linked, and its own count.
    response = get(client, filler, "/monitoring/")
    html = response.content.decode()
    assert page_url(MonitoringReport.objects.get(project__code="PA01")) in html
    assert "/PA09/" not in html and "/PB01/" not in html
    assert rows(response)[0][1:] == ["1", "0", "0", "0"]


def test_overdue_reports_are_counted_after_the_deadline(client, round_, bureau):
    Round.objects.filter(pk=round_.pk).update(deadline=datetime.date(2021, 8, 1))
    MonitoringReport.objects.filter(project__code="PA09").update(state="approved")

    # Not approved after the deadline: PA01 (draft) in A01, PB01 (draft) in B02.
    assert rows(get(client, bureau, "/monitoring/"))[:2] == [
        ["区教育体育局", "2", "1", "1", "1"],
        ["区卫生健康委员会", "1", "0", "0", "1"],
    ]


@pytest.mark.parametrize("persona", ["bureau", "head", "filler"])
def test_every_role_has_the_monitoring_link(client, round_, request, persona):
    user = request.getfixturevalue(persona)

    assert "/monitoring/" in nav_links(get(client, user, "/todo/"))
    assert get(client, user, "/monitoring/").status_code == 200


def test_a_user_without_a_role_gets_404_on_the_monitoring_page(client, round_, nobody):
    assert get(client, nobody, "/monitoring/").status_code == 404
