"""The tables of projects."""

from __future__ import annotations

import django_tables2 as tables
from django.db.models import Case, Value, When
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from performance.models import Grade
from performance.tables.columns import (
    GRADE_LABELS,
    GradeColumn,
    PercentColumn,
    PointsColumn,
    WanYuanColumn,
    WarningColumn,
)


def project_url(record) -> str:
    return reverse("performance:project", args=[record.fiscal_year_id, record.code])


class ProjectTable(tables.Table):
    """Projects of a year with their snapshot figures (annotated ``snapshot_*`` by the selector)."""

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
    snapshot_spent = WanYuanColumn(verbose_name=_("Spent (10k yuan)"))
    snapshot_spending_progress = PercentColumn(verbose_name=_("Spending progress"))
    snapshot_gap_pp = PointsColumn(verbose_name=_("Gap (pp)"), places=1, signed=True)
    snapshot_warning_level = WarningColumn(verbose_name=_("Warning"), overspent_field="snapshot_overspent")
    grade = GradeColumn(
        verbose_name=_("Grade"),
        accessor="counted_grade",
        attrs={"th": {"title": _("The key evaluation's grade if there is one, else the self-evaluation's")}},
    )

    class Meta:
        template_name = "performance/_table.html"
        attrs = {"class": "table"}
        per_page = 25
        orderable = True
        empty_text = _("Nothing to show.")

    def order_grade(self, queryset, is_descending):
        """Best grade first (ungraded last), not the stored names' alphabetical order."""
        rank = Case(
            *[When(counted_grade=grade, then=Value(index)) for index, grade in enumerate(Grade.values)],
            default=Value(len(Grade.values)),
        )
        direction = "-" if is_descending else ""
        return queryset.annotate(grade_order=rank).order_by(f"{direction}grade_order", "code"), True

    def _other_grades(self, record) -> list[str]:
        """The project's other finalised grades, where they differ from the one that counts: a grade
        filter may have listed the project for one of them."""
        counted = record.counted_grade
        others = []
        if record.key_grade and record.self_grade and record.self_grade != counted:
            others.append(_("self-evaluation: %(grade)s") % {"grade": GRADE_LABELS[record.self_grade]})
        if record.ex_ante_grade and record.ex_ante_grade != counted:
            others.append(_("ex-ante: %(grade)s") % {"grade": GRADE_LABELS[record.ex_ante_grade]})
        return others

    def render_grade(self, record, value):
        badge = self.columns["grade"].column.render(value)
        others = self._other_grades(record)
        if not others:
            return badge
        # On a line of its own under the badge, so that the column stays narrow.
        return format_html('{}<br>\n<small class="muted">{}</small>', badge, "; ".join(others))

    def value_grade(self, record, value):
        return " ".join([self.columns["grade"].column.value(value), *self._other_grades(record)]).strip()


class DepartmentProjectTable(ProjectTable):
    class Meta(ProjectTable.Meta):
        exclude = ("department",)
