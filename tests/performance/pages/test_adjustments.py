"""SPEC §4.7, §6 budget adjustments (/adjustments/): the proposals of next year's budgets with an officer's
decisions, one by one and many at once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from performance.models import BudgetAdjustment
from tests.factories import propose_adjustments
from tests.reading import get, listed, rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposed(district):
    """2022 proposals from 2021's grades: 优 keep (priority), 良 keep, 中 cut 10 %, 差 cut 30 %."""
    propose_adjustments(2021)
    return {row.project.code: row for row in BudgetAdjustment.objects.select_related("project")}


def test_officer_sees_every_proposal_with_budgets_in_wan_yuan(client, proposed, officer):
    response = get(client, officer, "/adjustments/")

    # Project, department, current and proposed budget (万元), after the tick box and the code.
    assert [[cells[2], cells[4], cells[7], cells[8]] for cells in listed(response)] == [
        ["学生资助", "区教育体育局", "12,000.00", "12,000.00"],  # 92 优: keep, priority
        ["校舍维修", "区教育体育局", "3,000.00", "2,700.00"],  # 75 中: 3,000 × 0.9
        ["医疗设备", "区卫生健康委员会", "5,000.00", "5,000.00"],  # 85 良: keep
        ["公共卫生服务", "区卫生健康委员会", "2,000.00", "1,400.00"],  # 55 差: 2,000 × 0.7
        ["政务信息化", "区政务服务数据管理局", "1,000.00", "900.00"],  # 70 中: 1,000 × 0.9
    ]
    html = response.content.decode()
    assert html.count('class="decide"') == 5
    assert f'action="{reverse("performance:decide_adjustment", args=[proposed["PA02"].pk])}"' in html


def test_head_sees_their_proposals_without_the_decision_buttons(client, proposed, head):
    response = get(client, head, "/adjustments/")

    # No tick box: cells[0] is the code.
    assert [cells[1] for cells in listed(response)] == ["学生资助", "校舍维修"]
    assert 'class="decide"' not in response.content.decode()
    assert "/decide" not in response.content.decode()


def decide(client, officer, adjustment: BudgetAdjustment, **data):
    client.force_login(officer)
    return client.post(
        reverse("performance:decide_adjustment", args=[adjustment.pk]),
        {"next": "/adjustments/?year=2021", **data},
        follow=True,
    )


def message_classes(response) -> list[str]:
    return [message.tags for message in response.context["messages"]]


def test_officer_accepts_a_proposal(client, proposed, officer):
    response = decide(client, officer, proposed["PA02"], decision="accepted")

    assert response.redirect_chain[-1] == ("/adjustments/?year=2021", 302)
    assert message_classes(response) == ["success"]
    adjustment = BudgetAdjustment.objects.get(pk=proposed["PA02"].pk)
    assert (adjustment.decision, adjustment.final_budget, adjustment.decided_by.username) == (
        "accepted",
        Decimal("27000000.00"),  # the proposed 2,700 万元
        "officer",
    )
    row = next(cells for cells in listed(response) if cells[2] == "校舍维修")
    assert row[10] == "2,700.00"
    assert row[11].startswith("officer · ")  # who decided, and when, where the buttons were


def test_officer_changes_a_proposal_with_a_figure_in_wan_yuan(client, proposed, officer):
    response = decide(
        client, officer, proposed["PB02"], decision="changed", final_budget_wan="1500", note="保留基本服务"
    )

    assert message_classes(response) == ["success"]
    adjustment = BudgetAdjustment.objects.get(pk=proposed["PB02"].pk)
    # 1,500 万元 = 15,000,000 元.
    assert (adjustment.decision, adjustment.final_budget, adjustment.note) == (
        "changed",
        Decimal("15000000.00"),
        "保留基本服务",
    )
    row = next(cells for cells in listed(response) if cells[2] == "公共卫生服务")
    assert row[10] == "1,500.00"


def test_officer_rejects_a_proposal(client, proposed, officer):
    response = decide(client, officer, proposed["PC01"], decision="rejected", note="政策保障")

    assert message_classes(response) == ["success"]
    adjustment = BudgetAdjustment.objects.get(pk=proposed["PC01"].pk)
    assert (adjustment.decision, adjustment.final_budget, adjustment.decided_by.username) == (
        "rejected",
        None,
        "officer",
    )


@pytest.mark.parametrize(
    "data",
    [
        {"decision": "changed"},  # no figure
        {"decision": "changed", "final_budget_wan": ""},
        {"decision": "changed", "final_budget_wan": "-5"},
        {"decision": "changed", "final_budget_wan": "很多"},
        {"decision": "pending"},
        {"decision": "approve"},
        {},
    ],
)
def test_bad_decision_shows_a_message_and_changes_nothing(client, proposed, officer, data):
    before = BudgetAdjustment.objects.get(pk=proposed["PB02"].pk)

    response = decide(client, officer, proposed["PB02"], **data)

    assert response.status_code == 200
    assert message_classes(response) and set(message_classes(response)) == {"error"}
    after = BudgetAdjustment.objects.get(pk=proposed["PB02"].pk)
    assert (after.decision, after.final_budget, after.decided_by, after.decided_at) == (
        "pending",
        None,
        None,
        None,
    )
    assert after.proposed_budget == before.proposed_budget == Decimal("14000000.00")


def test_decision_never_redirects_off_the_site(client, proposed, officer):
    client.force_login(officer)

    response = client.post(
        reverse("performance:decide_adjustment", args=[proposed["PA01"].pk]),
        {"decision": "accepted", "next": "//evil.example/"},
    )

    assert response["Location"] == reverse("performance:adjustments")


def test_adjustments_filter_by_decision(client, proposed, officer):
    decide(client, officer, proposed["PA01"], decision="accepted")

    response = get(client, officer, "/adjustments/", decision="pending")

    assert [cells[2] for cells in listed(response)] == ["校舍维修", "医疗设备", "公共卫生服务", "政务信息化"]


def test_codes_and_units_tell_projects_of_the_same_name_apart(client, proposed, officer):
    response = get(client, officer, "/adjustments/")

    assert [cells[1:4] for cells in listed(response)][:2] == [
        ["PA01", "学生资助", "区第一中学"],
        ["PA02", "校舍维修", "区第一中学"],
    ]


def test_the_title_names_the_year_of_the_selector_and_the_budget_it_adjusts(client, proposed, officer):
    html = get(client, officer, "/adjustments/").content.decode()

    assert "2021年评价结果应用于2022年预算" in html  # the selector shows 2021, the proposals are for 2022
    assert "2022年预算调整建议" not in html


def test_an_amount_typed_before_accept_is_refused_not_dropped(client, proposed, officer):
    response = decide(client, officer, proposed["PA02"], decision="accepted", final_budget_wan="1500")

    assert message_classes(response) == ["error"]
    assert BudgetAdjustment.objects.get(pk=proposed["PA02"].pk).decision == "pending"


def test_the_one_term_for_rejection_is_bu_cai_na(client, proposed, officer):
    decide(client, officer, proposed["PC01"], decision="rejected", note="政策保障")

    html = get(client, officer, "/adjustments/").content.decode()

    assert "不采纳" in html
    assert "驳回" not in html


def test_the_effect_on_next_years_budget_per_department_and_district(client, proposed, officer):
    decide(client, officer, proposed["PB02"], decision="changed", final_budget_wan="1500")

    response = get(client, officer, "/adjustments/")
    effect = rows(response, 0)

    # Department, proposals, pending, before, after decisions, after all proposals, change (万元).
    assert effect == [
        ["区教育体育局", "2", "2", "15,000.00", "15,000.00", "14,700.00", "-300.00"],  # 3,000 × 0.9
        ["区卫生健康委员会", "2", "1", "7,000.00", "6,500.00", "6,500.00", "-500.00"],  # 2,000 → 1,500
        ["区政务服务数据管理局", "1", "1", "1,000.00", "1,000.00", "900.00", "-100.00"],
        ["全区", "5", "4", "23,000.00", "22,500.00", "22,100.00", "-900.00"],
    ]


def test_head_sees_their_own_departments_effect_without_the_district(client, proposed, head):
    effect = rows(get(client, head, "/adjustments/"), 0)

    assert effect == [["区教育体育局", "2", "2", "15,000.00", "15,000.00", "14,700.00", "-300.00"]]


def bulk(client, officer, **data):
    client.force_login(officer)
    return client.post(reverse("performance:decide_adjustments"), {"query": "year=2021", **data}, follow=True)


def test_officer_decides_ticked_rows_after_a_confirmation(client, proposed, officer):
    ids = [proposed["PA02"].pk, proposed["PC01"].pk]
    first = bulk(client, officer, decision="accepted", note="预算紧平衡", scope="selected", ids=ids)

    assert "确认批量处理" in first.content.decode()  # nothing decided before the confirmation
    assert set(BudgetAdjustment.objects.values_list("decision", flat=True)) == {"pending"}

    done = bulk(
        client,
        officer,
        decision="accepted",
        note="预算紧平衡",
        scope="selected",
        ids=ids,
        expected=2,
        confirm="yes",
    )

    assert message_classes(done) == ["success"]
    decided = BudgetAdjustment.objects.filter(decision="accepted")
    assert sorted(decided.values_list("project__code", "final_budget", "note")) == [
        ("PA02", Decimal("27000000.00"), "预算紧平衡"),  # 3,000 万元 × 0.9
        ("PC01", Decimal("9000000.00"), "预算紧平衡"),  # 1,000 万元 × 0.9
    ]
    assert BudgetAdjustment.history.filter(decision="accepted").count() == 2  # one history row each


def test_a_confirmation_that_would_be_refused_offers_no_confirm_button(client, proposed, officer):
    decide(client, officer, proposed["PA02"], decision="accepted")
    ids = [proposed["PA02"].pk, proposed["PC01"].pk]

    html = bulk(client, officer, decision="rejected", note="x", scope="selected", ids=ids).content.decode()

    assert "其中 1 条已处理" in html  # PA02 is already decided
    assert 'name="confirm"' not in html


def test_officer_decides_every_pending_row_of_a_filter(client, proposed, officer):
    done = bulk(
        client,
        officer,
        decision="rejected",
        note="政策保障",
        scope="filter",
        query="year=2021&department=B02",
        expected=2,
        confirm="yes",
    )

    assert message_classes(done) == ["success"]
    rejected = BudgetAdjustment.objects.filter(decision="rejected")
    assert sorted(rejected.values_list("project__code", flat=True)) == [
        "PB01",
        "PB02",
    ]


@pytest.mark.parametrize(
    "data",
    [
        {"decision": "accepted", "note": "", "scope": "selected"},  # no reason
        {"decision": "accepted", "note": "x", "scope": "selected"},  # nothing ticked
        {"decision": "accepted", "note": "x", "scope": "selected", "ids": ["abc"]},
        {"decision": "accepted", "note": "x", "scope": "selected", "ids": ["999999"]},  # not there
        {"decision": "changed", "note": "x", "scope": "filter"},
        {"decision": "accepted", "note": "x", "scope": "filter", "query": "year=abc"},
        {"decision": "accepted", "note": "x", "scope": "filter", "query": "year=²⁰²¹"},  # isdigit says yes
        {"decision": "accepted", "note": "x", "scope": "filter", "query": "year=" + "9" * 5000},
        {"decision": "accepted", "note": "x", "scope": "selected", "ids": ["²"]},
        {"decision": "accepted", "note": "x", "scope": "filter", "expected": "4", "confirm": "yes"},  # 5 now
    ],
)
def test_bad_bulk_input_shows_a_message_and_decides_nothing(client, proposed, officer, data):
    response = bulk(client, officer, **data)

    assert response.status_code == 200
    assert set(message_classes(response)) == {"error"}
    assert set(BudgetAdjustment.objects.values_list("decision", flat=True)) == {"pending"}


def test_head_gets_404_on_deciding_many(client, proposed, head):
    response = bulk(client, head, decision="rejected", note="x", scope="filter", confirm="yes")

    assert response.status_code == 404
    assert set(BudgetAdjustment.objects.values_list("decision", flat=True)) == {"pending"}
