"""The evaluations tables."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from performance.models import Evaluation
from performance.tables.columns import FlagColumn, GradeColumn, PercentColumn, PointsColumn
from performance.tables.rectification import new_item_url, open_item_link
from projects.tables import project_url


def _evaluation_target(record) -> str:
    if record.project_id:
        return f"{record.project.code} {record.project.name}"
    return f"{record.department.code} {record.department.name}"


class EvaluationTable(tables.Table):
    exportable = True

    target = tables.Column(
        verbose_name=_("Project or department"),
        empty_values=(),
        order_by=("project__code", "department__code"),
        attrs={"td": {"class": "wrap"}},
    )
    department = tables.Column(verbose_name=_("Department"), empty_values=(), orderable=False)
    kind = tables.Column(
        verbose_name=_("Kind"), linkify=lambda record: reverse("performance:evaluation", args=[record.pk])
    )
    key_category = tables.Column(verbose_name=_("Key category"))
    total = PointsColumn(verbose_name=_("Total"))
    grade = GradeColumn(verbose_name=_("Grade"))
    status = tables.Column(verbose_name=_("Status"))
    evaluated_on = tables.DateColumn(verbose_name=_("Evaluated on"), format="Y-m-d")

    class Meta:
        model = Evaluation
        template_name = "performance/_table.html"
        attrs = {"class": "table"}
        fields = ("target", "department", "kind", "key_category", "total", "grade", "status", "evaluated_on")
        per_page = 25
        empty_text = _("Nothing to show.")

    def render_target(self, record):
        if record.project_id:
            return format_html(
                '<a href="{}">{}</a>',
                reverse("projects:project", args=[record.project.fiscal_year_id, record.project.code]),
                _evaluation_target(record),
            )
        return _evaluation_target(record)

    def value_target(self, record):
        return _evaluation_target(record)

    def render_department(self, record):
        return record.project.department.name if record.project_id else record.department.name

    def value_key_category(self, record):
        return record.get_key_category_display() if record.key_category else ""


class InflatedSelfScoreTable(tables.Table):
    project = tables.Column(
        verbose_name=_("Project"),
        accessor="project__name",
        linkify=lambda record: project_url(record.project),
        attrs={"td": {"class": "wrap"}},
    )
    department = tables.Column(verbose_name=_("Department"), accessor="project__department__name")
    self_total = PointsColumn(verbose_name=_("Self-evaluation"))
    key_total = PointsColumn(verbose_name=_("Key evaluation"))
    execution_rate = PercentColumn(verbose_name=_("Execution rate"))
    exceeds_key = FlagColumn(verbose_name=_("Above the key evaluation"), mark="✔")
    excellent_but_low_execution = FlagColumn(verbose_name=_("Excellent with low execution"), mark="✔")
    # Officers only (the view excludes it for the others): SPEC §14.2.
    rectify = tables.Column(
        verbose_name=_("Rectification"), empty_values=(), orderable=False, exclude_from_export=True
    )

    class Meta:
        template_name = "performance/_table.html"
        attrs = {"class": "table"}
        per_page = 25
        orderable = False
        empty_text = _("No self-evaluation looks inflated.")

    def render_rectify(self, record):
        return open_item_link(
            new_item_url(
                "inflated_self_evaluation", project=record.project_id, year=record.project.fiscal_year_id
            )
        )
