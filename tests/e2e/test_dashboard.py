"""The dashboard in a real browser, on the demo district: every page as officer and as head, the
drill from a department to a project, the language switch, and no request leaving the host.

Screenshots of every page land in the git-ignored ``screenshots/`` folder for a person to look at.
"""

from __future__ import annotations

import datetime

import pytest

from demo.seed import seed_demo
from finance.models import Department, DepartmentMembership
from performance.services import recompute_all
from tests.e2e.support import log_in as sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-password-for-e2e"


@pytest.fixture
def demo_district():
    """The demo district with 2020 and 2021 computed, as `make run` serves it."""
    seed_demo(password=PASSWORD)
    recompute_all(year=2020, as_of=datetime.date(2020, 12, 31))
    recompute_all(year=2021)
    membership = DepartmentMembership.objects.select_related("department").get(user__username="head")
    return membership.department


def log_in(page, live_server, username: str) -> None:
    """Sign in with the demo's password."""
    sign_in(page, live_server, username, PASSWORD)


def open_page(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    # Every chart block on the page was drawn by static/js/charts.js from its JSON.
    blocks = page.locator(".chart-block").count()
    assert page.locator(".chart-block .main-svg").count() >= blocks


def shoot(page, screenshot_dir, name: str) -> None:
    page.screenshot(path=screenshot_dir / f"{name}.png", full_page=True)


def test_officer_sees_every_page_and_drills_from_a_department_to_a_project(
    page, live_server, demo_district, screenshot_dir, outside_requests
):
    log_in(page, live_server, "officer")
    assert page.url == f"{live_server.url}/"
    cards = page.locator(".cards").inner_text()
    assert "81.6%" in cards  # livelihood share: 88.5 亿 ÷ 108.45 亿 of general-budget spending
    assert "5.29" in cards and "81.9%" in cards  # direct funds received 5.29 亿, 4.33 ÷ 5.29 spent
    assert page.locator(".chart-block").count() == 4
    shoot(page, screenshot_dir, "overview-officer")

    for path, name in (
        ("/leaderboard/", "leaderboard-officer"),
        ("/projects/", "projects-officer"),
        ("/progress/", "warnings-officer"),
        ("/evaluations/", "evaluations-officer"),
        ("/adjustments/?year=2020", "adjustments-officer"),
        ("/direct-funds/", "direct-funds-officer"),
    ):
        open_page(page, live_server.url + path)
        shoot(page, screenshot_dir, name)
    page.goto(f"{live_server.url}/evaluations/")
    summary = page.locator("table.narrow tfoot").inner_text()
    assert "24" in summary and "18.97" in summary  # 24 finalised key evaluations involving 18.97 亿

    # Leaderboard → department → project.
    open_page(page, f"{live_server.url}/leaderboard/")
    page.click(f"table.table >> text={demo_district.name}")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/departments/{demo_district.code}/")
    assert page.locator("h1").inner_text().startswith(demo_district.name)
    shoot(page, screenshot_dir, "department-officer")
    # The projects table is the page's last (its rectification items and units come first).
    first_project = page.locator("table.table").last.locator("tbody tr td a").first
    project_code = first_project.inner_text()
    first_project.click()
    page.wait_for_load_state("networkidle")
    assert f"/projects/2021/{project_code}/" in page.url
    assert page.locator(".chart-block .main-svg").count() >= 1
    assert page.locator("h2", has_text="变更记录").count() == 1  # officers see the change history
    shoot(page, screenshot_dir, "project-officer")

    # The recompute button queues a run and reports it done without a reload.
    open_page(page, f"{live_server.url}/")
    page.click("form[data-recompute] button")
    page.wait_for_selector(".recompute-progress a", timeout=20_000)
    assert "完成" in page.locator(".recompute-progress").inner_text()

    assert outside_requests == []


def test_head_lands_on_their_department_sees_their_row_and_switches_language(
    page, live_server, demo_district, screenshot_dir, outside_requests
):
    log_in(page, live_server, "head")
    assert page.url.endswith(f"/departments/{demo_district.code}/")
    body = page.locator("main").inner_text()
    assert "短板" in body  # weak spots at a glance
    nav = page.locator("nav").inner_text()
    assert "导入" not in nav and "直达资金" not in nav and "管理后台" not in nav
    shoot(page, screenshot_dir, "department-head")

    open_page(page, f"{live_server.url}/leaderboard/")
    own = page.locator("table.table tr.own")
    assert own.count() == 1 and demo_district.name in own.inner_text()
    shoot(page, screenshot_dir, "leaderboard-head")

    for path, name in (
        ("/", "overview-head"),
        ("/projects/", "projects-head"),
        ("/progress/", "warnings-head"),
        ("/evaluations/", "evaluations-head"),
        ("/adjustments/?year=2020", "adjustments-head"),
    ):
        open_page(page, live_server.url + path)
        shoot(page, screenshot_dir, name)

    other = Department.objects.exclude(pk=demo_district.pk).order_by("code").first()
    response = page.goto(f"{live_server.url}/departments/{other.code}/")
    assert response.status == 404

    open_page(page, f"{live_server.url}/departments/{demo_district.code}/")
    page.locator("table.table").last.locator("tbody tr td a").first.click()
    page.wait_for_load_state("networkidle")
    assert "/projects/2021/" in page.url
    assert page.locator("h2", has_text="变更记录").count() == 0  # the change history is for officers
    shoot(page, screenshot_dir, "project-head")

    page.click("button[value=en]")
    page.wait_for_load_state("networkidle")
    assert "Where the figures came from" in page.locator("main").inner_text()
    open_page(page, f"{live_server.url}/leaderboard/")
    assert "Incremental performance leaderboard" in page.locator("h1").inner_text()
    shoot(page, screenshot_dir, "leaderboard-head-en")
    open_page(page, f"{live_server.url}/departments/{demo_district.code}/")
    assert "Weak spots" in page.locator("main").inner_text()
    shoot(page, screenshot_dir, "department-head-en")

    assert outside_requests == []
