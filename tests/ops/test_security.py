"""Security settings at work (SPEC §10): login throttling, session limits, HTTPS, CSP, admin, passwords,
upload limits."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db.models import F
from django.test import RequestFactory
from django.urls import reverse

from config import middleware as session_limits
from config.csp import EMPTY, plotly_style_hashes
from config.throttling import client_address
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # the factories' password
OFFICE = "10.1.2.3"  # the whole bureau behind one NAT address
ELSEWHERE = "10.9.9.9"


def log_in(client, username: str, password: str, address: str = OFFICE, **extra):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, **extra
    )


# -- login throttling (django-axes) -----------------------------------------------------------------


def test_five_wrong_passwords_lock_the_username_from_every_address(client, officer):
    for _ in range(4):
        assert log_in(client, "officer", "wrong").status_code == 200  # the form again, with its error
    assert log_in(client, "officer", "wrong").status_code == 429  # the fifth failure locks

    # Even the right password, from another address, waits for the cool-off.
    assert log_in(client, "officer", PASSWORD, address=ELSEWHERE).status_code == 429
    assert "_auth_user_id" not in client.session


def test_one_persons_mistakes_do_not_lock_out_the_office_behind_the_same_address(client, officer):
    UserFactory(username="colleague")
    for _ in range(5):
        log_in(client, "colleague", "wrong")

    response = log_in(client, "officer", PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(officer.pk)


def test_thirty_failures_from_one_address_lock_that_address_for_every_username(client, officer):
    for n in range(29):
        assert log_in(client, f"guess{n}", "wrong").status_code == 200
    assert log_in(client, "guess29", "wrong").status_code == 429  # 30 failures, one per username

    assert log_in(client, "officer", PASSWORD).status_code == 429
    assert log_in(client, "officer", PASSWORD, address=ELSEWHERE).status_code == 302


def test_the_lockout_page_says_for_how_long_logging_in_is_paused(client, officer):
    for _ in range(5):
        response = log_in(client, "officer", "wrong", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 429
    assert response.context["cool_off_minutes"] == 15
    assert "Logging in is paused for 15 minutes" in response.content.decode()
    in_chinese = log_in(client, "officer", PASSWORD, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "登录已暂停 15 分钟" in in_chinese.content.decode()


def test_after_the_cool_off_the_right_password_logs_in(client, officer, settings):
    for _ in range(5):
        log_in(client, "officer", "wrong")
    assert log_in(client, "officer", PASSWORD).status_code == 429

    # The last failure was longer ago than the cool-off (15 minutes).
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
    )

    assert log_in(client, "officer", PASSWORD).status_code == 302


def test_tries_during_the_lockout_neither_count_nor_extend_it(client, officer):
    for _ in range(5):
        log_in(client, "officer", "wrong")
    locked = AccessAttempt.objects.get()

    assert log_in(client, "officer", "wrong").status_code == 429
    assert log_in(client, "officer", PASSWORD).status_code == 429

    after = AccessAttempt.objects.get()
    assert (after.failures_since_start, after.attempt_time) == (5, locked.attempt_time)


def test_admin_login_is_throttled_too(client, admin):
    for _ in range(5):
        response = client.post(
            reverse("admin:login"), {"username": "admin", "password": "wrong"}, REMOTE_ADDR=OFFICE
        )
    assert response.status_code == 429


def test_behind_a_proxy_the_client_address_is_the_one_the_proxy_saw(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 10.20.30.40"
    )  # "1.2.3.4" is what the client claimed; the proxy appended the address it saw
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request) == "10.20.30.40"


# -- sessions ---------------------------------------------------------------------------------------


def age_session(client, **seconds_ago: int) -> None:
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


def test_a_session_ends_after_thirty_idle_minutes(client, officer, settings):
    client.force_login(officer)
    assert client.get(reverse("finance:export_index")).status_code == 200

    age_session(client, **{session_limits.LAST_SEEN_AT: settings.SESSION_IDLE_SECONDS + 1})
    response = client.get(reverse("finance:export_index"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_a_busy_session_still_ends_ten_hours_after_login(client, officer, settings):
    client.force_login(officer)
    age_session(
        client,
        **{
            session_limits.LOGGED_IN_AT: settings.SESSION_ABSOLUTE_SECONDS + 1,
            session_limits.LAST_SEEN_AT: 5,
        },
    )

    response = client.get(reverse("finance:export_index"), follow=True, HTTP_ACCEPT_LANGUAGE="en")

    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    assert any("expired" in str(message) for message in response.context["messages"])


def test_activity_is_recorded_at_most_once_a_minute(client, officer, settings):
    client.force_login(officer)
    logged_in_at = client.session[session_limits.LOGGED_IN_AT]
    assert client.session[session_limits.LAST_SEEN_AT] == logged_in_at  # both clocks start at login

    age_session(client, **{session_limits.LAST_SEEN_AT: settings.SESSION_TOUCH_SECONDS})
    client.get(reverse("finance:export_index"))

    assert client.session[session_limits.LAST_SEEN_AT] >= int(time.time()) - 1
    assert client.session[session_limits.LOGGED_IN_AT] == logged_in_at


def test_the_session_cookie_lives_only_as_long_as_the_browser_and_is_not_readable_by_script(client, officer):
    response = log_in(client, "officer", PASSWORD)
    cookie = response.cookies["sessionid"]

    assert cookie["max-age"] == "" and cookie["expires"] == ""  # gone when the browser closes
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert client.session.get_expiry_age() == 30 * 60  # the idle limit, renewed as the session is used


# -- HTTPS ------------------------------------------------------------------------------------------


@pytest.fixture
def https(settings):
    """What HTTPS=1 and TRUSTED_PROXY_COUNT=1 set (tests/ops/test_settings_deploy.py proves the mapping)."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True


def test_with_https_on_plain_http_is_redirected(client, https):
    response = client.get(reverse("login"))
    assert response.status_code == 301
    assert response.url == "https://testserver/accounts/login/"


def test_with_https_on_cookies_are_secure_and_hsts_is_sent(client, officer, https):
    response = log_in(client, "officer", PASSWORD, HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 302
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response.cookies["sessionid"]["secure"] is True
    assert response.cookies["csrftoken"]["secure"] is True  # rotated at login


def test_with_https_off_no_hsts_is_sent(client):
    assert "Strict-Transport-Security" not in client.get(reverse("login"))


# -- Content-Security-Policy ------------------------------------------------------------------------


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split(";"))}


@pytest.mark.parametrize(
    ("url", "who"),
    [
        ("/accounts/login/", None),
        ("/", "officer"),
        ("/export/", "officer"),
        ("/admin/", "admin"),
        ("/admin/projects/project/add/", "admin"),
    ],
)
def test_every_page_and_the_admin_carry_the_policy(client, officer, admin, url, who):
    if who:
        client.force_login({"officer": officer, "admin": admin}[who])
    response = client.get(url)
    assert response.status_code == 200

    directives = policy(response)

    assert directives["script-src"] == ["'self'"]  # no inline script, no eval, no other host
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in directives["style-src"]


def test_inline_styles_are_allowed_only_by_the_hashes_of_plotlys_own():
    hashes = plotly_style_hashes()
    # The empty text (plotly's <style> elements before it fills them, and its empty style attributes)
    # and the map library's stylesheet bundled in plotly.min.js.
    assert hashes[0] == EMPTY
    assert len(hashes) == 2


# -- admin, passwords, uploads ----------------------------------------------------------------------


def test_django_admin_is_for_staff_only(client, head, admin):
    assert client.get("/admin/").url.startswith(reverse("admin:login"))  # anonymous

    client.force_login(head)  # logged in, but not staff
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))

    client.force_login(admin)
    assert client.get("/admin/").status_code == 200


def test_staff_without_model_permissions_see_no_model_in_the_admin(client):
    clerk = UserFactory(username="clerk", is_staff=True)
    client.force_login(clerk)
    assert client.get("/admin/").context["app_list"] == []
    assert client.get("/admin/projects/project/").status_code == 403


@pytest.mark.parametrize(
    "password",
    [
        "Xy7!short",  # shorter than 10 characters
        "48213907561",  # only digits
        "password123",  # a common password
        "zhangwei2021",  # too like the username
    ],
)
def test_weak_passwords_are_refused(password):
    user = UserFactory.build(username="zhangwei", email="zhangwei@example.gov.cn")
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_a_long_uncommon_password_is_accepted():
    user = UserFactory.build(username="zhangwei")
    validate_password("ledger-willow-cobalt-19", user)


def test_a_form_post_larger_than_the_limit_is_refused(client, settings):
    body = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post(reverse("login"), {"username": "officer", "password": body})
    assert response.status_code == 400


def test_an_import_file_over_the_configured_size_is_refused_before_it_is_read(client, officer, settings):
    client.force_login(officer)
    too_large = settings.IMPORT_MAX_UPLOAD_BYTES + 1024 * 1024  # 25 MB by default, plus 1 MB
    response = client.post(reverse("finance:import"), {"kind": "departments"}, CONTENT_LENGTH=str(too_large))
    assert response.status_code == 413


# -- caching: nothing scoped is kept by a shared proxy -------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/departments/A01/",
        "/projects/",
        "/projects/?export=csv",
        "/projects/?export=xlsx",
        "/export/",
        "/export/projects.csv",
        "/export/payments.xlsx",
        "/no-such-page/",
    ],
)
def test_pages_and_exports_are_private_and_never_stored(client, head, url):
    client.force_login(head)

    response = client.get(url)

    assert response.status_code in (200, 404)
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives


def test_the_login_page_is_not_stored_either(client):
    directives = {part.strip() for part in client.get(reverse("login"))["Cache-Control"].split(",")}

    assert {"private", "no-store"} <= directives


def test_static_files_keep_their_own_caching(client, settings):
    response = client.get(settings.STATIC_URL + "css/app.css")

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
