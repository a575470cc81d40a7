"""The brief pages and their downloads (SPEC §15)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from finance.roles import is_officer
from reports.bureau import bureau_brief
from reports.choice import brief_choice
from reports.department import department_brief, department_choice
from reports.documents import brief_document
from reports.numbers import full_date

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _docx(brief, *, name: str) -> HttpResponse:
    response = HttpResponse(brief_document(brief), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{name}-{brief.as_of.isoformat()}.docx"'
    return response


def _date(written) -> str | None:
    return full_date(written.as_of) if written is not None else None


def brief(request: HttpRequest) -> HttpResponse:
    """The bureau's brief of a year as of a date (officers; 404 for everyone else); ``?format=docx``
    downloads it as a Word document."""
    if not is_officer(request.user):
        raise Http404
    choice = brief_choice(request.GET)
    written = bureau_brief(run=choice.run, user=request.user) if choice.run is not None else None
    if written is not None and request.GET.get("format") == "docx":
        return _docx(written, name=f"brief-{choice.year}")
    return render(
        request,
        "reports/brief.html",
        {"choice": choice, "brief": written, "year": choice.year, "brief_date": _date(written)},
        status=400
        if choice.problems and written is None and (request.GET.get("year") or request.GET.get("as_of"))
        else 200,
    )


def department(request: HttpRequest, code: str) -> HttpResponse:
    """A department's brief: its head sees their own department only, officers any (404 otherwise)."""
    chosen = department_choice(request, code)
    written = (
        department_brief(department=chosen.department, run=chosen.run, user=request.user)
        if chosen.run
        else None
    )
    if written is not None and request.GET.get("format") == "docx":
        return _docx(written, name=f"brief-{chosen.department.code}-{chosen.run.fiscal_year_id}")
    return render(
        request,
        "reports/department.html",
        {
            "department": chosen.department,
            "state": chosen.state,
            "brief": written,
            "year": chosen.state.year,
            "brief_date": _date(written),
        },
    )
