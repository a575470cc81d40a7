"""URLs of import and export (SPEC §7); included at the site root by config/urls.py."""

from __future__ import annotations

from django.urls import path, register_converter

from finance import views


class KindConverter:
    regex = "departments|units|projects|payments|evaluations|indicators"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class FormatConverter:
    regex = "csv|xlsx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(KindConverter, "import_kind")
register_converter(FormatConverter, "file_format")

app_name = "finance"

urlpatterns = [
    path("import/", views.import_start, name="import"),
    path("import/jobs/<int:pk>/", views.import_job, name="import_job"),
    path("import/jobs/<int:pk>/status", views.import_job_status, name="import_job_status"),
    path("import/jobs/<int:pk>/apply", views.import_apply, name="import_apply"),
    path("import/jobs/<int:pk>/problems.csv", views.import_problems_csv, name="import_problems"),
    path("import/batches/<int:pk>/", views.import_batch, name="import_batch"),
    path("import/batches/<int:pk>/rollback", views.import_rollback, name="import_rollback"),
    path(
        "import/templates/<import_kind:kind>.<file_format:fmt>", views.import_template, name="import_template"
    ),
    path("export/", views.export_index, name="export_index"),
    path("export/<import_kind:kind>.<file_format:fmt>", views.export, name="export"),
]
