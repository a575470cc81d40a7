"""SPEC §5, §6: every page says when its figures were computed and whether they are stale; an officer's
"recompute now" queues a run (tasks run eagerly in the tests) and its status says when it is done."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from finance.models import FiscalYear
from performance.models import RecomputeRun, RecomputeState
from performance.services.coalescing import bump_generation
from tests.district import AS_OF
from tests.performance.conftest import pay
from tests.reading import cards, get

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/leaderboard/",
    "/departments/A01/",
    "/projects/",
    "/progress/",
    "/evaluations/",
    "/adjustments/",
]


def status_bar(response) -> str:
    html = response.content.decode()
    start = html.index('<div class="status-bar')
    return html[start : html.index("</div>", start)]


def computed_at(run: RecomputeRun) -> str:
    with translation.override("zh-hans"):
        return date_format(timezone.localtime(run.finished_at), "DATETIME_FORMAT")


def as_of_shown() -> str:
    with translation.override("zh-hans"):
        return date_format(AS_OF, "DATE_FORMAT")


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("persona", ["officer", "head"])
def test_each_page_says_as_of_when_and_when_its_figures_were_computed(
    client, district, request, persona, url
):
    bar = status_bar(get(client, request.getfixturevalue(persona), url))

    assert 'class="status-bar"' in bar  # fresh: not marked stale
    assert as_of_shown() in bar  # 2021年10月31日
    assert computed_at(district.run) in bar
    assert "stale-mark" not in bar


def test_project_page_says_when_its_figures_were_computed(client, district, head):
    bar = status_bar(get(client, head, "/projects/2021/PA01/"))

    assert computed_at(district.run) in bar and "stale-mark" not in bar


def test_a_change_waiting_for_its_recompute_marks_every_page_stale(client, district, head):
    # What a committed payment does before the worker has run: the year's generation moves on.
    bump_generation(year=2021)

    for url in [*PAGES, "/projects/2021/PA01/"]:
        bar = status_bar(get(client, head, url))
        assert 'class="status-bar stale"' in bar, url
        assert "stale-mark" in bar and computed_at(district.run) in bar, url


def test_stale_pages_keep_showing_the_last_runs_figures(client, district, officer):
    pay(district.projects["PC01"], "1000000.00", datetime.date(2021, 10, 8))
    bump_generation(year=2021)

    response = get(client, officer, "/")

    assert cards(response)[1] == ["1.49"]  # still the run's 14,900 万元, not 15,000
    assert "stale" in status_bar(response)


def test_saving_a_payment_recomputes_on_commit_and_the_page_is_fresh_again(
    client, district, officer, django_capture_on_commit_callbacks
):
    state_before = RecomputeState.objects.get(pk=2021)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        pay(district.projects["PC01"], "1000000.00", datetime.date(2021, 10, 8))

    assert len(callbacks) == 1
    state = RecomputeState.objects.get(pk=2021)
    assert state.requested_generation == state_before.requested_generation + 1
    assert not state.is_behind  # the eager task has run
    newest = RecomputeRun.objects.filter(status="succeeded").latest("started_at", "pk")
    assert newest != district.run
    response = get(client, officer, "/")
    # Spent 14,900 + 100 = 15,000 万元 = 1.50 亿元.
    assert cards(response)[1] == ["1.50"]
    assert 'class="status-bar"' in status_bar(response)  # fresh again
    assert computed_at(newest) in status_bar(response)


def test_moving_the_as_of_date_marks_the_figures_stale(client, district, head):
    FiscalYear.objects.filter(pk=2021).update(data_as_of=datetime.date(2021, 11, 30))

    assert 'class="status-bar stale"' in status_bar(get(client, head, "/"))


def test_a_failed_recompute_is_said_and_the_previous_runs_figures_stay(client, district, officer):
    RecomputeRun.objects.create(
        fiscal_year_id=2021,
        as_of=AS_OF,
        started_at=district.run.started_at + datetime.timedelta(minutes=5),
        finished_at=district.run.finished_at + datetime.timedelta(minutes=5),
        status=RecomputeRun.Status.FAILED,
        error="OperationalError: the database went away",
    )

    response = get(client, officer, "/")

    assert 'class="error"' in status_bar(response)
    assert cards(response)[0] == ["2.30"]
    status = client.get(reverse("performance:recompute_status"), {"year": "2021"}).json()
    assert status["failed"] is True and "the database went away" in status["error"]
    assert status["run"] == district.run.pk


# -- the officer's button -----------------------------------------------------------------------------


def test_officer_sees_the_recompute_button_and_a_head_does_not(client, district, officer, head):
    assert 'action="/recompute/"' in status_bar(get(client, officer, "/"))
    assert 'action="/recompute/"' not in get(client, head, "/").content.decode()


def test_officer_recompute_returns_202_with_a_status_url_and_the_status_says_done_after_the_run(
    client, district, officer, django_capture_on_commit_callbacks
):
    client.force_login(officer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("performance:recompute"), {"year": "2021"})

    assert response.status_code == 202
    status_url = response.json()["status_url"]
    assert status_url == "/recompute/status?year=2021"
    status = client.get(status_url)
    assert status.status_code == 200
    assert "no-cache" in status["Cache-Control"]  # polled: never served from a cache
    answer = status.json()
    newest = RecomputeRun.objects.filter(status="succeeded").latest("started_at", "pk")
    assert newest != district.run  # the button asked for a change: a new run, not a skipped one
    assert answer["done"] is True and answer["failed"] is False
    assert answer["run"] == newest.pk
    assert answer["computed_at"] == newest.finished_at.isoformat()
    assert as_of_shown() in answer["message"]


def test_status_says_not_done_while_a_change_waits_for_its_run(client, district, officer):
    bump_generation(year=2021)
    client.force_login(officer)

    answer = client.get(reverse("performance:recompute_status"), {"year": "2021"}).json()

    assert answer["done"] is False
    assert answer["run"] == district.run.pk


def test_status_of_a_year_never_computed_is_not_done(client, district, officer):
    client.force_login(officer)

    answer = client.get(reverse("performance:recompute_status"), {"year": "2020"}).json()

    assert (answer["done"], answer["run"], answer["computed_at"]) == (False, None, None)


@pytest.mark.parametrize("year", ["", "abc", "1999", "2022"])
def test_recompute_of_an_unknown_year_is_refused_and_nothing_runs(client, district, officer, year):
    client.force_login(officer)
    runs = RecomputeRun.objects.count()

    response = client.post(reverse("performance:recompute"), {"year": year})

    assert response.status_code == 400
    assert "error" in json.loads(response.content)
    assert RecomputeRun.objects.count() == runs


def test_status_without_a_year_is_refused(client, district, officer):
    client.force_login(officer)

    assert client.get(reverse("performance:recompute_status")).status_code == 400


def test_head_gets_404_on_recompute_and_its_status(client, district, head):
    client.force_login(head)

    assert client.post(reverse("performance:recompute"), {"year": "2021"}).status_code == 404
    assert client.get(reverse("performance:recompute_status"), {"year": "2021"}).status_code == 404


def test_recompute_of_last_year_computes_it_as_of_its_own_date(
    client, district, officer, django_capture_on_commit_callbacks
):
    client.force_login(officer)

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("performance:recompute"), {"year": "2020"}).status_code == 202

    run = RecomputeRun.objects.get(fiscal_year_id=2020, status="succeeded")
    assert run.as_of == datetime.date(2020, 12, 31)
    response = get(client, officer, "/", year="2020")
    # 2020: PA01 10,000 + PB01 4,000 = 14,000 万元 = 1.40 亿元; 8,400 万元 spent = 0.84 亿元.
    assert cards(response)[:2] == [["1.40"], ["0.84"]]
    assert Decimal(cards(response)[2][0].rstrip("%")) == Decimal("60.0")  # 8,400 / 14,000
