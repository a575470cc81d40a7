"""The incremental performance leaderboard (SPEC §4.5, §6)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import (
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import render

from finance.scoping import scope_of
from performance import charts, selectors
from performance.tables import (
    LeaderboardTable,
)
from performance.views.common import (
    CHART_CACHE_SECONDS,
    figure,
    page_state,
    run_cache_key,
    table_or_export,
)


def leaderboard(request: HttpRequest) -> HttpResponse:
    """SPEC §4.5 table for the chosen year, the diverging bars of increments, the rank movement."""
    state = page_state(request)
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
        exported = table_or_export(request, table, name="leaderboard", per_page=100)
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
                    run_cache_key("leaderboard-charts", run, own, table.page.number if table.page else 1),
                    lambda: (
                        [
                            figure(
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
