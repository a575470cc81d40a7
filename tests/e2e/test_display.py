"""What the browser draws (issues 14 and 15): a hostile department name stays text in every chart's
SVG; the project change form in admin fits a laptop; on a phone the leaderboard reaches Δ and no
chart toolbar sits on a chart's title."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import override_settings

from tests.district import build_district
from tests.e2e.support import FACTORY_PASSWORD, log_in
from tests.factories import IndicatorFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HOSTILE = '<a href="https://evil.example/">click</a>'


@pytest.fixture
def hostile_district(department_a, department_b):
    """The page tests' district, its department A named like a link (a head's own department)."""
    department_a.name = HOSTILE
    department_a.save()
    with override_settings(RECOMPUTE_ON_CHANGE=False):
        district = build_district(department_a, department_b)
    district.recompute()
    return district


def drawn(page) -> None:
    """Waits until every chart block of the page has its SVG."""
    page.wait_for_load_state("networkidle")
    blocks = page.locator(".chart-block").count()
    assert blocks >= 1
    page.wait_for_function("n => document.querySelectorAll('.chart-block .main-svg').length >= n", arg=blocks)


def test_a_department_named_like_a_link_is_text_in_every_charts_svg(
    page, live_server, hostile_district, head, screenshot_dir
):
    log_in(page, live_server, "head")

    # The department's dimension profile (its legend), the leaderboard's increments (a tick label)
    # and the overview's treemap (a tile's label), as the head of that department sees them.
    for path, name in (
        ("/departments/A01/", "department"),
        ("/leaderboard/", "leaderboard"),
        ("/", "overview"),
    ):
        page.goto(live_server.url + path)
        drawn(page)
        assert page.locator(".chart-block svg a").count() == 0, path
        drawn_text = " ".join(
            page.locator(".chart-block svg").evaluate_all("nodes => nodes.map(node => node.textContent)")
        )
        assert HOSTILE in drawn_text, path  # drawn as the characters it has
        page.screenshot(path=screenshot_dir / f"hostile-name-{name}.png", full_page=True)


def test_project_change_form_in_admin_fits_a_laptop_screen(page, live_server, hostile_district, admin):
    project = hostile_district.projects["PA01"]
    for n, name in enumerate(("服务覆盖人次", "单位服务成本", "社会效益", "服务对象满意度")):
        IndicatorFactory(
            project=project,
            level1="产出指标",
            level2="服务对象满意度指标",
            name=name,
            target_value=Decimal("4550.0000"),
            actual_value=Decimal("4200.4330"),
            weight=Decimal("20.00") + n,
        )
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", FACTORY_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/admin/projects/project/{project.pk}/change/")
    page.wait_for_load_state("networkidle")

    assert page.locator("#indicators-group tr.has_original").count() == 4
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    yield context.new_page()
    context.close()


def test_on_a_phone_the_leaderboard_reaches_the_change_and_no_toolbar_covers_a_title(
    phone, live_server, hostile_district, officer, screenshot_dir
):
    log_in(phone, live_server, "officer")

    phone.goto(f"{live_server.url}/leaderboard/")
    drawn(phone)
    delta = phone.locator("table.leaderboard thead th", has_text="比上年增减").bounding_box()
    assert delta is not None and delta["x"] + delta["width"] <= 390  # Δ in view without scrolling
    phone.screenshot(path=screenshot_dir / "leaderboard-phone.png", full_page=True)

    phone.goto(f"{live_server.url}/")
    drawn(phone)
    # Each chart's title is text above the chart, which has no toolbar to sit on it.
    titles = phone.locator(".chart-block .chart-title").all_inner_texts()
    assert len(titles) == phone.locator(".chart-block").count()
    assert "2021年各月末累计支出" in titles
    assert phone.locator(".chart-block .modebar").count() == 0
    phone.screenshot(path=screenshot_dir / "overview-phone.png", full_page=True)
