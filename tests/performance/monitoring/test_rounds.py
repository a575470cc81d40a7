"""SPEC §14.1 opening a monitoring round: a draft report, set-based, for every approved project of the
year that has targets in force, its lines copied from them, each with a first timeline step."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import translation

from performance.models import MonitoringLine, MonitoringReport
from tests.factories import IndicatorFactory, ProjectFactory
from tests.performance.monitoring.conftest import AS_OF, DEADLINE
from tests.reading import get, text
from workflow.models import Round, State, Transition
from workflow.rounds import RoundRefused, open_round

pytestmark = pytest.mark.django_db


def test_a_round_reports_only_the_years_approved_projects_with_targets(round_, watched):
    reports = MonitoringReport.objects.filter(round=round_)

    # PA02 has no targets, PA05 is a pool proposal, PA01 of 2020 is another year's.
    assert sorted(reports.values_list("project__code", flat=True)) == ["PA01", "PA09", "PB01"]
    assert set(reports.values_list("state", flat=True)) == {State.DRAFT}


def test_the_lines_copy_the_targets_in_force_in_their_order(report, watched):
    lines = list(report.lines.order_by("position"))

    assert [(line.position, line.level1, line.level2, line.name) for line in lines] == [
        (1, "产出指标", "数量指标", "受助学生人数"),
        (2, "产出指标", "时效指标", "资金拨付时间"),
        (3, "效益指标", "社会效益指标", "政策知晓度"),
    ]
    first = lines[0]
    assert (first.direction, first.target_value, first.measure_unit, first.weight) == (
        "gte",
        Decimal("100.0000"),
        "人",
        Decimal("40.00"),
    )
    assert first.indicator.project == watched["pa01"]
    assert (first.achieved_value, first.expected_value, first.judgement, first.cause, first.measure) == (
        None,
        None,
        None,
        "",
        "",
    )
    assert lines[2].target_value is None


def test_each_report_gets_its_first_step_by_the_officer(round_, bureau):
    content_type = ContentType.objects.get_for_model(MonitoringReport)
    steps = Transition.objects.filter(content_type=content_type)

    assert steps.count() == 3
    assert set(steps.values_list("action", "from_state", "to_state", "actor")) == {
        ("create", "", "draft", bureau.pk)
    }
    pb01 = MonitoringReport.objects.get(round=round_, project__code="PB01")
    assert steps.get(object_id=pb01.pk).department == pb01.project.department


def test_a_later_change_of_targets_does_not_change_the_copied_lines(report, watched):
    watched["pa01"].indicators.filter(name="受助学生人数").update(target_value=Decimal("150"))

    line = report.lines.get(name="受助学生人数")
    assert line.target_value == Decimal("100.0000")


def test_opening_is_set_based_whatever_the_number_of_projects(watched, bureau, django_assert_max_num_queries):
    for n in range(20):
        project = ProjectFactory(unit=watched["second"], fiscal_year_id=2021, code=f"PX{n:02d}")
        IndicatorFactory(project=project, weight=Decimal("45"))
        IndicatorFactory(project=project, weight=Decimal("45"))

    # the fiscal year, the round (and its savepoint), the content type, three statements, the count
    with django_assert_max_num_queries(10):
        _round, count = open_round(user=bureau, kind="monitoring", year=2021, as_of=AS_OF, deadline=DEADLINE)

    assert count == 3 + 20
    assert MonitoringLine.objects.count() == 3 + 1 + 1 + 20 * 2


def test_a_second_round_on_another_date_is_opened_and_the_same_date_is_refused(round_, bureau):
    later, count = open_round(
        user=bureau,
        kind="monitoring",
        year=2021,
        as_of=datetime.date(2021, 10, 31),
        deadline=datetime.date(2021, 11, 30),
    )
    assert count == 3
    assert MonitoringReport.objects.count() == 6

    with translation.override("en"), pytest.raises(RoundRefused, match="already open"):
        open_round(user=bureau, kind="monitoring", year=2021, as_of=AS_OF, deadline=DEADLINE)
    assert Round.objects.filter(kind="monitoring").count() == 2
    assert MonitoringReport.objects.count() == 6


def test_a_round_needs_its_date_in_the_year_before_the_deadline(watched, bureau):
    for as_of, deadline in (
        (None, DEADLINE),
        (datetime.date(2020, 7, 31), DEADLINE),
        (AS_OF, AS_OF.replace(day=1)),
    ):
        with pytest.raises(RoundRefused):
            open_round(user=bureau, kind="monitoring", year=2021, as_of=as_of, deadline=deadline)
    assert not MonitoringReport.objects.exists()


def test_the_officer_opens_a_round_from_the_monitoring_page(client, watched, bureau):
    client.force_login(bureau)

    response = client.post(
        reverse("performance:monitoring"),
        {"year": "2021", "as_of": "2021-07-31", "deadline": "2031-08-31"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert "Round opened: 2021 monitoring · 2021-07-31, 3 reports." in text(response)
    assert MonitoringReport.objects.count() == 3
    # The same again: refused with a message, nothing more opened.
    again = client.post(
        reverse("performance:monitoring"),
        {"year": "2021", "as_of": "2021-07-31", "deadline": "2031-08-31"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert again.status_code == 200 and "That round is already open." in text(again)
    assert (Round.objects.count(), MonitoringReport.objects.count()) == (1, 3)


@pytest.mark.parametrize(
    "bad",
    [
        {"year": "2021", "as_of": "", "deadline": "2021-08-31"},
        {"year": "2021", "as_of": "x", "deadline": "2021-08-31"},
        {"year": "1999", "as_of": "1999-07-31", "deadline": "1999-08-31"},
        {"year": "2021", "as_of": "2021-07-31", "deadline": "2021-07-01"},
        {"year": "²⁰²¹", "as_of": "2021-07-31", "deadline": "2021-08-31"},
    ],
)
def test_bad_round_input_gets_a_message_and_opens_nothing(client, watched, bureau, bad):
    client.force_login(bureau)

    response = client.post(reverse("performance:monitoring"), bad)

    assert response.status_code == 200
    assert not Round.objects.exists()


def test_only_the_officer_opens_a_round(client, watched, head, filler):
    for user in (head, filler):
        client.force_login(user)
        response = client.post(
            reverse("performance:monitoring"),
            {"year": "2021", "as_of": "2021-07-31", "deadline": "2031-08-31"},
        )
        assert response.status_code == 404
        assert 'name="as_of"' not in get(client, user, "/monitoring/").content.decode()
    assert not Round.objects.exists()


def test_the_rounds_page_offers_and_shows_monitoring_rounds(client, round_, bureau):
    client.force_login(bureau)
    response = client.get(f"/rounds/?round={round_.pk}", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "2021 monitoring · 2021-07-31" in text(response)
