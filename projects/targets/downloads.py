"""The target declaration as the national 项目支出绩效目标申报表 (XLSX, A4 print, workbooks) and the
framework's coverage (SPEC §13)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def targets_xlsx(request: HttpRequest, year: int, code: str) -> HttpResponse:
    raise Http404  # built next


def targets_print(request: HttpRequest, year: int, code: str) -> HttpResponse:
    raise Http404  # built next


def targets_workbook(request: HttpRequest) -> HttpResponse:
    raise Http404  # built next


def coverage(request: HttpRequest) -> HttpResponse:
    raise Http404  # built next
