"""`manage.py seed_demo` leaves a district whose pages show computed figures (`make run`)."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from performance.models import BudgetAdjustment, RecomputeRun

pytestmark = pytest.mark.django_db


def test_seeding_computes_both_years_so_the_first_page_has_figures():
    call_command("seed_demo", password="demo-password-for-tests", stdout=StringIO())

    runs = dict(RecomputeRun.objects.filter(status="succeeded").values_list("fiscal_year_id", "as_of"))
    assert runs == {2020: datetime.date(2020, 12, 31), 2021: datetime.date(2021, 10, 31)}
    # and the adjustments page has the proposals of 2021's finalised evaluations for 2022
    assert BudgetAdjustment.objects.filter(target_year=2022).exists()


def test_seeding_for_a_benchmark_can_leave_the_figures_uncomputed():
    call_command("seed_demo", password="demo-password-for-tests", no_recompute=True, stdout=StringIO())

    assert not RecomputeRun.objects.exists()
