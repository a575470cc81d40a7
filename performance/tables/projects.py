"""The columns performance adds to the tables of projects (``projects.tables.ProjectTable``): the
snapshot figures (annotated ``snapshot_*`` by ``selectors.projects.with_snapshots``) and the grade."""

from __future__ import annotations

from django.db.models import Case, Value, When
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from finance.tables import WanYuanColumn
from performance.models import Grade
from performance.tables.columns import GRADE_LABELS, GradeColumn, PercentColumn, PointsColumn, WarningColumn


class CountedGradeColumn(GradeColumn):
    """The grade a project's score counts (``counted_grade``), with its other finalised grades where
    they differ; sorted best first."""

    def order(self, queryset, is_descending):
        """Best grade first (ungraded last), not the stored names' alphabetical order."""
        rank = Case(
            *[When(counted_grade=grade, then=Value(index)) for index, grade in enumerate(Grade.values)],
            default=Value(len(Grade.values)),
        )
        direction = "-" if is_descending else ""
        return queryset.annotate(grade_order=rank).order_by(f"{direction}grade_order", "code"), True

    @staticmethod
    def _other_grades(record) -> list[str]:
        """The project's other finalised grades, where they differ from the one that counts: a grade
        filter may have listed the project for one of them."""
        counted = record.counted_grade
        others = []
        if record.key_grade and record.self_grade and record.self_grade != counted:
            others.append(_("self-evaluation: %(grade)s") % {"grade": GRADE_LABELS[record.self_grade]})
        if record.ex_ante_grade and record.ex_ante_grade != counted:
            others.append(_("ex-ante: %(grade)s") % {"grade": GRADE_LABELS[record.ex_ante_grade]})
        return others

    def render(self, record, value):
        badge = super().render(value)
        others = self._other_grades(record)
        if not others:
            return badge
        # On a line of its own under the badge, so that the column stays narrow.
        return format_html('{}<br>\n<small class="muted">{}</small>', badge, "; ".join(others))

    def value(self, record, value):
        return " ".join([super().value(value), *self._other_grades(record)]).strip()


#: (name, factory) of each added column, in the order they follow the budget.
PROJECT_COLUMNS = (
    ("snapshot_spent", lambda: WanYuanColumn(verbose_name=_("Spent (10k yuan)"))),
    ("snapshot_spending_progress", lambda: PercentColumn(verbose_name=_("Spending progress"))),
    ("snapshot_gap_pp", lambda: PointsColumn(verbose_name=_("Gap (pp)"), places=1, signed=True)),
    (
        "snapshot_warning_level",
        lambda: WarningColumn(verbose_name=_("Warning"), overspent_field="snapshot_overspent"),
    ),
    (
        "grade",
        lambda: CountedGradeColumn(
            verbose_name=_("Grade"),
            accessor="counted_grade",
            attrs={
                "th": {"title": _("The key evaluation's grade if there is one, else the self-evaluation's")}
            },
        ),
    ),
)
