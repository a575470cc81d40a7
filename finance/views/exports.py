"""Downloads (SPEC §7): each kind's empty import template, and each kind's rows as the user may see
them, in the import format."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from finance import selectors as finance_selectors
from finance.exporting import LANGUAGES as EXPORT_LANGUAGES
from finance.exporting import (
    export_rows,
    export_years,
    render_csv,
    render_xlsx,
    template_notes,
    visible_department_id,
    visible_departments,
)
from finance.exporting import header as export_header
from finance.importing.kinds import KINDS as IMPORT_KINDS
from finance.models import ImportBatch
from finance.parameters import year_of
from finance.scoping import scope_of
from finance.views.imports import officer_only


def _header_language(request: HttpRequest) -> str:
    language = request.GET.get("headers")
    if language in EXPORT_LANGUAGES:
        return language
    return "zh" if (get_language() or "").startswith("zh") else "en"


def _file_response(kind: str, fmt: str, head: list[str], rows, *, stem: str, notes=None) -> HttpResponse:
    if fmt == "csv":
        response = StreamingHttpResponse(render_csv(head, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
        return response
    output = render_xlsx(head, rows, title=kind, notes=notes)
    return FileResponse(
        output,
        as_attachment=True,
        filename=f"{stem}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def import_template(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    """An empty file of a kind, headers in Chinese or English; the XLSX adds a notes sheet in both."""
    officer_only(request)
    if kind not in IMPORT_KINDS:
        raise Http404
    language = _header_language(request)
    importer = IMPORT_KINDS[kind]
    notes = template_notes(importer) if fmt == "xlsx" else None
    return _file_response(
        kind, fmt, export_header(importer, language), [], stem=f"{kind}-template-{language}", notes=notes
    )


def export_index(request: HttpRequest) -> HttpResponse:
    """Links to export every kind the user may see, as CSV or XLSX, by year and department: officers
    every department, a head their own, a unit filler their unit's rows (by year only); 404 for a user of
    no role, whose files would hold nothing."""
    if scope_of(request.user).nothing:
        raise Http404
    return render(
        request,
        "finance/export.html",
        {
            "kinds": ImportBatch.Kind.choices,
            "years": export_years(),
            "departments": visible_departments(user=request.user),
            "own_unit": finance_selectors.own_unit(request.user),
        },
    )


def export(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    """One kind in its import format, scoped to the user; ``?year=`` and ``?department=<code>`` filter it."""
    if kind not in IMPORT_KINDS:
        raise Http404
    year = None
    if raw_year := request.GET.get("year"):
        year = year_of(raw_year)
        if year is None:
            raise Http404
    if scope_of(request.user).nothing:
        raise Http404
    department_id = None
    if code := request.GET.get("department"):
        # Another department's code is, for a head, a department that does not exist.
        department_id = visible_department_id(user=request.user, code=code)
        if department_id is None:
            raise Http404
    language = _header_language(request)
    rows = export_rows(kind, user=request.user, year=year, department_id=department_id, language=language)
    stem = "-".join(str(part) for part in (kind, year, code) if part)
    return _file_response(kind, fmt, export_header(IMPORT_KINDS[kind], language), rows, stem=stem)
