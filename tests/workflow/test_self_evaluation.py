"""SPEC §12.3 self-evaluations in the national form, and the §12.1 workflow they go through: the scores
worked out by hand, the checks before submission, and what approval and reopening do to the figures."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from performance.models import Evaluation, LeaderboardEntry, SelfEvaluation
from performance.services import recompute_all
from performance.services.self_evaluations import sheet_for, spread_total
from tests.factories import (
    BudgetUnitFactory,
    FiscalYearFactory,
    IndicatorFactory,
    PaymentFactory,
    ProjectFactory,
    make_head,
    make_officer,
    make_unit_filler,
)
from workflow.models import State, Transition

AS_OF = datetime.date(2021, 10, 31)


@pytest.fixture
def scored(department_a, department_b):
    """One project worked out by hand: 8.00 points for execution and 66.50 for its indicators."""
    year = FiscalYearFactory(year=2021)
    unit = BudgetUnitFactory(code="A01", department=department_a)
    project = ProjectFactory(fiscal_year=year, unit=unit, code="P-SE", budget=Decimal("1000000.00"))
    # 800,000 of 1,000,000 paid → execution rate 80 % → 8.00 of 10 points.
    PaymentFactory(project=project, paid_on=datetime.date(2021, 5, 1), amount=Decimal("800000.00"))
    lines = {
        # ≥: 80 of 100 → 0.8 × 30 = 24.00
        "at_least": dict(direction="gte", target_value=Decimal("100"), actual_value=Decimal("80"), weight=30),
        # ≤: target 10, actual 20 → 10 ÷ 20 = 0.5 × 20 = 10.00
        "at_most": dict(direction="lte", target_value=Decimal("10"), actual_value=Decimal("20"), weight=20),
        # =: met → 10.00
        "equal": dict(direction="eq", target_value=Decimal("5"), actual_value=Decimal("5"), weight=10),
        # qualitative: judged 0.75 → 7.50
        "qualitative": dict(direction="qualitative", target_value=None, judgement=Decimal("0.75"), weight=10),
        # ≥ over-achieved: 100 of 50 → capped at 1 → 10.00
        "capped": dict(direction="gte", target_value=Decimal("50"), actual_value=Decimal("100"), weight=10),
        # ≥ with a zero target: complete → 5.00
        "zero_target": dict(direction="gte", target_value=Decimal("0"), actual_value=Decimal("0"), weight=5),
        # no actual yet: 0.00
        "no_actual": dict(direction="gte", target_value=Decimal("10"), actual_value=None, weight=5),
    }
    indicators = {
        name: IndicatorFactory(project=project, name=name, **{**values, "weight": Decimal(values["weight"])})
        for name, values in lines.items()
    }
    other_unit = BudgetUnitFactory(code="A02", department=department_a)
    other_project = ProjectFactory(fiscal_year=year, unit=other_unit, code="P-OTHER")
    IndicatorFactory(project=other_project, weight=Decimal("90"), actual_value=Decimal("100"))
    return {
        "project": project,
        "indicators": indicators,
        "other_project": other_project,
        "unit": make_unit_filler(unit, "se_unit"),
        "other_unit": make_unit_filler(other_unit, "se_other_unit"),
        "head": make_head(department_a, "se_head"),
        "other_head": make_head(department_b, "se_other_head"),
        "officer": make_officer("se_officer"),
    }


def test_the_sheet_scores_each_row_as_worked_by_hand(scored):
    sheet = sheet_for(scored["project"])
    by_name = {line.indicator.name: line.score for line in sheet.lines}
    assert by_name == {
        "at_least": Decimal("24.00"),
        "at_most": Decimal("10.00"),
        "equal": Decimal("10.00"),
        "qualitative": Decimal("7.50"),
        "capped": Decimal("10.00"),
        "zero_target": Decimal("5.00"),
        "no_actual": Decimal("0.00"),
    }
    assert sheet.spent == Decimal("800000.00")
    assert sheet.execution_rate == Decimal("0.8")
    assert sheet.execution_points == Decimal("8.00")
    assert sheet.indicator_points == Decimal("66.50")
    assert sheet.total == Decimal("74.50")
    assert sheet.grade == "fair"
    # Rows short of their weight need reasons: ≥ 80 %, ≤, the qualitative one and the one with no actual.
    assert {line.indicator.name for line in sheet.missing_reasons} == {
        "at_least",
        "at_most",
        "qualitative",
        "no_actual",
    }


def test_a_zero_actual_on_an_at_most_indicator_is_complete_and_execution_is_capped(department_a):
    project = ProjectFactory(fiscal_year=FiscalYearFactory(year=2021), unit__department=department_a)
    PaymentFactory(project=project, paid_on=datetime.date(2021, 5, 1), amount=Decimal("1200000.00"))
    IndicatorFactory(
        project=project,
        direction="lte",
        target_value=Decimal("3"),
        actual_value=Decimal("0"),
        weight=Decimal("90"),
    )
    sheet = sheet_for(project)
    assert sheet.execution_points == Decimal("10.00")  # 120 % executed earns at most 10
    assert [line.score for line in sheet.lines] == [Decimal("90.00")]
    assert sheet.total == Decimal("100.00")
    assert sheet.grade == "excellent"


def test_spreading_the_total_keeps_the_sum_and_the_maxima():
    assert spread_total(Decimal("74.50")) == (
        Decimal("14.90"),
        Decimal("14.90"),
        Decimal("22.35"),
        Decimal("22.35"),
    )
    assert sum(spread_total(Decimal("99.99"))) == Decimal("99.99")
    assert spread_total(Decimal("100.00")) == (
        Decimal("20.00"),
        Decimal("20.00"),
        Decimal("30.00"),
        Decimal("30.00"),
    )
    assert spread_total(Decimal("0.01"))[3] >= 0


def _page(project):
    return reverse("performance:self_evaluation", args=[project.fiscal_year_id, project.code])


def _transition(project):
    return reverse("performance:self_evaluation_transition", args=[project.fiscal_year_id, project.code])


def _fill(client, scored, *, reasons: bool):
    project, indicators = scored["project"], scored["indicators"]
    data = {"achieved": "全年完成目标的大部分。"}
    for name, indicator in indicators.items():
        if indicator.direction == "qualitative":
            data[f"judgement-{indicator.pk}"] = str(indicator.judgement)
        else:
            data[f"actual-{indicator.pk}"] = (
                "" if indicator.actual_value is None else str(indicator.actual_value)
            )
        data[f"reason-{indicator.pk}"] = f"{name} 的原因与措施" if reasons else ""
    return client.post(_page(project), data)


def test_the_whole_path_unit_head_officer_finalises_and_counts(client, scored):
    project = scored["project"]
    client.force_login(scored["unit"])
    assert _fill(client, scored, reasons=False).status_code == 302
    record = SelfEvaluation.objects.get(project=project)
    assert record.state == State.DRAFT

    # Submitting without the reasons is refused, with the names, and changes nothing.
    response = client.post(_transition(project), {"action": "submit", "from_page": "1"}, follow=True)
    assert "at_least" in response.content.decode() and "no_actual" in response.content.decode()
    record.refresh_from_db()
    assert record.state == State.DRAFT
    # Without the page's form, the refusal is an HTTP 409.
    assert client.post(_transition(project), {"action": "submit"}).status_code == 409

    _fill(client, scored, reasons=True)
    assert client.post(_transition(project), {"action": "submit", "from_page": "1"}).status_code == 302
    record.refresh_from_db()
    assert record.state == State.SUBMITTED
    # Submitted: the unit can no longer change it.
    _fill(client, scored, reasons=False)
    assert (
        scored["indicators"]["at_least"]
        .__class__.objects.get(pk=scored["indicators"]["at_least"].pk)
        .deviation_reason
    )

    client.force_login(scored["head"])
    assert client.post(_transition(project), {"action": "forward"}).status_code == 302
    client.force_login(scored["officer"])
    assert client.post(_transition(project), {"action": "approve"}).status_code == 302
    record.refresh_from_db()
    assert record.state == State.APPROVED
    evaluation = Evaluation.objects.get(project=project, kind=Evaluation.Kind.SELF)
    assert evaluation.status == Evaluation.Status.FINALISED
    assert evaluation.total == Decimal("74.50")
    assert evaluation.grade == "fair"

    run = recompute_all(year=2021, as_of=AS_OF)
    entry = LeaderboardEntry.objects.get(run=run, department=project.department)
    assert entry.score == Decimal("74.50")

    # Reopening takes it out of the figures until it is approved again.
    assert client.post(_transition(project), {"action": "reopen"}).status_code == 409  # no reason
    assert (
        client.post(_transition(project), {"action": "reopen", "reason": "得分依据不足"}).status_code == 302
    )
    record.refresh_from_db()
    evaluation.refresh_from_db()
    assert record.state == State.RETURNED
    assert evaluation.status == Evaluation.Status.DRAFT
    run = recompute_all(year=2021, as_of=AS_OF)
    assert not LeaderboardEntry.objects.filter(
        run=run, department=project.department, score__isnull=False
    ).exists()

    steps = list(
        Transition.objects.filter(object_id=record.pk).values_list("action", "from_state", "to_state")
    )
    assert steps == [
        ("create", "", "draft"),
        ("submit", "draft", "submitted"),
        ("forward", "submitted", "forwarded"),
        ("approve", "forwarded", "approved"),
        ("reopen", "approved", "returned"),
    ]
    assert Transition.objects.get(object_id=record.pk, action="reopen").reason == "得分依据不足"
    page = client.get(_page(project)).content.decode()
    assert "得分依据不足" in page


def test_a_score_cannot_be_typed(client, scored):
    client.force_login(scored["unit"])
    data = {"achieved": "x", "score": "100", "total": "100"}
    client.post(_page(scored["project"]), data)
    # The typed score is ignored; the indicators whose fields were not posted keep their values.
    assert sheet_for(scored["project"]).total == Decimal("74.50")


def test_another_units_and_departments_self_evaluation_answers_404(client, scored):
    project = scored["project"]
    for user in (scored["other_unit"], scored["other_head"]):
        client.force_login(user)
        assert client.get(_page(project)).status_code == 404
        assert client.post(_transition(project), {"action": "submit"}).status_code == 404
        assert client.post(_page(project), {"achieved": "x"}).status_code == 404
    assert not SelfEvaluation.objects.exists()


def test_a_pool_project_has_no_self_evaluation(client, scored):
    project = scored["project"]
    project.status = project.Status.PROPOSED
    project.save()
    client.force_login(scored["officer"])
    assert client.get(_page(project)).status_code == 404


def test_save_and_submit_saves_then_submits_or_says_why_not(client, scored):
    project = scored["project"]
    client.force_login(scored["unit"])
    data = {"achieved": "完成", "then": "submit"}
    for indicator in scored["indicators"].values():
        data[f"reason-{indicator.pk}"] = ""
    response = client.post(_page(project), data, follow=True)
    record = SelfEvaluation.objects.get(project=project)
    assert record.state == State.DRAFT and record.achieved == "完成"  # saved, not submitted
    assert "at_least" in response.content.decode()
    for indicator in scored["indicators"].values():
        data[f"reason-{indicator.pk}"] = "原因"
        if indicator.direction == "qualitative":
            data[f"judgement-{indicator.pk}"] = str(indicator.judgement)
        elif indicator.actual_value is not None:
            data[f"actual-{indicator.pk}"] = str(indicator.actual_value)
    client.post(_page(project), data)
    record.refresh_from_db()
    assert record.state == State.SUBMITTED
    assert sheet_for(project).total == Decimal("74.50")


def test_an_actual_too_long_for_the_database_is_refused_and_the_pages_stay_up(client, scored):
    project, indicator = scored["project"], scored["indicators"]["at_least"]
    client.force_login(scored["unit"])
    response = client.post(
        _page(project),
        {"achieved": "x", f"actual-{indicator.pk}": "99999999999999.9999", f"reason-{indicator.pk}": ""},
    )
    assert response.status_code == 200  # the form again, with the message
    indicator.refresh_from_db()
    assert indicator.actual_value == Decimal("80")
    assert client.get(_page(project)).status_code == 200


def test_an_approved_form_says_what_counts(client, scored):
    project = scored["project"]
    record = SelfEvaluation.objects.create(project=project, state=State.FORWARDED, achieved="x")
    from performance.services.self_evaluations import finalise

    finalise(record, user=scored["officer"])
    SelfEvaluation.objects.filter(pk=record.pk).update(state=State.APPROVED)
    PaymentFactory(project=project, paid_on=datetime.date(2021, 12, 1), amount=Decimal("200000.00"))
    client.force_login(scored["officer"])
    page = client.get(_page(project), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Approved: 74.50 points" in page
    assert "76.50" in page  # today's figures: 100 % executed
