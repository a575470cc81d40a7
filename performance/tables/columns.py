"""Columns shared by the dashboard's tables: amounts in 万元, percentages,
points, warning and grade badges."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from finance.exporting import PERCENT_FORMAT
from finance.formatting import number, percent, signed
from finance.tables import NumberColumn
from performance.models import Grade, WarningLevel

#: A share to the tenth of a percent, as the page shows it.
PERMILLE = Decimal("0.001")


WARNING_LABELS = dict(WarningLevel.choices)


GRADE_LABELS = dict(Grade.choices)


def _choice_key(value, labels: dict) -> str:
    """The stored value of a choice: django-tables2 hands model fields with choices over as their
    (translated) label, annotations as the stored value."""
    if value in labels:
        return value
    for key, label in labels.items():
        if str(label) == str(value):
            return key
    return str(value)


class PercentColumn(NumberColumn):
    """A share (0.816) shown as 81.6%; exported as the Decimal 0.816, which XLSX shows as 81.6% and
    CSV writes as "81.6%" (a number to a spreadsheet)."""

    export_format = PERCENT_FORMAT

    def render(self, value):
        return percent(value)

    def value(self, value):
        if value is None:
            return None
        return Decimal(value).quantize(PERMILLE, rounding=ROUND_HALF_UP)


class PointsColumn(NumberColumn):
    """Points or percentage points with a fixed number of decimals (a sign when ``signed``)."""

    def __init__(self, *args, places: int = 2, signed: bool = False, **kwargs):
        self.places, self.signed = places, signed
        digits = "0." + "0" * places if places else "0"
        # Signed figures (increments, gaps) keep their "+" in the spreadsheet as on the page.
        self.export_format = f"+{digits};-{digits};{digits}" if signed else digits
        super().__init__(*args, **kwargs)

    def value(self, value):
        if value is None:
            return None
        return Decimal(value).quantize(Decimal(1).scaleb(-self.places), rounding=ROUND_HALF_UP)

    def render(self, value):
        if self.signed:
            return signed(value, self.places)
        return number(value, self.places)


class WarningColumn(tables.Column):
    """The warning level as a coloured label; an overspent row's "normal" (its spending is ahead of
    time progress) shows as "overspent" in the serious colour, never as a green "normal"."""

    def __init__(self, *args, overspent_field: str = "overspent", **kwargs):
        self.overspent_field = overspent_field
        super().__init__(*args, **kwargs)

    def render(self, value, record):
        key = _choice_key(value, WARNING_LABELS)
        if key == WarningLevel.NORMAL and getattr(record, self.overspent_field, False):
            return format_html('<span class="badge warning-serious">{}</span>', _("overspent"))
        return format_html('<span class="badge warning-{}">{}</span>', key, WARNING_LABELS.get(key, value))

    def value(self, value):
        key = _choice_key(value, WARNING_LABELS)
        return str(WARNING_LABELS.get(key, value))


class GradeColumn(tables.Column):
    def render(self, value):
        if not value:
            return "—"
        key = _choice_key(value, GRADE_LABELS)
        return format_html('<span class="badge grade-{}">{}</span>', key, GRADE_LABELS.get(key, value))

    def value(self, value):
        return str(GRADE_LABELS.get(_choice_key(value, GRADE_LABELS), value)) if value else ""


class FlagColumn(tables.Column):
    """A yes/no flag shown as a mark only when set (with ``title`` as its tooltip), or as a red
    label with ``badge`` (the mark is then a word: a lone "0" would read as "none")."""

    def __init__(self, *args, mark: str = "", title: str = "", badge: bool = False, **kwargs):
        self.mark, self.title, self.badge = mark, title, badge
        super().__init__(*args, **kwargs)

    def render(self, value):
        if not value:
            return ""
        if self.badge:
            return format_html('<span class="badge warning-serious">{}</span>', self.mark)
        if self.title:
            return format_html('<span class="flag" title="{}">{}</span>', self.title, self.mark)
        return format_html('<span class="flag">{}</span>', self.mark)

    def value(self, value):
        return str(_("yes")) if value else ""
