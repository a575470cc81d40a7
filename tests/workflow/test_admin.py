"""Django admin of the workflow's models (tests/admin_walk.py): rounds and the timeline, read only."""

from __future__ import annotations

import datetime

import pytest

from performance.models import SelfEvaluation
from tests.admin_walk import BASE, AdminWalk
from tests.factories import FiscalYearFactory, ProjectFactory, make_officer
from workflow.models import Round, Transition
from workflow.services import record_step

pytestmark = pytest.mark.django_db


def make_rounds(n: int) -> None:
    officer = make_officer(f"round_officer_{Round.objects.count()}")
    for _ in range(n):
        year = FiscalYearFactory(year=2000 + Round.objects.count())
        Round.objects.create(
            kind="self_evaluation", fiscal_year=year, deadline=datetime.date(2022, 3, 31), opened_by=officer
        )


def make_transitions(n: int) -> None:
    officer = make_officer(f"step_officer_{Transition.objects.count()}")
    for project in ProjectFactory.create_batch(n):
        record = SelfEvaluation.objects.create(project=project)
        record_step(
            record, action="submit", from_state="draft", to_state="submitted", user=officer, reason="原因"
        )


class TestWorkflowAdmin(AdminWalk):
    app_label = "workflow"
    builders = {Round: make_rounds, Transition: make_transitions}
    query_budget = {
        Round: BASE + 1,  # fiscal year filter
        Transition: BASE + 2,  # content type filter, the date hierarchy
    }
    read_only = frozenset({Round, Transition})
