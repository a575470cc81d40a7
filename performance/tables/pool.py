"""The project pool's table (SPEC §12.4): proposals with their amounts, assessment and status."""

from __future__ import annotations

from urllib.parse import urlencode

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from finance.tables import WanYuanColumn
from performance.models import Evaluation
from performance.tables.columns import GRADE_LABELS
from projects.models import Project
from projects.tables import project_url
from projects.targets.summary import targets_text


def ex_ante_assessment_url(project_id: int) -> str:
    """Where an officer starts the ex-ante assessment of a project (SPEC §12.2)."""
    page = reverse("performance:evaluation_new")
    return f"{page}?{urlencode({'kind': Evaluation.Kind.EX_ANTE, 'project': project_id})}"


def assessment_text(status: str | None, grade: str | None, total) -> str:
    """ "No ex-ante assessment", "draft", or "finalised · good (85.00)"."""
    if not status:
        return str(_("no ex-ante assessment"))
    if status != Evaluation.Status.FINALISED:
        return str(Evaluation.Status(status).label)
    return f"{Evaluation.Status.FINALISED.label} · {GRADE_LABELS.get(grade, grade)} ({total:.2f})"


class PoolTable(tables.Table):
    """Proposals: code, name, year, unit, department, requested and approved amounts, the ex-ante
    assessment and the status; officers get a link to assess a proposal not yet assessed."""

    exportable = True

    code = tables.Column(verbose_name=_("Project code"), linkify=project_url)
    name = tables.Column(verbose_name=_("Project"), linkify=project_url, attrs={"td": {"class": "wrap"}})
    fiscal_year = tables.Column(verbose_name=_("Year"), accessor="fiscal_year_id")
    unit = tables.Column(
        verbose_name=_("Budget unit"), accessor="unit__name", attrs={"td": {"class": "wrap"}}
    )
    department = tables.Column(
        verbose_name=_("Department"), accessor="department__name", order_by=("department__code",)
    )
    requested_amount = WanYuanColumn(verbose_name=_("Requested (10k yuan)"))
    approved_amount = WanYuanColumn(verbose_name=_("Approved (10k yuan)"))
    assessment = tables.Column(
        verbose_name=_("Ex-ante assessment"),
        accessor="ex_ante_status",
        empty_values=(),
        order_by=("ex_ante_status", "ex_ante_total"),
    )
    status = tables.Column(verbose_name=_("Status"))
    targets = tables.Column(
        verbose_name=_("Performance targets"),
        accessor="targets_state",
        empty_values=(),
        order_by=("targets_state",),
    )
    assess = tables.Column(
        verbose_name="", empty_values=(), orderable=False, exclude_from_export=True, accessor="pk"
    )

    class Meta:
        template_name = "performance/_table.html"
        attrs = {"class": "table"}
        per_page = 25
        orderable = True
        empty_text = _("No proposals.")

    def render_assessment(self, record):
        return assessment_text(record.ex_ante_status, record.ex_ante_grade, record.ex_ante_total)

    def value_assessment(self, record):
        return assessment_text(record.ex_ante_status, record.ex_ante_grade, record.ex_ante_total)

    def render_targets(self, record):
        if record.status == Project.Status.CANCELLED:
            return targets_text(record)
        url = reverse("projects:targets", args=[record.fiscal_year_id, record.code])
        return format_html('<a href="{}">{}</a>', url, targets_text(record))

    def value_targets(self, record):
        return targets_text(record)

    def render_assess(self, record):
        if record.status != Project.Status.PROPOSED or record.ex_ante_status:
            return ""
        return format_html('<a href="{}">{}</a>', ex_ante_assessment_url(record.pk), _("Assess (ex-ante)"))

    def render_status(self, record):
        return record.get_status_display()

    def value_status(self, record):
        return record.get_status_display()
