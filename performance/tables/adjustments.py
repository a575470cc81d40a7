"""The table of proposals for next year's budget."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from finance.tables import WanYuanColumn
from performance.models import BudgetAdjustment
from performance.tables.columns import GradeColumn
from projects.tables import project_url


class ProposalColumn(tables.Column):
    """The proposed action, with the reasons when it asks for review (复核, §4.7)."""

    def render(self, value, record):
        reasons = "；".join(record.review_reason_labels)
        if not reasons:
            return value
        return format_html('<span class="badge review">{}</span><br><small>{}</small>', value, reasons)

    def value(self, value, record):
        reasons = "；".join(record.review_reason_labels)
        return f"{value}（{reasons}）" if reasons else str(value)


class AdjustmentTable(tables.Table):
    exportable = True

    # Ticked rows go to the bulk decision form below the table (HTML's form attribute: no nested forms).
    select = tables.TemplateColumn(
        template_code=(
            '{% if record.decision == "pending" %}<input type="checkbox" name="ids" value="{{ record.pk }}" '
            'form="bulk-decide" aria-label="{{ record.project.code }}">{% endif %}'
        ),
        verbose_name="",
        orderable=False,
        exclude_from_export=True,
    )
    code = tables.Column(verbose_name=_("Project code"), accessor="project__code")
    project = tables.Column(
        verbose_name=_("Project"),
        accessor="project__name",
        linkify=lambda record: project_url(record.project),
        attrs={"td": {"class": "wrap short"}},
    )
    unit = tables.Column(
        verbose_name=_("Budget unit"), accessor="project__unit__name", attrs={"td": {"class": "wrap short"}}
    )
    department = tables.Column(
        verbose_name=_("Department"),
        accessor="project__department__name",
        attrs={"td": {"class": "wrap short"}},
    )
    grade = GradeColumn(verbose_name=_("Grade"))
    proposed_action = ProposalColumn(verbose_name=_("Proposal"), attrs={"td": {"class": "wrap tight"}})
    current_budget = WanYuanColumn(verbose_name=_("Current budget (10k yuan)"))
    proposed_budget = WanYuanColumn(verbose_name=_("Proposed budget (10k yuan)"))
    decision = tables.Column(verbose_name=_("Outcome"))
    final_budget = WanYuanColumn(verbose_name=_("Final budget (10k yuan)"))
    # In the export, not on the screen, so that the decision buttons fit beside the figures.
    decided_by = tables.Column(verbose_name=_("Decided by"), accessor="decided_by__username", visible=False)
    note = tables.Column(verbose_name=_("Reason"), visible=False)
    actions = tables.TemplateColumn(
        template_name="performance/_adjustment_actions.html",
        verbose_name=_("Decide"),
        orderable=False,
        exclude_from_export=True,
    )

    class Meta:
        model = BudgetAdjustment
        template_name = "performance/_table.html"
        attrs = {"class": "table adjustments"}
        fields = (
            "select",
            "code",
            "project",
            "unit",
            "department",
            "grade",
            "proposed_action",
            "current_budget",
            "proposed_budget",
            "decision",
            "final_budget",
            "decided_by",
            "note",
        )
        per_page = 25
        empty_text = _("No proposals for this year.")
