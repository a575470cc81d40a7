"""SPEC §6 list pages: warnings (/progress/), direct funds (/direct-funds/), evaluations (/evaluations/)
and budget adjustments (/adjustments/, SPEC §4.7) with an officer's decisions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from performance.models import BudgetAdjustment, Evaluation
from performance.services import propose_budget_adjustments
from tests.pages.conftest import card_notes, cards, get, rows, select_options, tables
from tests.performance.conftest import evaluate

pytestmark = pytest.mark.django_db


def listed(response, index: int = -1) -> list[list[str]]:
    """The rows of a list, without the one "nothing to show" row of an empty list."""
    return [cells for cells in rows(response, index) if len(cells) > 1]


# -- warnings -----------------------------------------------------------------------------------------


def test_officer_sees_every_lagging_zero_spending_and_overspent_project_by_department(
    client, district, officer
):
    response = get(client, officer, "/progress/")
    by_department, projects = tables(response)

    # Projects with a warning (each once), serious, attention, zero-spending, overspent, spending
    # progress; most serious first. B02: PB01 and PB02, PB02 both serious and zero-spending.
    assert [cells for _class, cells in by_department] == [
        ["区卫生健康委员会", "2", "1", "1", "1", "0", "50.0%"],  # 3,500 / 7,000
        ["区教育体育局", "1", "1", "0", "0", "0", "70.0%"],  # 10,500 / 15,000
    ]
    # The budget unit is in the export only: on screen the table must fit a laptop.
    assert [cells[:7] for _class, cells in projects] == [
        ["区教育体育局", "PA02", "校舍维修", "3,000.00", "900.00", "30.0%", "-53.3"],
        ["区卫生健康委员会", "PB02", "公共卫生服务", "2,000.00", "0.00", "0.0%", "-83.3"],
        ["区卫生健康委员会", "PB01", "医疗设备", "5,000.00", "3,500.00", "70.0%", "-13.3"],
    ]
    assert [cells[8] for _class, cells in projects] == ["", "零支出", ""]  # PB02: zero spending, in words


def test_head_sees_only_their_own_departments_warnings(client, district, head):
    response = get(client, head, "/progress/")
    by_department, projects = tables(response)

    assert [cells[0] for _class, cells in by_department] == ["区教育体育局"]
    assert [cells[1] for _class, cells in projects] == ["PA02"]
    assert select_options(response, "department") == ["区教育体育局"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"flag": "zero_spending"}, ["PB02"]),
        ({"warning_level": "attention"}, ["PB01"]),
        ({"warning_level": "serious"}, ["PA02", "PB02"]),
        ({"q": "校舍"}, ["PA02"]),
    ],
)
def test_warnings_filters(client, district, officer, params, expected):
    response = get(client, officer, "/progress/", **params)

    assert [cells[1] for cells in listed(response)] == expected


def test_warnings_filter_by_department(client, district, officer):
    response = get(client, officer, "/progress/", department=district.b.code)

    assert [cells[1] for cells in listed(response)] == ["PB02", "PB01"]


def test_head_filtering_warnings_by_another_department_sees_none_of_its_rows(client, district, head):
    response = get(client, head, "/progress/", department=district.b.code)

    # B02's PB01 and PB02 lag too, but the head's rows are only ever their own department's.
    assert [cells[1] for cells in listed(response)] == []
    assert [cells[1] for cells in listed(get(client, head, "/progress/"))] == ["PA02"]


# -- direct funds -------------------------------------------------------------------------------------


def test_officer_sees_each_direct_fund_grant_received_allocated_and_spent(client, district, officer):
    response = get(client, officer, "/direct-funds/")

    # Received 20,000 万元 = 2.00 亿元; allocated 17,000 = 85.0 %; spent 13,100 = 65.5 % of received.
    assert cards(response) == [["2.00"], ["85.0%"], ["65.5%"]]
    assert card_notes(response) == [["1.70"], ["1.31"]]
    assert listed(response) == [
        # 12,000 / 15,000 = 80.0 % allocated; 9,600 / 15,000 = 64.0 % spent (of what was received).
        ["ZD0001", "义务教育直达资金", "15,000.00", "12,000.00", "80.0%", "9,600.00", "64.0%"],
        # 5,000 / 5,000 = 100.0 % allocated; 3,500 / 5,000 = 70.0 % spent.
        ["ZD0002", "公共卫生直达资金", "5,000.00", "5,000.00", "100.0%", "3,500.00", "70.0%"],
    ]


def test_head_gets_404_on_direct_funds(client, district, head):
    assert get(client, head, "/direct-funds/").status_code == 404


# -- evaluations --------------------------------------------------------------------------------------


def test_officer_sees_the_key_evaluations_summary_and_every_evaluation(client, district, officer):
    response = get(client, officer, "/evaluations/")
    summary, _inflated, evaluations = tables(response)

    # Two finalised key evaluations, both livelihood projects: PA01 12,000 + PB01 5,000 = 1.70 亿元.
    assert [cells[1:] for _class, cells in summary] == [["2", "1.70"], ["2", "1.70"]]
    assert [(cells[0], cells[4]) for _class, cells in evaluations] == [
        ("PA01 学生资助", "92.00"),
        ("PB01 医疗设备", "85.00"),
        ("PA02 校舍维修", "75.00"),
        ("PB02 公共卫生服务", "55.00"),
        ("PC01 政务信息化", "70.00"),
    ]


def test_head_sees_only_their_own_evaluations_and_summary(client, district, head):
    response = get(client, head, "/evaluations/")
    summary, _inflated, evaluations = tables(response)

    assert [cells[1:] for _class, cells in summary] == [["1", "1.20"], ["1", "1.20"]]  # PA01: 12,000 万元
    assert [cells[0] for _class, cells in evaluations] == ["PA01 学生资助", "PA02 校舍维修"]
    assert select_options(response, "department") == ["区教育体育局"]


def test_evaluations_page_lists_inflated_self_evaluations(client, district, officer, head):
    # The bureau's key evaluation of PC01 gives 50; its self-evaluation said 70: 20 points above,
    # more than the 15 allowed. PC01 spent 900 of 1,000 万元: execution 90.0 %.
    evaluate(district.projects["PC01"], "50", kind=Evaluation.Kind.KEY)
    district.recompute()

    (inflated,) = listed(get(client, officer, "/evaluations/"), index=1)

    assert inflated[:5] == ["政务信息化", "区政务服务数据管理局", "70.00", "50.00", "90.0%"]
    assert inflated[5] == "✔" and inflated[6] == ""
    assert listed(get(client, head, "/evaluations/"), index=1) == []


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "self"}, ["PA02 校舍维修", "PB02 公共卫生服务", "PC01 政务信息化"]),
        ({"grade": "fair"}, ["PA02 校舍维修", "PC01 政务信息化"]),
        ({"q": "医疗"}, ["PB01 医疗设备"]),
    ],
)
def test_evaluations_filters(client, district, officer, params, expected):
    response = get(client, officer, "/evaluations/", **params)

    assert [cells[0] for cells in listed(response)] == expected


def test_evaluations_filter_by_department_includes_department_wide_evaluations(client, district, officer):
    evaluate(district.b, "88", kind=Evaluation.Kind.DEPARTMENT)

    response = get(client, officer, "/evaluations/", department=district.b.code)

    # By kind: the department-wide evaluation, the key one, the self-evaluation.
    assert [cells[0] for cells in listed(response)] == [
        "B02 区卫生健康委员会",
        "PB01 医疗设备",
        "PB02 公共卫生服务",
    ]


# -- budget adjustments -------------------------------------------------------------------------------


@pytest.fixture
def proposed(district):
    """2022 proposals from 2021's grades: 优 keep (priority), 良 keep, 中 cut 10 %, 差 cut 30 %."""
    propose_budget_adjustments(year=2021)
    return {row.project.code: row for row in BudgetAdjustment.objects.select_related("project")}


def test_officer_sees_every_proposal_with_budgets_in_wan_yuan(client, proposed, officer):
    response = get(client, officer, "/adjustments/")

    # Project, department, current and proposed budget (万元).
    assert [[cells[0], cells[1], cells[4], cells[5]] for cells in listed(response)] == [
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

    assert [cells[0] for cells in listed(response)] == ["学生资助", "校舍维修"]
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
    row = next(cells for cells in listed(response) if cells[0] == "校舍维修")
    assert row[7] == "2,700.00"
    assert row[8].startswith("officer · ")  # who decided, and when, where the buttons were


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
    row = next(cells for cells in listed(response) if cells[0] == "公共卫生服务")
    assert row[7] == "1,500.00"


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

    assert [cells[0] for cells in listed(response)] == ["校舍维修", "医疗设备", "公共卫生服务", "政务信息化"]
