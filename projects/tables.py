"""The tables of projects: the project list's and the department page's, each with the columns the apps
above add (``projects.extensions.table_column``), sortable, paginated, exported as CSV and XLSX."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from finance.tables import WanYuanColumn
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
