"""The leaderboard and a department's units."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from finance.tables import NumberColumn, WanYuanColumn
from performance.tables.columns import FlagColumn, GradeColumn, PercentColumn, PointsColumn, WarningColumn


class LeaderboardTable(tables.Table):
    """SPEC §4.5: ranked by Δ, ties by C, "new" departments last; the viewer's own row highlighted.

    The columns a head reads first come first, so that a phone shows the change Δ without scrolling:
    the rank by change and the rank by score, each out of how many ("28 / 61"), the department, Δ.
    """

    exportable = True

    increment_rank = NumberColumn(
        verbose_name=_("Rank by change (Δ)"),
        order_by=("position",),
        empty_values=(),
    )
    absolute_rank = NumberColumn(verbose_name=_("Rank by score (C)"), empty_values=())
    department = tables.Column(
        verbose_name=_("Department"), accessor="department__name", attrs={"td": {"class": "name"}}
    )
    increment = PointsColumn(verbose_name=_("Change on last year (Δ)"), signed=True)
    score = PointsColumn(verbose_name=_("Performance score (C)"))
    previous_score = PointsColumn(verbose_name=_("Last year's score"))
    rank_change = NumberColumn(verbose_name=_("Since last run"), empty_values=(), export_format="+0;-0;0")
    # SPEC §14.2: the department's rectification items not yet closed, and those past their deadline.
    open_items = NumberColumn(verbose_name=_("Open rectification items"), empty_values=())
    overdue_items = NumberColumn(verbose_name=_("Overdue items"), empty_values=())
    grade = GradeColumn(verbose_name=_("Grade"))
    coverage = PercentColumn(verbose_name=_("Coverage"))
    low_coverage = FlagColumn(
        verbose_name=_("Low coverage"), mark="⚠", title=_("Low coverage: see the legend")
    )

    class Meta:
        template_name = "performance/_table.html"
        attrs = {"class": "table leaderboard"}
        per_page = 100
        orderable = False
        empty_text = _("Nothing to show.")
        row_attrs = {
            "class": lambda record, table: "own" if record.department_id == table.own_department_id else ""
        }

    def __init__(self, *args, own_department_id: int | None = None, linkable=lambda record: False, **kwargs):
        self.own_department_id = own_department_id
        self.linkable = linkable
        super().__init__(*args, **kwargs)

    def render_increment_rank(self, record):
        if record.is_new:
            return _("new")
        if record.increment_rank is None:
            return "—"
        return _out_of(record.increment_rank, getattr(record, "ranked_count", None))

    def value_increment_rank(self, record):
        return str(_("new")) if record.is_new else record.increment_rank

    def render_absolute_rank(self, record):
        if record.absolute_rank is None:
            return "—"
        return _out_of(record.absolute_rank, getattr(record, "scored_count", None))

    def value_absolute_rank(self, record):
        return record.absolute_rank

    def render_department(self, record, value):
        if self.linkable(record):
            return format_html(
                '<a href="{}">{}</a>', reverse("performance:department", args=[record.department.code]), value
            )
        return value

    def value_department(self, value):
        return value

    def render_open_items(self, record, value):
        if not value:
            return "0"
        if self.linkable(record):
            url = (
                reverse("performance:rectification") + "?" + urlencode({"department": record.department.code})
            )
            return format_html('<a href="{}">{}</a>', url, value)
        return str(value)

    def render_overdue_items(self, value):
        if not value:
            return "0"
        return format_html('<span class="badge warning-serious">{}</span>', value)

    def value_open_items(self, value):
        return value or 0

    def value_overdue_items(self, value):
        return value or 0

    def render_rank_change(self, value):
        if value is None:
            return "–"
        if value > 0:
            return format_html('<span class="up" title="{}">▲ {}</span>', _("up"), value)
        if value < 0:
            return format_html('<span class="down" title="{}">▼ {}</span>', _("down"), -value)
        return "–"

    def value_rank_change(self, value):
        return value


def _out_of(rank: int, total: int | None) -> str:
    """A rank with the number of places: "28 / 61"."""
    return format_html("{} <small>/ {}</small>", rank, total) if total else str(rank)


class UnitTable(tables.Table):
    unit_code = tables.Column(verbose_name=_("Unit code"))
    unit_name = tables.Column(verbose_name=_("Budget unit"), attrs={"td": {"class": "wrap"}})
    project_count = NumberColumn(verbose_name=_("Project count"))
    budget = WanYuanColumn(verbose_name=_("Budget (10k yuan)"))
    spent = WanYuanColumn(verbose_name=_("Spent (10k yuan)"))
    spending_progress = PercentColumn(verbose_name=_("Spending progress"))
    gap_pp = PointsColumn(verbose_name=_("Gap (pp)"), places=1, signed=True)
    warning_level = WarningColumn(verbose_name=_("Warning"))

    class Meta:
        template_name = "performance/_table.html"
        attrs = {"class": "table"}
        per_page = 50
        orderable = False
        empty_text = _("Nothing to show.")
