"""SPEC §5 guarantees under faults, each provoked for real against the processes of the topology
(docs/faults.md says what each test saw): a recompute lost while the broker was down is queued again by
beat, and with the broker down the pages serve the last snapshot.

No test stops anything the machine shares: each starts its own Redis on a free port (tests/ops/stack.py).
"""

from __future__ import annotations

import datetime
import os
import re
import signal
import time
from types import SimpleNamespace

import pytest
from django.utils import timezone

from performance.models import RecomputeRun, RecomputeState
from performance.services.coalescing import bump_generation
from performance.tasks import recompute_all, recompute_current_year, recompute_stale_years, years_behind
from tests.ops.conftest import succeeded_runs
from tests.ops.stack import Browser, free_port, wait_for_http, wait_until

redis = pytest.importorskip("redis")


STALE = "Stale: changes are waiting for a recompute."


def spending_progress(page: str) -> str:
    """The project page's "spending vs time progress" card: the spending share, e.g. "25.0%"."""
    match = re.search(r"Spending vs time progress</span>\s*<span class=\"value\">([\d.]+%)", page)
    assert match, page[-3000:]
    return match.group(1)


# -- a recompute lost while the broker was down is queued again by beat ----------------------------


@pytest.mark.django_db
def test_beat_queues_a_recompute_for_a_year_whose_enqueue_was_lost(district):
    # What a change does when its enqueue fails: the year's generation moves on, no task is queued.
    bump_generation(year=2021)
    assert years_behind() == [2021]

    # Tasks run eagerly in the tests: the queued recompute runs at once.
    assert recompute_stale_years.delay().get() == [2021]

    state = RecomputeState.objects.get(pk=2021)
    assert state.computed_generation == state.requested_generation == 1
    assert succeeded_runs().count() == 2  # the district's first run, and this one
    assert years_behind() == []
    assert recompute_stale_years.delay().get() == []


@pytest.mark.django_db
def test_a_lost_nightly_run_is_queued_again_by_the_stale_year_check(district, monkeypatch):
    # The nightly message never reaches a worker (a broker that lost it, a worker killed before it ran).
    monkeypatch.setattr(recompute_all, "delay", lambda *args, **kwargs: SimpleNamespace(id="lost"))
    assert recompute_current_year() == "lost"
    assert years_behind() == [2021]  # marked before it was queued
    monkeypatch.undo()

    assert recompute_stale_years.delay().get() == [2021]

    assert succeeded_runs().count() == 2  # the district's first run, and the nightly one made good
    assert years_behind() == []


@pytest.mark.django_db
def test_beat_leaves_a_year_whose_run_failed_after_its_last_change(district):
    bump_generation(year=2021)
    RecomputeRun.objects.create(
        fiscal_year_id=2021,
        as_of=datetime.date(2021, 10, 31),
        started_at=timezone.now(),
        finished_at=timezone.now(),
        status=RecomputeRun.Status.FAILED,
        error="ValueError: the same data fails the same way",
    )
    # Every few minutes the same failure again would only pile up failed runs.
    assert years_behind() == []

    bump_generation(year=2021)  # a new change (or the officer's button) may have fixed it
    assert years_behind() == [2021]


# -- the broker goes down -----------------------------------------------------------------------------


@pytest.mark.parametrize("outage", ["refused", "hung"])
@pytest.mark.postgres
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_the_broker_down_pages_serve_the_last_snapshot_and_changes_wait_for_its_return(
    outage, district, stack
):
    """``refused``: nothing listens at the broker's address (Redis stopped, or not started yet).
    ``hung``: Redis takes connections but never answers (frozen with SIGSTOP; a stuck host, a network
    that drops packets): each try waits for CELERY_BROKER_TIMEOUT, 2 s here."""
    broker_port = free_port()
    if outage == "hung":
        broker, _ = stack.redis(port=broker_port)
    env = stack.environment(
        broker_url=f"redis://127.0.0.1:{broker_port}/0",
        RECOMPUTE_STALE_CHECK_SECONDS="1",
        CELERY_BROKER_TIMEOUT="2",
    )
    web, base_url = stack.web(env)
    worker = stack.worker(env, name="worker")
    beat = stack.beat(env)
    wait_for_http(base_url, web)
    if outage == "hung":
        worker.wait_for_log(r" ready\.")
        os.kill(broker.pid, signal.SIGSTOP)

    admin = Browser(base_url)
    admin.log_in("admin")
    page = admin.get("/projects/2021/PA01/")
    assert (page.status, spending_progress(page.body)) == (200, "25.0%")  # 250,000 of 1,000,000
    assert STALE not in page.body

    # An admin records a payment of 150,000: saved, though its recompute cannot be queued.
    admin.get("/admin/projects/payment/add/")
    started = time.monotonic()
    saved = admin.post(
        "/admin/projects/payment/add/",
        {
            "voucher_no": "V-0002",
            "project": str(district.project.pk),
            "paid_on": "2021-03-02",
            "amount": "150000.00",
            "_save": "Save",
        },
    )
    save_seconds = time.monotonic() - started
    assert saved.status == 302, saved.body[-3000:]
    assert save_seconds < 30, save_seconds  # well inside gunicorn's timeout of 60 s
    web.wait_for_log(r"could not queue the recompute of 2021")
    state = RecomputeState.objects.get(pk=2021)
    assert (state.requested_generation, state.computed_generation) == (1, 0)

    # The page still serves the last snapshot and says it is stale; health says "degraded", 200.
    page = admin.get("/projects/2021/PA01/")
    assert (page.status, spending_progress(page.body)) == (200, "25.0%")
    assert STALE in page.body
    health = Browser(base_url).get("/healthz")
    assert (health.status, health.json()["status"], health.json()["broker"]) == (200, "degraded", "down")

    # The broker comes back on the same address. Worker and beat were never restarted: they
    # reconnect, beat's check for stale years queues the lost recompute and the worker runs it.
    broker_back = time.monotonic()
    if outage == "hung":
        os.kill(broker.pid, signal.SIGCONT)
    else:
        stack.redis(port=broker_port)
    wait_until(
        lambda: succeeded_runs().exclude(pk=district.first_run.pk).exists(),
        timeout=60,
        what="the recompute once the broker is back",
        log=lambda: worker.log() + beat.log(),
    )
    recovery_seconds = time.monotonic() - broker_back
    worker.wait_for_log(r"queued the recompute of stale years \[2021\]")
    page = admin.get("/projects/2021/PA01/")
    assert (page.status, spending_progress(page.body)) == (200, "40.0%")  # 400,000 of 1,000,000
    assert STALE not in page.body
    print(f"broker {outage}: save took {save_seconds:.2f} s; recomputed {recovery_seconds:.1f} s after")
