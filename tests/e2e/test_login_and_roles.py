"""Each persona logs in through the browser, lands where it should, and nothing leaves the host."""

from __future__ import annotations

import pytest

from tests.e2e.support import log_in_from_the_start as log_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_each_role_logs_in_and_sees_its_own_scope(
    page, live_server, small_district, officer, head, screenshot_dir, outside_requests
):
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.locator("h1").inner_text() == "登录"
    page.screenshot(path=screenshot_dir / "login-zh.png", full_page=True)

    log_in(page, live_server, "officer")
    assert page.url == f"{live_server.url}/"
    page.goto(f"{live_server.url}/projects/")
    body = page.locator("main").inner_text()
    assert "区教育体育局" in body and "区卫生健康委员会" in body
    page.screenshot(path=screenshot_dir / "projects-officer-small.png", full_page=True)
    page.click("text=退出")
    page.wait_for_load_state("networkidle")

    log_in(page, live_server, "head")
    page.goto(f"{live_server.url}/start/")  # where a login without a "next" page lands
    assert page.url.endswith("/departments/A01/")
    page.goto(f"{live_server.url}/projects/")
    body = page.locator("main").inner_text()
    assert "区教育体育局" in body and "区卫生健康委员会" not in body
    assert page.locator("nav >> text=管理后台").count() == 0
    page.screenshot(path=screenshot_dir / "projects-head-small.png", full_page=True)

    page.click("button[value=en]")
    page.wait_for_load_state("networkidle")
    assert "Log out" in page.locator("header").inner_text()
    page.screenshot(path=screenshot_dir / "home-head-en.png", full_page=True)

    assert outside_requests == []


def test_admin_reaches_django_admin_with_the_district(
    page, live_server, small_district, screenshot_dir, outside_requests
):
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    log_in(page, live_server, "admin")
    page.goto(f"{live_server.url}/admin/finance/department/")
    assert "区教育体育局" in page.locator("#result_list").inner_text()
    page.screenshot(path=screenshot_dir / "admin-departments.png", full_page=True)
    page.goto(f"{live_server.url}/admin/projects/project/")
    assert page.locator("#result_list tbody tr").count() == 6
    page.screenshot(path=screenshot_dir / "admin-projects.png", full_page=True)
    # A change form with its autocomplete widgets and a payment's date picker, under the CSP.
    page.click("#result_list tbody tr th a")
    page.locator(".field-unit .select2-selection").click()
    page.wait_for_selector(".select2-results__option")
    page.keyboard.press("Escape")
    page.goto(f"{live_server.url}/admin/projects/payment/add/")
    page.click(".datetimeshortcuts a:not(:first-child)")
    assert page.locator(".calendarbox").first.is_visible()
    assert outside_requests == []
