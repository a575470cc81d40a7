"""A department's page (SPEC §6)."""

from __future__ import annotations

from django.core.cache import cache
from django.http import (
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from finance.tables import table_or_export
from performance import charts, selectors
from performance.models import ScopeKind
from performance.selectors import rectification
from performance.tables import UnitTable
from performance.views.common import (
    CHART_CACHE_SECONDS,
    figure,
    page_state,
    run_cache_key,
    visible_department,
)
from projects import selectors as project_selectors
from projects.tables import DepartmentProjectTable


def department(request: HttpRequest, code: str) -> HttpResponse:
    """SPEC §6 department: score and grade, score by year, dimension profile against the district,
    weak spots, units, and projects with their progress and warnings."""
    department_ = visible_department(request, code, overdue=True)
    state = page_state(request)
    listed = rectification.department_items(user=request.user, department_id=department_.pk)
    context = state.context() | {
        "department": department_,
        "department_items": listed.rows,
        "items_open": listed.open,
        "items_overdue": listed.overdue,
        "items_total": listed.total,
        "items_more": listed.more,
    }
    run = state.run
    user = request.user
    if run is not None:
        history = list(
            selectors.department_score_history(user=user, department_id=department_.pk, ranks=True)
        )
        # The line of the run shown is the year's latest, so it is among the history's lines.
        entry = next((row for row in history if row.run_id == run.pk), None)
        if entry is None:
            entry = selectors.department_entry(run=run, user=user, department_id=department_.pk)
        snapshots = list(
            selectors.department_and_unit_progress(run=run, user=user, department_id=department_.pk)
        )
        progress = next((row for row in snapshots if row.scope_kind == ScopeKind.DEPARTMENT), None)
        # §14.1 among the weak spots: the projects with a double deviation, furthest from target first.
        double_deviations = sorted(
            (row for row in snapshots if row.scope_kind == ScopeKind.PROJECT),
            key=lambda row: (row.expected_completion, row.monitoring_gap_pp, row.scope_id),
        )
        weak = (
            selectors.weak_spots(run=run, user=user, department_id=department_.pk, entry=entry)
            if entry
            else None
        )
        projects = DepartmentProjectTable(
            project_selectors.projects_of_year(
                user=user, year=run.fiscal_year_id, state=state.context(), department_id=department_.pk
            ),
            prefix="p-",
        )
        exported = table_or_export(request, projects, name=f"projects-{department_.code}")
        if exported is not None:
            return exported
        units = UnitTable([row for row in snapshots if row.scope_kind == ScopeKind.UNIT], prefix="u-")
        RequestConfig(request, paginate=False).configure(units)

        def department_charts() -> list[dict]:
            charts_ = []
            if history:
                charts_.append(
                    figure(
                        charts.score_history(
                            [(row.run.fiscal_year_id, row.score) for row in history],
                            department=department_.name,
                        )
                    )
                )
            if entry is not None and entry.score is not None:
                charts_.append(
                    figure(
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
            run_cache_key("department-charts", run, department_.pk, *[row.run_id for row in history]),
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
                "double_deviations": double_deviations,
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
