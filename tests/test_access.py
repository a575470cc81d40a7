"""SPEC §1, §6: who may open which page. Anonymous users go to the login page; a department head gets
404 on anything of another department and on the officers' own pages; the navigation offers only what
the role may open."""

from __future__ import annotations

import pytest
from django.urls import reverse

from performance.models import BudgetAdjustment, RecomputeRun
from tests.factories import UserFactory, propose_adjustments
from tests.reading import get, nav_links, text

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
    "/evaluations/new/",
    "/adjustments/",
    "/pool/",
    "/projects/2021/PA01/targets/",
    "/monitoring/",
    "/rectification/",
    "/rectification/?export=csv",
    "/rectification/new/",
    "/recompute/status?year=2021",
    "/leaderboard/?export=csv",
    "/projects/?export=xlsx",
    "/departments/A01/?export=csv",
    "/standards/coverage/",
    "/standards/coverage/?export=xlsx",
    "/projects/2021/PA01/targets.xlsx",
    "/projects/2021/PA01/targets/print/",
    "/targets/workbook.xlsx?department=A01",
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
        "/projects/2021/PA01/targets/",
        "/progress/",
        "/evaluations/",
        "/adjustments/",
        "/rectification/",
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
        "/projects/2021/PB01/targets/",
        "/projects/2021/PB02/",
        "/direct-funds/",
        "/direct-funds/?export=csv",
        "/recompute/status?year=2021",
        "/evaluations/new/",
        "/rectification/new/",
        "/rectification/new/?source=warning&project=1",
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
    propose_adjustments(2021)
    own = BudgetAdjustment.objects.get(project=district.projects["PA02"])
    client.force_login(head)

    response = client.post(reverse("performance:decide_adjustment", args=[own.pk]), {"decision": "accepted"})

    assert response.status_code == 404
    own.refresh_from_db()
    assert (own.decision, own.final_budget, own.decided_by) == ("pending", None, None)


def test_pages_that_change_things_refuse_get(client, district, officer):
    propose_adjustments(2021)
    adjustment = BudgetAdjustment.objects.first()
    client.force_login(officer)

    assert client.get(reverse("performance:recompute"), {"year": "2021"}).status_code == 405
    assert client.get(reverse("performance:decide_adjustment", args=[adjustment.pk])).status_code == 405


# -- navigation ---------------------------------------------------------------------------------------


def test_nav_of_a_head_shows_their_department_and_no_import_direct_funds_or_admin(client, district, head):
    links = nav_links(get(client, head, "/"))

    assert links == {
        "/todo/",  # what their units submitted
        "/rounds/",  # their department's progress in each round
        "/rectification/",  # their department's rectification items, to answer (SPEC §14.2)
        "/departments/A01/",
        "/",
        "/leaderboard/",
        "/projects/",
        "/progress/",
        "/evaluations/",
        "/adjustments/",
        "/export/",  # their own department's files
        "/pool/",  # their department's proposals
        "/standards/",  # their department's indicator templates, the district's quotas
        "/monitoring/",  # their department's progress in each monitoring round
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


def test_nav_of_a_user_without_a_role_or_a_staff_user_offers_no_export(client, district):
    for user in (UserFactory(username="nobody"), UserFactory(username="clerk", is_staff=True)):
        links = nav_links(get(client, user, "/"))

        assert "/export/" not in links and "/import/" not in links
        assert get(client, user, "/export/").status_code == 404


def test_every_nav_link_of_an_officer_opens(client, district, officer):
    for link in nav_links(get(client, officer, "/")):
        assert get(client, officer, link).status_code == 200, link


# -- the unit filler (SPEC §1): their unit's projects, evaluations and files; nothing department-wide ----

#: What a unit filler of A01-01 opens: their unit's projects (PA01, PA02), evaluations and files.
UNIT_PAGES = [
    "/projects/",
    "/projects/?year=2020",
    "/projects/2021/PA01/",
    "/projects/2021/PA02/",
    "/projects/2020/PA01/",
    "/projects/2021/PA01/targets/",
    "/evaluations/",
    "/export/",
    "/projects/?export=csv",
    "/projects/?export=xlsx",
    "/evaluations/?export=csv",
    "/evaluations/?export=xlsx",
    *[
        f"/export/{kind}.{fmt}"
        for kind in ("departments", "units", "projects", "payments")
        for fmt in ("csv", "xlsx")
    ],
    "/export/evaluations.csv?year=2021&department=A01",
    "/export/indicators.xlsx?year=2021",
]

#: Pages of a whole department or of the district's rankings: 404 for a unit filler, their own
#: department's too (README, "Who sees what").
DEPARTMENT_WIDE = [
    "/departments/A01/",
    "/departments/A01/?export=csv",
    "/leaderboard/",
    "/leaderboard/?export=xlsx",
    "/progress/",
    "/progress/?export=csv",
    "/adjustments/",
    "/adjustments/?export=csv",
    "/direct-funds/",
    "/recompute/status?year=2021",
    "/import/",
    "/import/templates/projects.csv",
    "/evaluations/new/",
    "/rectification/new/",
]

#: Another unit's project in the same department (PA09 of A01-02), another department's, and files
#: narrowed to another department.
OTHERS = [
    "/projects/2021/PA09/",
    "/projects/2021/PA09/targets/",
    "/projects/2021/PB01/",
    "/projects/2021/PB01/targets/",
    "/projects/2021/PC01/",
    "/departments/B02/",
    "/export/projects.csv?department=B02",
    "/export/payments.xlsx?department=C03",
]


@pytest.mark.parametrize("url", UNIT_PAGES)
def test_unit_filler_opens_their_units_pages_and_files(client, unit_filler, url):
    assert get(client, unit_filler, url).status_code == 200


@pytest.mark.parametrize("url", DEPARTMENT_WIDE + OTHERS)
def test_unit_filler_gets_404_on_department_wide_pages_and_on_others_records(client, unit_filler, url):
    assert get(client, unit_filler, url).status_code == 404


def test_another_units_project_opens_for_the_head_but_not_for_the_unit_filler(client, unit_filler, head):
    assert get(client, head, "/projects/2021/PA09/").status_code == 200
    assert get(client, unit_filler, "/projects/2021/PA09/").status_code == 404


def test_the_overview_and_login_send_a_unit_filler_to_their_units_projects(client, unit_filler):
    assert get(client, unit_filler, "/start/")["Location"] == "/projects/"
    assert get(client, unit_filler, "/")["Location"] == "/projects/"
    assert get(client, unit_filler, "/", year="2020")["Location"] == "/projects/?year=2020"


def test_unit_filler_gets_404_on_deciding_and_recomputing_and_nothing_changes(client, unit_filler, district):
    propose_adjustments(2021)
    own = BudgetAdjustment.objects.get(project=district.projects["PA02"])
    runs = RecomputeRun.objects.count()
    client.force_login(unit_filler)

    assert (
        client.post(
            reverse("performance:decide_adjustment", args=[own.pk]), {"decision": "accepted"}
        ).status_code
        == 404
    )
    assert client.post(reverse("performance:recompute"), {"year": "2021"}).status_code == 404
    own.refresh_from_db()
    assert (own.decision, RecomputeRun.objects.count()) == ("pending", runs)


def test_nav_of_a_unit_filler_offers_their_projects_evaluations_and_export_only(client, unit_filler):
    links = nav_links(get(client, unit_filler, "/projects/"))

    assert links == {
        "/todo/",
        "/projects/",
        "/evaluations/",
        "/export/",
        "/pool/",
        "/standards/",
        "/monitoring/",  # their unit's monitoring reports
    }
    for link in links:
        assert get(client, unit_filler, link).status_code == 200, link


def test_a_404_offers_a_unit_filler_the_way_back_to_their_projects(client, unit_filler):
    client.force_login(unit_filler)

    response = client.get("/leaderboard/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert "a unit filler sees only their own unit's projects" in text(response)
    assert 'href="/projects/"' in response.content.decode()
    assert 'href="/departments/' not in response.content.decode()


def test_a_unit_fillers_pages_name_their_unit_and_link_no_department_page(client, unit_filler):
    for url in ("/projects/", "/projects/2021/PA01/", "/evaluations/", "/export/"):
        html = get(client, unit_filler, url).content.decode()
        assert "/departments/" not in html, url
    assert "区第一中学" in text(get(client, unit_filler, "/projects/"))
    assert 'name="department"' not in get(client, unit_filler, "/export/").content.decode()
