"""SPEC §12.3 downloads of self-evaluations in the national form: one project's XLSX, its A4 print
view, and a unit's or a department's workbook with a sheet per project."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render

from performance.exporting import self_evaluations as form
from performance.selectors import self_evaluation_downloads as selectors
from performance.services.self_evaluations import Sheet, sheet_for, sheets_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Projects whose sheets are read at a time for a workbook: a fixed number of queries per batch (so
#: the same for 1 and for this many projects), and only one batch's indicators in memory at once.
SHEETS_PER_BATCH = 200


def _xlsx(output, filename: str) -> FileResponse:
    return FileResponse(output, as_attachment=True, filename=filename, content_type=XLSX)


def self_evaluation_xlsx(request: HttpRequest, year: int, code: str) -> HttpResponse:
    """One project's 项目支出绩效自评表 as an XLSX laid out like the national form."""
    project = selectors.evaluated_project(user=request.user, year=year, code=code)
    names = form.sheet_names([project.code])
    initial = selectors.initial_budgets([project])[project.pk]
    output = form.write_workbook([(sheet_for(project), initial)], names)
    return _xlsx(output, f"self-evaluation-{year}-{project.code}.xlsx")


def self_evaluation_print(request: HttpRequest, year: int, code: str) -> HttpResponse:
    """The same form as an A4 page to print: no navigation, no buttons."""
    project = selectors.evaluated_project(user=request.user, year=year, code=code)
    sheet = sheet_for(project)
    context = {
        "project": project,
        "sheet": sheet,
        "labels": form.LABELS,
        "form_year": form.form_year(year),
        "rows": [(line, form.target_text(line), form.actual_text(line)) for line in sheet.lines],
        # The header row and a row per indicator (or the one saying there is none).
        "indicator_rows": 1 + max(1, len(sheet.lines)),
        "achieved": form.achieved_of(sheet),
        "state": form.state_of(sheet),
        "initial_budget": selectors.initial_budgets([project])[project.pk],
        "full_marks": form.FULL_MARKS,
        "execution_marks": form.EXECUTION_MARKS,
    }
    return render(request, "performance/self_evaluation_print.html", context)


def _forms(projects: list) -> Iterator[tuple[Sheet, Decimal]]:
    """The projects' sheets with their budgets at the start of the year, a batch at a time."""
    for start in range(0, len(projects), SHEETS_PER_BATCH):
        batch = projects[start : start + SHEETS_PER_BATCH]
        initial = selectors.initial_budgets(batch)
        for sheet in sheets_for(batch):
            yield sheet, initial[sheet.project.pk]


def self_evaluation_workbook(request: HttpRequest) -> HttpResponse:
    """The self-evaluations of a unit's (``?unit=``) or a department's (``?department=``) projects of a
    year (``?year=``, else the latest), a sheet per project named by its code."""
    year = selectors.workbook_year(request.GET.get("year"))
    try:
        scope = selectors.workbook_scope(
            user=request.user,
            year=year,
            unit=request.GET.get("unit"),
            department=request.GET.get("department"),
        )
    except selectors.NotAsked as refused:
        return render(request, "400.html", {"message": str(refused)}, status=400)
    projects = selectors.workbook_projects(user=request.user, scope=scope)
    names = form.sheet_names(project.code for project in projects)
    output = form.write_workbook(_forms(projects), names)
    return _xlsx(output, f"self-evaluations-{year}-{scope.code}.xlsx")
