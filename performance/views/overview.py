"""The landing page and the overview (SPEC §6)."""

from __future__ import annotations

from django.contrib import messages
from django.core.cache import cache
from django.http import (
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from finance import selectors as finance_selectors
from finance.parameters import year_of
from finance.roles import is_unit_filler
from finance.scoping import scope_of
from performance import charts, selectors
from performance.models import RecomputeRun, ScopeKind
from performance.selectors import rectification
from performance.views.common import (
    CHART_CACHE_SECONDS,
    figure,
    month_time_progress,
    page_state,
    run_cache_key,
)


def landing(request: HttpRequest) -> HttpResponse:
    """Where login lands: a department head's own department, a unit filler their unit's projects,
    everyone else the overview."""
    if is_unit_filler(request.user):
        return redirect("projects:projects")
    department = finance_selectors.home_department(request.user)
    if department is not None:
        return redirect("performance:department", code=department.code)
    return redirect("home")


def overview(request: HttpRequest) -> HttpResponse:
    """SPEC §6 overview: headline cards and the district's charts for the chosen year. A unit filler,
    who sees no district figures, is sent to their unit's projects (the year kept)."""
    if is_unit_filler(request.user):
        year = year_of(request.GET.get("year"))
        return redirect(reverse("projects:projects") + (f"?year={year}" if year else ""))
    state = page_state(request)
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
        key = run_cache_key("overview-charts", run, scope_of(user).cache_key)
        context.update(
            {
                "district": district,
                "figures": selectors.run_figures(run=run, user=user),
                "items": rectification.district_items(year=run.fiscal_year_id),
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
                time_progress_by_month=month_time_progress(run.as_of, months),
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
    return [figure(fig) for fig in figures]
