"""The service's own state for load balancers and monitoring."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from kombu import Connection as KombuConnection

logger = logging.getLogger(__name__)


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """The database's and the broker's state as JSON: 503 when the database does not answer.

    The pages read their figures from the last snapshots, so the app still serves with the broker
    down (recomputes wait, and the pages say how old the figures are): that is ``degraded``, not an
    error, and answers 200 so that a load balancer keeps sending requests.
    """
    database = _database_state()
    broker = _broker_state()
    if database != "ok":
        status = "error"
    elif broker == "down":
        status = "degraded"
    else:
        status = "ok"
    return JsonResponse(
        {"status": status, "database": database, "broker": broker},
        status=503 if status == "error" else 200,
    )


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any failure means the database is not usable
        logger.warning("healthz: the database does not answer", exc_info=True)
        return "down"
    return "ok"


def _broker_state() -> str:
    """``eager`` with no broker configured (tasks run in-process), else ``ok`` or ``down``."""
    if not settings.CELERY_BROKER_URL:
        return "eager"
    timeout = settings.HEALTHZ_BROKER_TIMEOUT
    try:
        with KombuConnection(
            settings.CELERY_BROKER_URL,
            connect_timeout=timeout,
            transport_options={"socket_timeout": timeout, "socket_connect_timeout": timeout},
        ) as broker:
            broker.ensure_connection(max_retries=0, timeout=timeout)
    except Exception:  # noqa: BLE001 - any failure means tasks cannot be queued
        logger.warning("healthz: the broker does not answer", exc_info=True)
        return "down"
    return "ok"
