"""The officer's recompute button and its status (SPEC §5)."""

from __future__ import annotations

from django.http import (
    Http404,
    HttpRequest,
    JsonResponse,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from finance import selectors as finance_selectors
from finance.parameters import year_of
from finance.roles import is_officer
from performance import selectors, services


@require_POST
def recompute_now(request: HttpRequest) -> JsonResponse:
    """An officer queues a recompute of the chosen year; the page then polls ``recompute_status``."""
    if not is_officer(request.user):
        raise Http404
    year = year_of(request.POST.get("year"))
    if year is None or not finance_selectors.fiscal_year_exists(year):
        return JsonResponse({"error": _("Choose a fiscal year.")}, status=400)
    services.request_recompute(year=year)
    return JsonResponse({"status_url": reverse("performance:recompute_status") + f"?year={year}"}, status=202)


@never_cache
def recompute_status(request: HttpRequest) -> JsonResponse:
    """Whether the year's figures are up to date, and the latest run, as JSON for the button's script."""
    if not is_officer(request.user):
        raise Http404
    year = year_of(request.GET.get("year"))
    if year is None:
        return JsonResponse({"error": _("Choose a fiscal year.")}, status=400)
    status = selectors.snapshot_status(year=year)
    run = status.run
    if run is None:
        message = _("No figures computed yet.")
    else:
        message = _("Computed %(when)s as of %(as_of)s in %(seconds)s s.") % {
            "when": date_format(timezone.localtime(run.finished_at), "DATETIME_FORMAT"),
            "as_of": date_format(run.as_of, "DATE_FORMAT"),
            "seconds": f"{selectors.run_seconds(run):.1f}",
        }
    failure = status.last_failure
    return JsonResponse(
        {
            "done": not status.is_stale,
            "failed": failure is not None,
            "run": run.pk if run else None,
            "computed_at": run.finished_at.isoformat() if run and run.finished_at else None,
            "message": message,
            "error": _("The last recompute failed: %(error)s") % {"error": failure.error[:200]}
            if failure
            else "",
        }
    )
