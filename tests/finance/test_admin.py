"""Django admin of finance's models (and the users): every changelist opens with a constant query count
(tests/admin_walk.py); access, the department autocomplete and a head's department on the user page."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from finance.models import (
    BudgetUnit,
    Department,
    DepartmentMembership,
    DirectFundGrant,
    FiscalYear,
    FunctionClass,
    FundSource,
    ImportBatch,
    ImportedRow,
    ImportJob,
    UnitMembership,
)
from tests.admin_walk import BASE, ONE_COUNT, AdminWalk, _next
from tests.factories import (
    BudgetUnitFactory,
    DepartmentFactory,
    DirectFundGrantFactory,
    FiscalYearFactory,
    FunctionClassFactory,
    FundSourceFactory,
    UserFactory,
    make_head,
    make_unit_filler,
)

pytestmark = pytest.mark.django_db


def make_fiscal_years(n: int) -> None:
    for _ in range(n):
        FiscalYearFactory(year=2000 + _next() % 100)


def make_import_batches(n: int) -> None:
    user = UserFactory(username="importer")
    for _ in range(n):
        ImportBatch.objects.create(
            kind=ImportBatch.Kind.PROJECTS,
            file_name=f"projects-{_next()}.xlsx",
            checksum="0" * 64,
            imported_by=user,
            created_count=3,
        )


def make_departments(n: int) -> None:
    for _ in range(n):
        make_head(DepartmentFactory(), f"head{_next()}")


def make_function_classes(n: int) -> None:
    for _ in range(n):
        FunctionClassFactory(code=f"{_next() % 1000:03d}", name="测试类")


def make_fund_sources(n: int) -> None:
    for _ in range(n):
        FundSourceFactory(code=f"source{_next()}", name=f"资金来源{_next()}")


def make_memberships(n: int) -> None:
    department = DepartmentFactory()
    for _ in range(n):
        make_head(department, f"head{_next()}")


def make_unit_memberships(n: int) -> None:
    unit = BudgetUnitFactory()
    for _ in range(n):
        make_unit_filler(unit, f"filler{_next()}")


def make_imported_rows(n: int) -> None:
    make_import_batches(1)
    batch = ImportBatch.objects.order_by("pk").last()
    ImportedRow.objects.bulk_create(
        ImportedRow(
            batch=batch, model_label="projects.payment", object_id=_next(), line=_next(), action="created"
        )
        for _ in range(n)
    )


def make_import_jobs(n: int) -> None:
    user = UserFactory(username="uploader")
    for _ in range(n):
        ImportJob.objects.create(
            kind=ImportBatch.Kind.PAYMENTS,
            file_name=f"payments-{_next()}.csv",
            content=b"voucher_no,year\n",
            size=16,
            checksum="0" * 64,
            uploaded_by=user,
        )


def make_users(n: int) -> None:
    make_memberships(n)


class TestFinanceAdmin(AdminWalk):
    app_label = "finance"
    builders = {
        FiscalYear: make_fiscal_years,
        ImportBatch: make_import_batches,
        ImportedRow: make_imported_rows,
        ImportJob: make_import_jobs,
        Department: make_departments,
        BudgetUnit: BudgetUnitFactory.create_batch,
        FunctionClass: make_function_classes,
        FundSource: make_fund_sources,
        DirectFundGrant: DirectFundGrantFactory.create_batch,
        DepartmentMembership: make_memberships,
        UnitMembership: make_unit_memberships,
        get_user_model(): make_users,
    }
    query_budget = {
        FiscalYear: BASE,
        ImportBatch: BASE,
        ImportedRow: ONE_COUNT,
        ImportJob: BASE,
        Department: BASE + 1,  # the heads, prefetched
        BudgetUnit: BASE + 1,  # department filter
        FunctionClass: BASE,  # the list_editable formset reuses the page of rows
        FundSource: BASE,
        DirectFundGrant: BASE + 1,  # fiscal year filter
        DepartmentMembership: BASE + 1,  # department filter
        UnitMembership: BASE + 1,  # department filter
        get_user_model(): BASE + 1,  # group filter
    }
    read_only = frozenset({ImportBatch, ImportedRow, ImportJob})


def test_officer_who_is_not_staff_is_sent_to_the_admin_login(client, officer):
    client.force_login(officer)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_department_autocomplete_finds_departments_for_the_admin(client, admin, department_a, department_b):
    client.force_login(admin)

    response = client.get(
        reverse("admin:autocomplete"),
        {"term": "教育", "app_label": "finance", "model_name": "budgetunit", "field_name": "department"},
    )

    assert response.status_code == 200
    assert response.json()["results"] == [{"id": str(department_a.pk), "text": "区教育体育局"}]


def test_admin_links_a_head_to_a_department_from_the_user_page(client, admin, department_a):
    user = UserFactory(username="new_head")
    client.force_login(admin)
    url = reverse("admin:auth_user_change", args=[user.pk])

    response = client.post(
        url,
        {
            "username": "new_head",
            "is_active": "on",
            "date_joined_0": "2021-01-04",
            "date_joined_1": "09:00:00",
            "department_membership-TOTAL_FORMS": "1",
            "department_membership-INITIAL_FORMS": "0",
            "department_membership-MIN_NUM_FORMS": "0",
            "department_membership-MAX_NUM_FORMS": "1",
            "department_membership-0-department": department_a.pk,
            "department_membership-0-user": user.pk,
            "unit_membership-TOTAL_FORMS": "0",
            "unit_membership-INITIAL_FORMS": "0",
            "unit_membership-MIN_NUM_FORMS": "0",
            "unit_membership-MAX_NUM_FORMS": "1",
        },
    )

    assert response.status_code == 302
    assert DepartmentMembership.objects.get(user=user).department == department_a
