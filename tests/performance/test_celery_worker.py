"""SPEC §5 end to end: a real Celery worker process takes a queued recompute from Redis and stores its run."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import kombu.pools
import pytest
from django.conf import settings

from config.celery import app as celery_app
from performance.models import RecomputeRun
from tests.ops.stack import database_url, wait_until
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


def forget_connections() -> None:
    """Make the Celery app build its broker connections and queues anew from its configuration.

    kombu keeps connection and producer pools of its own, per connection, for the whole process
    (even eager tasks take a producer from them); they are emptied too, or a later test would draw
    from a pool closed here."""
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
    kombu.pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    for cached in ("queues", "router", "default_queue", "default_exchange"):
        celery_app.amqp.__dict__.pop(cached, None)


@pytest.fixture
def queued_broker(tmp_path):
    """``send_tasks()`` makes this process send its tasks to Redis instead of running them (as with
    CELERY_BROKER_URL set), on a queue of its own; ``start_worker()`` starts a worker on that queue.
    The eager test settings are restored afterwards."""
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(BROKER_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {BROKER_URL}")
    queue = f"stale-mark-{os.getpid()}-{time.monotonic_ns()}"
    saved = {key: celery_app.conf[key] for key in ("task_always_eager", "broker_url", "task_default_queue")}
    processes = []

    def send_tasks() -> None:
        celery_app.conf.update(task_always_eager=False, broker_url=BROKER_URL, task_default_queue=queue)
        forget_connections()

    def start_worker():
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_DEBUG": "0",
            "SECRET_KEY": "celery-worker-test-only",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": BROKER_URL,
            "CELERY_QUEUE": queue,
            "CONN_MAX_AGE": "0",
        }
        log = tmp_path / "worker.log"
        with log.open("w") as out:
            processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "celery",
                        "-A",
                        "config",
                        "worker",
                        "--pool=solo",
                        "--loglevel=INFO",
                        "--without-gossip",
                        "--without-mingle",
                        "--without-heartbeat",
                    ],
                    cwd=REPO,
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )  # fmt: skip
            )
        return processes[-1], log

    yield SimpleNamespace(client=client, queue=queue, send_tasks=send_tasks, start_worker=start_worker)
    for process in processes:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    celery_app.conf.update(saved)
    forget_connections()


def stale_mark_shown(client, user) -> bool:
    """Whether the overview shows the officer its "stale: changes are waiting" mark."""
    client.force_login(user)
    return 'class="stale-mark"' in client.get("/").content.decode()


@pytest.mark.celery_worker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_a_broker_a_change_is_queued_and_the_page_is_stale_until_the_worker_runs_it(
    year_2021, unit_a, officer, client, queued_broker
):
    funded = project(unit_a, "1000000")  # tasks eager, as in the embedded demo: computed at once
    first = RecomputeRun.objects.get(fiscal_year_id=2021)
    assert not stale_mark_shown(client, officer)

    queued_broker.send_tasks()  # as with CELERY_BROKER_URL set
    pay(funded, "250000", datetime.date(2021, 3, 1))  # committed: the recompute is queued, not run

    assert queued_broker.client.llen(queued_broker.queue) == 1
    assert list(RecomputeRun.objects.values_list("pk", flat=True)) == [first.pk]
    assert stale_mark_shown(client, officer)
    time.sleep(1)
    assert stale_mark_shown(client, officer)  # nothing in this process runs it

    process, log = queued_broker.start_worker()
    wait_until(
        lambda: (
            RecomputeRun.objects.exclude(pk=first.pk).filter(status=RecomputeRun.Status.SUCCEEDED).first()
        ),
        timeout=90,
        what="the worker's run",
        log=log.read_text,
    )
    assert process.poll() is None
    assert not stale_mark_shown(client, officer)
    assert queued_broker.client.llen(queued_broker.queue) == 0
