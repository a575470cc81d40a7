"""SPEC §4.5, §6 leaderboard (/leaderboard/): ranked by increment, "new" departments last, the viewer's
own row highlighted, the diverging bars of the increments and the rank movement since the last run."""

from __future__ import annotations

import pytest

from performance.charts import WARNING_COLOURS
from performance.models import Evaluation
from tests.pages.conftest import figure_of, get, tables
from tests.performance.conftest import evaluate

pytestmark = pytest.mark.django_db

#: Rank, department, C, last year's C, Δ, rank by C (the first six columns; "new" is translated).
RANKED = [
    [
        "1",
        "区教育体育局",
        "88.60",
        "80.00",
        "+8.60",
        "1",
    ],  # (92 × 12,000 + 75 × 3,000) / 15,000 = 88.60; − 80
    ["2", "区卫生健康委员会", "76.43", "90.00", "-13.57", "2"],  # (85 × 5,000 + 55 × 2,000) / 7,000; − 90
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
    assert new_row[1:6] == ["区政务服务数据管理局", "70.00", "—", "—", "3"]
    assert new_row[0] not in ("1", "2", "3")
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
        ["1", "区卫生健康委员会", "76.43", "90.00", "-13.57", "1"],
        ["2", "区教育体育局", "65.02", "80.00", "-14.98", "3"],
    ]
    assert [cells[6] for _class, cells in rows] == ["▲ 1", "▼ 1", "–"]
    html = response.content.decode()
    assert html.count('class="up"') == 1 and html.count('class="down"') == 1


def test_leaderboard_of_a_year_without_a_run_opens_without_a_table(client, district, head):
    response = get(client, head, "/leaderboard/", year="2020")

    assert response.status_code == 200
    assert tables(response) == []
    assert 'class="status-bar stale"' in response.content.decode()
