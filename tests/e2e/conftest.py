"""End-to-end tests: Debian's Chromium driven by playwright against the live test server."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.factories import BudgetUnitFactory, FiscalYearFactory, ProjectFactory

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"

# playwright's sync API runs an event loop in this thread; the test's own ORM calls are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if not Path(CHROMIUM).exists():
        skip = pytest.mark.skip(reason="Debian's chromium is not installed (apt-get install -y chromium)")
        for item in items:
            if "e2e" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1366, "height": 900}, "locale": "zh-CN"}


@pytest.fixture
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def outside_requests(page, live_server):
    """Every request the page makes to a host other than the live server's."""
    seen: list[str] = []
    host = live_server.url.split("//", 1)[1]

    def record(request):
        if not request.url.split("//", 1)[-1].startswith(host) and not request.url.startswith("data:"):
            seen.append(request.url)

    page.on("request", record)
    return seen


#: Reports each Content-Security-Policy violation of the page to the test, as it happens.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__reportCspViolation([
    event.effectiveDirective, event.blockedURI || "inline", event.sourceFile + ":" + event.lineNumber,
    (event.sample || "").slice(0, 80),
  ].join(" "));
});
"""


@pytest.fixture(autouse=True)
def csp_violations(request):
    """Fails any browser test whose pages break the Content-Security-Policy (SPEC §10).

    Listens both for the page's ``securitypolicyviolation`` events and for the browser's console
    errors about the policy, so that a violation in a frame or before the listener is caught too.
    """
    if "page" not in request.fixturenames:
        yield []
        return
    page = request.getfixturevalue("page")
    seen: list[str] = []

    def report(violation: str) -> None:
        seen.append(violation)

    page.expose_function("__reportCspViolation", report)
    page.add_init_script(CSP_LISTENER)

    def console(message):
        if message.type == "error" and "Content Security Policy" in message.text:
            seen.append(f"console: {message.text}")

    page.on("console", console)
    yield seen
    if seen:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(seen), pytrace=False)


@pytest.fixture
def small_district(department_a, department_b):
    """2021 with one unit and three projects in each of departments A and B."""
    FiscalYearFactory(year=2021, is_current=True)
    for department in (department_a, department_b):
        unit = BudgetUnitFactory(department=department)
        for _ in range(3):
            ProjectFactory(unit=unit)
