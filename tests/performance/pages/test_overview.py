"""SPEC §6 overview (/): the headline cards and the charts of the district (figures in conftest.py)."""

from __future__ import annotations

import pytest

from performance.charts import GRADE_COLOURS, LIVELIHOOD_COLOUR, OTHER_COLOUR
from tests.reading import card_notes, cards, figure_of, figures, get, text

pytestmark = pytest.mark.django_db

#: The headline figures every signed-in role sees (the district's figures are shared, SPEC §1).
HEADLINE = [
    ["2.30"],  # budget: 23,000 万元 = 2.30 亿元
    ["1.49"],  # spent: 14,900 万元 = 1.49 亿元
    ["64.8%", "83.3%"],  # 14,900 / 23,000 = 64.8 % against 304 / 365 = 83.3 %
    ["92.1%"],  # livelihood share: 10,500 / 11,400
    ["85.0%"],  # direct funds allocated: 17,000 / 20,000
    ["65.5%"],  # direct funds spent: 13,100 / 20,000
    ["3"],  # projects with a warning, each once: PA02 and PB02 serious, PB01 attention
    ["3.0%"],  # budget reviews: 0.03 亿元 cut of 1.00 亿元
]

NOTES = [
    ["5"],  # projects
    ["2021", "10", "31"],  # spent to 31 October 2021
    ["-18.5"],  # gap: 64.78 − 83.29 = −18.51 pp
    ["1.05", "25.0%"],  # livelihood spending 1.05 亿元, up 10,500 / 8,400 − 1 = 25.0 % on 2020
    ["1.70", "2.00"],  # direct funds allocated of received, 亿元
    ["1.31"],  # direct funds spent, 亿元
    # serious, attention; zero-spending, overspent; 2 + 1 + 1 + 0 = 4 = 3 projects + PB02 counted twice
    ["2", "1", "1", "0", "1"],
    ["1", "1.00", "0.03"],  # one opinion, 1.00 亿元 submitted, 0.03 亿元 cut
]


@pytest.mark.parametrize("persona", ["officer", "head"])
def test_overview_shows_the_districts_headline_figures(client, district, request, persona):
    response = get(client, request.getfixturevalue(persona), "/")

    assert response.status_code == 200
    assert cards(response) == HEADLINE
    assert card_notes(response) == NOTES
    assert "warning-attention" in response.content.decode()  # the district's gap badge


def test_overview_links_the_warnings_card_to_the_warnings_of_the_year(client, district, officer):
    response = get(client, officer, "/")

    assert 'href="/progress/?year=2021"' in response.content.decode()


def test_cumulative_spending_chart_shows_month_ends_in_yi_yuan_as_the_cards_do(client, district, officer):
    fig = figure_of(get(client, officer, "/"), "bar")
    bars, line = fig["data"]

    # PA01 40,000,000 in March; PB01 35,000,000 in May; PA02 9,000,000 in June; PC01 9,000,000 in
    # August; PA01 56,000,000 in September; PA01's November payment is after the as-of date. 亿元.
    assert bars["y"] == [0, 0, 0.4, 0.4, 0.75, 0.84, 0.84, 0.93, 1.49, 1.49]
    assert len(bars["x"]) == 10  # January to October
    # Budget × time progress: 2.30 亿元 × 31/365 (0.0849) = 0.19527 at January's end; × 0.8329 in October.
    assert line["y"][0] == pytest.approx(0.19527)
    assert line["y"][-1] == pytest.approx(1.91567)
    assert "2021" in fig["layout"]["title"]["text"]
    assert fig["layout"]["yaxis"]["title"]["text"] == "亿元"


def test_livelihood_growth_says_up_on_the_same_period(client, district, officer):
    page = text(get(client, officer, "/"))

    assert "1.05 亿元，同比增长 25.0%" in page  # 10,500 / 8,400 − 1
    assert "较上年同期" not in page


def test_warnings_card_shows_every_part_and_says_what_counts_twice(client, district, officer):
    page = text(get(client, officer, "/"))

    assert "预警项目 3" in page
    assert "严重 2 个，关注 1 个；零支出 1 个，超支 0 个；其中 1 个项目重复计入" in page


def test_function_class_chart_shows_spending_in_yi_yuan_with_livelihood_classes_marked(
    client, district, officer
):
    fig = next(fig for fig in figures(get(client, officer, "/")) if fig["data"][0].get("orientation") == "h")
    (bar,) = fig["data"]

    # Least spent first (Plotly draws the first bar at the bottom): 201 0.09, 210 0.35, 205 1.05 亿元.
    assert bar["y"] == ["201 一般公共服务", "210 卫生健康 ★", "205 教育 ★"]
    assert bar["x"] == [0.09, 0.35, 1.05]
    assert bar["marker"]["color"] == [OTHER_COLOUR, LIVELIHOOD_COLOUR, LIVELIHOOD_COLOUR]


def test_treemap_draws_departments_and_their_units_by_budget(client, district, officer):
    (treemap,) = figure_of(get(client, officer, "/"), "treemap")["data"]

    assert treemap["labels"] == [
        "区教育体育局",
        "区卫生健康委员会",
        "区政务服务数据管理局",
        "区第一中学",
        "区人民医院",
        "区政务数据中心",
    ]
    assert treemap["values"] == [15000, 7000, 1000, 15000, 7000, 1000]  # 万元
    assert treemap["marker"]["colors"] == [-13.29, -33.29, 6.71, -13.29, -33.29, 6.71]  # gap, pp


def test_a_heads_treemap_holds_only_their_own_department(client, district, head):
    (treemap,) = figure_of(get(client, head, "/"), "treemap")["data"]

    assert treemap["labels"] == ["区教育体育局", "区第一中学"]


def test_grade_distribution_counts_finalised_evaluations_in_grade_colours(client, district, officer):
    fig = figures(get(client, officer, "/"))[-1]
    (bar,) = fig["data"]

    # 优 PA01; 良 PB01; 中 PA02 and PC01; 差 PB02. The 2020 evaluations are not counted.
    assert bar["y"] == [1, 1, 2, 1]
    assert bar["marker"]["color"] == list(GRADE_COLOURS.values())


def test_overview_of_a_year_without_a_run_says_so_and_shows_no_figures(client, district, officer):
    response = get(client, officer, "/", year="2020")

    assert response.status_code == 200
    assert cards(response) == []
    assert 'class="status-bar stale"' in response.content.decode()
    assert '<option value="2020" selected>' in response.content.decode()


def test_overview_without_any_fiscal_year_still_opens(client, officer):
    response = get(client, officer, "/")

    assert response.status_code == 200
    assert cards(response) == []


def test_overview_names_no_department_code(client, district, officer):
    page = text(get(client, officer, "/"))

    assert "A01" not in page and "B02" not in page
