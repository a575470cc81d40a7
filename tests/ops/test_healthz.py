"""/healthz: the database's and the broker's state as JSON, 503 only when the database is down."""

from __future__ import annotations

import socket

import pytest

from tests.ops.production import django_json

pytestmark = pytest.mark.django_db

REDIS = ("127.0.0.1", 6379)
#: Nothing listens on port 1 of this machine: a connection to it is refused at once.
CLOSED = "redis://127.0.0.1:1/0"


def redis_is_running() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=0.5):
            return True
    except OSError:
        return False


def test_healthz_reports_the_database_and_eager_tasks_without_a_broker(client, django_assert_num_queries):
    with django_assert_num_queries(1):  # SELECT 1
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "eager"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.skipif(not redis_is_running(), reason="needs Redis on 127.0.0.1:6379")
def test_healthz_reports_a_reachable_broker(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/15"
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_a_broker_that_does_not_answer_degrades_but_the_pages_still_serve(client, settings):
    settings.CELERY_BROKER_URL = CLOSED
    response = client.get("/healthz")
    # Pages read the last snapshots, so a load balancer should keep sending requests: 200.
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "broker": "down"}


def test_a_database_that_does_not_answer_is_an_error_with_503():
    answer = django_json(
        """
from django.test import Client
response = Client(HTTP_HOST="budget.example.gov.cn").get("/healthz")
result = [response.status_code, response.json()]
""",
        DATABASE_URL="postgres://postgres@127.0.0.1:1/nothing",
        CELERY_BROKER_URL=None,
        HTTPS="0",
    )
    assert answer == [503, {"status": "error", "database": "down", "broker": "eager"}]


def test_healthz_is_open_to_anyone_and_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    # The orchestrator's probe asks over plain HTTP from inside; every page else goes to HTTPS.
    assert client.get("/healthz").status_code == 200
    assert client.get("/accounts/login/").status_code == 301
