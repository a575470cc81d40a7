"""SPEC §13 downloads of the target declaration as the national 项目支出绩效目标申报表: one project's XLSX
(``?version=N``, else the version under way, else the one in force), its A4 print view, and a unit's or
a department's workbook with a sheet per project."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from finance.workbooks import NotAsked, sheet_names, workbook_scope, workbook_year
from projects.selectors import visible_project
from projects.targets import download_selectors as selectors
from projects.targets import national_form as form

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(output, filename: str) -> FileResponse:
    return FileResponse(output, as_attachment=True, filename=filename, content_type=XLSX)


def _form_or_refusal(request: HttpRequest, year: int, code: str):
    """The project's chosen version as a form, or the page saying why there is none (400 for a version
    that is no number, 404 for one the project does not have)."""
    project = visible_project(user=request.user, year=year, code=code)
    try:
        declaration = selectors.chosen_version(project, request.GET.get("version"))
    except selectors.BadVersion as refused:
        return None, render(request, "400.html", {"message": str(refused)}, status=400)
    except selectors.NoVersion as refused:
        return None, render(request, "404.html", {"message": str(refused)}, status=404)
    return selectors.form_of(project, declaration), None


def targets_xlsx(request: HttpRequest, year: int, code: str) -> HttpResponse:
    """One project's 项目支出绩效目标申报表 as an XLSX laid out like the national form."""
    found, refusal = _form_or_refusal(request, year, code)
    if refusal is not None:
        return refusal
    output = form.write_workbook([found], sheet_names([found.project.code]))
    return _xlsx(output, f"targets-{year}-{found.project.code}-v{found.declaration.version}.xlsx")


def targets_print(request: HttpRequest, year: int, code: str) -> HttpResponse:
    """The same form as an A4 page to print: no navigation, no buttons."""
    found, refusal = _form_or_refusal(request, year, code)
    if refusal is not None:
        return refusal
    label = form.labels()
    indicators = found.indicators
    spans = {}
    for start, length, inner in form.groups(indicators):
        spans[start] = {"level1": length}
        for at, run in inner:
            spans.setdefault(at, {})["level2"] = run
    rows = [
        (indicator, form.target_text(indicator, label["qualitative"]), spans.get(index, {}))
        for index, indicator in enumerate(indicators)
    ]
    quota = found.quota()
    context = {
        "form": found,
        "project": found.project,
        "declaration": found.declaration,
        "labels": label,
        "form_year": form.form_year(year),
        "budget": form.in_wan(found.project.budget),
        "rows": rows,
        # The header row, a row per indicator (or the one saying there is none) and the total.
        "indicator_rows": 2 + max(1, len(indicators)),
        "quota_text": form.quota_text(quota) if quota is not None else "",
        "note": form.status_note(found, label),
    }
    return render(request, "projects/targets_print.html", context)


def targets_workbook(request: HttpRequest) -> HttpResponse:
    """The targets of a unit's (``?unit=``) or a department's (``?department=``) projects of a year
    (``?year=``, else the latest), a sheet per project named by its code, each in its working version."""
    asked = {key: request.GET.get(key) for key in ("year", "unit", "department")}
    try:
        year = workbook_year(asked["year"])
    except Http404:
        message = _("There is no fiscal year “%(year)s”: give one such as 2021.") % {"year": asked["year"]}
        return render(request, "404.html", {"message": message}, status=404)
    try:
        scope = workbook_scope(
            user=request.user, year=year, unit=asked["unit"], department=asked["department"]
        )
    except NotAsked as refused:
        return render(request, "400.html", {"message": str(refused)}, status=400)
    except Http404:
        message = _("No budget unit or department “%(code)s” among those you may see.") % {
            "code": asked["unit"] or asked["department"]
        }
        return render(request, "404.html", {"message": message}, status=404)
    forms = selectors.workbook_forms(user=request.user, scope=scope)
    output = form.write_workbook(forms, sheet_names(found.project.code for found in forms))
    return _xlsx(output, f"targets-{year}-{scope.code}.xlsx")
