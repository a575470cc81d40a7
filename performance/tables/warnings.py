"""The warnings page's tables."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from finance.formatting import percent
from finance.tables import NumberColumn, WanYuanColumn
from performance.models import WarningLevel
from performance.tables.columns import FlagColumn, PercentColumn, PointsColumn, WarningColumn
from performance.tables.rectification import new_item_url, open_item_link


class WarningTable(tables.Table):
    """Project snapshots with a warning, a zero-spending or an overspent flag, by department."""

    exportable = True

    department_name = tables.Column(verbose_name=_("Department"), order_by=("department_id",))
    project_code = tables.Column(verbose_name=_("Project code"), order_by=("scope_id",))
    project_name = tables.Column(verbose_name=_("Project"), attrs={"td": {"class": "wrap"}})
    # In the export, not on the screen: the table would be wider than a laptop's.
    unit_name = tables.Column(verbose_name=_("Budget unit"), visible=False)
    budget = WanYuanColumn(verbose_name=_("Budget (10k yuan)"))
    spent = WanYuanColumn(verbose_name=_("Spent (10k yuan)"))
    spending_progress = PercentColumn(verbose_name=_("Spending progress"))
    gap_pp = PointsColumn(verbose_name=_("Gap (pp)"), places=1, signed=True)
    warning_level = WarningColumn(verbose_name=_("Warning"))
    zero_spending = FlagColumn(verbose_name=_("Zero spending"), mark=_("zero spending"), badge=True)
    overspent = FlagColumn(verbose_name=_("Overspent"), mark=_("overspent"), badge=True)
    # Officers only (the view excludes it for the others): SPEC §14.2, an item opened from the warning.
    rectify = tables.Column(
        verbose_name=_("Rectification"), empty_values=(), orderable=False, exclude_from_export=True
    )

    class Meta:
        template_name = "performance/_table.html"
        attrs = {"class": "table"}
        per_page = 50
        empty_text = _("No project has a warning.")

    def render_rectify(self, record):
        return open_item_link(new_item_url("warning", project=record.scope_id, year=self.year))

    def __init__(self, *args, year: int, **kwargs):
        self.year = year
        super().__init__(*args, **kwargs)

    def _link(self, record, text):
        return format_html(
            '<a href="{}">{}</a>', reverse("projects:project", args=[self.year, record.project_code]), text
        )

    def render_project_code(self, record, value):
        return self._link(record, value)

    def render_project_name(self, record, value):
        return self._link(record, value)

    def value_project_code(self, value):
        return value

    def value_project_name(self, value):
        return value


class DoubleDeviationTable(WarningTable):
    """SPEC §14.1 the projects with a double deviation (双偏差) in the run's monitoring round: expected
    to miss their targets and seriously behind on spending at the round's date."""

    unit_name = tables.Column(verbose_name=_("Budget unit"))
    expected_completion = PercentColumn(verbose_name=_("Expected target completion"))
    monitoring_gap_pp = PointsColumn(verbose_name=_("Gap at the monitoring date (pp)"), places=1, signed=True)

    class Meta(WarningTable.Meta):
        exclude = ("budget", "spent", "spending_progress", "gap_pp", "warning_level", "zero_spending")
        exclude += ("overspent",)
        sequence = ("department_name", "project_code", "project_name", "unit_name", "...", "rectify")
        per_page = 20
        empty_text = _("No project has a double deviation.")

    def __init__(self, *args, monitoring_round: int | None = None, **kwargs):
        self.monitoring_round = monitoring_round
        super().__init__(*args, **kwargs)

    def render_rectify(self, record):
        """An item opened from the double deviation links back to the project's monitoring report."""
        return open_item_link(
            new_item_url(
                "double_deviation", project=record.scope_id, round=self.monitoring_round, year=self.year
            )
        )


def column_total(name: str):
    """A footer of the total row: the column's figure of the table's totals, formatted as its cells."""

    def footer(table, column):
        if table.totals is None:
            return ""
        return column.render(getattr(table.totals, name))

    return footer


class WarningDepartmentTable(tables.Table):
    """The warnings page's departments (SPEC §6): every department with a warned project, paged and
    sortable; the projects warned, each once, beside the four counts (a project can be in two)."""

    department_name = tables.Column(verbose_name=_("Department"), attrs={"td": {"class": "name"}})
    warned_projects = NumberColumn(verbose_name=_("Projects with a warning"))
    serious_projects = NumberColumn(verbose_name=_("Serious"))
    attention_projects = NumberColumn(verbose_name=_("Attention"))
    zero_spending_projects = NumberColumn(verbose_name=_("Zero spending"))
    overspent_projects = NumberColumn(verbose_name=_("Overspent"))
    spending_progress = PercentColumn(verbose_name=_("Spending progress"))

    class Meta:
        template_name = "performance/_table.html"
        attrs = {"class": "table"}
        per_page = 20
        empty_text = _("No project has a warning.")

    def __init__(self, *args, year: int, **kwargs):
        self.year = year
        super().__init__(*args, **kwargs)

    def render_department_name(self, record, value):
        return format_html(
            '<a href="?{}">{}</a>',
            urlencode({"year": self.year, "department": record.department_code}),
            value,
        )

    def value_department_name(self, value):
        """The name alone in an export (the dashboard's workbook), not the page's link."""
        return value

    def value_spending_progress(self, value):
        """The ratio in an export, as the column gives it, not the page's coloured badge."""
        return self.columns["spending_progress"].column.value(value)

    def render_spending_progress(self, record, value):
        level = record.warning_level
        if level == WarningLevel.NORMAL and record.overspent:
            level = WarningLevel.SERIOUS  # ahead of time, but beyond its budget: not a green "normal"
        return format_html('<span class="badge warning-{}">{}</span>', level, percent(value))
