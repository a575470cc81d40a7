"""The dashboard's pages (SPEC §6): thin views over the selectors, role-scoped, with a constant number
of queries whatever the size of the district.

Every page that shows computed figures shows the latest successful run of the chosen year, says when
it was computed and whether it is stale (``_PageState``). Department detail answers 404 to a head
of another department, and so do its projects and exports.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    DecimalField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin

from finance.exporting import render_csv, render_xlsx
from finance.importing.lineage import lineage_of_rows
from finance.models import Department, FiscalYear
from finance.parameters import whole_number, year_of
from finance.roles import department_id_of, is_department_head, is_officer
from finance.scoping import scope_of
from performance import charts, selectors, services
from performance.filters import AdjustmentFilter, EvaluationFilter, ProjectFilter, WarningFilter
from performance.forms import AdjustmentDecisionForm, BulkDecisionForm
from performance.models import BudgetAdjustment, Evaluation, ProgressSnapshot, RecomputeRun, ScopeKind
from performance.services.progress import time_progress
from performance.tables import (
    AdjustmentTable,
    DepartmentProjectTable,
    DirectFundTable,
    EvaluationTable,
    InflatedSelfScoreTable,
    LeaderboardTable,
    ProjectTable,
    UnitTable,
    WarningDepartmentTable,
    WarningTable,
)
from projects.models import Indicator, Payment, Project

EXPORT_FORMATS = ("csv", "xlsx")


# -- what every page of computed figures shares ----------------------------------------------------


@dataclass(frozen=True)
class _PageState:
    """The chosen year, the years to switch to, and the run the page shows with its freshness."""

    year: int | None
    years: list[int]
    fiscal_year: FiscalYear | None
    status: selectors.SnapshotStatus | None

    @property
    def run(self) -> RecomputeRun | None:
        return self.status.run if self.status else None

    def context(self) -> dict:
        return {"year": self.year, "years": self.years, "status": self.status, "run": self.run}


def _page_state(request: HttpRequest) -> _PageState:
    """Three queries: the fiscal years, the year's newest finished run, its recompute state."""
    fiscal_years = list(FiscalYear.objects.order_by("-year"))
    by_year = {fy.year: fy for fy in fiscal_years}
    asked = year_of(request.GET.get("year"))
    if asked in by_year:
        fiscal_year = by_year[asked]
    else:
        current = [fy for fy in fiscal_years if fy.is_current]
        fiscal_year = current[0] if current else (fiscal_years[0] if fiscal_years else None)
    if fiscal_year is None:
        return _PageState(year=None, years=[], fiscal_year=None, status=None)
    status = selectors.snapshot_status(year=fiscal_year.year, fiscal_year=fiscal_year)
    return _PageState(
        year=fiscal_year.year, years=[fy.year for fy in fiscal_years], fiscal_year=fiscal_year, status=status
    )


def _visible_department(request: HttpRequest, code: str) -> Department:
    """The department with ``code`` if the user may see its detail; 404 otherwise (SPEC §1)."""
    return get_object_or_404(Department.objects.visible_to(request.user), code=code)


def _month_time_progress(as_of: datetime.date, months: list[int]) -> dict[int, Decimal]:
    """Time progress at each month's end, or at ``as_of`` in its own month."""
    result = {}
    for month in months:
        if month == as_of.month:
            day = as_of
        else:
            next_month = datetime.date(as_of.year + (month == 12), month % 12 + 1, 1)
            day = min(next_month - datetime.timedelta(days=1), as_of)
        result[month] = time_progress(as_of=day)
    return result


def _figure(fig) -> dict:
    return charts.figure_json(fig)


# -- exports of the tables -------------------------------------------------------------------------


def _export_formats(table) -> list[str | None]:
    """The number format of each exported column (in ``as_values`` order): 万元, ratio or none."""
    return [
        getattr(bound.column, "export_format", None)
        for bound in table.columns.iterall()
        if not bound.column.exclude_from_export
    ]


def _export_response(request: HttpRequest, table, *, name: str, fmt: str) -> HttpResponse:
    """Every row the table's filters and the user's scope let through (not one page), in the table's
    sort order, as CSV (UTF-8 with a BOM) or XLSX: figures as numbers (万元, ratios as fractions with a
    percent format), every text cell escaped against formulas."""
    RequestConfig(request, paginate=False).configure(table)
    rows = table.as_values()
    head = next(rows)
    formats = _export_formats(table)
    stamp = timezone.localdate().isoformat()
    filename = f"{name}-{stamp}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(
            render_csv(head, rows, formats=formats), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    workbook = render_xlsx(head, rows, title=name, formats=formats)
    return FileResponse(
        workbook,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


class ExportableTableMixin:
    """``?export=csv`` or ``?export=xlsx`` on a list page downloads its filtered rows."""

    export_name = "table"

    def render_to_response(self, context, **response_kwargs):
        fmt = self.request.GET.get("export")
        if fmt in EXPORT_FORMATS:
            table = self.get_table_class()(data=self.get_table_data(), **self.get_table_kwargs())
            return _export_response(self.request, table, name=self.export_name, fmt=fmt)
        return super().render_to_response(context, **response_kwargs)


class PagedRequestConfig(RequestConfig):
    """django-tables2's ``RequestConfig`` reading ``page`` and ``per_page`` strictly (ASCII digits,
    ``finance.parameters``) and holding the page size between 1 and ``settings.TABLE_MAX_PER_PAGE``:
    a page shows at most that many rows, whatever the address asks; the export gives every row."""

    def configure(self, table):
        if not self.paginate:
            return super().configure(table)
        table.request = self.request
        order_by = self.request.GET.getlist(table.prefixed_order_by_field)
        if order_by:
            table.order_by = order_by
        options = dict(self.paginate) if hasattr(self.paginate, "items") else {}
        options.pop("silent", None)
        if page := whole_number(self.request.GET.get(table.prefixed_page_field)):
            options["page"] = page
        per_page = whole_number(self.request.GET.get(table.prefixed_per_page_field))
        per_page = per_page or options.get("per_page") or table._meta.per_page or 25
        options["per_page"] = max(1, min(per_page, settings.TABLE_MAX_PER_PAGE))
        try:
            table.paginate(**options)
        except PageNotAnInteger:
            table.page = table.paginator.page(1)
        except EmptyPage:
            table.page = table.paginator.page(table.paginator.num_pages)
        return table


class PagedTableMixin:
    """A ``SingleTableMixin`` list whose paging goes through ``PagedRequestConfig``."""

    def get_table(self, **kwargs):
        table = self.get_table_class()(data=self.get_table_data(), **kwargs)
        return PagedRequestConfig(self.request, paginate=self.get_table_pagination(table)).configure(table)


def _table_or_export(request: HttpRequest, table, *, name: str, per_page: int | None = None):
    """For function views: the export when asked for, else the table configured for the page."""
    fmt = request.GET.get("export")
    if fmt in EXPORT_FORMATS:
        return _export_response(request, table, name=name, fmt=fmt)
    paginate = {"per_page": per_page or table._meta.per_page or 25}
    PagedRequestConfig(request, paginate=paginate).configure(table)
    return None


# -- pages -----------------------------------------------------------------------------------------


def landing(request: HttpRequest) -> HttpResponse:
    """Where login lands: a department head's own department, everyone else the overview."""
    if is_department_head(request.user):
        department = Department.objects.filter(pk=department_id_of(request.user)).first()
        if department is not None:
            return redirect("performance:department", code=department.code)
    return redirect("home")


#: Seconds a run's overview charts stay cached: a run's snapshots never change, so this only bounds
#: the memory the cache holds, not how fresh the charts are.
CHART_CACHE_SECONDS = 3600


def _run_cache_key(name: str, run: RecomputeRun, *parts) -> str:
    """A cache key of a run's figure: the run (its id and start, unique even where ids are reused),
    the language and whatever else the figure depends on."""
    return ":".join([name, str(run.pk), run.started_at.isoformat(), get_language() or "", *map(str, parts)])


def overview(request: HttpRequest) -> HttpResponse:
    """SPEC §6 overview: headline cards and the district's charts for the chosen year."""
    state = _page_state(request)
    context = state.context()
    run = state.run
    if run is not None and scope_of(request.user).nothing:
        # No role, or a head whose membership was removed since they logged in: no figures, and why.
        messages.info(
            request,
            _(
                "Your account has no role in the dashboard, so it shows no figures. "
                "Ask the bureau's administrator for one."
            ),
        )
        context["run"] = run = None
    if run is not None:
        user = request.user
        district = selectors.district_snapshot(run=run, user=user)
        # Charts of a run are the same for everyone with the same scope and language: built once.
        key = _run_cache_key("overview-charts", run, scope_of(user).cache_key)
        context.update(
            {
                "district": district,
                "figures": selectors.run_figures(run=run, user=user),
                "warnings_href": reverse("performance:warnings")
                + "?"
                + urlencode({"year": run.fiscal_year_id}),
                "charts": cache.get_or_set(
                    key, lambda: _overview_charts(run=run, user=user, district=district), CHART_CACHE_SECONDS
                ),
            }
        )
    return render(request, "performance/overview.html", context)


def _overview_charts(*, run: RecomputeRun, user, district) -> list[dict]:
    series = selectors.monthly_series(run=run, user=user, scope_kind=ScopeKind.DISTRICT)
    classes = selectors.function_class_spending(run=run, user=user)
    tree = selectors.department_unit_tree(run=run, user=user)
    grades = selectors.grade_counts(year=run.fiscal_year_id)
    figures = []
    if district is not None and series:
        months = [month for month, _spent in series]
        figures.append(
            charts.cumulative_spending(
                series=series,
                budget=district.budget,
                year=run.fiscal_year_id,
                time_progress_by_month=_month_time_progress(run.as_of, months),
                in_yi=True,  # beside the headline cards, in 亿元
            )
        )
    if classes:
        figures.append(
            charts.spending_by_function_class(
                [
                    charts.FunctionClassBar(
                        name=row.name, budget=row.budget, spent=row.spent, is_livelihood=row.is_livelihood
                    )
                    for row in classes
                ]
            )
        )
    if tree:
        title = _("Spending progress by department and unit")
        if len([node for node in tree if not node["parent"]]) >= selectors.TREEMAP_DEPARTMENTS:
            title = _("Spending progress of the %(count)s largest departments and their units") % {
                "count": selectors.TREEMAP_DEPARTMENTS
            }
        figures.append(
            charts.progress_treemap(
                [
                    charts.TreemapNode(
                        id=node["id"],
                        parent=node["parent"],
                        label=node["label"],
                        budget=node["budget"],
                        spent=node["spent"],
                        gap_pp=node["gap_pp"],
                        warning_level=node["warning_level"],
                    )
                    for node in tree
                ],
                title=title,
            )
        )
    figures.append(
        charts.grade_distribution(
            grades, title=_("Finalised evaluations by grade, %(year)s") % {"year": run.fiscal_year_id}
        )
    )
    return [_figure(fig) for fig in figures]


def leaderboard(request: HttpRequest) -> HttpResponse:
    """SPEC §4.5 table for the chosen year, the diverging bars of increments, the rank movement."""
    state = _page_state(request)
    context = state.context()
    run = state.run
    if run is not None:
        scope = scope_of(request.user)
        own = None if scope.everything else scope.department_id
        rows = selectors.leaderboard_rows(run=run, user=request.user)
        table = LeaderboardTable(
            rows,
            own_department_id=own,
            linkable=(lambda record: True)
            if scope.everything
            else (lambda record: record.department_id == own),
        )
        exported = _table_or_export(request, table, name="leaderboard", per_page=100)
        if exported is not None:
            return exported
        entries = list(table.page.object_list.data) if table.page else []
        ranked = [entry for entry in entries if not entry.is_new and entry.increment is not None]
        context.update(
            {
                "table": table,
                "own_entry": next((entry for entry in entries if entry.department_id == own), None),
                # A first year (2020 in the demo) has no year before it to take an increment from.
                "all_new": bool(entries) and entries[0].ranked_count == 0,
                "previous_year": run.fiscal_year_id - 1,
                "rules": _leaderboard_rules(),
                "charts": cache.get_or_set(
                    _run_cache_key("leaderboard-charts", run, own, table.page.number if table.page else 1),
                    lambda: (
                        [
                            _figure(
                                charts.increments(
                                    [
                                        charts.IncrementBar(
                                            department=entry.department.name,
                                            increment=entry.increment,
                                            highlighted=entry.department_id == own,
                                        )
                                        for entry in ranked
                                    ]
                                )
                            )
                        ]
                        if ranked
                        else []
                    ),
                    CHART_CACHE_SECONDS,
                ),
            }
        )
    return render(request, "performance/leaderboard.html", context)


def _leaderboard_rules() -> dict:
    """The settings in force that the leaderboard's "how this is computed" panel states (SPEC §4.4,
    §4.5): the weights of the score and the low-coverage threshold."""
    return {
        "project_weight": settings.SCORE_PROJECT_WEIGHT,
        "department_weight": settings.SCORE_DEPARTMENT_WEIGHT,
        "low_coverage": settings.LOW_COVERAGE_THRESHOLD,
    }


def department(request: HttpRequest, code: str) -> HttpResponse:
    """SPEC §6 department: score and grade, score by year, dimension profile against the district,
    weak spots, units, and projects with their progress and warnings."""
    department_ = _visible_department(request, code)
    state = _page_state(request)
    context = state.context() | {"department": department_}
    run = state.run
    user = request.user
    if run is not None:
        entry = selectors.department_entry(run=run, user=user, department_id=department_.pk)
        snapshots = list(
            selectors.department_and_unit_progress(run=run, user=user, department_id=department_.pk)
        )
        progress = next((row for row in snapshots if row.scope_kind == ScopeKind.DEPARTMENT), None)
        weak = (
            selectors.weak_spots(run=run, user=user, department_id=department_.pk, entry=entry)
            if entry
            else None
        )
        history = list(selectors.department_score_history(user=user, department_id=department_.pk))
        projects = DepartmentProjectTable(
            _projects_with_snapshots(user=user, run=run).filter(department_id=department_.pk),
            prefix="p-",
        )
        exported = _table_or_export(request, projects, name=f"projects-{department_.code}")
        if exported is not None:
            return exported
        units = UnitTable([row for row in snapshots if row.scope_kind == ScopeKind.UNIT], prefix="u-")
        RequestConfig(request, paginate=False).configure(units)

        def department_charts() -> list[dict]:
            charts_ = []
            if history:
                charts_.append(
                    _figure(
                        charts.score_history(
                            [(row.run.fiscal_year_id, row.score) for row in history],
                            department=department_.name,
                        )
                    )
                )
            if entry is not None and entry.score is not None:
                charts_.append(
                    _figure(
                        charts.dimension_profile(
                            {
                                "decision": entry.decision_ratio,
                                "process": entry.process_ratio,
                                "output": entry.output_ratio,
                                "benefit": entry.benefit_ratio,
                            },
                            selectors.district_dimension_profile(run=run, user=user),
                            department_name=department_.name,
                        )
                    )
                )
            return charts_

        # A run's figures never change; the history's runs are in the key, as a newer run of another
        # year changes the score-over-the-years chart.
        charts_ = cache.get_or_set(
            _run_cache_key("department-charts", run, department_.pk, *[row.run_id for row in history]),
            department_charts,
            CHART_CACHE_SECONDS,
        )
        dimension_names = {
            "decision": _("Decision"),
            "process": _("Process"),
            "output": _("Output"),
            "benefit": _("Benefit"),
        }
        context.update(
            {
                "entry": entry,
                "progress": progress,
                "weak": weak,
                "weakest_dimension": dimension_names.get(weak.weakest_dimension) if weak else None,
                "warnings_href": reverse("performance:warnings")
                + "?"
                + urlencode({"year": run.fiscal_year_id, "department": department_.code}),
                "projects_table": projects,
                "units_table": units,
                "charts": charts_,
            }
        )
    return render(request, "performance/department.html", context)


def _projects_with_snapshots(*, user, run: RecomputeRun | None, year: int | None = None) -> QuerySet[Project]:
    """Visible projects of the run's year, each annotated with its snapshot in the run."""
    year = run.fiscal_year_id if run is not None else year
    snapshots = ProgressSnapshot.objects.filter(
        run=run, scope_kind=ScopeKind.PROJECT, scope_id=OuterRef("pk")
    ).order_by()
    projects = _with_grades(
        Project.objects.visible_to(user).filter(fiscal_year_id=year).select_related("department", "unit")
    )
    if run is None:
        # No run yet: the projects are listed all the same, without computed figures.
        return projects.annotate(
            snapshot_spent=Value(None, output_field=DecimalField()),
            snapshot_spending_progress=Value(None, output_field=DecimalField()),
            snapshot_gap_pp=Value(None, output_field=DecimalField()),
            snapshot_warning_level=Value(None, output_field=CharField()),
            snapshot_overspent=Value(False, output_field=BooleanField()),
        ).order_by("code")
    return projects.annotate(
        snapshot_spent=Subquery(snapshots.values("spent")[:1]),
        snapshot_spending_progress=Subquery(snapshots.values("spending_progress")[:1]),
        snapshot_gap_pp=Subquery(snapshots.values("gap_pp")[:1]),
        snapshot_warning_level=Subquery(snapshots.values("warning_level")[:1]),
        # So that an overspent project (its spending ahead of time: "normal") is not shown as normal.
        snapshot_overspent=Subquery(snapshots.values("overspent")[:1]),
    ).order_by("code")


def _with_grades(projects: QuerySet[Project]) -> QuerySet[Project]:
    """Each project with the grades of its finalised key, self- and ex-ante evaluations (one of each
    kind a year at most) and ``counted_grade``, the one its score counts (SPEC §4.4: key, else self)."""

    def grade_of(kind: str) -> Subquery:
        evaluations = Evaluation.objects.finalised().filter(project=OuterRef("pk"), kind=kind).order_by()
        return Subquery(evaluations.values("grade")[:1])

    return projects.annotate(
        key_grade=grade_of(Evaluation.Kind.KEY),
        self_grade=grade_of(Evaluation.Kind.SELF),
        ex_ante_grade=grade_of(Evaluation.Kind.EX_ANTE),
    ).annotate(counted_grade=Coalesce("key_grade", "self_grade"))


class YearPageMixin:
    """A list page of the chosen year: loads the page state once; ``year`` is the page's own
    parameter, not one of the filters."""

    def get(self, request, *args, **kwargs):
        self.state = _page_state(request)
        return super().get(request, *args, **kwargs)

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        data = kwargs["data"]
        if data is not None and ("year" in data or "export" in data):
            data = data.copy()
            data.pop("year", None)
            data.pop("export", None)
            kwargs["data"] = data or None
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | self.state.context()


class ProjectListView(YearPageMixin, ExportableTableMixin, PagedTableMixin, SingleTableMixin, FilterView):
    """SPEC §6 projects: the filterable list of the chosen year's visible projects."""

    table_class = ProjectTable
    filterset_class = ProjectFilter
    template_name = "performance/projects.html"
    export_name = "projects"

    def get_queryset(self):
        return _projects_with_snapshots(user=self.request.user, run=self.state.run, year=self.state.year)

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        filterset.run_id = self.state.run.pk if self.state.run else None
        return filterset


def project_detail(request: HttpRequest, year: int, code: str) -> HttpResponse:
    """SPEC §6 project: budget, cumulative payments against time progress, indicators target vs
    actual, evaluations, where its figures came from and (officers) its change history."""
    project = get_object_or_404(
        Project.objects.visible_to(request.user).select_related(
            "unit", "department", "function_class", "fund_source", "grant", "fiscal_year", "import_batch"
        ),
        fiscal_year_id=year,
        code=code,
    )
    status = selectors.snapshot_status(year=year, fiscal_year=project.fiscal_year)
    run = status.run
    snapshot = None
    charts_ = []
    if run is not None:
        snapshot = ProgressSnapshot.objects.filter(
            run=run, scope_kind=ScopeKind.PROJECT, scope_id=project.pk
        ).first()
        series = selectors.project_cumulative_payments(
            user=request.user, project_id=project.pk, as_of=run.as_of
        )
        if series:
            months = [month for month, _paid in series]
            charts_.append(
                _figure(
                    charts.project_payments(
                        series=series,
                        budget=project.budget,
                        year=year,
                        time_progress_by_month=_month_time_progress(run.as_of, months),
                    )
                )
            )
    indicators = list(Indicator.objects.filter(project=project).order_by("level1", "level2", "pk"))
    evaluations = list(
        Evaluation.objects.visible_to(request.user)
        .filter(project=project)
        .order_by("kind", "-evaluated_on", "pk")
    )
    context = {
        "project": project,
        "year": year,
        "status": status,
        "run": run,
        "snapshot": snapshot,
        "charts": charts_,
        "indicators": indicators,
        "evaluations": evaluations,
        "lineage": lineage_of_rows(
            [
                Project.objects.filter(pk=project.pk),
                Payment.objects.filter(project_id=project.pk),
                Indicator.objects.filter(project_id=project.pk),
                Evaluation.objects.filter(project_id=project.pk),
            ],
            limit=LINEAGE_SHOWN,
        ),
    }
    if is_officer(request.user):
        context["history"] = _change_history(project)
    return render(request, "performance/project.html", context)


#: Entries of the project page's "where the figures came from": one per import batch and kind of row.
LINEAGE_SHOWN = 10
#: Entries of the project page's change history (project, its payments, its evaluations).
HISTORY_SHOWN = 30


def _change_history(project: Project) -> list[dict]:
    """Who changed what and when (old → new), newest first, from django-simple-history: the
    project's own records, its payments' and its evaluations' — three queries for the records and
    their users, the diffs worked out from consecutive records of the same row."""
    sources = (
        (
            _("Project"),
            project.history.select_related("history_user").order_by("id", "history_date", "history_id"),
        ),
        (
            _("Payment"),
            Payment.history.filter(project_id=project.pk)
            .select_related("history_user")
            .order_by("id", "history_date", "history_id"),
        ),
        (
            _("Evaluation"),
            Evaluation.history.filter(project_id=project.pk)
            .select_related("history_user")
            .order_by("id", "history_date", "history_id"),
        ),
    )
    kinds = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
    entries = []
    for label, records in sources:
        previous = None
        for record in records:
            changes = []
            if previous is not None and previous.id == record.id and record.history_type == "~":
                delta = record.diff_against(previous)
                changes = [
                    {"field": _field_label(record, change.field), "old": change.old, "new": change.new}
                    for change in delta.changes
                ]
            entries.append(
                {
                    "when": record.history_date,
                    "who": record.history_user.username if record.history_user else _("import or system"),
                    "what": label,
                    "object": _history_object_label(record),
                    "kind": kinds.get(record.history_type, record.history_type),
                    "changes": changes,
                }
            )
            previous = record
    entries.sort(key=lambda entry: entry["when"], reverse=True)
    return entries[:HISTORY_SHOWN]


def _field_label(record, field: str) -> str:
    try:
        return str(record.instance_type._meta.get_field(field).verbose_name)
    except Exception:  # noqa: BLE001 - a field removed since the record was written
        return field


def _history_object_label(record) -> str:
    for attribute in ("voucher_no", "code"):
        value = getattr(record, attribute, None)
        if value:
            return str(value)
    if hasattr(record, "kind"):
        return dict(Evaluation.Kind.choices).get(record.kind, record.kind)
    return str(record.id)


def warnings(request: HttpRequest) -> HttpResponse:
    """SPEC §6 warnings: lagging, zero-spending and overspent projects, by department."""
    state = _page_state(request)
    context = state.context()
    run = state.run
    if run is not None:
        departments = Department.objects.filter(pk=OuterRef("department_id"))
        rows = selectors.project_warnings(run=run, user=request.user).annotate(
            department_name=Subquery(departments.values("name")[:1])
        )
        filterset = WarningFilter(request.GET or None, queryset=rows, request=request)
        table = WarningTable(filterset.qs, year=run.fiscal_year_id)
        exported = _table_or_export(request, table, name="warnings", per_page=25)
        if exported is not None:
            return exported
        # Every department, paged and sortable (its own prefix, so its pages and sort leave the
        # projects' table as it is).
        by_department = WarningDepartmentTable(
            selectors.warning_counts_by_department(run=run, user=request.user),
            year=run.fiscal_year_id,
            prefix="d-",
        )
        PagedRequestConfig(request, paginate={"per_page": 20}).configure(by_department)
        context.update(
            {
                "filter": filterset,
                "table": table,
                "by_department": by_department,
            }
        )
    return render(request, "performance/warnings.html", context)


def direct_funds(request: HttpRequest) -> HttpResponse:
    """SPEC §6 direct funds: each central direct fund grant, received, allocated and spent; for
    officers (a head sees the district's direct fund figures on the overview)."""
    if not is_officer(request.user):
        raise Http404
    state = _page_state(request)
    context = state.context()
    run = state.run
    if run is not None:
        rows, totals = _with_progress(selectors.direct_fund_grants(run=run, user=request.user))
        table = DirectFundTable(rows, totals=totals)
        exported = _table_or_export(request, table, name="direct-funds", per_page=50)
        if exported is not None:
            return exported
        context.update({"table": table, "figures": selectors.run_figures(run=run, user=request.user)})
    return render(request, "performance/direct_funds.html", context)


@dataclass(frozen=True)
class DirectFundTotals:
    """The direct funds table's total row: sums of every grant (not one page), and the progress
    ratios of the sums, never the mean of the grants' ratios (SPEC §4.1)."""

    amount: Decimal
    allocated: Decimal
    spent: Decimal

    @property
    def allocation_progress(self) -> Decimal | None:
        return self.allocated / self.amount if self.amount else None

    @property
    def spending_progress(self) -> Decimal | None:
        return self.spent / self.amount if self.amount else None


def _with_progress(grants: QuerySet) -> tuple[list, DirectFundTotals | None]:
    """SPEC §4.1: allocation progress = allocated ÷ received, spending progress = spent ÷ received
    (as the headline figures of the run compute them); with the totals, summed by the database in the
    same query (window sums over every grant)."""

    def total(field: str) -> Window:
        return Window(Sum(field), output_field=selectors.MONEY_OUTPUT)

    rows = list(
        grants.annotate(
            total_amount=total("amount"), total_allocated=total("allocated"), total_spent=total("spent")
        )
    )
    for grant in rows:
        grant.allocation_progress = grant.allocated / grant.amount if grant.amount else None
        grant.spending_progress = grant.spent / grant.amount if grant.amount else None
    if not rows:
        return rows, None
    first = rows[0]
    return rows, DirectFundTotals(
        amount=first.total_amount, allocated=first.total_allocated, spent=first.total_spent
    )


class EvaluationListView(YearPageMixin, ExportableTableMixin, PagedTableMixin, SingleTableMixin, FilterView):
    """SPEC §6 evaluations: the filterable list, the key evaluations summary and the self-score check."""

    table_class = EvaluationTable
    filterset_class = EvaluationFilter
    template_name = "performance/evaluations.html"
    export_name = "evaluations"

    def get_queryset(self):
        return (
            Evaluation.objects.visible_to(self.request.user)
            .filter(fiscal_year_id=self.state.year)
            .select_related("project", "project__department", "department")
            # An order the (year, kind) index and the primary key serve, whatever the size.
            .order_by("kind", "pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = self.state.run
        if self.state.year is not None:
            summary = selectors.key_evaluation_summary(user=self.request.user, year=self.state.year)
            context["key_summary"] = summary
            context["key_total"] = {
                "count": sum(row.count for row in summary),
                "funds": sum((row.funds for row in summary), Decimal("0.00")),
            }
        if run is not None:
            inflated = InflatedSelfScoreTable(
                selectors.inflated_self_scores(run=run, user=self.request.user), prefix="i-"
            )
            PagedRequestConfig(self.request, paginate={"per_page": 25}).configure(inflated)
            context["inflated_table"] = inflated
        return context


class AdjustmentListView(YearPageMixin, ExportableTableMixin, PagedTableMixin, SingleTableMixin, FilterView):
    """SPEC §4.7: next year's budget adjustment proposals from this year's results; officers decide
    them one by one or many at once, and see the effect on next year's budget."""

    table_class = AdjustmentTable
    filterset_class = AdjustmentFilter
    template_name = "performance/adjustments.html"
    export_name = "budget-adjustments"

    def get_queryset(self):
        if self.state.year is None:
            return BudgetAdjustment.objects.none()
        return selectors.budget_adjustments(user=self.request.user, target_year=self.state.year + 1)

    def get_table_kwargs(self):
        kwargs = super().get_table_kwargs()
        if not is_officer(self.request.user):
            kwargs["exclude"] = ("select", "actions")
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        target_year = (self.state.year or 0) + 1
        effects = selectors.adjustment_effects(user=self.request.user, target_year=target_year)
        officer = is_officer(self.request.user)
        filtered = context["filter"].qs
        return context | {
            "target_year": target_year,
            "effects": effects,
            # The district's total for those who see every department.
            "district": selectors.district_effect(effects, name=_("District")) if officer else None,
            "pending_in_filter": filtered.filter(decision=BudgetAdjustment.Decision.PENDING).count()
            if officer
            else 0,
            "bulk_form": BulkDecisionForm(),
        }


def _safe_back(request: HttpRequest) -> str:
    back = request.POST.get("next") or reverse("performance:adjustments")
    if not back.startswith("/") or back.startswith("//"):
        back = reverse("performance:adjustments")
    return back


@require_POST
def decide_adjustment(request: HttpRequest, pk: int) -> HttpResponse:
    """An officer accepts, changes (with a figure) or does not adopt one proposal."""
    if not is_officer(request.user):
        raise Http404
    adjustment = get_object_or_404(selectors.budget_adjustments_for_decision(user=request.user), pk=pk)
    form = AdjustmentDecisionForm(request.POST)
    back = _safe_back(request)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    decision, note = form.cleaned_data["decision"], form.cleaned_data["note"]
    try:
        if decision == BudgetAdjustment.Decision.ACCEPTED:
            services.accept_budget_adjustment(adjustment=adjustment, user=request.user, note=note)
        elif decision == BudgetAdjustment.Decision.CHANGED:
            services.change_budget_adjustment(
                adjustment=adjustment,
                user=request.user,
                final_budget=form.cleaned_data["final_budget_wan"] * 10000,
                note=note,
            )
        else:
            services.reject_budget_adjustment(adjustment=adjustment, user=request.user, note=note)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect(back)
    messages.success(
        request,
        _("%(project)s: %(decision)s.")
        % {
            "project": f"{adjustment.project.code} {adjustment.project.name}",
            "decision": dict(BudgetAdjustment.Decision.choices)[decision],
        },
    )
    return redirect(back)


def _bulk_targets(
    request: HttpRequest, form: BulkDecisionForm
) -> tuple[QuerySet[BudgetAdjustment], int] | str:
    """The proposals a bulk decision is about and the year, or why there are none to decide."""
    query = QueryDict(form.cleaned_data["query"] or "")
    year = year_of(query.get("year"))
    if year is None or not FiscalYear.objects.filter(pk=year).exists():
        return _("Choose a fiscal year.")
    visible = selectors.budget_adjustments(user=request.user, target_year=year + 1)
    if form.cleaned_data["scope"] == BulkDecisionForm.FILTER:
        filterset = AdjustmentFilter(query, queryset=visible, request=request)
        if not filterset.is_valid():
            return _("The filter is not valid: nothing was decided.")
        return filterset.qs.filter(decision=BudgetAdjustment.Decision.PENDING), year
    ids = set(form.cleaned_data["ids"])
    chosen = visible.filter(pk__in=ids)
    missing = len(ids) - chosen.count()
    if missing:
        return _(
            "%(count)s of the ticked proposals are no longer there (withdrawn by a recompute): nothing was "
            "decided. Reload the page and tick again."
        ) % {"count": missing}
    return chosen, year


@require_POST
def decide_adjustments(request: HttpRequest) -> HttpResponse:
    """An officer decides many proposals at once with one reason: the ticked rows or every pending row
    of the filter. First a confirmation page with the count and the effect, then the decision itself,
    all or nothing, each proposal recorded as if decided singly."""
    if not is_officer(request.user):
        raise Http404
    form = BulkDecisionForm(request.POST)
    query = request.POST.get("query", "")
    back = reverse("performance:adjustments") + (f"?{query}" if query and len(query) <= 2000 else "")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    targets = _bulk_targets(request, form)
    if isinstance(targets, str):
        messages.error(request, targets)
        return redirect(back)
    chosen, year = targets
    decision = form.cleaned_data["decision"]
    label = dict(BudgetAdjustment.Decision.choices)[decision]
    if request.POST.get("confirm") != "yes":
        totals = chosen.aggregate(
            count=Count("pk"),
            before=Sum("current_budget"),
            proposed=Sum("proposed_budget"),
            review=Count("pk", filter=Q(proposed_action=BudgetAdjustment.Action.REVIEW)),
            decided=Count("pk", filter=~Q(decision=BudgetAdjustment.Decision.PENDING)),
        )
        if not totals["count"]:
            messages.error(request, _("No pending proposal in this filter: nothing to decide."))
            return redirect(back)
        return render(
            request,
            "performance/adjustments_confirm.html",
            {
                "form": form,
                "totals": totals,
                "decision_label": label,
                "year": year,
                "target_year": year + 1,
                "back": back,
                "accepting": decision == BudgetAdjustment.Decision.ACCEPTED,
                # The service would refuse: say why on this page and offer no confirmation.
                "blocked": bool(
                    totals["decided"] or (decision == BudgetAdjustment.Decision.ACCEPTED and totals["review"])
                ),
            },
        )
    try:
        count = services.decide_budget_adjustments(
            adjustments=chosen,
            user=request.user,
            decision=decision,
            note=form.cleaned_data["note"],
            expected=form.cleaned_data["expected"],
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect(back)
    messages.success(request, _("%(count)s proposals: %(decision)s.") % {"count": count, "decision": label})
    return redirect(back)


# -- recompute now ---------------------------------------------------------------------------------


@require_POST
def recompute_now(request: HttpRequest) -> JsonResponse:
    """An officer queues a recompute of the chosen year; the page then polls ``recompute_status``."""
    if not is_officer(request.user):
        raise Http404
    year = year_of(request.POST.get("year"))
    if year is None or not FiscalYear.objects.filter(pk=year).exists():
        return JsonResponse({"error": _("Choose a fiscal year.")}, status=400)
    services.request_recompute(year=year)
    return JsonResponse({"status_url": reverse("performance:recompute_status") + f"?year={year}"}, status=202)


@never_cache
def recompute_status(request: HttpRequest) -> JsonResponse:
    """Whether the year's figures are up to date, and the latest run, as JSON for the button's script."""
    if not is_officer(request.user):
        raise Http404
    year = year_of(request.GET.get("year"))
    if year is None:
        return JsonResponse({"error": _("Choose a fiscal year.")}, status=400)
    status = selectors.snapshot_status(year=year)
    run = status.run
    if run is None:
        message = _("No figures computed yet.")
    else:
        message = _("Computed %(when)s as of %(as_of)s in %(seconds)s s.") % {
            "when": date_format(timezone.localtime(run.finished_at), "DATETIME_FORMAT"),
            "as_of": date_format(run.as_of, "DATE_FORMAT"),
            "seconds": f"{(run.duration_ms or 0) / 1000:.1f}",
        }
    failure = status.last_failure
    return JsonResponse(
        {
            "done": not status.is_stale,
            "failed": failure is not None,
            "run": run.pk if run else None,
            "computed_at": run.finished_at.isoformat() if run and run.finished_at else None,
            "message": message,
            "error": _("The last recompute failed: %(error)s") % {"error": failure.error[:200]}
            if failure
            else "",
        }
    )
