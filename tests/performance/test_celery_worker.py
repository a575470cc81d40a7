"""SPEC §5 end to end: a real Celery worker process takes a queued recompute from Redis and stores its run."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from config.celery import app as celery_app
from performance.models import RecomputeRun
from tests.ops.stack import database_url
from tests.performance.conftest import pay, project

BROKER_URL = "redis://127.0.0.1:6379/15"
REPO = Path(settings.BASE_DIR)


@pytest.fixture
def broker():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(BROKER_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {BROKER_URL}")
    client.flushdb()
    yield BROKER_URL
    client.flushdb()


@pytest.fixture
def worker(broker, tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": "celery-worker-test-only",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker,
        "CONN_MAX_AGE": "0",
    }
    log = tmp_path / "worker.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=INFO",
                "--without-gossip", "--without-mingle", "--without-heartbeat",
            ],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    yield process, log
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.mark.celery_worker
@pytest.mark.postgres
@pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored")  # the test process is eager
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_runs_a_queued_recompute(year_2021, unit_a, worker):
    process, log = worker
    pay(project(unit_a, "1000000"), "250000", datetime.date(2021, 3, 1))  # committed: the worker sees it
    runs_before = set(RecomputeRun.objects.values_list("pk", flat=True))

    with celery_app.connection_for_write(BROKER_URL) as broker_connection:
        celery_app.send_task(
            "performance.tasks.recompute_all", args=[2021, "2021-05-26"], connection=broker_connection
        )

    deadline = time.monotonic() + 90
    new_run = None
    while time.monotonic() < deadline and process.poll() is None:
        new_run = (
            RecomputeRun.objects.exclude(pk__in=runs_before)
            .filter(fiscal_year_id=2021, as_of=datetime.date(2021, 5, 26))
            .first()
        )
        if new_run is not None:
            break
        time.sleep(0.5)

    assert new_run is not None, log.read_text()[-3000:]
    assert new_run.status == RecomputeRun.Status.SUCCEEDED
    assert new_run.row_counts["progress"] == 6  # project, unit, department, class, source, district
