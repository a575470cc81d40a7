"""The docker-compose topology as processes (README "Running in production"): gunicorn, a Celery
worker and Celery beat against PostgreSQL and the local Redis, driven over HTTP like a user would."""

from __future__ import annotations

import os
import uuid

import pytest

from performance.models import RecomputeRun, RecomputeState
from tests.ops.stack import Browser, wait_for_http, wait_until

#: The machine's Redis, on a database of its own; every run has a queue of its own on it too, so
#: that test runs side by side never take each other's tasks.
LOCAL_REDIS = "redis://127.0.0.1:6379/14"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def local_redis():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(LOCAL_REDIS)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {LOCAL_REDIS}")
    queue = f"topology-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    yield client, queue
    client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")


def test_web_worker_and_beat_serve_recompute_and_report_health(district, stack, local_redis):
    client, queue = local_redis
    env = stack.environment(
        broker_url=LOCAL_REDIS, CELERY_QUEUE=queue, RECOMPUTE_STALE_CHECK_SECONDS="1", LOG_LEVEL="INFO"
    )
    web, base_url = stack.web(env, workers=2)
    # As in docker-compose.yml: a prefork worker of two processes, and beat.
    worker = stack.worker(env, name="worker", pool="prefork", concurrency=2)
    beat = stack.beat(env)
    wait_for_http(base_url, web)
    worker.wait_for_log(r" ready\.")

    officer = Browser(base_url)
    officer.log_in("officer")
    overview = officer.get("/")
    assert overview.status == 200
    assert 'action="/recompute/"' in overview.body  # the officer's button; the page set the CSRF cookie

    queued = officer.post("/recompute/", {"year": "2021"})
    assert queued.status == 202, queued.body
    status_url = queued.json()["status_url"]
    done = wait_until(
        lambda: (answer := officer.get(status_url).json())["done"] and answer,
        timeout=30,
        what="the recompute to be done",
        log=worker.log,
    )
    run = RecomputeRun.objects.get(pk=done["run"])
    assert run.pk != district.first_run.pk
    assert run.status == RecomputeRun.Status.SUCCEEDED
    assert run.row_counts["progress"] == 6  # project, unit, department, class, source, district
    state = RecomputeState.objects.get(pk=2021)
    assert state.computed_generation == state.requested_generation == 1  # the button's one request

    # Beat sends its check for stale years every second here (every five minutes by default); the
    # worker runs it and finds nothing to queue.
    beat.wait_for_log(r"Sending due task recompute-stale-years")
    worker.wait_for_log(
        r"Task performance\.tasks\.recompute_stale_years\[[\w-]+\] succeeded in [\d.]+s: \[\]"
    )

    health = officer.get("/healthz")
    assert (health.status, health.json()) == (200, {"status": "ok", "database": "ok", "broker": "ok"})
    assert client.llen(queue) == 0  # everything queued was taken

    # Stopped as an orchestrator stops containers: SIGTERM, and each process exits cleanly.
    assert [service.stop() for service in (beat, worker, web)] == [0, 0, 0]
    assert "Worker exiting" in web.log() and "Shutting down" in web.log()
    assert "worker: Warm shutdown" in worker.log()
