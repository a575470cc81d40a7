"""A project's target declaration page (SPEC §13): the unit fills it from the template, two levels
review it."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def targets(request: HttpRequest, year: int, code: str) -> HttpResponse:
    raise Http404  # built next


def targets_transition(request: HttpRequest, year: int, code: str) -> HttpResponse:
    raise Http404  # built next
