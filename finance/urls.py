"""URLs of import and export (SPEC §7); included at the site root by config/urls.py."""

from __future__ import annotations

from django.urls import path, register_converter

from finance.views import exports, imports


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
    path("import/", imports.import_start, name="import"),
    path("import/jobs/<int:pk>/", imports.import_job, name="import_job"),
    path("import/jobs/<int:pk>/status", imports.import_job_status, name="import_job_status"),
    path("import/jobs/<int:pk>/apply", imports.import_apply, name="import_apply"),
    path("import/jobs/<int:pk>/problems.csv", imports.import_problems_csv, name="import_problems"),
    path("import/batches/<int:pk>/", imports.import_batch, name="import_batch"),
    path("import/batches/<int:pk>/rollback", imports.import_rollback, name="import_rollback"),
    path(
        "import/templates/<import_kind:kind>.<file_format:fmt>",
        exports.import_template,
        name="import_template",
    ),
    path("export/", exports.export_index, name="export_index"),
    path("export/<import_kind:kind>.<file_format:fmt>", exports.export, name="export"),
]
