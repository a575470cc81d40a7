"""Plotly figures of the dashboard (SPEC §6): pure functions from rows to figures, no database access.

Amounts arrive in yuan as Decimal and are shown in 万元 (or 亿元 where a whole district is drawn);
ratios arrive as Decimal shares (0.816) and are shown as percentages. The same warning level and the
same grade have the same colour on every chart. Figures reach the page as JSON (``figure_json``) and
static/js/charts.js draws them; no page carries an inline script.

Plotly reads its own mini-HTML (``<a href>``, ``<b>``, ``<br>``…) in every label, name and hover text,
and ``%{…}`` in a hover template. Every string that comes from the data (a department's, a unit's, a
function class's name) therefore goes into a figure through ``_plain``, which escapes the mini-HTML,
and only as data: no template is ever built from a name.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import plotly.graph_objects as go
from django.conf import settings
from django.utils.translation import gettext as _

from finance.formatting import HUNDRED_MILLION, TEN_THOUSAND, signed

#: One colour per warning level (SPEC §4.1) and per grade (§4.3), used by every chart and the CSS.
WARNING_COLOURS = {"normal": "#16a34a", "attention": "#f59e0b", "serious": "#dc2626"}
GRADE_COLOURS = {"excellent": "#15803d", "good": "#2563eb", "fair": "#f59e0b", "poor": "#dc2626"}
LIVELIHOOD_COLOUR = "#b91c1c"
OTHER_COLOUR = "#94a3b8"
TIME_PROGRESS_COLOUR = "#475569"
FONT = '"PingFang SC","Microsoft YaHei","Noto Sans CJK SC","Noto Sans SC",system-ui,sans-serif'


def _plain(text: str | None) -> str:
    """A name from the data, escaped so that Plotly shows it as written: ``<a href=…>`` stays text
    (Plotly turns ``&lt;``, ``&gt;`` and ``&amp;`` back into the characters it draws)."""
    return str(text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _wan(amount: Decimal | None) -> float:
    # Plotly draws binary floats; the figure shows 万元 to two places, well inside a float's precision.
    return float((amount or Decimal(0)) / TEN_THOUSAND)


def _yi(amount: Decimal | None) -> float:
    return float((amount or Decimal(0)) / HUNDRED_MILLION)


def _pct(ratio: Decimal | None) -> float | None:
    return None if ratio is None else float(ratio * 100)


def _figure(
    traces: list,
    *,
    title: str,
    height: int = 360,
    xaxis: dict | None = None,
    yaxis: dict | None = None,
    margin: dict | None = None,
    **extra,
) -> go.Figure:
    """A figure with the house layout, built in one go (Plotly validates a layout once, not per update)."""
    grid = {"gridcolor": "#e5e7eb", "zerolinecolor": "#cbd5e1", "automargin": True}
    layout = {
        "title": {
            "text": title,
            "x": 0,
            "xanchor": "left",
            "y": 0.98,
            "yanchor": "top",
            "font": {"size": 15},
        },
        "font": {"family": FONT, "size": 12},
        "height": height,
        "margin": margin or {"l": 60, "r": 20, "t": 70, "b": 50},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "hoverlabel": {"font": {"family": FONT}},
        "legend": {"orientation": "h", "x": 1, "xanchor": "right", "y": 1.0, "yanchor": "bottom"},
        "xaxis": grid | (xaxis or {}),
        "yaxis": grid | (yaxis or {}),
        **extra,
    }
    return go.Figure(data=traces, layout=layout)


def _month_labels(months: Iterable[int]) -> list[str]:
    return [_("Month %(month)s") % {"month": month} for month in months]


def cumulative_spending(
    *,
    series: Sequence[tuple[int, Decimal]],
    budget: Decimal,
    year: int,
    time_progress_by_month: dict,
    in_yi: bool = False,
) -> go.Figure:
    """Cumulative spending by month-end (bars) against the budget × time progress line, in 万元, or
    in 亿元 with ``in_yi`` (the district's chart, beside headline cards in 亿元).

    ``time_progress_by_month`` maps a month to the share of the year elapsed at its end (or at the
    as-of date in the last month), so both share the axis.
    """
    months = [month for month, _spent in series]
    labels = _month_labels(months)
    shares = [_pct(amount / budget) if budget else None for _month, amount in series]
    scale = _yi if in_yi else _wan
    if in_yi:
        unit = _("100m yuan")
        spent_hover = _("%{x}: %{y:,.2f} 100m yuan spent (%{customdata[0]:.1f}% of budget)")
        time_hover = _("%{x}: %{y:,.2f} 100m yuan at time progress")
    else:
        unit = _("10k yuan")
        spent_hover = _("%{x}: %{y:,.2f} 10k yuan spent (%{customdata[0]:.1f}% of budget)")
        time_hover = _("%{x}: %{y:,.2f} 10k yuan at time progress")
    traces = [
        go.Bar(
            name=_("Cumulative spending"),
            x=labels,
            y=[scale(amount) for _month, amount in series],
            marker_color="#2563eb",
            customdata=[[share] for share in shares],
            hovertemplate=spent_hover + "<extra></extra>",
        ),
        go.Scatter(
            name=_("Budget × time progress"),
            x=labels,
            y=[scale(budget * time_progress_by_month[month]) for month in months],
            mode="lines+markers",
            line={"color": TIME_PROGRESS_COLOUR, "dash": "dash"},
            hovertemplate=time_hover + "<extra></extra>",
        ),
    ]
    return _figure(
        traces,
        title=_("Cumulative spending by month, %(year)s") % {"year": year},
        yaxis={"title": {"text": unit}, "tickformat": ",.1f" if in_yi else ",.0f"},
    )


@dataclass(frozen=True)
class FunctionClassBar:
    name: str
    budget: Decimal
    spent: Decimal
    is_livelihood: bool


def spending_by_function_class(rows: Sequence[FunctionClassBar]) -> go.Figure:
    """Spending per function class (亿元, horizontal bars), livelihood classes marked ★ in brand red."""
    ordered = sorted(rows, key=lambda row: row.spent)
    bar = go.Bar(
        orientation="h",
        y=[_plain(row.name) + (" ★" if row.is_livelihood else "") for row in ordered],
        x=[_yi(row.spent) for row in ordered],
        marker_color=[LIVELIHOOD_COLOUR if row.is_livelihood else OTHER_COLOUR for row in ordered],
        customdata=[
            [_yi(row.budget), _pct(row.spent / row.budget) if row.budget else None] for row in ordered
        ],
        hovertemplate=_("%{y}: %{x:,.2f} of %{customdata[0]:,.2f} 100m yuan (%{customdata[1]:.1f}%)")
        + "<extra></extra>",
        showlegend=False,
    )
    return _figure(
        [bar],
        title=_("Spending by function class (★ livelihood)"),
        height=max(320, 90 + 24 * len(ordered)),
        xaxis={"title": {"text": _("100m yuan")}, "tickformat": ",.1f"},
    )


@dataclass(frozen=True)
class TreemapNode:
    id: str
    parent: str
    label: str
    budget: Decimal
    spent: Decimal
    gap_pp: Decimal
    warning_level: str


def progress_treemap(nodes: Sequence[TreemapNode], *, title: str) -> go.Figure:
    """Departments → units sized by budget, coloured by the gap of spending to time progress
    (red behind, green on time); the hover gives amounts in 万元 and the warning level."""
    levels = {"normal": _("normal"), "attention": _("attention"), "serious": _("serious")}
    attention, serious = settings.PROGRESS_ATTENTION_GAP_PP, settings.PROGRESS_SERIOUS_GAP_PP
    treemap = go.Treemap(
        ids=[node.id for node in nodes],
        parents=[node.parent for node in nodes],
        labels=[_plain(node.label) for node in nodes],
        values=[_wan(node.budget) for node in nodes],
        branchvalues="total",
        marker={
            "colors": [float(node.gap_pp) for node in nodes],
            "colorscale": [[0, WARNING_COLOURS["serious"]], [0.5, "#fde68a"], [1, WARNING_COLOURS["normal"]]],
            # Yellow at the attention threshold, full red one threshold-step below the serious one.
            "cmid": float(attention),
            "cmin": float(serious + (serious - attention)),
            "cmax": float(-attention),
            "colorbar": {"title": {"text": _("gap, pp")}},
        },
        # The gap goes in as text, signed as the tables sign it (a gap that rounds to zero is "0.0").
        customdata=[
            [_wan(node.spent), signed(node.gap_pp, 1), _plain(levels.get(node.warning_level, ""))]
            for node in nodes
        ],
        hovertemplate=_(
            "%{label}<br>budget %{value:,.2f} 10k yuan<br>spent %{customdata[0]:,.2f} 10k yuan"
            "<br>gap %{customdata[1]} pp (%{customdata[2]})"
        )
        + "<extra></extra>",
        maxdepth=2,
    )
    return _figure([treemap], title=title, height=480, margin={"l": 10, "r": 10, "t": 50, "b": 10})


def grade_distribution(counts: dict[str, int], *, title: str) -> go.Figure:
    """Finalised evaluations by grade, in grade order, each bar in its grade's colour."""
    names = {"excellent": _("excellent"), "good": _("good"), "fair": _("fair"), "poor": _("poor")}
    grades = list(GRADE_COLOURS)
    bar = go.Bar(
        x=[names[grade] for grade in grades],
        y=[counts.get(grade, 0) for grade in grades],
        marker_color=[GRADE_COLOURS[grade] for grade in grades],
        text=[counts.get(grade, 0) for grade in grades],
        textposition="outside",
        hovertemplate=_("%{x}: %{y} evaluations") + "<extra></extra>",
        showlegend=False,
    )
    return _figure(
        [bar],
        title=title,
        xaxis={"title": {"text": _("Grade")}},
        yaxis={"title": {"text": _("Number of evaluations")}, "rangemode": "tozero"},
    )


@dataclass(frozen=True)
class IncrementBar:
    department: str
    increment: Decimal
    highlighted: bool = False


def increments(rows: Sequence[IncrementBar]) -> go.Figure:
    """The leaderboard's diverging bars: each ranked department's increment Δ in points, best on
    top; gains green, losses red, the viewer's own department outlined in black."""
    ordered = list(reversed(rows))  # Plotly draws the first bar at the bottom
    bar = go.Bar(
        orientation="h",
        y=[_plain(row.department) for row in ordered],
        x=[float(row.increment) for row in ordered],
        marker={
            "color": [
                WARNING_COLOURS["normal"] if row.increment >= 0 else WARNING_COLOURS["serious"]
                for row in ordered
            ],
            "line": {
                "color": ["#111827" if row.highlighted else "rgba(0,0,0,0)" for row in ordered],
                "width": 2,
            },
        },
        # Δ as the table signs it: one that rounds to zero is "0.00", not "-0.00".
        customdata=[[signed(row.increment)] for row in ordered],
        hovertemplate=_("%{y}: Δ %{customdata[0]} points") + "<extra></extra>",
        showlegend=False,
    )
    return _figure(
        [bar],
        title=_("Increment of the score on last year"),
        height=max(320, 90 + 17 * len(ordered)),
        xaxis={"title": {"text": _("Δ score (points)")}, "zeroline": True, "zerolinewidth": 2},
        yaxis={"tickfont": {"size": 11}, "dtick": 1},
    )


def score_history(points: Sequence[tuple[int, Decimal | None]], *, department: str) -> go.Figure:
    """A department's score C by year (points out of 100)."""
    shown = [(year, score) for year, score in points if score is not None]
    line = go.Scatter(
        x=[str(year) for year, _score in shown],
        y=[float(score) for _year, score in shown],
        mode="lines+markers+text",
        text=[f"{score:.1f}" for _year, score in shown],
        textposition="top center",
        line={"color": "#2563eb"},
        hovertemplate=_("%{x}: %{y:.2f} points") + "<extra></extra>",
        showlegend=False,
    )
    return _figure(
        [line],
        title=_("Score over the years"),
        height=320,
        xaxis={"title": {"text": _("Fiscal year")}, "type": "category"},
        yaxis={"title": {"text": _("Score C (points)")}, "range": [0, 105]},
    )


DIMENSIONS = ("decision", "process", "output", "benefit")


def dimension_profile(
    department: dict[str, Decimal | None], district: dict[str, Decimal | None], *, department_name: str
) -> go.Figure:
    """Each level-1 dimension's share of its maximum (%), the department beside the district mean."""
    names = {
        "decision": _("Decision"),
        "process": _("Process"),
        "output": _("Output"),
        "benefit": _("Benefit"),
    }
    labels = [names[name] for name in DIMENSIONS]
    traces = [
        # The trace's name reaches the hover as data (``fullData.name``), never as part of the template.
        go.Bar(
            name=_plain(department_name),
            x=labels,
            y=[_pct(department.get(name)) for name in DIMENSIONS],
            marker_color="#2563eb",
            hovertemplate="%{x}: %{y:.1f}%<extra>%{fullData.name}</extra>",
        ),
        go.Bar(
            name=_("District average"),
            x=labels,
            y=[_pct(district.get(name)) for name in DIMENSIONS],
            marker_color=OTHER_COLOUR,
            hovertemplate="%{x}: %{y:.1f}%<extra>%{fullData.name}</extra>",
        ),
    ]
    return _figure(
        traces,
        title=_("Dimension profile (share of maximum)"),
        height=320,
        barmode="group",
        yaxis={"title": {"text": _("Share of maximum, percent")}, "range": [0, 105]},
    )


def project_payments(
    *, series: Sequence[tuple[int, Decimal]], budget: Decimal, year: int, time_progress_by_month: dict
) -> go.Figure:
    """One project's cumulative spending by month (万元) against budget × time progress: the sum of its
    payment records (支付记录), shown as spending (支出)."""
    fig = cumulative_spending(
        series=series, budget=budget, year=year, time_progress_by_month=time_progress_by_month
    )
    fig.layout.title.text = _("The project's cumulative spending by month, %(year)s") % {"year": year}
    return fig


def figure_json(fig: go.Figure) -> dict:
    """The figure as plain JSON data for ``json_script``: static/js/charts.js draws it."""
    return json.loads(fig.to_json())
