"""The error pages (400, 403, 404, 500) in the app's own look and the user's language, with the header
and a way back; ``config.urls`` names them as Django's handlers.

The 500 page is rendered without the request's context: whatever failed may be the database, which
the context processors (the user, the roles for the navigation) would ask again.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext
from django.views.decorators.csrf import requires_csrf_token

#: Set on every response these views render, so that ``DemoErrorPagesMiddleware`` tells them from
#: Django's debug pages.
APP_ERROR_PAGE = "app_error_page"


def _page(request: HttpRequest, template: str, status: int, context: dict | None = None) -> HttpResponse:
    response = render(request, template, context or {}, status=status)
    setattr(response, APP_ERROR_PAGE, True)
    return response


@requires_csrf_token
def bad_request(
    request: HttpRequest, exception: Exception | None = None, *, message: str = ""
) -> HttpResponse:
    """400: the address or the form holds something no page accepts."""
    return _page(request, "400.html", 400, {"message": message})


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403: the user may not do this."""
    return _page(request, "403.html", 403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """403 for a form sent without its token, most often from a page left open across a login."""
    return _page(
        request,
        "403.html",
        403,
        {"message": gettext("The form had expired. Reload the page and send it again.")},
    )


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404: no such page, or not one this user may see (a head asking for another department)."""
    return _page(request, "404.html", 404)


def server_error(request: HttpRequest | None = None) -> HttpResponse:
    """500, without the request's context (no database, no session): the header, the message, a way back."""
    response = HttpResponseServerError(loader.get_template("500.html").render({}))
    setattr(response, APP_ERROR_PAGE, True)
    return response
