"""URLs of the briefs and the whole-dashboard workbook (SPEC §15); included at the site root."""

from __future__ import annotations

from django.urls import path

from reports import views, workbook

app_name = "reports"

urlpatterns = [
    path("reports/brief/", views.brief, name="brief"),
    path("reports/department/<str:code>/", views.department, name="department"),
    path("export/dashboard.xlsx", workbook.dashboard_workbook, name="dashboard_workbook"),
]
