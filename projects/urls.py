"""URLs of the project pages (SPEC §6); included at the site root by config/urls.py."""

from __future__ import annotations

from django.urls import path, register_converter

from finance.parameters import YearConverter
from projects import views

register_converter(YearConverter, "year")

app_name = "projects"

urlpatterns = [
    path("projects/", views.ProjectListView.as_view(), name="projects"),
    path("projects/<year:year>/<str:code>/", views.project_detail, name="project"),
    path("pool/new/", views.propose_project, name="propose"),
]
