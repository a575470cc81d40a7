"""SPEC §1, §6: who may open which page. Anonymous users go to the login page; a department head gets
404 on anything of another department and on the officers' own pages; the navigation offers only what
the role may open."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponseServerError
from django.test import Client, RequestFactory
from django.urls import reverse

from config import errors
from config.middleware import DemoErrorPagesMiddleware
from finance.models import DepartmentMembership
from performance.models import BudgetAdjustment, RecomputeRun
from performance.services import propose_budget_adjustments
from tests.factories import UserFactory
from tests.pages.conftest import download, get, rows, text

pytestmark = pytest.mark.django_db

#: Every page of the dashboard, each as a signed-in user would open it.
PAGES = [
    "/",
    "/start/",
    "/leaderboard/",
    "/departments/A01/",
    "/projects/",
    "/projects/2021/PA01/",
    "/progress/",
    "/direct-funds/",
    "/evaluations/",
    "/adjustments/",
    "/recompute/status?year=2021",
    "/leaderboard/?export=csv",
    "/projects/?export=xlsx",
    "/departments/A01/?export=csv",
]


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_is_sent_to_the_login_page(client, district, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


def test_anonymous_post_to_recompute_goes_to_login_and_queues_nothing(client, district):
    runs = RecomputeRun.objects.count()

    response = client.post(reverse("performance:recompute"), {"year": "2021"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert RecomputeRun.objects.count() == runs


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/leaderboard/",
        "/departments/A01/",
        "/projects/",
        "/projects/2021/PA01/",
        "/progress/",
        "/evaluations/",
        "/adjustments/",
    ],
)
@pytest.mark.parametrize("persona", ["officer", "head", "admin"])
def test_each_role_opens_each_page(client, district, request, persona, url):
    user = request.getfixturevalue(persona)

    response = get(client, user, url)

    assert response.status_code == 200


def test_login_lands_a_head_on_their_own_department_and_an_officer_on_the_overview(
    client, district, head, officer
):
    assert get(client, head, "/start/")["Location"] == "/departments/A01/"
    assert get(client, officer, "/start/")["Location"] == "/"


@pytest.mark.parametrize(
    "url",
    [
        "/departments/B02/",
        "/departments/B02/?export=csv",
        "/departments/B02/?export=xlsx",
        "/projects/2021/PB01/",
        "/projects/2021/PB02/",
        "/direct-funds/",
        "/direct-funds/?export=csv",
        "/recompute/status?year=2021",
    ],
)
def test_head_gets_404_on_another_departments_detail_and_on_officer_pages(client, district, head, url):
    response = get(client, head, url)

    assert response.status_code == 404


def test_head_gets_404_on_another_departments_project(client, district, head, other_head):
    # The same project opens for its own department's head.
    assert get(client, other_head, "/projects/2021/PB01/").status_code == 200
    assert get(client, head, "/projects/2021/PB01/").status_code == 404


def test_head_gets_404_on_an_unknown_department_as_on_another_one(client, district, head):
    assert get(client, head, "/departments/ZZ9/").status_code == 404


def test_head_gets_404_on_the_recompute_button_and_nothing_runs(client, district, head):
    client.force_login(head)
    runs = RecomputeRun.objects.count()

    response = client.post(reverse("performance:recompute"), {"year": "2021"})

    assert response.status_code == 404
    assert RecomputeRun.objects.count() == runs


def test_head_gets_404_on_deciding_a_budget_adjustment_and_nothing_changes(client, district, head):
    propose_budget_adjustments(year=2021)
    own = BudgetAdjustment.objects.get(project=district.projects["PA02"])
    client.force_login(head)

    response = client.post(reverse("performance:decide_adjustment", args=[own.pk]), {"decision": "accepted"})

    assert response.status_code == 404
    own.refresh_from_db()
    assert (own.decision, own.final_budget, own.decided_by) == ("pending", None, None)


def test_pages_that_change_things_refuse_get(client, district, officer):
    propose_budget_adjustments(year=2021)
    adjustment = BudgetAdjustment.objects.first()
    client.force_login(officer)

    assert client.get(reverse("performance:recompute"), {"year": "2021"}).status_code == 405
    assert client.get(reverse("performance:decide_adjustment", args=[adjustment.pk])).status_code == 405


# -- navigation ---------------------------------------------------------------------------------------


def nav_links(response) -> set[str]:
    nav = re.search(r"<nav\b.*?</nav>", response.content.decode(), flags=re.S)
    assert nav, "the page has no navigation"
    return set(re.findall(r'href="([^"]+)"', nav.group(0)))


def test_nav_of_a_head_shows_their_department_and_no_import_direct_funds_or_admin(client, district, head):
    links = nav_links(get(client, head, "/"))

    assert links == {
        "/departments/A01/",
        "/",
        "/leaderboard/",
        "/projects/",
        "/progress/",
        "/evaluations/",
        "/adjustments/",
        "/export/",  # their own department's files
    }


def test_nav_of_an_officer_adds_direct_funds_import_and_export_but_not_admin(client, district, officer):
    links = nav_links(get(client, officer, "/"))

    assert {"/direct-funds/", "/import/", "/export/"} <= links
    assert "/admin/" not in links
    assert not any(link.startswith("/departments/") for link in links)


def test_nav_of_an_admin_adds_django_admin(client, district, admin):
    links = nav_links(get(client, admin, "/"))

    assert {"/direct-funds/", "/import/", "/admin/"} <= links


def test_every_nav_link_of_a_head_opens(client, district, head):
    for link in nav_links(get(client, head, "/")):
        assert get(client, head, link).status_code == 200, link


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
    propose_budget_adjustments(year=2021)

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


def test_nav_of_a_user_without_a_role_or_a_staff_user_offers_no_export(client, district):
    for user in (UserFactory(username="nobody"), UserFactory(username="clerk", is_staff=True)):
        links = nav_links(get(client, user, "/"))

        assert "/export/" not in links and "/import/" not in links
        assert get(client, user, "/export/").status_code == 404


def test_every_nav_link_of_an_officer_opens(client, district, officer):
    for link in nav_links(get(client, officer, "/")):
        assert get(client, officer, link).status_code == 200, link
