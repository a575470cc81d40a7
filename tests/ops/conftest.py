"""Fixtures of the operations tests: collected static files, the processes of a test, a tiny district."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from performance.models import RecomputeRun
from performance.services import recompute_all
from projects.models import Payment, Project
from tests.factories import (
    BudgetUnitFactory,
    DepartmentFactory,
    FiscalYearFactory,
    PaymentFactory,
    ProjectFactory,
    UserFactory,
    make_officer,
)
from tests.ops.production import manage
from tests.ops.stack import PASSWORD, Stack

MARCH_1 = datetime.date(2021, 3, 1)


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """``collectstatic`` once per session: pages under production settings need its manifest."""
    root = tmp_path_factory.mktemp("static")
    done = manage("collectstatic", "--noinput", STATIC_ROOT=str(root))
    assert done.returncode == 0, done.stdout + done.stderr
    return root


@pytest.fixture
def stack(collected_static, tmp_path):
    """The test's processes, stopped when it ends (before its database is emptied)."""
    processes = Stack(directory=tmp_path, static_root=collected_static)
    yield processes
    processes.stop_all()


@dataclass
class District:
    """One project of 1,000,000 元 with 250,000 spent, and run ``first_run`` of 2021 computed."""

    project: Project
    first_run: RecomputeRun


def log_in_password(user) -> None:
    """A password that the production settings' hasher (PBKDF2) checks; the test settings use MD5."""
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    user.save(update_fields=["password"])


@pytest.fixture
def district(settings) -> District:
    settings.RECOMPUTE_ON_CHANGE = False  # built quietly; the first run is computed below
    FiscalYearFactory(year=2020)
    FiscalYearFactory(year=2021, is_current=True, data_as_of=datetime.date(2021, 10, 31))
    unit = BudgetUnitFactory(department=DepartmentFactory(code="A01", name="区教育体育局"), code="A01-01")
    project = ProjectFactory(unit=unit, fiscal_year__year=2021, code="PA01", budget=Decimal("1000000"))
    PaymentFactory(project=project, amount=Decimal("250000"), paid_on=MARCH_1, voucher_no="V-0001")
    for user in (make_officer("officer"), UserFactory(username="admin", is_staff=True, is_superuser=True)):
        log_in_password(user)
    settings.RECOMPUTE_ON_CHANGE = True
    return District(project=project, first_run=recompute_all(year=2021))


def add_payment(district: District, amount: str, voucher_no: str) -> Payment:
    return Payment.objects.create(
        project=district.project, amount=Decimal(amount), paid_on=MARCH_1, voucher_no=voucher_no
    )


def succeeded_runs(year: int = 2021):
    """The runs of ``year`` that succeeded."""
    return RecomputeRun.objects.filter(fiscal_year_id=year, status=RecomputeRun.Status.SUCCEEDED)
