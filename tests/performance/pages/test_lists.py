"""SPEC §6 list pages: warnings (/progress/), direct funds (/direct-funds/) and evaluations
(/evaluations/)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from performance.models import Evaluation
from tests.factories import DirectFundGrantFactory
from tests.performance.conftest import evaluate
from tests.reading import card_notes, cards, get, listed, select_options, tables

pytestmark = pytest.mark.django_db


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
