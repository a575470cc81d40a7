"""The dashboard's tables (SPEC §6), django-tables2: sortable, paginated, exported as CSV and XLSX.

Amounts show as 万元 and export as Decimal 万元 to the cent; ratios show as percentages with one decimal
and export as the fraction they show (0.816 for 81.6%); points export as the Decimal they show. Each
figure column names its ``export_format``, the number format its XLSX cells get. Warning levels and
grades show as coloured labels and export as their names.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import django_tables2 as tables
from django.db.models import Case, Value, When
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from finance.exporting import AMOUNT_FORMAT, PERCENT_FORMAT
from finance.formatting import TEN_THOUSAND, number, percent, signed, wan_yuan
from performance.models import BudgetAdjustment, Evaluation, Grade, WarningLevel

CENT = Decimal("0.01")
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


class NumberColumn(tables.Column):
    """A right-aligned figure; ``export_format`` is the number format of its XLSX cells."""

    export_format: str | None = "#,##0"

    def __init__(self, *args, export_format: str | None = None, **kwargs):
        if export_format is not None:
            self.export_format = export_format
        kwargs.setdefault("attrs", {"td": {"class": "num"}, "th": {"class": "num"}, "tf": {"class": "num"}})
        super().__init__(*args, **kwargs)


class WanYuanColumn(NumberColumn):
    """Yuan shown as 万元 with thousands separators; exported as a Decimal in 万元."""

    export_format = AMOUNT_FORMAT

    def render(self, value):
        return wan_yuan(value)

    def value(self, value):
        if value is None:
            return None
        return (Decimal(value) / TEN_THOUSAND).quantize(CENT, rounding=ROUND_HALF_UP)


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


class LeaderboardTable(tables.Table):
    """SPEC §4.5: ranked by Δ, ties by C, "new" departments last; the viewer's own row highlighted.

    The columns a head reads first come first, so that a phone shows the change Δ without scrolling:
    the rank by change and the rank by score, each out of how many ("28 / 61"), the department, Δ.
    """

    exportable = True

    increment_rank = NumberColumn(
        verbose_name=_("Rank by change (Δ)"),
        order_by=("position",),
        empty_values=(),
    )
    absolute_rank = NumberColumn(verbose_name=_("Rank by score (C)"), empty_values=())
    department = tables.Column(
        verbose_name=_("Department"), accessor="department__name", attrs={"td": {"class": "name"}}
    )
    increment = PointsColumn(verbose_name=_("Change on last year (Δ)"), signed=True)
    score = PointsColumn(verbose_name=_("Performance score (C)"))
    previous_score = PointsColumn(verbose_name=_("Last year's score"))
    rank_change = NumberColumn(verbose_name=_("Since last run"), empty_values=(), export_format="+0;-0;0")
    grade = GradeColumn(verbose_name=_("Grade"))
    coverage = PercentColumn(verbose_name=_("Coverage"))
    low_coverage = FlagColumn(
        verbose_name=_("Low coverage"), mark="⚠", title=_("Low coverage: see the legend")
    )

    class Meta:
        template_name = "performance/_table.html"
        attrs = {"class": "table leaderboard"}
        per_page = 100
        orderable = False
        empty_text = _("Nothing to show.")
        row_attrs = {
            "class": lambda record, table: "own" if record.department_id == table.own_department_id else ""
        }

    def __init__(self, *args, own_department_id: int | None = None, linkable=lambda record: False, **kwargs):
        self.own_department_id = own_department_id
        self.linkable = linkable
        super().__init__(*args, **kwargs)

    def render_increment_rank(self, record):
        if record.is_new:
            return _("new")
        if record.increment_rank is None:
            return "—"
        return _out_of(record.increment_rank, getattr(record, "ranked_count", None))

    def value_increment_rank(self, record):
        return str(_("new")) if record.is_new else record.increment_rank

    def render_absolute_rank(self, record):
        if record.absolute_rank is None:
            return "—"
        return _out_of(record.absolute_rank, getattr(record, "scored_count", None))

    def value_absolute_rank(self, record):
        return record.absolute_rank

    def render_department(self, record, value):
        if self.linkable(record):
            return format_html(
                '<a href="{}">{}</a>', reverse("performance:department", args=[record.department.code]), value
            )
        return value

    def value_department(self, value):
        return value

    def render_rank_change(self, value):
        if value is None:
            return "–"
        if value > 0:
            return format_html('<span class="up" title="{}">▲ {}</span>', _("up"), value)
        if value < 0:
            return format_html('<span class="down" title="{}">▼ {}</span>', _("down"), -value)
        return "–"

    def value_rank_change(self, value):
        return value


def _out_of(rank: int, total: int | None) -> str:
    """A rank with the number of places: "28 / 61"."""
    return format_html("{} <small>/ {}</small>", rank, total) if total else str(rank)


class UnitTable(tables.Table):
    unit_code = tables.Column(verbose_name=_("Unit code"))
    unit_name = tables.Column(verbose_name=_("Budget unit"), attrs={"td": {"class": "wrap"}})
    project_count = NumberColumn(verbose_name=_("Project count"))
    budget = WanYuanColumn(verbose_name=_("Budget (10k yuan)"))
    spent = WanYuanColumn(verbose_name=_("Spent (10k yuan)"))
    spending_progress = PercentColumn(verbose_name=_("Spending progress"))
    gap_pp = PointsColumn(verbose_name=_("Gap (pp)"), places=1, signed=True)
    warning_level = WarningColumn(verbose_name=_("Warning"))

    class Meta:
        template_name = "performance/_table.html"
        attrs = {"class": "table"}
        per_page = 50
        orderable = False
        empty_text = _("Nothing to show.")


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

    class Meta:
        template_name = "performance/_table.html"
        attrs = {"class": "table"}
        per_page = 50
        empty_text = _("No project has a warning.")

    def __init__(self, *args, year: int, **kwargs):
        self.year = year
        super().__init__(*args, **kwargs)

    def _link(self, record, text):
        return format_html(
            '<a href="{}">{}</a>', reverse("performance:project", args=[self.year, record.project_code]), text
        )

    def render_project_code(self, record, value):
        return self._link(record, value)

    def render_project_name(self, record, value):
        return self._link(record, value)

    def value_project_code(self, value):
        return value

    def value_project_name(self, value):
        return value


def _total(name: str):
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

    def render_spending_progress(self, record, value):
        level = record.warning_level
        if level == WarningLevel.NORMAL and record.overspent:
            level = WarningLevel.SERIOUS  # ahead of time, but beyond its budget: not a green "normal"
        return format_html('<span class="badge warning-{}">{}</span>', level, percent(value))


class DirectFundTable(tables.Table):
    """Each grant, received, allocated and spent, over a total row of every grant (``totals``)."""

    exportable = True

    code = tables.Column(
        verbose_name=_("Grant code"), footer=lambda table: _("Total") if table.totals else ""
    )
    name = tables.Column(verbose_name=_("Grant"), attrs={"td": {"class": "wrap"}})
    amount = WanYuanColumn(verbose_name=_("Received (10k yuan)"), footer=_total("amount"))
    allocated = WanYuanColumn(verbose_name=_("Allocated (10k yuan)"), footer=_total("allocated"))
    allocation_progress = PercentColumn(
        verbose_name=_("Allocation progress"), orderable=False, footer=_total("allocation_progress")
    )
    spent = WanYuanColumn(verbose_name=_("Spent (10k yuan)"), footer=_total("spent"))
    spending_progress = PercentColumn(
        verbose_name=_("Spending progress"), orderable=False, footer=_total("spending_progress")
    )

    class Meta:
        template_name = "performance/_table.html"
        attrs = {"class": "table"}
        per_page = 50
        empty_text = _("Nothing to show.")

    def __init__(self, *args, totals=None, **kwargs):
        self.totals = totals
        super().__init__(*args, **kwargs)


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
    kind = tables.Column(verbose_name=_("Kind"))
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
                reverse("performance:project", args=[record.project.fiscal_year_id, record.project.code]),
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

    class Meta:
        template_name = "performance/_table.html"
        attrs = {"class": "table"}
        per_page = 25
        orderable = False
        empty_text = _("No self-evaluation looks inflated.")


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
