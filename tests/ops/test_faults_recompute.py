"""SPEC §5 guarantees under faults, each provoked for real against the processes of the topology
(docs/faults.md says what each test saw): a worker is killed mid-recompute, two workers get twenty
triggers at once, the database restarts.

No test stops anything the machine shares: each starts its own Redis on a free port, and the
database "restart" drops only the app's connections, through a proxy (tests/ops/stack.py).
"""

from __future__ import annotations

import datetime
import itertools
import os
import re
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from decimal import Decimal

import psycopg
import pytest
from django.db import connection

from config.celery import app as celery_app
from performance.models import ProgressSnapshot, RecomputeRun, RecomputeState, RunFigures, ScopeKind
from performance.services.recompute import ADVISORY_LOCK_CLASS
from tests.ops.conftest import succeeded_runs
from tests.ops.production import ROOT
from tests.ops.stack import Browser, DatabaseProxy, database_url, wait_for_http, wait_until

redis = pytest.importorskip("redis")

BUSY = "is busy: another run holds the year's lock"


# -- helpers for the tests below: the database's view of a recompute --------------------------------


#: The recompute writes this table after its progress snapshots; a test that holds a SHARE lock on it
#: stalls a run in the middle of its transaction, with the year's advisory lock taken.
STALL_TABLE = RunFigures._meta.db_table


def advisory_lock_holders(year: int = 2021) -> set[int]:
    """Backends holding the year's recompute lock (``pg_try_advisory_xact_lock(class, year)``)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND classid::bigint = %s AND objid::bigint = %s"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            [ADVISORY_LOCK_CLASS, year],
        )
        return {pid for (pid,) in cursor.fetchall()}


def stalled_recompute() -> int | None:
    """The backend of a recompute that holds the year's lock and waits for the stall table, if any."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
        waiting = {pid for (pid,) in cursor.fetchall()}
    holders = advisory_lock_holders() & waiting
    return holders.pop() if holders else None


def backend_exists(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone() is not None


@contextmanager
def stall_table():
    """Hold a SHARE lock on the stall table from a connection of our own until ``release()``."""
    db = connection.settings_dict
    holder = psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"] or "postgres",
        password=db["PASSWORD"] or None,
        dbname=db["NAME"],
    )
    holder.execute(f"LOCK TABLE {STALL_TABLE} IN SHARE MODE")
    try:
        yield holder.rollback
    finally:
        holder.close()


def save_payments(env: dict, *, project_id: int, count: int, amount: str, prefix: str) -> None:
    """``count`` payments saved at once, each in its own transaction, by as many threads of a process
    with the app's settings: each commit bumps the year's generation and queues a recompute."""
    script = f"""
import datetime, threading
from decimal import Decimal
import django
django.setup()
from django.db import connection
from projects.models import Payment
start = threading.Barrier({count})
def save(number):
    start.wait()
    Payment.objects.create(project_id={project_id}, voucher_no=f"{prefix}-{{number:03d}}",
                           amount=Decimal("{amount}"), paid_on=datetime.date(2021, 3, 2))
    connection.close()
threads = [threading.Thread(target=save, args=(n,)) for n in range({count})]
for thread in threads: thread.start()
for thread in threads: thread.join()
print("saved", Payment.objects.filter(voucher_no__startswith="{prefix}-").count())
"""
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and f"saved {count}" in done.stdout, done.stdout + done.stderr


def district_spent(run: RecomputeRun) -> Decimal:
    return ProgressSnapshot.objects.get(run=run, scope_kind=ScopeKind.DISTRICT).spent


def overlapping(runs: list[RecomputeRun]) -> list[tuple[int, int]]:
    """Pairs of runs whose [started_at, finished_at] intervals overlap."""
    ordered = sorted(runs, key=lambda run: run.started_at)
    return [(a.pk, b.pk) for a, b in itertools.pairwise(ordered) if b.started_at < a.finished_at]


# -- a worker killed with SIGKILL during a recompute -------------------------------------------------


@pytest.mark.parametrize("victim", ["worker", "pool-process"])
@pytest.mark.postgres
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_killed_mid_recompute_leaves_the_previous_run_and_no_lock_and_the_task_completes(
    victim, district, stack
):
    """``worker``: the whole worker dies (a solo pool; the machine or container goes): its task comes
    back from Redis after the visibility timeout to the worker that replaces it. ``pool-process``: a
    prefork child dies (the kernel's OOM killer): the worker puts the task back at once."""
    first_snapshots = ProgressSnapshot.objects.filter(run=district.first_run).count()
    _, broker_url = stack.redis()
    env = stack.environment(
        broker_url=broker_url, CELERY_VISIBILITY_TIMEOUT="3", RECOMPUTE_BUSY_RETRY_SECONDS="1"
    )
    pool = "solo" if victim == "worker" else "prefork"
    worker = stack.worker(env, name="worker", pool=pool)
    worker.wait_for_log(r" ready\.")

    with stall_table() as release:
        save_payments(env, project_id=district.project.pk, count=1, amount="150000", prefix="KILL")
        stalled = wait_until(stalled_recompute, timeout=30, what="a recompute to stall", log=worker.log)
        # Mid-run: the new run's rows are written but not committed, so nobody else sees them.
        assert list(RecomputeRun.objects.filter(fiscal_year_id=2021)) == [district.first_run]
        killed_at = time.monotonic()
        if victim == "worker":
            worker.kill()
        else:
            (child,) = worker.children()
            os.kill(child, signal.SIGKILL)
        # PostgreSQL polls the dead client's socket (client_connection_check_interval) and ends the
        # session while its statement is still stalled: the transaction rolls back and its advisory
        # lock goes with it, without waiting for the statement to finish for nobody.
        wait_until(lambda: not backend_exists(stalled), timeout=15, what="the killed worker's session to end")
        release()
    assert stalled not in advisory_lock_holders()
    if victim == "worker":
        assert advisory_lock_holders() == set()  # nothing else runs: no lock is left at all
    runs = list(RecomputeRun.objects.filter(fiscal_year_id=2021))
    assert [run.pk for run in runs if run.status != RecomputeRun.Status.SUCCEEDED] == []  # no half-run
    assert ProgressSnapshot.objects.filter(run=district.first_run).count() == first_snapshots
    assert district_spent(district.first_run) == Decimal("250000.00")  # the previous run, intact

    if victim == "worker":
        worker = stack.worker(env, name="replacement", pool="solo")
    done = wait_until(
        lambda: succeeded_runs().exclude(pk=district.first_run.pk).first(),
        timeout=40,
        what="the task to be delivered again and complete",
        log=worker.log,
    )
    assert district_spent(done) == Decimal("400000.00")  # 250,000 + the payment of 150,000
    if victim == "worker":
        worker.wait_for_log(r"Task performance\.tasks\.recompute_all\[[\w-]+\] received")
    else:
        worker.wait_for_log(r"WorkerLostError\('Worker exited prematurely: signal 9 \(SIGKILL\)")
    state = RecomputeState.objects.get(pk=2021)
    assert state.computed_generation == state.requested_generation == 1
    print(f"SIGKILL ({victim}): recomputed {time.monotonic() - killed_at:.1f} s after the kill")


# -- two workers, twenty triggers at once ------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_and_twenty_triggers_at_once_never_run_two_recomputes_together(district, stack):
    _, broker_url = stack.redis()
    broker = redis.Redis.from_url(broker_url)
    env = stack.environment(
        broker_url=broker_url, RECOMPUTE_BUSY_RETRY_SECONDS="1", RECOMPUTE_KEEP_RUNS="100"
    )
    workers = [stack.worker(env, name=name) for name in ("worker-1", "worker-2")]
    for worker in workers:
        worker.wait_for_log(r" ready\.")
    logs = lambda: "".join(worker.log() for worker in workers)  # noqa: E731

    def settled(changes: int) -> None:
        """Wait for a run that covers ``changes`` requests, and for every task (retries included)."""
        wait_until(
            lambda: (
                RecomputeState.objects.filter(pk=2021, computed_generation=changes).exists()
                and broker.llen("celery") == 0
                and broker.hlen("unacked") == 0
            ),
            timeout=60,
            what=f"a run that covers {changes} changes, and every task done",
            log=logs,
        )

    # Round 1: one run is held in the middle of its transaction while twenty triggers arrive, so that
    # the other worker certainly tries the year while it is locked.
    with stall_table() as release:
        save_payments(env, project_id=district.project.pk, count=20, amount="10000", prefix="BURST1")
        wait_until(stalled_recompute, timeout=30, what="a recompute to hold the year", log=logs)
        wait_until(lambda: BUSY in logs(), timeout=30, what="a try turned away by the lock", log=logs)
        assert len(advisory_lock_holders()) == 1
        release()
    settled(20)
    # Round 2: twenty more, with nothing held: the workers race each other as they come.
    save_payments(env, project_id=district.project.pk, count=20, amount="10000", prefix="BURST2")
    settled(40)

    state = RecomputeState.objects.get(pk=2021)
    assert state.requested_generation == 40  # forty commits, forty requests
    runs = list(succeeded_runs())
    assert not RecomputeRun.objects.exclude(status=RecomputeRun.Status.SUCCEEDED).exists()
    assert overlapping(runs) == []
    latest = max(runs, key=lambda run: run.started_at)
    assert district_spent(latest) == Decimal("650000.00")  # 250,000 + 40 × 10,000
    received = [
        len(re.findall(r"Task performance\.tasks\.recompute_all\[[\w-]+\] received", w.log()))
        for w in workers
    ]
    assert all(received)  # both workers took part
    print(
        f"forty triggers: {len(runs) - 1} runs; tasks received per worker {received}; "
        f"{logs().count(BUSY)} turned away by the lock, {logs().count('skipped: run')} skipped"
    )


# -- the database restarts ---------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.celery_worker
@pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored")  # the test process is eager
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_web_and_worker_recover_from_a_database_restart_without_restarting(district, stack):
    db = connection.settings_dict
    proxy = DatabaseProxy((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
    proxy.start()
    _, broker_url = stack.redis()
    env = stack.environment(broker_url=broker_url, database=database_url(port=proxy.port))
    web, base_url = stack.web(env)  # one process: the same connection serves every request
    worker = stack.worker(env, name="worker")
    wait_for_http(base_url, web)
    worker.wait_for_log(r" ready\.")
    officer = Browser(base_url)
    officer.log_in("officer")
    probe = Browser(base_url)  # the load balancer's health probe, with no session

    def recompute_now() -> None:
        queued = officer.post("/recompute/", {"year": "2021"})
        assert queued.status == 202, queued.body[-2000:]
        status_url = queued.json()["status_url"]
        wait_until(lambda: officer.get(status_url).json()["done"], timeout=30, what="a run", log=worker.log)

    assert officer.get("/projects/2021/PA01/").status == 200
    recompute_now()  # web keeps its connection open now (CONN_MAX_AGE)

    # 1. The server ends the sessions (as a restart does, or an administrator): web's connection looks
    # open to it; the health check on its first use in a request (CONN_HEALTH_CHECKS) finds it dead.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        # Web's; Celery closes Django's connections around every task, so the worker holds none now.
        assert cursor.fetchone()[0] >= 1
    assert officer.get("/projects/2021/PA01/").status == 200
    recompute_now()
    assert "Retry in" not in worker.log()

    # 2. The restart: every connection is dropped and new ones are refused for a while.
    proxy.stop()
    down = probe.get("/healthz")
    assert (down.status, down.json()["database"]) == (503, "down")  # out of the load balancer
    assert officer.get("/projects/2021/PA01/").status == 500  # an outage is an outage
    with celery_app.connection_for_write(broker_url) as broker_connection:
        celery_app.send_task(
            "performance.tasks.recompute_all", args=[2021, "2021-06-30"], connection=broker_connection
        )
    worker.wait_for_log(r"Retry in \d+s: OperationalError")
    time.sleep(1)
    proxy.start()

    # The same processes serve again: the next request reconnects, the task's retry succeeds.
    assert officer.get("/projects/2021/PA01/").status == 200
    assert probe.get("/healthz").json() == {"status": "ok", "database": "ok", "broker": "ok"}
    wait_until(
        lambda: succeeded_runs().filter(as_of=datetime.date(2021, 6, 30)).exists(),
        timeout=60,
        what="the retried recompute",
        log=worker.log,
    )
    assert web.alive and worker.alive
    assert web.log().count("Booting worker with pid") == 1  # gunicorn never replaced its process
    proxy.stop()
