"""What every dashboard page shares: the chosen year and run, table paging and exports, chart figures."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import OuterRef
from django.http import (
    Http404,
    HttpRequest,
)
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import get_language

from finance import selectors as finance_selectors
from finance.models import Department, FiscalYear
from finance.parameters import year_of
from finance.roles import is_unit_filler
from finance.tables import PageParametersMixin
from performance import charts, selectors
from performance.models import RecomputeRun
from performance.selectors.progress import month_time_progress  # noqa: F401 - the project page's import
from workflow.rounds import overdue_count


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


def department_wide(request: HttpRequest) -> None:
    """404 for a unit filler on a page of a whole department or of the district's rankings (the department
    page, the leaderboard, warnings, budget adjustments): they see their own unit only (SPEC §1)."""
    if is_unit_filler(request.user):
        raise Http404


def visible_department(request: HttpRequest, code: str, *, overdue: bool = False) -> Department:
    """The department with ``code`` if the user may see its detail; 404 otherwise (SPEC §1), and for a
    unit filler always (``department_wide``). ``overdue`` adds ``overdue_submissions``, its records past
    their round's deadline (SPEC §12.1), in the same query."""
    department_wide(request)
    departments = finance_selectors.visible_departments(request.user)
    if overdue:
        departments = departments.annotate(overdue_submissions=overdue_count(OuterRef("pk")))
    return get_object_or_404(departments, code=code)


def figure(fig) -> dict:
    return charts.figure_json(fig)


#: Seconds a run's overview charts stay cached: a run's snapshots never change, so this only bounds
#: the memory the cache holds, not how fresh the charts are.
CHART_CACHE_SECONDS = 3600


def run_cache_key(name: str, run: RecomputeRun, *parts) -> str:
    """A cache key of a run's figure: the run (its id and start, unique even where ids are reused),
    the language and whatever else the figure depends on."""
    return ":".join([name, str(run.pk), run.started_at.isoformat(), get_language() or "", *map(str, parts)])


class PageStateMixin:
    """A page of the chosen year: loads the page state (year, years, run) once."""

    #: A page of a whole department or of the district: 404 for a unit filler (``department_wide``).
    department_wide = False

    def get(self, request, *args, **kwargs):
        if self.department_wide:
            department_wide(request)
        self.state = page_state(request)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | self.state.context()


class YearPageMixin(PageParametersMixin, PageStateMixin):
    """A list page of the chosen year: ``year`` is the page's own parameter, not one of the filters."""


class RunTableMixin:
    """A list page of the chosen year's latest run: without a run it lists and exports nothing."""

    def exportable(self) -> bool:
        return self.state.run is not None


def safe_back(request: HttpRequest) -> str:
    back = request.POST.get("next") or reverse("performance:adjustments")
    if not back.startswith("/") or back.startswith("//"):
        back = reverse("performance:adjustments")
    return back
