"""Login throttling (django-axes): a limit per username and a higher one per client address.

Axes compares the failures of every lockout parameter against one limit. An office of many people
behind one address must not be locked out together because one of them mistyped (SPEC §10), so the
address gets its own, higher limit: the handler reports the address's failures on the username's
scale, and axes' one comparison then applies each limit to its own count.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_lockout_parameters
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Sum
from django.http import HttpRequest
from django.shortcuts import render


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuses a login while its username or address is locked out; authenticates nobody itself."""

    def authenticate(self, request: HttpRequest | None, username=None, password=None, **kwargs):
        if request is None:
            # A login without a request comes from code (a management command, a test), not from a
            # client that could guess passwords, and has no address to throttle.
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class ThrottleHandler(AxesDatabaseHandler):
    """Axes' database handler with separate failure limits for the username and the address."""

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        failures = {
            parameter: attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for parameter, attempts in zip(
                get_lockout_parameters(request, credentials),
                self.get_user_attempts(request, credentials),
                strict=True,
            )
        }
        by_username, by_address = failures["username"], failures["ip_address"]
        per_username = settings.AXES_FAILURE_LIMIT
        per_address = settings.LOGIN_FAILURES_PER_ADDRESS
        # Integer arithmetic: by_address * U // A reaches U exactly when by_address reaches A.
        return max(by_username, by_address * per_username // per_address)


def client_address(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or behind N trusted proxies the one the outermost proxy saw."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if proxies and forwarded:
        # Each proxy appends the address it received the request from; entries left of those the
        # trusted proxies wrote are whatever the client chose to send, so they are not believed.
        return forwarded[-min(proxies, len(forwarded))]
    return request.META.get("REMOTE_ADDR")


def lockout_response(request: HttpRequest, original_response=None, credentials: dict | None = None):
    """The login page again, saying that logins are paused and for how long (HTTP 429)."""
    cool_off = get_cool_off(request)
    form = AuthenticationForm(request, initial={"username": get_client_username(request, credentials)})
    context = {
        "form": form,
        "locked_out": True,
        "cool_off_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
        "next": request.POST.get("next") or request.GET.get("next", ""),
    }
    return render(request, "registration/login.html", context, status=429)
