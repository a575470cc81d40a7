from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from finance.selectors import current_fiscal_year, department_summaries


def home(request: HttpRequest) -> HttpResponse:
    """Landing page: the departments this user may see, with their size in the current year."""
    year = current_fiscal_year()
    rows = department_summaries(user=request.user, year=year.year) if year else []
    return render(request, "finance/home.html", {"year": year, "departments": rows})


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database state as JSON; 503 when the database does not answer."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means the database is not usable
        database = f"error: {exc.__class__.__name__}"
    status = 200 if database == "ok" else 503
    return JsonResponse({"status": "ok" if status == 200 else "error", "database": database}, status=status)
