"""Rectification items' table (SPEC §14.2), and the links that open an item from what it follows."""

from __future__ import annotations

from urllib.parse import urlencode

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from performance.tables.columns import FlagColumn


def new_item_url(source: str, **reference) -> str:
    """Where an officer opens an item from ``source`` (``project``, ``evaluation``, ``round``,
    ``department``, ``year``): the new item's form, prefilled."""
    query = {"source": source} | {name: value for name, value in reference.items() if value not in (None, "")}
    return f"{reverse('performance:rectification_new')}?{urlencode(query)}"


def open_item_link(url: str):
    return format_html('<a class="open-item" href="{}">{}</a>', url, _("Open an item"))


def item_url(record) -> str:
    return reverse("performance:rectification_item", args=[record.pk])


class StateColumn(tables.Column):
    """The state as a label; an overdue item's label says so in the serious colour."""

    def render(self, value, record):
        badge = format_html(
            '<span class="badge state-{}">{}</span>', record.state, record.get_state_display()
        )
        if getattr(record, "overdue", False):
            return format_html('{} <span class="badge warning-serious">{}</span>', badge, _("overdue"))
        return badge

    def value(self, record):
        return str(record.get_state_display())


def _local_day(moment):
    return None if moment is None else timezone.localdate(moment)


class RectificationTable(tables.Table):
    """Items: number, department, project, source, problem, deadline, state (overdue flagged)."""

    exportable = True

    id = tables.Column(verbose_name=_("No."), linkify=item_url)
    department = tables.Column(
        verbose_name=_("Department"), accessor="department__name", order_by=("department__code",)
    )
    project = tables.Column(
        verbose_name=_("Project"),
        accessor="project__name",
        order_by=("project__code",),
        default="—",
        attrs={"td": {"class": "wrap"}},
    )
    source = tables.Column(verbose_name=_("Source"))
    problem = tables.Column(verbose_name=_("Problem"), linkify=item_url, attrs={"td": {"class": "wrap"}})
    deadline = tables.DateColumn(verbose_name=_("Deadline"), format="Y-m-d")
    state = StateColumn(verbose_name=_("State"), order_by=("closed", "state"))
    overdue = FlagColumn(verbose_name=_("Overdue"), mark=_("overdue"), badge=True, visible=False)
    opened_at = tables.DateColumn(verbose_name=_("Opened"), format="Y-m-d")
    answered_at = tables.DateColumn(verbose_name=_("Answered"), format="Y-m-d", visible=False)
    closed_at = tables.DateColumn(verbose_name=_("Closed"), format="Y-m-d", visible=False)

    class Meta:
        template_name = "performance/_table.html"
        attrs = {"class": "table rectification"}
        per_page = 50
        empty_text = _("No rectification items.")
        row_attrs = {"class": lambda record: "overdue" if getattr(record, "overdue", False) else ""}

    def render_problem(self, value):
        return Truncator(value).chars(80)

    def value_problem(self, value):
        return value

    # Exported as dates (a spreadsheet's own, sortable), the times as the day they fell on here.
    def value_deadline(self, value):
        return value

    def value_opened_at(self, value):
        return _local_day(value)

    def value_answered_at(self, value):
        return _local_day(value)

    def value_closed_at(self, value):
        return _local_day(value)

    def value_source(self, record):
        return str(record.get_source_display())

    def render_source(self, record):
        return record.get_source_display()
