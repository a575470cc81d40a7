"""SPEC §12.4: projects that are not approved never count in any figure. The small district is recomputed
with and without a proposal of the pool and a cancelled project, each with a budget, payments, a grant,
indicators and every kind of finalised evaluation; every figure the run writes and every figure the pages
read outside the run comes out the same."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import override_settings

from performance import selectors
from performance.models import (
    BudgetAdjustment,
    Evaluation,
    InflatedSelfScore,
    LeaderboardEntry,
    MonthlySpending,
    ProgressSnapshot,
    RunFigures,
    WeakProject,
)
from performance.services import recompute_all
from projects.models import Project
from projects.selectors import projects_of_year
from tests.district import AS_OF
from tests.factories import IndicatorFactory
from tests.performance.conftest import evaluate, pay

pytestmark = pytest.mark.django_db

RUN_TABLES = (ProgressSnapshot, MonthlySpending, LeaderboardEntry, WeakProject, InflatedSelfScore, RunFigures)


def run_figures(run) -> dict[str, list]:
    """Every row the run wrote, without its ids and times, in a stable order."""
    found = {}
    for model in RUN_TABLES:
        rows = model.objects.filter(run=run).values()
        found[model.__name__] = sorted(
            repr(
                sorted((k, v) for k, v in row.items() if k not in ("id", "run_id") and not k.endswith("_at"))
            )
            for row in rows
        )
    return found


def page_figures(officer) -> dict:
    """The figures pages read outside the run: key evaluations summary, grade distribution, the direct
    funds table, the year's project list, next year's budget adjustment proposals."""
    run = selectors.latest_run(year=2021)
    grants, totals = selectors.direct_fund_progress(run=run, user=officer)
    return {
        "key": selectors.key_evaluation_summary(user=officer, year=2021),
        "grades": selectors.grade_counts(year=2021),
        "grants": [(g.code, g.allocated, g.spent) for g in grants],
        "grant_totals": totals,
        "projects": list(projects_of_year(user=officer, year=2021, state={}).values_list("code", flat=True)),
        "adjustments": sorted(
            BudgetAdjustment.objects.values_list("project__code", "proposed_action", "proposed_budget")
        ),
    }


def not_in_the_budget(unit, code: str, status: str, grant) -> Project:
    """A project with everything that counts when approved: 4,000 万元 from a grant, 1,000 万元 paid,
    an indicator and finalised key, self and ex-ante evaluations."""
    project = Project.objects.create(
        fiscal_year_id=2021,
        code=code,
        name="不计入",
        unit=unit,
        function_class_id=grant.projects.first().function_class_id,
        fund_source_id=grant.projects.first().fund_source_id,
        category="livelihood",
        budget=Decimal("40000000.00"),
        requested_amount=Decimal("40000000.00"),
        grant=grant,
        status=status,
    )
    pay(project, "10000000.00", datetime.date(2021, 5, 1))
    IndicatorFactory(project=project, actual_value=Decimal("120"))
    evaluate(project, "40", kind=Evaluation.Kind.KEY)
    evaluate(project, "95", kind=Evaluation.Kind.SELF)
    evaluate(project, "90", kind=Evaluation.Kind.EX_ANTE)
    return project


def test_a_proposed_and_a_cancelled_project_change_no_figure(district, officer):
    evaluate(district.a, "80", kind=Evaluation.Kind.KEY)  # so that a department's budget is a figure
    base = recompute_all(year=2021, as_of=AS_OF)
    before, pages_before = run_figures(base), page_figures(officer)
    with override_settings(RECOMPUTE_ON_CHANGE=False):
        not_in_the_budget(
            district.units["A01-01"], "PX01", Project.Status.PROPOSED, district.grants["ZD0001"]
        )
        not_in_the_budget(
            district.units["B02-01"], "PX02", Project.Status.CANCELLED, district.grants["ZD0002"]
        )

    again = recompute_all(year=2021, as_of=AS_OF)

    assert again.pk != base.pk
    assert run_figures(again) == before
    assert page_figures(officer) == pages_before
    # The figures compared are not empty: the district's five projects, three departments, two grants.
    assert len(before["ProgressSnapshot"]) > 5 and len(before["LeaderboardEntry"]) == 3
    assert len(pages_before["grants"]) == 2 and pages_before["key"]


def test_approving_a_proposal_does_change_the_figures(district, officer):
    """The converse, so that the test above would notice a figure that moves: the same project, approved."""
    base = recompute_all(year=2021, as_of=AS_OF)
    before = run_figures(base)
    with override_settings(RECOMPUTE_ON_CHANGE=False):
        not_in_the_budget(
            district.units["A01-01"], "PX01", Project.Status.APPROVED, district.grants["ZD0001"]
        )

    assert run_figures(recompute_all(year=2021, as_of=AS_OF)) != before
