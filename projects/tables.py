"""The tables of projects: the project list's and the department page's, each with the columns the apps
above add (``projects.extensions.table_column``), sortable, paginated, exported as CSV and XLSX; and the
standards library's (SPEC §13), whose rows an officer opens to edit."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from finance.tables import NumberColumn, WanYuanColumn
from projects import extensions


def project_url(record) -> str:
    return reverse("projects:project", args=[record.fiscal_year_id, record.code])


class ProjectTable(tables.Table):
    """Projects of a year; the added columns follow the budget."""

    exportable = True

    code = tables.Column(verbose_name=_("Project code"), linkify=project_url)
    name = tables.Column(verbose_name=_("Project"), linkify=project_url, attrs={"td": {"class": "wrap"}})
    department = tables.Column(
        verbose_name=_("Department"), accessor="department__name", order_by=("department__code",)
    )
    unit = tables.Column(
        verbose_name=_("Budget unit"), accessor="unit__name", attrs={"td": {"class": "wrap"}}
    )
    budget = WanYuanColumn(verbose_name=_("Budget (10k yuan)"))

    class Meta:
        template_name = "performance/_table.html"
        attrs = {"class": "table"}
        per_page = 25
        orderable = True
        empty_text = _("Nothing to show.")

    def __init__(self, *args, extra_columns=None, **kwargs):
        added = [*extensions.columns(), *(extra_columns or [])]
        super().__init__(*args, extra_columns=added, **kwargs)


class DepartmentProjectTable(ProjectTable):
    class Meta(ProjectTable.Meta):
        exclude = ("department",)


class EditColumn(tables.Column):
    """An officer's "Edit" link to the row's form; not exported."""

    def __init__(self, *, kind: str, **kwargs):
        self.kind = kind
        kwargs.setdefault("verbose_name", "")
        super().__init__(
            accessor="pk",
            orderable=False,
            exclude_from_export=True,
            linkify=lambda record: reverse("projects:standard_edit", args=[self.kind, record.pk]),
            **kwargs,
        )

    def render(self, value):
        return _("Edit")


class FigureColumn(NumberColumn):
    """A target value or a weight: as many decimals as it has, exported as a number."""

    export_format = "#,##0.####"

    def render(self, value):
        return f"{value.normalize():,f}" if value is not None else "—"

    def value(self, value):
        return value


class StandardsTable(tables.Table):
    """A standards table; ``editable`` (officers) adds the edit links."""

    exportable = True

    class Meta:
        template_name = "performance/_table.html"
        attrs = {"class": "table"}
        per_page = 25
        orderable = True
        empty_text = _("Nothing to show.")

    def __init__(self, *args, editable: bool = False, **kwargs):
        if not editable:
            kwargs["exclude"] = ("edit",)
        super().__init__(*args, **kwargs)


class IndicatorTemplateTable(StandardsTable):
    """Indicator templates (绩效指标标准) by department and project category."""

    department = tables.Column(
        verbose_name=_("Department"), accessor="department__name", order_by=("department__code",)
    )
    category = tables.Column(verbose_name=_("Category"))
    level1 = tables.Column(verbose_name=_("Level-1 indicator"))
    level2 = tables.Column(verbose_name=_("Level-2 indicator"))
    name = tables.Column(verbose_name=_("Indicator"), attrs={"td": {"class": "wrap"}})
    direction = tables.Column(verbose_name=_("Direction"))
    target_value = FigureColumn(verbose_name=_("Target value"))
    measure_unit = tables.Column(verbose_name=_("Unit of measure"))
    weight = FigureColumn(verbose_name=_("Weight (points)"))
    edit = EditColumn(kind="indicators")

    class Meta(StandardsTable.Meta):  # django-tables2 inherits Meta only when it is named
        pass


class QuotaStandardTable(StandardsTable):
    """Expenditure quota standards (支出定额标准) of each year, in 元."""

    name = tables.Column(verbose_name=_("Quota standard"), attrs={"td": {"class": "wrap"}})
    measure_unit = tables.Column(verbose_name=_("Unit of measure"))
    amount = FigureColumn(verbose_name=_("Amount (yuan)"), export_format="#,##0.00")
    fiscal_year = tables.Column(verbose_name=_("Year"), accessor="fiscal_year_id")
    edit = EditColumn(kind="quotas")

    class Meta(StandardsTable.Meta):
        pass

    def render_amount(self, value):
        return f"{value:,.2f}"

    def value_amount(self, value):
        return value
