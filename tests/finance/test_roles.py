from __future__ import annotations

import pytest
from django.urls import reverse

from finance import roles
from finance.models import BudgetUnit, Department, ImportBatch
from finance.scoping import scope_of
from performance.models import Evaluation, RecomputeRun
from projects.models import Payment, Project
from tests.factories import (
    BudgetUnitFactory,
    EvaluationFactory,
    PaymentFactory,
    ProjectFactory,
    UserFactory,
    make_head,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_departments(department_a, department_b):
    """Each department: one unit, one project with one payment and a self-evaluation, plus a
    department-wide evaluation."""
    rows = {}
    for dept in (department_a, department_b):
        unit = BudgetUnitFactory(department=dept)
        project = ProjectFactory(unit=unit)
        payment = PaymentFactory(project=project)
        evaluation = EvaluationFactory(project=project)
        dept_eval = EvaluationFactory(kind=Evaluation.Kind.DEPARTMENT, project=None, department=dept)
        rows[dept.code] = {
            "department": dept,
            "unit": unit,
            "project": project,
            "payment": payment,
            "evaluations": {evaluation.pk, dept_eval.pk},
        }
    return rows


def test_visible_to_gives_a_head_exactly_their_departments_rows(two_departments, head):
    mine = two_departments["A01"]
    assert list(Department.objects.visible_to(head)) == [mine["department"]]
    assert list(BudgetUnit.objects.visible_to(head)) == [mine["unit"]]
    assert list(Project.objects.visible_to(head)) == [mine["project"]]
    assert list(Payment.objects.visible_to(head)) == [mine["payment"]]
    assert set(Evaluation.objects.visible_to(head).values_list("pk", flat=True)) == mine["evaluations"]


def test_visible_to_gives_an_officer_and_an_admin_every_row(two_departments, officer, admin):
    for user in (officer, admin):
        assert Department.objects.visible_to(user).count() == 2
        assert BudgetUnit.objects.visible_to(user).count() == 2
        assert Project.objects.visible_to(user).count() == 2
        assert Payment.objects.visible_to(user).count() == 2
        assert Evaluation.objects.visible_to(user).count() == 4


def test_visible_to_gives_nothing_to_a_user_without_a_role_or_anonymous(two_departments, anonymous):
    nobody = UserFactory(username="nobody")
    for user in (nobody, anonymous):
        assert not Department.objects.visible_to(user).exists()
        assert not Project.objects.visible_to(user).exists()
        assert not Payment.objects.visible_to(user).exists()
        assert not Evaluation.objects.visible_to(user).exists()


def test_a_deactivated_officer_sees_nothing(two_departments, officer):
    officer.is_active = False
    officer.save()
    assert not Project.objects.visible_to(officer).exists()


@pytest.mark.parametrize("url", ["/", "/admin/", "/accounts/logout/"])
def test_anonymous_is_redirected_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login")) or response.url.startswith("/admin/login/")


def test_login_page_and_healthz_are_open_to_anonymous(client):
    assert client.get(reverse("login")).status_code == 200
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_login_page_speaks_chinese_by_default(client):
    response = client.get(reverse("login"))
    assert "登录" in response.content.decode()


def test_head_lands_on_their_own_department_and_its_projects_only(client, two_departments, head):
    client.force_login(head)
    response = client.get(reverse("performance:landing"))
    assert response.url == reverse("performance:department", args=["A01"])
    body = client.get("/projects/").content.decode()
    assert two_departments["A01"]["project"].code in body
    assert two_departments["B02"]["project"].code not in body


def test_officer_logs_in_with_password_and_lands_on_the_overview(client, officer):
    response = client.post(reverse("login"), {"username": "officer", "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert response.url == reverse("performance:landing")
    assert client.get(response.url).url == reverse("home")


# -- staff status is not a role (Django admin only) ----------------------------------------------------


@pytest.fixture
def clerk(db):
    """A staff user in no group: Django admin within their model permissions, nothing more."""
    return UserFactory(username="clerk", is_staff=True)


@pytest.fixture
def staff_head(department_a):
    """A department head who is also staff (say, to keep their department's master data in admin)."""
    user = make_head(department_a, "staff_head")
    user.is_staff = True
    user.save()
    return user


def test_staff_without_a_group_is_no_officer_and_sees_nothing(two_departments, clerk):
    assert not roles.is_officer(clerk)
    assert scope_of(clerk).nothing
    assert not Department.objects.visible_to(clerk).exists()
    assert not Project.objects.visible_to(clerk).exists()
    assert not Payment.objects.visible_to(clerk).exists()


def test_a_staff_head_is_a_head_and_sees_only_their_department(two_departments, staff_head):
    mine = two_departments["A01"]

    assert not roles.is_officer(staff_head)
    assert roles.is_department_head(staff_head)
    assert list(Department.objects.visible_to(staff_head)) == [mine["department"]]
    assert list(Project.objects.visible_to(staff_head)) == [mine["project"]]
    assert list(Payment.objects.visible_to(staff_head)) == [mine["payment"]]


def test_a_superuser_and_a_budget_officer_are_officers(officer, admin):
    assert roles.is_officer(officer) and roles.is_officer(admin)


OFFICER_ONLY_GETS = ["/import/", "/direct-funds/", "/recompute/status?year=2021"]


@pytest.mark.parametrize("url", OFFICER_ONLY_GETS)
def test_staff_without_a_group_gets_404_on_the_officers_pages(client, two_departments, clerk, url):
    client.force_login(clerk)

    assert client.get(url).status_code == 404


def test_staff_without_a_group_changes_nothing(client, two_departments, clerk):
    client.force_login(clerk)
    batches, runs = ImportBatch.objects.count(), RecomputeRun.objects.count()

    assert client.post(reverse("performance:recompute"), {"year": "2021"}).status_code == 404
    assert client.post(reverse("finance:import"), {"kind": "departments"}).status_code == 404
    assert (
        client.post(reverse("performance:decide_adjustment", args=[1]), {"decision": "accepted"}).status_code
        == 404
    )
    assert client.post(reverse("finance:import_rollback", args=[1])).status_code == 404
    assert client.post(reverse("finance:import_apply", args=[1])).status_code == 404
    assert (ImportBatch.objects.count(), RecomputeRun.objects.count()) == (batches, runs)


def test_a_staff_head_gets_their_department_and_404_on_the_other(client, two_departments, staff_head):
    client.force_login(staff_head)

    body = client.get("/projects/").content.decode()
    assert two_departments["A01"]["project"].code in body
    assert two_departments["B02"]["project"].code not in body
    assert client.get("/departments/B02/").status_code == 404
    assert client.get("/import/").status_code == 404
