"""Session limits: a session ends after a spell of inactivity and, however busy, after a working day.

The idle limit is also the session's lifetime in the store (``SESSION_COOKIE_AGE``), renewed when the
session is saved; saving it on every request would cost a write per page, so the last activity is
written at most once a ``SESSION_TOUCH_SECONDS`` and the idle limit holds to within that much.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext

#: Session keys: when the user logged in and when they were last seen, in seconds since the epoch.
LOGGED_IN_AT = "_session_logged_in_at"
LAST_SEEN_AT = "_session_last_seen_at"


@receiver(user_logged_in, dispatch_uid="config.middleware.stamp_login")
def stamp_login(sender, request: HttpRequest, user, **kwargs) -> None:
    """Start both clocks at login."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[LOGGED_IN_AT] = now
        request.session[LAST_SEEN_AT] = now


def session_expired(session, now: int) -> bool:
    """Whether a logged-in session has been idle too long or has lasted too long altogether."""
    logged_in_at = session.get(LOGGED_IN_AT)
    last_seen_at = session.get(LAST_SEEN_AT, logged_in_at)
    if logged_in_at is None:
        return False
    return (
        now - last_seen_at > settings.SESSION_IDLE_SECONDS
        or now - logged_in_at > settings.SESSION_ABSOLUTE_SECONDS
    )


class SessionLimitsMiddleware:
    """Logs out an expired session (the login page then asks again) and records activity."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            session = request.session
            now = int(time.time())
            if session_expired(session, now):
                logout(request)
                messages.info(request, gettext("Your session has expired. Please log in again."))
            elif LOGGED_IN_AT not in session:
                # A session from before these limits: its clocks start now.
                session[LOGGED_IN_AT] = session[LAST_SEEN_AT] = now
            elif now - session.get(LAST_SEEN_AT, 0) >= settings.SESSION_TOUCH_SECONDS:
                session[LAST_SEEN_AT] = now
        return self.get_response(request)


class RefuseNulMiddleware:
    """A NUL character in the path or the query string is in no code, year or search a page knows,
    and PostgreSQL refuses it in any text it is asked to compare: 404 for the path, 400 for the query,
    before any view reads them. (Form fields refuse it themselves, Django's ``CharField`` does.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from config import errors

        if "\x00" in request.path:
            return errors.page_not_found(request)
        if "\x00" in request.META.get("QUERY_STRING", "") or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            return errors.bad_request(
                request, message=gettext("The address holds a character that no search or filter accepts.")
            )
        return self.get_response(request)


class DemoErrorPagesMiddleware:
    """In the embedded demo (``DEBUG``), the app's own 404 and 500 pages instead of Django's debug
    pages, which list the URL patterns and the settings; the traceback still goes to the console.
    Outside the demo Django calls the handlers of ``config.urls`` itself."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from config import errors

        response = self.get_response(request)
        if (
            settings.DEBUG
            # Not 400: a view may answer a bad form with its own page and that status.
            and response.status_code in (404, 500)
            and not getattr(response, errors.APP_ERROR_PAGE, False)
            and response.get("Content-Type", "").startswith("text/html")
        ):
            if response.status_code == 404:
                return errors.page_not_found(request)
            return errors.server_error(request)
        return response


class PrivateCacheMiddleware:
    """Every page and export is the user's own (scoped to their department, in their language):
    ``Cache-Control: private, no-store`` unless the view said otherwise, so that no shared proxy on the
    bureau's network keeps one user's page and serves it to another. Static files are served before
    this (whitenoise, cached for a year) and are the same for everyone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response
