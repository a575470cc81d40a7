"""Reads for the pages: the latest run, staleness, and department scoping of every snapshot."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from finance.models import FiscalYear
from performance import selectors
from performance.models import Evaluation, RecomputeRun, ScopeKind
from performance.services import recompute_all
from performance.services.coalescing import bump_generation
from tests.factories import DirectFundGrantFactory, propose_adjustments
from tests.performance.conftest import evaluate, pay, project

pytestmark = pytest.mark.django_db

MAY_26 = datetime.date(2021, 5, 26)


@pytest.fixture
def run(year_2021, unit_a, unit_b, department_a, department_b):
    """One project in each department, scored; department A's is below its department-wide score."""
    for unit, spent, score in ((unit_a, "400000", "70"), (unit_b, "100000", "92")):
        now = project(unit, "1000000", name=f"project of {unit.code}")
        pay(now, spent, datetime.date(2021, 3, 1))
        evaluate(now, score, kind=Evaluation.Kind.SELF)
    evaluate(department_a, "90", kind=Evaluation.Kind.DEPARTMENT)
    year = FiscalYear.objects.get(pk=2021)
    year.data_as_of = MAY_26
    year.save()
    return recompute_all(year=2021, as_of=MAY_26)


def test_latest_run_ignores_failed_runs(run):
    RecomputeRun.objects.create(
        fiscal_year_id=2021,
        as_of=MAY_26,
        started_at=run.started_at + datetime.timedelta(minutes=1),
        status="failed",
    )

    assert selectors.latest_run(year=2021) == run
    status = selectors.snapshot_status(year=2021)
    assert status.run == run and status.last_failure is not None and not status.is_stale


def test_snapshot_status_is_stale_after_a_change_and_when_the_date_moves_on(run):
    bump_generation(year=2021)
    assert selectors.snapshot_status(year=2021).is_stale

    recompute_all(year=2021, as_of=MAY_26)
    assert not selectors.snapshot_status(year=2021).is_stale

    FiscalYear.objects.filter(pk=2021).update(data_as_of=datetime.date(2021, 5, 27))
    assert selectors.snapshot_status(year=2021).is_stale


@pytest.mark.parametrize(
    ("persona", "visible"), [("officer", {"A01", "B02"}), ("head", {"A01"}), ("other_head", {"B02"})]
)
def test_project_rows_are_scoped_to_the_department(run, request, persona, visible):
    user = request.getfixturevalue(persona)

    rows = selectors.project_progress(run=run, user=user)

    assert {row.project_name.split()[-1][:3] for row in rows} == visible


def test_anonymous_sees_nothing(run):
    anonymous = AnonymousUser()

    assert not selectors.project_progress(run=run, user=anonymous).exists()
    assert not selectors.progress_snapshots(run=run, user=anonymous, scope_kind=ScopeKind.DISTRICT).exists()
    assert not selectors.leaderboard_rows(run=run, user=anonymous).exists()
    assert selectors.run_figures(run=run, user=anonymous) is None


def test_heads_see_district_figures_and_every_rank_but_not_other_departments_detail(
    run, head, department_a, department_b
):
    district = selectors.progress_snapshots(run=run, user=head, scope_kind=ScopeKind.DISTRICT).get()
    assert district.spent == Decimal("500000.00")  # 400,000 + 100,000
    # Both are new (no 2020 score): listed by score, B's 92 above A's 76.
    assert [entry.department.code for entry in selectors.leaderboard_rows(run=run, user=head)] == [
        "B02",
        "A01",
    ]
    departments = selectors.progress_snapshots(run=run, user=head, scope_kind=ScopeKind.DEPARTMENT)
    assert [row.scope_id for row in departments] == [department_a.pk]
    assert selectors.weak_spots(run=run, user=head, department_id=department_b.pk) is None
    assert (
        selectors.monthly_series(
            run=run, user=head, scope_kind=ScopeKind.DEPARTMENT, scope_id=department_b.pk
        )
        == []
    )
    assert selectors.monthly_series(run=run, user=head, scope_kind=ScopeKind.DISTRICT)[-1] == (
        5,
        Decimal("500000.00"),
    )


def test_leaderboard_rows_take_one_query(run, officer, django_assert_num_queries):
    selectors.leaderboard_rows(run=run, user=officer)  # the officer's groups are read once, then cached

    with django_assert_num_queries(1):
        rows = list(selectors.leaderboard_rows(run=run, user=officer))
        names = [row.department.name for row in rows]

    assert names == ["区卫生健康委员会", "区教育体育局"]


def test_weak_spots_of_the_heads_own_department(run, head, department_a):
    spots = selectors.weak_spots(run=run, user=head, department_id=department_a.pk)

    assert spots.entry.score == Decimal("76.0000")  # 0.7 × 70 + 0.3 × 90
    assert [weak.project.name for weak in spots.projects] == ["project of A01-01"]
    assert spots.weakest_dimension == "process"


def test_warnings_list_lagging_projects(run, officer):
    # 26 May: time progress 40 %; A's project spent 40 % (normal), B's 10 % (gap −30 pp: serious).
    warned = selectors.project_warnings(run=run, user=officer)

    assert [(row.project_code is not None, row.warning_level) for row in warned] == [(True, "serious")]


def test_direct_fund_grants_show_allocation_and_spending(year_2021, unit_a, officer):
    grant = DirectFundGrantFactory(amount=Decimal("500000.00"))
    pay(project(unit_a, "300000", grant=grant), "120000", datetime.date(2021, 4, 1))
    pay(project(unit_a, "200000", grant=grant), "30000", datetime.date(2021, 4, 1))
    run = recompute_all(year=2021, as_of=MAY_26)

    (row,) = selectors.direct_fund_grants(run=run, user=officer)

    assert (row.allocated, row.spent) == (Decimal("500000.00"), Decimal("150000.00"))


def test_project_cumulative_payments(year_2021, unit_a, head):
    target = project(unit_a, "1000")
    pay(target, "100", datetime.date(2021, 1, 5))
    pay(target, "50", datetime.date(2021, 3, 5))
    pay(target, "70", datetime.date(2021, 3, 20))

    series = selectors.project_cumulative_payments(
        user=head, project_id=target.pk, as_of=datetime.date(2021, 3, 14)
    )

    assert series == [(1, Decimal("100.00")), (2, Decimal("100.00")), (3, Decimal("150.00"))]


def test_score_history_takes_the_latest_run_of_each_year(run, head, department_a, unit_a):
    evaluate(project(unit_a, "1000", year=2020), "60", kind=Evaluation.Kind.SELF, year=2020)
    recompute_all(year=2020, as_of=datetime.date(2020, 12, 31))
    latest_2021 = recompute_all(year=2021, as_of=MAY_26)

    history = list(selectors.department_score_history(user=head, department_id=department_a.pk))

    assert [(entry.run.fiscal_year_id, entry.score) for entry in history] == [
        (2020, Decimal("60.0000")),
        (2021, Decimal("76.0000")),
    ]
    assert history[-1].run == latest_2021


def test_flags_and_adjustments_are_scoped(run, head, other_head, unit_b):
    propose_adjustments(2021)

    assert selectors.budget_adjustments(user=head, target_year=2022).count() == 1
    assert selectors.budget_adjustments(user=other_head, target_year=2022).get().project.unit == unit_b
    # B's self-evaluation is 优 (92) with 10 % executed: flagged, and only B's head sees it.
    assert selectors.inflated_self_scores(run=run, user=head).count() == 0
    assert selectors.inflated_self_scores(run=run, user=other_head).count() == 1
