"""SPEC §13 coverage of the framework (/standards/coverage/): per department, the budget projects of a
year with approved targets, those that follow their template without warnings, and those without
targets, with the total; the reference report's "64 departments, 234 units, 3,876 projects" as a
progress table, exported as CSV or XLSX.

"Without warnings" is what ``projects.targets.checks`` warns about, for the version in force, decided
in SQL (one grouped query whatever the number of projects): every template indicator of the project's
department and category is declared (names compared trimmed), no declared target is weaker than the
template's (lower for ≥, higher for ≤), and the budget is within ``settings.QUOTA_TOLERANCE`` of
quantity × quota standard."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import django_tables2 as tables
from django.conf import settings
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Value,
)
from django.db.models.functions import Abs, Trim
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from finance.formatting import percent
from finance.models import Department, FiscalYear
from finance.parameters import year_of
from finance.roles import is_department_head, is_officer, is_unit_filler
from finance.scoping import scope_of
from finance.tables import EXPORT_FORMATS, NumberColumn, export_response, table_or_export
from projects.models import DeclaredIndicator, Direction, IndicatorTemplate, Project, TargetDeclaration
from workflow.models import State

SHARE_PLACES = Decimal("0.0001")
FIGURE = DecimalField(max_digits=40, decimal_places=8)


def _in_force(project: str = "pk"):
    """The version in force of the outer project (``project`` names its id there)."""
    return TargetDeclaration.objects.filter(
        project_id=OuterRef(project), state=State.APPROVED, superseded_at__isnull=True
    )


def template_missing() -> Exists:
    """A template indicator of the project's department and category that its version in force leaves
    out (by trimmed name), as ``checks.check`` warns ``template_missing``."""
    declared = DeclaredIndicator.objects.annotate(trimmed=Trim("name")).filter(
        declaration__project_id=OuterRef(OuterRef("pk")),
        declaration__state=State.APPROVED,
        declaration__superseded_at__isnull=True,
        trimmed=OuterRef("trimmed"),
    )
    return Exists(
        IndicatorTemplate.objects.annotate(trimmed=Trim("name"))
        .filter(department_id=OuterRef("department_id"), category=OuterRef("category"))
        .exclude(Exists(declared))
    )


def weaker_target() -> Exists:
    """A declared target of the version in force weaker than its template's: lower for ≥, higher for ≤
    (``checks.weaker`` with the template's direction; a missing value is never weaker)."""
    standard = IndicatorTemplate.objects.annotate(trimmed=Trim("name")).filter(
        Q(direction=Direction.AT_LEAST, target_value__gt=OuterRef("target_value"))
        | Q(direction=Direction.AT_MOST, target_value__lt=OuterRef("target_value")),
        department_id=OuterRef(OuterRef("department_id")),
        category=OuterRef(OuterRef("category")),
        trimmed=OuterRef("trimmed"),
    )
    return Exists(
        DeclaredIndicator.objects.annotate(trimmed=Trim("name")).filter(
            Exists(standard),
            declaration__project_id=OuterRef("pk"),
            declaration__state=State.APPROVED,
            declaration__superseded_at__isnull=True,
            target_value__isnull=False,
        )
    )


def quota_off() -> Exists:
    """The version in force names a quota standard and a quantity, and the budget differs from quantity
    × standard by more than the tolerance (``Quota.off`` > ``settings.QUOTA_TOLERANCE``; a standard
    that gives 0 against a budget that is not 0 is off without limit)."""
    tolerance = Value(settings.QUOTA_TOLERANCE, output_field=FIGURE)
    expected = ExpressionWrapper(F("quantity") * F("quota_standard__amount"), output_field=FIGURE)
    budget = ExpressionWrapper(OuterRef("budget") + Value(0, output_field=FIGURE), output_field=FIGURE)
    return Exists(
        _in_force()
        .filter(quota_standard__isnull=False, quantity__isnull=False)
        .annotate(expected=expected, budget=budget)
        .annotate(gap=ExpressionWrapper(Abs(F("budget") - F("expected")), output_field=FIGURE))
        .filter(
            (Q(expected=0) & ~Q(budget=0))
            | Q(expected__gt=0, gap__gt=ExpressionWrapper(tolerance * F("expected"), output_field=FIGURE))
        )
    )


def follows_template() -> Q:
    """The project's version in force draws no warning of SPEC §13."""
    return Q(Exists(_in_force())) & ~Q(template_missing()) & ~Q(weaker_target()) & ~Q(quota_off())


@dataclass(frozen=True)
class CoverageRow:
    """One department's coverage (or the total, ``code`` empty)."""

    code: str
    name: str
    units: int
    projects: int
    with_targets: int
    following: int
    total: bool = False

    @property
    def without_targets(self) -> int:
        return self.projects - self.with_targets

    @property
    def share(self) -> Decimal | None:
        if not self.projects:
            return None
        return (Decimal(self.with_targets) / Decimal(self.projects)).quantize(SHARE_PLACES, ROUND_HALF_UP)


def coverage_rows(*, user, year: int) -> list[CoverageRow]:
    """The coverage of each department the user may see (officers: all; heads and unit fillers: their
    own department, all its units), then the total. Two queries whatever the number of projects."""
    departments = Department.objects.visible_to(user).order_by("code")
    counts = {
        row["department_id"]: row
        for row in Project.objects.filter(
            fiscal_year_id=year, status=Project.Status.APPROVED, department__in=departments.values("pk")
        )
        .values("department_id")
        .annotate(
            units=Count("unit_id", distinct=True),
            projects=Count("pk"),
            with_targets=Count("pk", filter=Q(Exists(_in_force()))),
            following=Count("pk", filter=follows_template()),
        )
        .order_by()
    }
    rows = []
    for pk, code, name in departments.values_list("pk", "code", "name"):
        found = counts.get(pk, {})
        rows.append(
            CoverageRow(
                code=code,
                name=name,
                **{key: found.get(key, 0) for key in ("units", "projects", "with_targets", "following")},
            )
        )
    name = _("District total") if scope_of(user).everything else _("Total of the department")
    rows.append(
        CoverageRow(
            code="",
            name=name,
            total=True,
            **{
                key: sum(getattr(row, key) for row in rows)
                for key in ("units", "projects", "with_targets", "following")
            },
        )
    )
    return rows


class ShareColumn(NumberColumn):
    """A share shown as a percentage, exported as a fraction with a percent format."""

    export_format = "0.0%"

    def render(self, value):
        return percent(value)

    def value(self, value):
        return value


def _total(name: str):
    """A footer showing the total row's figure in column ``name`` (the page's last line)."""

    def footer(table):
        total = table.total
        if total is None:
            return ""
        value = getattr(total, name)
        column = table.columns[name].column
        return column.render(value) if isinstance(column, ShareColumn) else value

    return footer


class CoverageTable(tables.Table):
    """The coverage per department. On the page the total is the table's footer; ``total_row`` puts it
    last among the rows instead (the export, which has no footer). Not sortable: the total stays last."""

    exportable = True

    code = tables.Column(verbose_name=gettext_lazy("Department code"), default="")
    name = tables.Column(
        verbose_name=gettext_lazy("Department"), attrs={"td": {"class": "wrap"}}, footer=_total("name")
    )
    units = NumberColumn(verbose_name=gettext_lazy("Budget units"), footer=_total("units"))
    projects = NumberColumn(verbose_name=gettext_lazy("Projects"), footer=_total("projects"))
    with_targets = NumberColumn(
        verbose_name=gettext_lazy("With approved targets"), footer=_total("with_targets")
    )
    following = NumberColumn(
        verbose_name=gettext_lazy("Following the template without warnings"), footer=_total("following")
    )
    without_targets = NumberColumn(
        verbose_name=gettext_lazy("Without approved targets"), footer=_total("without_targets")
    )
    share = ShareColumn(verbose_name=gettext_lazy("Share with approved targets"), footer=_total("share"))

    class Meta:
        template_name = "performance/_table.html"
        attrs = {"class": "table"}
        orderable = False
        empty_text = gettext_lazy("Nothing to show.")

    def __init__(self, rows: list[CoverageRow], *, total_row: bool = False, **kwargs):
        self.total = rows[-1] if rows and not total_row else None
        super().__init__(rows if total_row else rows[:-1], **kwargs)


def _may_read(user) -> bool:
    return is_officer(user) or is_department_head(user) or is_unit_filler(user)


def coverage(request: HttpRequest) -> HttpResponse:
    """The framework's coverage of ``?year=`` (else the current year); a year the app does not hold
    shows the current one, saying so."""
    user = request.user
    if not _may_read(user):
        raise Http404(_("The framework's coverage is for the bureau and the departments."))
    years = list(FiscalYear.objects.order_by("-year").values_list("year", "is_current"))
    asked = request.GET.get("year")
    held = [year for year, _current in years]
    notice = ""
    year = year_of(asked)
    if year not in held:
        current = [year for year, is_current in years if is_current]
        year = current[0] if current else (held[0] if held else None)
        if asked not in (None, ""):
            notice = _("There is no fiscal year “%(asked)s”; showing %(year)s.") % {
                "asked": asked,
                "year": year,
            }
    rows = coverage_rows(user=user, year=year) if year is not None else []
    fmt = request.GET.get("export")
    if fmt in EXPORT_FORMATS:
        return export_response(request, CoverageTable(rows, total_row=True), name=f"coverage-{year}", fmt=fmt)
    table = CoverageTable(rows)
    table_or_export(request, table, name=f"coverage-{year}", per_page=settings.TABLE_MAX_PER_PAGE)
    context = {
        "table": table,
        "year": year,
        "years": held,
        "notice": notice,
        "total": rows[-1] if rows else None,
        "tolerance": percent(settings.QUOTA_TOLERANCE, 0),
    }
    return render(request, "projects/coverage.html", context)
