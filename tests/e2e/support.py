"""What the end-to-end tests do as a person would, written once."""

from __future__ import annotations

#: The password of every user tests.factories.UserFactory makes.
FACTORY_PASSWORD = "correct-horse-battery"


def log_in(page, live_server, username: str, password: str = FACTORY_PASSWORD) -> None:
    """Sign in through the login form, as a person does, and wait for the landing page."""
    page.goto(f"{live_server.url}/accounts/login/")
    submit_login(page, username, password)


def log_in_from_the_start(page, live_server, username: str) -> None:
    """Open the overview, which sends an anonymous person to the login form, and sign in there."""
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    submit_login(page, username, FACTORY_PASSWORD)


def submit_login(page, username: str, password: str) -> None:
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")
