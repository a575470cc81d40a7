"""SPEC §4.5, §6 leaderboard (/leaderboard/): ranked by increment, "new" departments last, the viewer's
own row highlighted, the diverging bars of the increments and the rank movement since the last run."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.test import override_settings

from performance.charts import WARNING_COLOURS
from performance.models import Evaluation
from performance.services import recompute_all
from tests.performance.conftest import evaluate
from tests.reading import figure_of, get, tables, text

pytestmark = pytest.mark.django_db

#: Rank by change out of the ranked, rank by score out of the scored, department, Δ, C, last year's C
#: (the first six columns: the ones a phone shows first).
RANKED = [
    # (92 × 12,000 + 75 × 3,000) / 15,000 = 88.60; − 80. Two departments ranked, three scored.
    ["1 / 2", "1 / 3", "区教育体育局", "+8.60", "88.60", "80.00"],
    # (85 × 5,000 + 55 × 2,000) / 7,000 = 76.43; − 90
    ["2 / 2", "2 / 3", "区卫生健康委员会", "-13.57", "76.43", "90.00"],
]


def leaderboard(response) -> list[tuple[str, list[str]]]:
    (table,) = tables(response)
    return table


@pytest.mark.parametrize("persona", ["officer", "head"])
def test_leaderboard_ranks_every_department_by_increment_with_new_ones_last(
    client, district, request, persona
):
    rows = leaderboard(get(client, request.getfixturevalue(persona), "/leaderboard/"))

    assert [cells[:6] for _class, cells in rows[:2]] == RANKED
    new_row = rows[2][1]
    # C03 has no 2020 score: no increment rank, no Δ, listed after the ranked ones, 3rd by score.
    assert new_row[1:6] == ["3 / 3", "区政务服务数据管理局", "—", "70.00", "—"]
    assert new_row[0] == "新增"
    # Every evaluated budget is covered: 100.0 %, no low-coverage mark.
    assert [cells[-2:] for _class, cells in rows] == [["100.0%", ""]] * 3


def test_heads_own_row_is_highlighted_and_only_it_links_to_its_department(client, district, head):
    response = get(client, head, "/leaderboard/")
    rows = leaderboard(response)
    html = response.content.decode()

    assert ["own" in row_class.split() for row_class, _cells in rows] == [True, False, False]
    assert 'href="/departments/A01/"' in html
    assert 'href="/departments/B02/"' not in html and 'href="/departments/C03/"' not in html
    assert "own-summary" in html


def test_officer_sees_no_highlighted_row_and_links_to_every_department(client, district, officer):
    response = get(client, officer, "/leaderboard/")
    html = response.content.decode()

    assert not any("own" in row_class.split() for row_class, _cells in leaderboard(response))
    for code in ("A01", "B02", "C03"):
        assert f'href="/departments/{code}/"' in html
    assert "own-summary" not in html


def test_a_new_departments_head_sees_their_row_highlighted_among_the_new(client, district, third_head):
    rows = leaderboard(get(client, third_head, "/leaderboard/"))

    assert ["own" in row_class.split() for row_class, _cells in rows] == [False, False, True]


def test_increments_chart_puts_the_best_department_on_top_and_outlines_the_heads_own(client, district, head):
    (bar,) = figure_of(get(client, head, "/leaderboard/"), "bar")["data"]

    # Plotly draws the first bar at the bottom: the best (A01, +8.60) comes last. C03 is new: no bar.
    assert bar["y"] == ["区卫生健康委员会", "区教育体育局"]
    assert bar["x"] == [pytest.approx(-13.5714), pytest.approx(8.6)]
    assert bar["marker"]["color"] == [WARNING_COLOURS["serious"], WARNING_COLOURS["normal"]]
    outline = bar["marker"]["line"]["color"]
    assert outline[1] != outline[0] and outline[0] == "rgba(0,0,0,0)"


def test_increments_chart_outlines_nobody_for_an_officer(client, district, officer):
    (bar,) = figure_of(get(client, officer, "/leaderboard/"), "bar")["data"]

    assert bar["marker"]["line"]["color"] == ["rgba(0,0,0,0)"] * 2


def test_rank_movement_since_the_last_run_is_shown_with_arrows(client, district, officer):
    # A department-wide evaluation of 10 for A01: C = 0.7 × 88.60 + 0.3 × 10 = 65.02, Δ = 65.02 − 80
    # = −14.98, now below B02's −13.57: B02 moves up one place, A01 down one. By score A01 (65.02)
    # falls behind C03 (70.00) to third.
    evaluate(district.a, "10", kind=Evaluation.Kind.DEPARTMENT)
    district.recompute()

    response = get(client, officer, "/leaderboard/")
    rows = leaderboard(response)

    assert [cells[:6] for _class, cells in rows[:2]] == [
        ["1 / 2", "1 / 3", "区卫生健康委员会", "-13.57", "76.43", "90.00"],
        ["2 / 2", "3 / 3", "区教育体育局", "-14.98", "65.02", "80.00"],
    ]
    assert [cells[6] for _class, cells in rows] == ["▲ 1", "▼ 1", "–"]
    html = response.content.decode()
    assert html.count('class="up"') == 1 and html.count('class="down"') == 1


def test_leaderboard_of_a_year_without_a_run_opens_without_a_table(client, district, head):
    response = get(client, head, "/leaderboard/", year="2020")

    assert response.status_code == 200
    assert tables(response) == []
    assert 'class="status-bar stale"' in response.content.decode()


# -- the page explains itself to a head (issue 14 item 7) ----------------------------------------------


def _panel(response) -> str:
    html = response.content.decode()
    return text_of(html.split('class="card how-computed"')[1].split("</details>")[0])


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_how_it_is_computed_states_the_weights_threshold_and_tie_rules_in_force(client, district, head):
    with override_settings(
        SCORE_PROJECT_WEIGHT=Decimal("0.6"),
        SCORE_DEPARTMENT_WEIGHT=Decimal("0.4"),
        LOW_COVERAGE_THRESHOLD=Decimal("0.25"),
    ):
        panel = _panel(get(client, head, "/leaderboard/"))

    assert "权重 0.6 / 0.4" in panel and "覆盖率阈值 25%" in panel
    assert "0.6 × 项目部分 + 0.4 × 部门整体评价得分" in panel
    assert "Δ 相同的，绩效得分 C 高者在前" in panel and "并列同一名次" in panel  # the tie rules
    assert "低于 25% 的部门标注 ⚠ 覆盖率低" in panel


def test_default_weights_are_0_7_and_0_3(client, district, head):
    panel = _panel(get(client, head, "/leaderboard/"))

    assert "0.7 × 项目部分 + 0.3 × 部门整体评价得分" in panel and "覆盖率阈值 30%" in panel


def test_low_coverage_mark_has_a_legend(client, district, head):
    page = text(get(client, head, "/leaderboard/"))

    assert "⚠ 覆盖率低：已评价项目预算不足部门预算的 30%" in page


def test_columns_are_named_in_words_with_the_symbols_as_a_hint(client, district, head):
    response = get(client, head, "/leaderboard/")
    head_row = response.content.decode().split("<thead")[1].split("</thead>")[0]

    for name in ("增量排名（按 Δ）", "得分排名（按 C）", "比上年增减（Δ）", "绩效得分（C）"):
        assert name in head_row
    assert "得分 C<" not in head_row and "增量 Δ<" not in head_row


def test_heads_summary_gives_both_ranks_out_of_how_many(client, district, head):
    page = text(get(client, head, "/leaderboard/"))

    assert "增量排名 1 / 2（Δ +8.60）" in page and "得分排名 1 / 3" in page


def test_a_first_year_where_every_department_is_new_says_why(client, district, head):
    recompute_all(year=2020, as_of=datetime.date(2020, 12, 31))

    response = get(client, head, "/leaderboard/", year="2020")
    rows = leaderboard(response)

    assert {cells[0] for _class, cells in rows} == {"新增"}
    assert "2019年（上一年度）没有任何部门的绩效得分" in text(response)
    # A year with ranked departments says nothing of the kind.
    assert "没有任何部门的绩效得分" not in text(get(client, head, "/leaderboard/"))


def test_points_that_round_to_zero_show_without_a_sign():
    from performance.tables import PointsColumn

    assert PointsColumn(places=2).render(Decimal("-0.004")) == "0.00"
    assert PointsColumn(places=1, signed=True).render(Decimal("-0.04")) == "0.0"
