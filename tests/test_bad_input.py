"""SPEC §6, §10 on every page: bad input (a year or page size that is no number, a NUL in the address,
a form without its CSRF token) gets a clear answer, never a 500; and the error pages are the app's own."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponseServerError
from django.test import Client, RequestFactory
from django.urls import reverse

from config import errors
from config.middleware import DemoErrorPagesMiddleware
from finance.models import DepartmentMembership
from performance.models import RecomputeRun
from tests.factories import UserFactory, propose_adjustments
from tests.reading import download, get, nav_links, rows, text

pytestmark = pytest.mark.django_db


# -- bad input: a clear answer, never a 500 (SPEC §10) -------------------------------------------------


SUPERSCRIPT_YEARS = ["²", "²⁰²¹", "9" * 5000]


@pytest.mark.parametrize("year", SUPERSCRIPT_YEARS)
@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/leaderboard/",
        "/departments/A01/",
        "/projects/",
        "/progress/",
        "/direct-funds/",
        "/evaluations/",
        "/adjustments/",
        "/leaderboard/?export=csv",
        "/projects/?export=xlsx",
    ],
)
def test_a_year_that_is_no_number_shows_the_current_year(client, district, officer, url, year):
    separator = "&" if "?" in url else "?"

    response = get(client, officer, f"{url}{separator}{urlencode({'year': year})}")

    assert response.status_code == 200
    if response.get("Content-Type", "").startswith("text/html"):
        assert response.context["year"] == 2021


@pytest.mark.parametrize("year", SUPERSCRIPT_YEARS)
def test_an_export_file_with_a_year_that_is_no_number_is_404(client, district, officer, year):
    response = get(client, officer, "/export/projects.csv", year=year)

    assert response.status_code == 404


@pytest.mark.parametrize("year", SUPERSCRIPT_YEARS)
def test_recompute_status_with_a_year_that_is_no_number_is_400(client, district, officer, year):
    response = get(client, officer, "/recompute/status", year=year)

    assert response.status_code == 400
    assert response.json()["error"]


@pytest.mark.parametrize("year", SUPERSCRIPT_YEARS)
def test_recompute_with_a_year_that_is_no_number_is_400_and_runs_nothing(client, district, officer, year):
    client.force_login(officer)
    runs = RecomputeRun.objects.count()

    response = client.post(reverse("performance:recompute"), {"year": year})

    assert response.status_code == 400
    assert RecomputeRun.objects.count() == runs


@pytest.mark.parametrize(
    "url", ["/projects/", "/progress/", "/evaluations/", "/adjustments/", "/leaderboard/"]
)
@pytest.mark.parametrize("per_page", ["-5", "0", "²"])
def test_a_page_size_that_is_no_page_size_shows_the_table(client, district, officer, url, per_page):
    propose_adjustments(2021)

    response = get(client, officer, url, per_page=per_page)

    assert response.status_code == 200
    assert response.context["table"].page is not None


def test_a_department_page_with_a_negative_page_size_shows_its_projects(client, district, officer):
    response = get(client, officer, "/departments/A01/", **{"p-per_page": "-5"})

    assert response.status_code == 200
    assert len(rows(response, 1)) == 2  # PA01 and PA02


def test_a_page_shows_at_most_the_configured_number_of_rows_and_the_export_all(
    client, district, officer, settings
):
    settings.TABLE_MAX_PER_PAGE = 2  # the district has 5 projects in 2021

    page = get(client, officer, "/projects/", per_page="100000")
    exported = get(client, officer, "/projects/", per_page="100000", export="csv")

    assert len(page.context["table"].page.object_list) == 2
    assert download(exported).decode("utf-8-sig").count("\n") == 1 + 5  # the header and every project


def test_the_table_max_per_page_setting_is_200_by_default():
    from django.conf import settings

    assert settings.TABLE_MAX_PER_PAGE == 200


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/projects/?department=A01%00", 400),
        ("/progress/?department=%00", 400),
        ("/export/projects.csv?department=A01%00", 400),
        ("/departments/A01%00/", 404),
        ("/projects/2021/PA01%00/", 404),
    ],
)
def test_a_nul_character_in_the_address_is_400_or_404_in_the_apps_look(
    client, district, officer, url, status
):
    response = get(client, officer, url)

    assert response.status_code == status
    assert 'class="topbar"' in response.content.decode()  # the app's header, not a bare error
    assert "Content-Security-Policy" in response and response["X-Frame-Options"] == "DENY"
    assert "error-page" in response.content.decode()


def test_the_overview_opens_for_a_signed_in_user_without_a_role(client, district):
    nobody = UserFactory(username="nobody")

    response = get(client, nobody, "/")

    assert response.status_code == 200


def test_the_overview_opens_for_a_head_whose_membership_was_removed_mid_session(client, district, head):
    client.force_login(head)
    assert client.get("/").status_code == 200
    DepartmentMembership.objects.filter(user=head).delete()

    assert client.get("/").status_code == 200
    assert client.get("/departments/A01/").status_code == 404


# -- error pages ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "heading", "back"),
    [("en", "Page not found", "Back to the overview"), ("zh-hans", "页面不存在", "返回总览")],
)
def test_a_404_is_the_apps_page_in_the_users_language_with_a_way_back(
    client, district, head, language, heading, back
):
    client.force_login(head)

    response = client.get("/departments/B02/", HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 404
    page = text(response)
    assert heading in page and back in page
    assert 'href="/"' in response.content.decode()
    assert "/departments/A01/" in nav_links(response)  # the head's own navigation


def test_an_unknown_address_is_the_apps_404_also_in_the_demo(client, district, officer, settings):
    settings.DEBUG = True  # the embedded demo (make run)
    demo = Client()
    demo.force_login(officer)

    response = demo.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert "Page not found" in text(response)
    assert "URLconf" not in response.content.decode()  # not Django's debug page listing the patterns
    assert response["X-Frame-Options"] == "DENY"  # (django-csp leaves a debug-mode 404 without its policy)


def test_a_404_raised_by_a_view_is_the_apps_page_also_in_the_demo(client, district, head, settings):
    settings.DEBUG = True
    demo = Client()
    demo.force_login(head)

    response = demo.get("/departments/B02/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert "Page not found" in text(response)
    assert "Traceback" not in response.content.decode() and "URLconf" not in response.content.decode()


def test_a_form_without_its_csrf_token_gets_the_apps_403(district, officer):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(officer)

    response = strict.post(reverse("performance:recompute"), {"year": "2021"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 403
    assert "Not allowed" in text(response) and "Reload the page" in text(response)


def test_the_500_page_renders_without_the_database_and_without_a_request(django_assert_num_queries):
    from django.utils import translation

    with translation.override("zh-hans"), django_assert_num_queries(0):
        response = errors.server_error(None)

    page = response.content.decode()
    assert response.status_code == 500
    assert 'class="topbar"' in page and 'href="/"' in page
    assert "返回总览" in page


def test_the_demo_shows_the_apps_500_page_instead_of_djangos_debug_page(settings):
    settings.DEBUG = True
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    # What Django's handler gives in debug mode for a view's exception: its traceback page.
    debug_page = DemoErrorPagesMiddleware(lambda request: HttpResponseServerError("<h1>Traceback</h1>"))

    response = debug_page(request)

    assert response.status_code == 500
    assert getattr(response, errors.APP_ERROR_PAGE)
    assert "Traceback" not in response.content.decode()
