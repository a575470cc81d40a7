"""URLs of the project pages (SPEC §6); included at the site root by config/urls.py."""

from __future__ import annotations

from django.urls import path, register_converter

from finance.parameters import YearConverter
from projects import views
from projects.targets import coverage as target_coverage
from projects.targets import downloads as target_downloads
from projects.targets import views as target_views

register_converter(YearConverter, "year")


class StandardKindConverter:
    """The two kinds of the standards library (SPEC §13)."""

    regex = "indicators|quotas"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class StandardConverter:
    """A standard's id, or ``new`` for the form of a new one."""

    regex = "new|[0-9]+"

    def to_python(self, value: str) -> int | None:
        return None if value == "new" else int(value)

    def to_url(self, value: int | None) -> str:
        return "new" if value is None else str(value)


register_converter(StandardKindConverter, "standard_kind")
register_converter(StandardConverter, "standard")

app_name = "projects"

urlpatterns = [
    path("projects/", views.ProjectListView.as_view(), name="projects"),
    path("projects/<year:year>/<str:code>/", views.project_detail, name="project"),
    path("pool/new/", views.propose_project, name="propose"),
    path("projects/<year:year>/<str:code>/targets/", target_views.targets, name="targets"),
    path(
        "projects/<year:year>/<str:code>/targets/transition/",
        target_views.targets_transition,
        name="targets_transition",
    ),
    path("projects/<year:year>/<str:code>/targets.xlsx", target_downloads.targets_xlsx, name="targets_xlsx"),
    path(
        "projects/<year:year>/<str:code>/targets/print/", target_downloads.targets_print, name="targets_print"
    ),
    path("targets/workbook.xlsx", target_downloads.targets_workbook, name="targets_workbook"),
    path("standards/", views.standards, name="standards"),
    path("standards/coverage/", target_coverage.coverage, name="coverage"),
    path("standards/<standard_kind:kind>/<standard:pk>/", views.standard_edit, name="standard_edit"),
]
