"""SPEC §6 list pages: warnings (/progress/), direct funds (/direct-funds/), evaluations (/evaluations/)
and budget adjustments (/adjustments/, SPEC §4.7) with an officer's decisions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from performance.models import BudgetAdjustment, Evaluation
from performance.services import propose_budget_adjustments
from tests.factories import DirectFundGrantFactory
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
        # The total row, its ratios from the totals (not the mean of 80 and 100, 64 and 70):
        # 17,000 / 20,000 = 85.0 % allocated, 13,100 / 20,000 = 65.5 % spent, as the cards say.
        ["合计", "", "20,000.00", "17,000.00", "85.0%", "13,100.00", "65.5%"],
    ]


def test_the_direct_funds_total_row_counts_every_grant_not_one_page(client, district, officer):
    year = district.grants["ZD0001"].fiscal_year
    for number in range(49):  # 51 grants: the page shows 50
        DirectFundGrantFactory(fiscal_year=year, code=f"ZD{1000 + number}", amount=Decimal("1000000.00"))

    for page in ("1", "2"):
        total = listed(get(client, officer, "/direct-funds/", page=page))[-1]
        # Received 20,000 + 49 × 100 = 24,900 万元; 17,000 / 24,900 = 68.3 % allocated,
        # 13,100 / 24,900 = 52.6 % spent.
        assert total == ["合计", "", "24,900.00", "17,000.00", "68.3%", "13,100.00", "52.6%"]


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
