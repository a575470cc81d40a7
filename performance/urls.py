"""URLs of the dashboard's pages (SPEC §6); included at the site root by config/urls.py."""

from __future__ import annotations

from django.urls import path

from performance.views import (
    adjustments,
    departments,
    evaluation_pages,
    evaluations,
    funds,
    leaderboard,
    monitoring,
    overview,
    pool,
    recompute,
    rectification,
    self_evaluations,
    warnings,
)
from performance.views import self_evaluation_downloads as downloads

# The ``year`` converter of the project pages' addresses, which the pool's transitions share.
from projects import urls as _projects_urls  # noqa: F401

app_name = "performance"

urlpatterns = [
    path("start/", overview.landing, name="landing"),
    path("leaderboard/", leaderboard.LeaderboardView.as_view(), name="leaderboard"),
    path("departments/<str:code>/", departments.department, name="department"),
    path("progress/", warnings.WarningListView.as_view(), name="warnings"),
    path("direct-funds/", funds.DirectFundListView.as_view(), name="direct_funds"),
    path("evaluations/", evaluations.EvaluationListView.as_view(), name="evaluations"),
    path("evaluations/new/", evaluation_pages.new_evaluation, name="evaluation_new"),
    path("evaluations/<int:pk>/", evaluation_pages.evaluation_page, name="evaluation"),
    path(
        "evaluations/<int:pk>/transition/",
        evaluation_pages.evaluation_transition,
        name="evaluation_transition",
    ),
    path("adjustments/", adjustments.AdjustmentListView.as_view(), name="adjustments"),
    path("adjustments/<int:pk>/decide", adjustments.decide_adjustment, name="decide_adjustment"),
    path("adjustments/decide", adjustments.decide_adjustments, name="decide_adjustments"),
    path(
        "projects/<year:year>/<str:code>/self-evaluation/",
        self_evaluations.self_evaluation,
        name="self_evaluation",
    ),
    path(
        "projects/<year:year>/<str:code>/self-evaluation/transition/",
        self_evaluations.self_evaluation_transition,
        name="self_evaluation_transition",
    ),
    path("pool/", pool.PoolListView.as_view(), name="pool"),
    path("projects/<year:year>/<str:code>/transition/", pool.project_transition, name="project_transition"),
    path("recompute/", recompute.recompute_now, name="recompute"),
    path("recompute/status", recompute.recompute_status, name="recompute_status"),
]

# SPEC §12.3: the self-evaluations in the national form, to download and to print.
urlpatterns += [
    path(
        "projects/<year:year>/<str:code>/self-evaluation.xlsx",
        downloads.self_evaluation_xlsx,
        name="self_evaluation_xlsx",
    ),
    path(
        "projects/<year:year>/<str:code>/self-evaluation/print/",
        downloads.self_evaluation_print,
        name="self_evaluation_print",
    ),
    path(
        "self-evaluations/workbook.xlsx",
        downloads.self_evaluation_workbook,
        name="self_evaluation_workbook",
    ),
]

# SPEC §14.1: monitoring rounds and each project's report in them.
urlpatterns += [
    path("monitoring/", monitoring.monitoring_page, name="monitoring"),
    path(
        "projects/<year:year>/<str:code>/monitoring/<int:round_id>/",
        monitoring.monitoring_report,
        name="monitoring_report",
    ),
    path(
        "projects/<year:year>/<str:code>/monitoring/<int:round_id>/transition/",
        monitoring.monitoring_transition,
        name="monitoring_transition",
    ),
]

# SPEC §14.2: rectification items, their steps and their evidence files.
urlpatterns += [
    path("rectification/", rectification.RectificationListView.as_view(), name="rectification"),
    path("rectification/new/", rectification.new_item, name="rectification_new"),
    path("rectification/<int:pk>/", rectification.item_page, name="rectification_item"),
    path(
        "rectification/<int:pk>/transition/",
        rectification.item_transition,
        name="rectification_transition",
    ),
    path(
        "rectification/<int:pk>/files/<int:file_pk>/",
        rectification.item_file,
        name="rectification_file",
    ),
]
