"""SPEC §6 department (/departments/<code>/): score and grade, score over the years, dimension profile
against the district, weak spots, units and projects; 404 for a head of another department."""

from __future__ import annotations

import datetime

import pytest

from performance.services import recompute_all
from tests.factories import DepartmentFactory
from tests.reading import card_notes, cards, figures, get, rows, tables, text

pytestmark = pytest.mark.django_db

A01_CARDS = [
    ["88.60"],  # C = (92 × 12,000 + 75 × 3,000) / 15,000
    ["+8.60"],  # Δ = 88.60 − 80.00, shown with its sign as on the leaderboard
    ["1", "2"],  # rank by change: 1st of the 2 ranked departments (C03 is new)
    ["100.0%"],  # coverage: 15,000 of 15,000 万元 evaluated
    ["70.0%", "83.3%"],  # (9,600 + 900) / 15,000 against 304 / 365
    ["1"],  # projects with a warning: PA02 serious
]


@pytest.mark.parametrize("persona", ["officer", "head"])
def test_department_page_shows_score_progress_units_and_projects(client, district, request, persona):
    response = get(client, request.getfixturevalue(persona), "/departments/A01/")

    assert response.status_code == 200
    assert cards(response) == A01_CARDS
    assert card_notes(response)[1:6] == [
        ["80.00"],  # last year's score
        ["1", "3"],  # 1st of the 3 scored departments by score
        ["2", "2"],  # 2 of 2 projects evaluated
        ["10,500.00", "15,000.00"],  # spent / budget, 万元
        ["1", "0", "0", "0"],  # serious, attention, zero-spending, overspent: each project once
    ]
    html = response.content.decode()
    assert 'class="badge grade-good"' in html  # 88.60 is 良
    units, projects = tables(response)
    assert [cells[:7] for _class, cells in units] == [
        ["A01-01", "区第一中学", "2", "15,000.00", "10,500.00", "70.0%", "-13.3"],  # 70.0 − 83.3 pp
    ]
    assert [cells[:7] for _class, cells in projects] == [
        ["PA01", "学生资助", "区第一中学", "12,000.00", "9,600.00", "80.0%", "-3.3"],  # 9,600 / 12,000
        ["PA02", "校舍维修", "区第一中学", "3,000.00", "900.00", "30.0%", "-53.3"],  # 900 / 3,000
    ]
    assert 'href="/projects/2021/PA01/"' in html


def test_weak_spots_name_the_project_that_pulls_the_score_down(client, district, head):
    response = get(client, head, "/departments/A01/")
    weak = response.content.decode().split('class="card weak-spots"')[1].split("</section>")[0]

    # Budget × (C − P): PA02 3,000 万元 × (88.60 − 75) > 0 pulls down; PA01 (92 > 88.60) does not.
    assert 'href="/projects/2021/PA02/"' in weak and "校舍维修" in weak
    assert "学生资助" not in weak
    assert "75.0" in weak and "3,000.00" in weak
    # Process is the weakest dimension: (12/20 + 0/20) / 2 = 30 % of its maximum.
    assert response.context["weak"].weakest_dimension == "process"


def test_dimension_profile_sets_the_department_beside_the_district_average(client, district, head):
    fig = next(
        fig
        for fig in figures(get(client, head, "/departments/A01/"))
        if fig["layout"].get("barmode") == "group"
    )
    own, average = fig["data"]

    # A01, mean of its projects' shares: decision (20/20 + 15/20) / 2 = 87.5 %, process (12/20 + 0) / 2
    # = 30 %, output and benefit 100 %.
    assert own["y"] == [87.5, 30.0, 100.0, 100.0]
    assert own["name"] == "区教育体育局"
    # District: mean over A01, B02 and C03; process (0.30 + (5/20 + 0) / 2 + 0) / 3 = 14.17 %.
    assert average["y"][1] == pytest.approx(14.1667, abs=1e-3)


def test_score_over_the_years_shows_each_years_latest_run(client, district, head):
    recompute_all(year=2020, as_of=datetime.date(2020, 12, 31))

    (line,) = next(
        fig for fig in figures(get(client, head, "/departments/A01/")) if fig["data"][0]["type"] == "scatter"
    )["data"]

    assert line["x"] == ["2020", "2021"]
    assert line["y"] == [80.0, 88.6]  # 2020: PA01's self-evaluation 80; 2021: 88.60


def test_department_with_a_lagging_unit_shows_its_warnings(client, district, officer):
    response = get(client, officer, "/departments/B02/")

    # B02: C = 76.43 (中, fair), Δ 76.43 − 90 = −13.57, 2nd; progress 3,500 / 7,000 = 50.0 %;
    # warnings: PB01 attention and PB02 serious.
    # Two projects have a warning; the four counts add up to three, as PB02 is serious and zero-spending.
    assert cards(response) == [["76.43"], ["-13.57"], ["2", "2"], ["100.0%"], ["50.0%", "83.3%"], ["2"]]
    assert card_notes(response)[-1] == ["1", "1", "1", "0", "1"]
    assert "关注 1 个" in text(response)  # attention is among the parts
    html = response.content.decode()
    assert 'class="badge grade-fair"' in html
    assert 'class="badge warning-serious"' in html  # the unit: 50.0 − 83.3 = −33.3 pp
    assert [cells[:6] for cells in rows(response)] == [
        ["PB01", "医疗设备", "区人民医院", "5,000.00", "3,500.00", "70.0%"],
        ["PB02", "公共卫生服务", "区人民医院", "2,000.00", "0.00", "0.0%"],
    ]


def test_head_gets_404_on_another_departments_page(client, district, head):
    assert get(client, head, "/departments/B02/").status_code == 404
    assert get(client, head, "/departments/C03/").status_code == 404


def test_head_gets_404_on_exports_of_another_departments_rows(client, district, head):
    for fmt in ("csv", "xlsx"):
        assert get(client, head, "/departments/B02/", export=fmt).status_code == 404


def test_department_page_shows_names_not_only_codes(client, district, officer):
    page = text(get(client, officer, "/departments/C03/"))

    assert "区政务服务数据管理局" in page and "区政务数据中心" in page and "政务信息化" in page


def test_department_without_projects_this_year_opens_without_a_score(client, district, officer):
    DepartmentFactory(code="D04", name="区新设部门")

    response = get(client, officer, "/departments/D04/")

    assert response.status_code == 200
    assert "区新设部门" in text(response)
