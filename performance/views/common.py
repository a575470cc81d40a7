"""What every dashboard page shares: the chosen year and run, table paging and exports, chart figures."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django_tables2 import RequestConfig

from finance import selectors as finance_selectors
from finance.exporting import render_csv, render_xlsx
from finance.models import Department, FiscalYear
from finance.parameters import whole_number, year_of
from performance import charts, selectors
from performance.models import RecomputeRun
from performance.selectors.progress import month_time_progress  # noqa: F401 - the project page's import

EXPORT_FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class PageState:
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


def page_state(request: HttpRequest) -> PageState:
    """Three queries: the fiscal years, the year's newest finished run, its recompute state."""
    fiscal_years = finance_selectors.fiscal_years()
    by_year = {fy.year: fy for fy in fiscal_years}
    asked = year_of(request.GET.get("year"))
    if asked in by_year:
        fiscal_year = by_year[asked]
    else:
        current = [fy for fy in fiscal_years if fy.is_current]
        fiscal_year = current[0] if current else (fiscal_years[0] if fiscal_years else None)
    if fiscal_year is None:
        return PageState(year=None, years=[], fiscal_year=None, status=None)
    status = selectors.snapshot_status(year=fiscal_year.year, fiscal_year=fiscal_year)
    return PageState(
        year=fiscal_year.year, years=[fy.year for fy in fiscal_years], fiscal_year=fiscal_year, status=status
    )


def visible_department(request: HttpRequest, code: str) -> Department:
    """The department with ``code`` if the user may see its detail; 404 otherwise (SPEC §1)."""
    return get_object_or_404(finance_selectors.visible_departments(request.user), code=code)


def figure(fig) -> dict:
    return charts.figure_json(fig)


def export_formats(table) -> list[str | None]:
    """The number format of each exported column (in ``as_values`` order): 万元, ratio or none."""
    return [
        getattr(bound.column, "export_format", None)
        for bound in table.columns.iterall()
        if not bound.column.exclude_from_export
    ]


def export_response(request: HttpRequest, table, *, name: str, fmt: str) -> HttpResponse:
    """Every row the table's filters and the user's scope let through (not one page), in the table's
    sort order, as CSV (UTF-8 with a BOM) or XLSX: figures as numbers (万元, ratios as fractions with a
    percent format), every text cell escaped against formulas."""
    RequestConfig(request, paginate=False).configure(table)
    rows = table.as_values()
    head = next(rows)
    formats = export_formats(table)
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

    def exportable(self) -> bool:
        return True

    def render_to_response(self, context, **response_kwargs):
        fmt = self.request.GET.get("export")
        if fmt in EXPORT_FORMATS and self.exportable():
            table = self.get_table_class()(data=self.get_table_data(), **self.get_table_kwargs())
            return export_response(self.request, table, name=self.export_name, fmt=fmt)
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


def table_or_export(request: HttpRequest, table, *, name: str, per_page: int | None = None):
    """For function views: the export when asked for, else the table configured for the page."""
    fmt = request.GET.get("export")
    if fmt in EXPORT_FORMATS:
        return export_response(request, table, name=name, fmt=fmt)
    paginate = {"per_page": per_page or table._meta.per_page or 25}
    PagedRequestConfig(request, paginate=paginate).configure(table)
    return None


#: Seconds a run's overview charts stay cached: a run's snapshots never change, so this only bounds
#: the memory the cache holds, not how fresh the charts are.
CHART_CACHE_SECONDS = 3600


def run_cache_key(name: str, run: RecomputeRun, *parts) -> str:
    """A cache key of a run's figure: the run (its id and start, unique even where ids are reused),
    the language and whatever else the figure depends on."""
    return ":".join([name, str(run.pk), run.started_at.isoformat(), get_language() or "", *map(str, parts)])


class PageStateMixin:
    """A page of the chosen year: loads the page state (year, years, run) once."""

    def get(self, request, *args, **kwargs):
        self.state = page_state(request)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | self.state.context()


class YearPageMixin(PageStateMixin):
    """A list page of the chosen year: ``year`` is the page's own parameter, not one of the filters."""

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        data = kwargs["data"]
        if data is not None and ("year" in data or "export" in data):
            data = data.copy()
            data.pop("year", None)
            data.pop("export", None)
            kwargs["data"] = data or None
        return kwargs


class RunTableMixin:
    """A list page of the chosen year's latest run: without a run it lists and exports nothing."""

    def exportable(self) -> bool:
        return self.state.run is not None


def safe_back(request: HttpRequest) -> str:
    back = request.POST.get("next") or reverse("performance:adjustments")
    if not back.startswith("/") or back.startswith("//"):
        back = reverse("performance:adjustments")
    return back
