"""URLs of the dashboard's pages (SPEC §6); included at the site root by config/urls.py."""

from __future__ import annotations

from django.urls import path, register_converter

from finance.parameters import YearConverter
from performance import views

register_converter(YearConverter, "year")

app_name = "performance"

urlpatterns = [
    path("start/", views.landing, name="landing"),
    path("leaderboard/", views.leaderboard, name="leaderboard"),
    path("departments/<str:code>/", views.department, name="department"),
    path("projects/", views.ProjectListView.as_view(), name="projects"),
    path("projects/<year:year>/<str:code>/", views.project_detail, name="project"),
    path("progress/", views.warnings, name="warnings"),
    path("direct-funds/", views.direct_funds, name="direct_funds"),
    path("evaluations/", views.EvaluationListView.as_view(), name="evaluations"),
    path("adjustments/", views.AdjustmentListView.as_view(), name="adjustments"),
    path("adjustments/<int:pk>/decide", views.decide_adjustment, name="decide_adjustment"),
    path("adjustments/decide", views.decide_adjustments, name="decide_adjustments"),
    path("recompute/", views.recompute_now, name="recompute"),
    path("recompute/status", views.recompute_status, name="recompute_status"),
]
