"""The chart builders of performance/charts.py, read from their ``fig.data``: amounts in 万元 or 亿元,
one colour per warning level and per grade everywhere (charts and CSS), titles and axis titles."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from performance import charts
from performance.charts import GRADE_COLOURS, LIVELIHOOD_COLOUR, OTHER_COLOUR, WARNING_COLOURS

D = Decimal


def has_title(fig) -> bool:
    return bool(fig.layout.title.text)


def test_cumulative_spending_is_in_wan_yuan_against_budget_times_time_progress():
    fig = charts.cumulative_spending(
        series=[(1, D("0")), (2, D("3000000.00")), (3, D("12500000.00"))],
        budget=D("50000000.00"),
        year=2021,
        time_progress_by_month={1: D("0.0849"), 2: D("0.1616"), 3: D("0.2466")},
    )
    bars, line = fig.data

    assert list(bars.y) == [0.0, 300.0, 1250.0]  # 3,000,000 元 = 300 万元
    # 5,000 万元 × 0.0849 = 424.5; × 0.1616 = 808; × 0.2466 = 1,233.
    assert list(line.y) == pytest.approx([424.5, 808.0, 1233.0])
    assert [row[0] for row in bars.customdata] == pytest.approx([0.0, 6.0, 25.0])  # % of budget
    assert "2021" in fig.layout.title.text
    assert fig.layout.yaxis.title.text
    assert line.line.color == charts.TIME_PROGRESS_COLOUR


def test_cumulative_spending_of_a_zero_budget_has_no_share():
    fig = charts.cumulative_spending(
        series=[(1, D("0"))], budget=D("0"), year=2021, time_progress_by_month={1: D("0.0849")}
    )

    assert fig.data[0].customdata[0][0] is None
    assert list(fig.data[1].y) == [0.0]


def test_project_payments_chart_has_its_own_title():
    fig = charts.project_payments(
        series=[(1, D("100000"))], budget=D("1000000"), year=2021, time_progress_by_month={1: D("0.0849")}
    )

    assert (
        fig.layout.title.text
        != charts.cumulative_spending(
            series=[(1, D("100000"))], budget=D("1000000"), year=2021, time_progress_by_month={1: D("0.0849")}
        ).layout.title.text
    )
    assert "2021" in fig.layout.title.text
    assert list(fig.data[0].y) == [10.0]


def test_function_class_chart_is_in_yi_yuan_with_livelihood_classes_marked_and_coloured():
    fig = charts.spending_by_function_class(
        [
            charts.FunctionClassBar("205 教育", D("1610000000"), D("885000000"), is_livelihood=True),
            charts.FunctionClassBar("201 一般公共服务", D("300000000"), D("150000000"), is_livelihood=False),
        ]
    )
    (bar,) = fig.data

    assert list(bar.y) == ["201 一般公共服务", "205 教育 ★"]  # least spent at the bottom
    assert list(bar.x) == [1.5, 8.85]  # 亿元
    assert list(bar.marker.color) == [OTHER_COLOUR, LIVELIHOOD_COLOUR]
    # Budget 16.1 亿元; 8.85 / 16.1 = 55.0 % spent.
    assert bar.customdata[1][0] == pytest.approx(16.1)
    assert bar.customdata[1][1] == pytest.approx(54.97, abs=0.01)
    assert has_title(fig) and fig.layout.xaxis.title.text


def test_treemap_sizes_by_budget_in_wan_yuan_and_colours_by_gap_in_warning_colours():
    fig = charts.progress_treemap(
        [
            charts.TreemapNode("d1", "", "区教育体育局", D("1.5e8"), D("1.05e8"), D("-13.29"), "attention"),
            charts.TreemapNode("u1", "d1", "区第一中学", D("1.5e8"), D("1.05e8"), D("-13.29"), "attention"),
        ],
        title="各部门、单位支出进度",
    )
    (treemap,) = fig.data

    assert list(treemap.values) == [15000.0, 15000.0]
    assert list(treemap.parents) == ["", "d1"]
    assert list(treemap.marker.colors) == [-13.29, -13.29]
    scale = treemap.marker.colorscale
    assert scale[0][1] == WARNING_COLOURS["serious"] and scale[-1][1] == WARNING_COLOURS["normal"]
    # The midpoint sits on the attention threshold (−10 pp).
    assert treemap.marker.cmid == settings.PROGRESS_ATTENTION_GAP_PP
    assert [row[0] for row in treemap.customdata] == [10500.0, 10500.0]
    assert fig.layout.title.text == "各部门、单位支出进度"


def test_grade_distribution_is_in_grade_order_and_grade_colours():
    fig = charts.grade_distribution({"fair": 2, "excellent": 1, "poor": 1}, title="2021")
    (bar,) = fig.data

    assert list(bar.y) == [1, 0, 2, 1]  # excellent, good, fair, poor
    assert list(bar.marker.color) == [GRADE_COLOURS[g] for g in ("excellent", "good", "fair", "poor")]
    assert fig.layout.title.text == "2021"
    assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text


def test_increments_put_the_best_department_on_top_and_outline_the_highlighted_one():
    fig = charts.increments(
        [
            charts.IncrementBar("区教育体育局", D("8.60")),
            charts.IncrementBar("区民政局", D("0")),
            charts.IncrementBar("区卫生健康委员会", D("-13.57"), highlighted=True),
        ]
    )
    (bar,) = fig.data

    # Plotly draws the first bar at the bottom, so the best (first in rank order) comes last.
    assert list(bar.y) == ["区卫生健康委员会", "区民政局", "区教育体育局"]
    assert list(bar.x) == [-13.57, 0.0, 8.6]
    gain, loss = WARNING_COLOURS["normal"], WARNING_COLOURS["serious"]
    assert list(bar.marker.color) == [loss, gain, gain]  # a Δ of 0 is no loss
    outline = list(bar.marker.line.color)
    assert outline[0] not in ("rgba(0,0,0,0)", None) and outline[1:] == ["rgba(0,0,0,0)"] * 2
    assert bar.marker.line.width > 0
    assert has_title(fig) and fig.layout.xaxis.title.text


def test_score_history_skips_years_without_a_score():
    fig = charts.score_history(
        [(2019, None), (2020, D("80.0000")), (2021, D("88.6000"))], department="区教育体育局"
    )
    (line,) = fig.data

    assert list(line.x) == ["2020", "2021"]
    assert list(line.y) == [80.0, 88.6]
    assert list(line.text) == ["80.0", "88.6"]
    assert has_title(fig) and fig.layout.xaxis.title.text and fig.layout.yaxis.title.text


def test_dimension_profile_shows_shares_of_the_maximum_in_percent():
    fig = charts.dimension_profile(
        {"decision": D("0.875"), "process": D("0.3"), "output": D("1"), "benefit": D("1")},
        {"decision": D("0.625"), "process": None, "output": D("1"), "benefit": D("0.9722")},
        department_name="区教育体育局",
    )
    own, district = fig.data

    assert list(own.y) == [87.5, 30.0, 100.0, 100.0]
    assert list(district.y) == [62.5, None, 100.0, 97.22]
    assert own.name == "区教育体育局"
    assert has_title(fig) and fig.layout.yaxis.title.text


def test_every_figure_draws_with_the_house_font_and_serialises_to_json():
    fig = charts.grade_distribution({}, title="t")

    data = charts.figure_json(fig)

    assert json.loads(json.dumps(data)) == data
    assert data["layout"]["font"]["family"] == charts.FONT
    assert data["data"][0]["y"] == [0, 0, 0, 0]


def test_chart_colours_are_the_colours_of_the_css_badges():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "app.css").read_text()
    variables = dict(re.findall(r"--([a-z]+):(#[0-9a-fA-F]{6})", css))

    for level, colour in WARNING_COLOURS.items():
        assert variables[level].lower() == colour.lower(), level
    for grade, colour in GRADE_COLOURS.items():
        assert variables[grade].lower() == colour.lower(), grade
    assert variables["brand"].lower() == LIVELIHOOD_COLOUR.lower()


# -- names from the data are text, never Plotly mini-HTML or template parts (issue 15) --------------

#: Names a department, unit or function class could be given in admin or by an import.
HOSTILE_NAMES = [
    '<a href="https://evil.example/">click</a>',
    "%{x}%{customdata[0]}<extra>%{y}</extra>",
    "<b>bold</b><br>broken",
    "R&amp;D &lt;i&gt;",
]


def _strings(value):
    """Every string anywhere in a JSON-like value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _hostile_figures(name: str) -> dict:
    """Every chart builder with ``name`` as the first point's (or the trace's) user-supplied string."""
    return {
        "cumulative_spending": charts.cumulative_spending(
            series=[(1, D("100"))], budget=D("1000"), year=2021, time_progress_by_month={1: D("0.08")}
        ),
        "project_payments": charts.project_payments(
            series=[(1, D("100"))], budget=D("1000"), year=2021, time_progress_by_month={1: D("0.08")}
        ),
        "spending_by_function_class": charts.spending_by_function_class(
            [
                charts.FunctionClassBar(name, D("1000"), D("100"), is_livelihood=True),
                charts.FunctionClassBar("201 一般公共服务", D("1000"), D("900"), is_livelihood=False),
            ]
        ),
        "progress_treemap": charts.progress_treemap(
            [
                charts.TreemapNode("d1", "", name, D("1000"), D("100"), D("-0.04"), "normal"),
                charts.TreemapNode("u1", "d1", name, D("1000"), D("100"), D("-0.04"), "normal"),
            ],
            title="t",
        ),
        "grade_distribution": charts.grade_distribution({"good": 1}, title="t"),
        "increments": charts.increments(
            [charts.IncrementBar(name, D("1.5")), charts.IncrementBar("区民政局", D("-1"))]
        ),
        "score_history": charts.score_history([(2021, D("80"))], department=name),
        "dimension_profile": charts.dimension_profile(
            {"decision": D("0.5"), "process": D("0.5"), "output": D("0.5"), "benefit": D("0.5")},
            {"decision": D("0.6"), "process": D("0.6"), "output": D("0.6"), "benefit": D("0.6")},
            department_name=name,
        ),
    }


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_no_chart_builder_lets_a_name_become_markup_or_a_template(name):
    escaped = name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for builder, fig in _hostile_figures(name).items():
        data = fig.to_plotly_json()["data"]
        strings = list(_strings(data))

        # No string of any trace holds a tag Plotly would draw: text, labels, names, hover, templates.
        assert not any("<a" in string or "<b>" in string or "<br>broken" in string for string in strings), (
            builder
        )
        # The name never reaches a template: every hover template is the same whatever the name.
        templates = [trace.get("hovertemplate") for trace in data]
        plain = [
            trace.get("hovertemplate")
            for trace in _hostile_figures("区教育体育局")[builder].to_plotly_json()["data"]
        ]
        assert templates == plain, builder
        if "&lt;" in escaped or "&amp;" in escaped:
            assert any(escaped in string for string in strings) or builder in (
                "cumulative_spending",
                "project_payments",
                "grade_distribution",
                "score_history",
            ), builder


def test_the_first_point_carries_the_escaped_name_on_each_builder_that_draws_names():
    name = HOSTILE_NAMES[0]
    escaped = '&lt;a href="https://evil.example/"&gt;click&lt;/a&gt;'
    figs = _hostile_figures(name)

    assert figs["spending_by_function_class"].data[0].y[0] == escaped + " ★"  # least spent first
    assert list(figs["progress_treemap"].data[0].labels) == [escaped, escaped]
    assert figs["increments"].data[0].y[-1] == escaped  # the best is drawn last, on top
    assert figs["dimension_profile"].data[0].name == escaped
    assert figs["dimension_profile"].data[0].hovertemplate == "%{x}: %{y:.1f}%<extra>%{fullData.name}</extra>"


def test_a_name_with_a_template_is_data_in_the_dimension_profile():
    fig = charts.dimension_profile({}, {}, department_name="%{y}")
    own, district = fig.data

    assert own.name == "%{y}"
    assert "%{y}</extra>" not in own.hovertemplate


def test_treemap_hover_gives_a_gap_that_rounds_to_zero_as_0_0():
    fig = charts.progress_treemap(
        [charts.TreemapNode("d1", "", "区教育体育局", D("1000"), D("100"), D("-0.04"), "normal")], title="t"
    )

    assert fig.data[0].customdata[0][1] == "0.0"


def test_overview_cumulative_chart_is_in_yi_yuan_beside_the_cards():
    fig = charts.cumulative_spending(
        series=[(1, D("150000000"))],
        budget=D("1000000000"),
        year=2021,
        time_progress_by_month={1: D("0.0849")},
        in_yi=True,
    )
    bars, line = fig.data

    assert list(bars.y) == [1.5]  # 150,000,000 元 = 1.5 亿元
    assert list(line.y) == pytest.approx([0.849])  # 10 亿元 × 0.0849
    with translation.override("zh-hans"):
        fig = charts.cumulative_spending(
            series=[(1, D("1"))], budget=D("1"), year=2021, time_progress_by_month={1: D("1")}, in_yi=True
        )
    assert fig.layout.yaxis.title.text == "亿元"


def test_grade_chart_counts_evaluations_on_its_y_axis():
    with translation.override("zh-hans"):
        fig = charts.grade_distribution({"good": 1}, title="t")

    assert fig.layout.yaxis.title.text == "评价数（个）"


def test_project_chart_speaks_of_spending_not_of_payments():
    with translation.override("zh-hans"):
        fig = charts.project_payments(
            series=[(1, D("1"))], budget=D("1"), year=2021, time_progress_by_month={1: D("1")}
        )

    assert "支出" in fig.layout.title.text and "支付" not in fig.layout.title.text


def test_increments_hover_gives_a_change_that_rounds_to_zero_as_0_00():
    fig = charts.increments(
        [charts.IncrementBar("区民政局", D("-0.001")), charts.IncrementBar("区财政局", D("1.5"))]
    )

    assert [row[0] for row in fig.data[0].customdata] == ["+1.50", "0.00"]  # best drawn last
    assert "%{customdata[0]}" in fig.data[0].hovertemplate
