"""The warnings page (SPEC §4.1, §6)."""

from __future__ import annotations

from django.db.models import (
    OuterRef,
    Subquery,
)
from django.http import (
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import render

from finance.models import Department
from performance import selectors
from performance.filters import WarningFilter
from performance.tables import (
    WarningDepartmentTable,
    WarningTable,
)
from performance.views.common import PagedRequestConfig, page_state, table_or_export


def warnings(request: HttpRequest) -> HttpResponse:
    """SPEC §6 warnings: lagging, zero-spending and overspent projects, by department."""
    state = page_state(request)
    context = state.context()
    run = state.run
    if run is not None:
        departments = Department.objects.filter(pk=OuterRef("department_id"))
        rows = selectors.project_warnings(run=run, user=request.user).annotate(
            department_name=Subquery(departments.values("name")[:1])
        )
        filterset = WarningFilter(request.GET or None, queryset=rows, request=request)
        table = WarningTable(filterset.qs, year=run.fiscal_year_id)
        exported = table_or_export(request, table, name="warnings", per_page=25)
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
