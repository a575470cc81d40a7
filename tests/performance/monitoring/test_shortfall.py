"""SPEC §14.1 a shortfall (the value expected for the year falls short of the target) needs its cause,
chosen and explained, and the corrective measure, checked on submission at the edges; saving is always
allowed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from performance.models import MonitoringLine
from performance.services.monitoring_reports import ReportLine, expected_completion, submission_problems
from tests.performance.monitoring.conftest import COMPLETE, form_data, page_url
from workflow.models import State

pytestmark = pytest.mark.django_db


def line(direction: str, target: str | None, expected: str | None = None, judgement: str | None = None):
    return MonitoringLine(
        direction=direction,
        target_value=None if target is None else Decimal(target),
        expected_value=None if expected is None else Decimal(expected),
        achieved_value=Decimal("1"),
        judgement=None if judgement is None else Decimal(judgement),
        weight=Decimal("30"),
    )


@pytest.mark.parametrize(
    ("direction", "target", "expected", "judgement", "completion", "short"),
    [
        ("gte", "100", "100", None, "1", False),  # exactly at the target
        ("gte", "100", "99.9999", None, "0.999999", True),  # just below: short, however little
        ("gte", "100", "150", None, "1", False),  # over-achieved, capped
        ("gte", "0", "0", None, "1", False),  # a zero target is met
        ("lte", "10", "10", None, "1", False),  # ≤ exactly at the target
        ("lte", "10", "10.0001", None, "0.99999000009999900000999990", True),  # ≤ above the target: short
        ("lte", "10", "5", None, "1", False),  # ≤ below the target
        ("lte", "10", "0", None, "1", False),  # ≤ with nothing expected: complete
        ("eq", "5", "5", None, "1", False),
        ("eq", "5", "5.0001", None, "0", True),
        ("qualitative", None, None, "1", "1", False),
        ("qualitative", None, None, "0.99", "0.99", True),
    ],
)
def test_completion_and_shortfall_at_their_edges(direction, target, expected, judgement, completion, short):
    row = ReportLine(line=line(direction, target, expected, judgement), completion=None)
    computed = expected_completion(row.line)

    assert computed == Decimal(completion)
    assert ReportLine(line=row.line, completion=computed).shortfall is short


def test_no_expected_value_yet_is_missing_not_short():
    empty = line("gte", "100")
    row = ReportLine(line=empty, completion=expected_completion(empty))

    assert (row.completion, row.shortfall, row.missing_value) == (None, False, True)


def test_expected_points_are_weight_times_completion():
    short = line("gte", "100", "80")  # 30 × 0.8 = 24.00
    assert ReportLine(line=short, completion=expected_completion(short)).points == Decimal("24.00")


def _post(client, user, report, then: str | None = None, **by_name):
    client.force_login(user)
    data = form_data(report, **by_name)
    if then:
        data["then"] = then
    return client.post(page_url(report), data, follow=True, HTTP_ACCEPT_LANGUAGE="en")


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_a_shortfall_without_cause_and_measure_is_saved_but_not_submitted(client, report, filler):
    entered = {**COMPLETE, "受助学生人数": {"achieved": "50", "expected": "90"}}

    response = _post(client, filler, report, then="submit", **entered)

    report.refresh_from_db()
    assert report.state == State.DRAFT
    (message,) = _messages(response)
    assert message.startswith("Saved, not submitted:")
    assert "give the cause (chosen and explained) and the corrective measure of: 受助学生人数" in message
    assert "资金拨付时间" not in message and "政策知晓度" not in message
    # What was typed is kept.
    saved = report.lines.get(name="受助学生人数")
    assert (saved.achieved_value, saved.expected_value) == (Decimal("50"), Decimal("90"))
    # The row is marked on the page.
    assert 'class="needs-reason"' in response.content.decode()


def test_saving_a_draft_says_what_is_still_needed(client, report, filler):
    response = _post(client, filler, report, **{"受助学生人数": {"achieved": "50", "expected": "90"}})

    (message,) = _messages(response)
    assert message.startswith("Saved. Before you submit:")
    assert "资金拨付时间、政策知晓度" in message  # no values yet
    assert "受助学生人数" in message  # short, unexplained
    assert report.lines.get(name="受助学生人数").expected_value == Decimal("90")


def test_a_shortfall_with_cause_text_and_measure_is_submitted(client, report, filler):
    entered = {
        **COMPLETE,
        "资金拨付时间": {
            "achieved": "12",
            "expected": "12",  # ≤ 10 expected at 12: short
            "cause": "funding",
            "cause_text": "上级资金8月才到位",
            "measure": "提前办理拨付手续",
        },
        "政策知晓度": {
            "judgement": "0.99",
            "cause": "implementation",
            "cause_text": "宣传不足",
            "measure": "加强宣传",
        },
    }

    response = _post(client, filler, report, then="submit", **entered)

    assert _messages(response) == ["Saved and submitted to your department."]
    report.refresh_from_db()
    assert report.state == State.SUBMITTED
    saved = report.lines.get(name="资金拨付时间")
    assert (saved.cause, saved.cause_text, saved.measure) == (
        "funding",
        "上级资金8月才到位",
        "提前办理拨付手续",
    )


@pytest.mark.parametrize("missing", ["cause", "cause_text", "measure"])
def test_each_part_of_the_explanation_is_needed(client, report, filler, missing):
    explained = {"cause": "policy", "cause_text": "政策调整", "measure": "调整实施方案"}
    explained[missing] = ""
    entered = {**COMPLETE, "政策知晓度": {"judgement": "0.5", **explained}}

    _post(client, filler, report, then="submit", **entered)

    report.refresh_from_db()
    assert report.state == State.DRAFT
    assert any("政策知晓度" in problem for problem in submission_problems(report))


def test_at_the_target_needs_no_explanation(client, report, filler):
    response = _post(client, filler, report, then="submit", **COMPLETE)

    assert _messages(response) == ["Saved and submitted to your department."]
