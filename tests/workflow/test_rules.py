"""SPEC §12.1: every transition allowed and refused, for every role, from every state, with the rule
stated here independently of workflow/rules.py; for self-evaluations and target declarations alike."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from performance.models import SelfEvaluation
from projects.models import TargetDeclaration
from tests.factories import (
    BudgetUnitFactory,
    DeclaredIndicatorFactory,
    FiscalYearFactory,
    IndicatorFactory,
    PaymentFactory,
    ProjectFactory,
    UserFactory,
    make_head,
    make_officer,
    make_unit_filler,
)
from workflow.models import State, Transition
from workflow.services import TransitionRefused, transition

#: (action, from state) → (role, to state): SPEC §12.1's diagram.
ALLOWED = {
    ("submit", "draft"): ("unit", "submitted"),
    ("submit", "returned"): ("unit", "submitted"),
    ("forward", "submitted"): ("head", "forwarded"),
    ("return", "submitted"): ("head", "returned"),
    ("approve", "forwarded"): ("officer", "approved"),
    ("return", "forwarded"): ("officer", "returned"),
    ("reopen", "approved"): ("officer", "returned"),
}
#: Each persona and the role it holds on the record (None: outside it, answered as not found).
PERSONAS = {
    "unit": "unit",
    "other_unit": None,
    "head": "head",
    "other_head": None,
    "officer": "officer",
    "admin": "officer",
    "staff": None,
    "anonymous": None,
}


def declared(project):
    """A target declaration that passes its checks (SPEC §13): output 50 + benefit 40 = 90."""
    declaration = TargetDeclaration.objects.create(project=project, goal="保障入学")
    DeclaredIndicatorFactory(declaration=declaration, name="受助学生人数", weight=Decimal("50"))
    DeclaredIndicatorFactory(
        declaration=declaration,
        level1="效益指标",
        level2="社会效益指标",
        name="入学保障",
        direction="qualitative",
        target_value=None,
        measure_unit="",
        weight=Decimal("40"),
    )
    return declaration


@pytest.fixture(params=["self_evaluation", "targets"])
def world(request, department_a, department_b):
    year = FiscalYearFactory(year=2021)
    unit = BudgetUnitFactory(code="A01", department=department_a)
    other_unit = BudgetUnitFactory(code="A02", department=department_a)
    project = ProjectFactory(fiscal_year=year, unit=unit, code="P-R")
    PaymentFactory(project=project, paid_on=datetime.date(2021, 5, 1), amount=project.budget)
    IndicatorFactory(project=project, weight=Decimal("90"), actual_value=Decimal("100"))
    if request.param == "targets":
        record = declared(project)
    else:
        record = SelfEvaluation.objects.create(project=project, achieved="完成")
    return {
        "record": record,
        "model": type(record),
        "users": {
            "unit": make_unit_filler(unit, "r_unit"),
            "other_unit": make_unit_filler(other_unit, "r_other_unit"),
            "head": make_head(department_a, "r_head"),
            "other_head": make_head(department_b, "r_other_head"),
            "officer": make_officer("r_officer"),
            "admin": UserFactory(username="r_admin", is_staff=True, is_superuser=True),
            "staff": UserFactory(username="r_staff", is_staff=True),
            "anonymous": AnonymousUser(),
        },
    }


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_every_action_from_every_state(world, persona):
    record, user = world["record"], world["users"][persona]
    role = PERSONAS[persona]
    for state in State.values:
        for action in ("submit", "forward", "approve", "return", "reopen"):
            world["model"].objects.filter(pk=record.pk).update(state=state)
            before = Transition.objects.count()
            expected = ALLOWED.get((action, state))
            if expected is not None and expected[0] == role:
                moved = transition(record, user=user, action=action, reason="理由")
                assert moved.state == expected[1], (persona, action, state)
                assert Transition.objects.count() == before + 1
                continue
            with pytest.raises(TransitionRefused) as refused:
                transition(record, user=user, action=action, reason="理由")
            assert refused.value.not_found == (role is None), (persona, action, state)
            assert refused.value.message
            assert world["model"].objects.get(pk=record.pk).state == state, (persona, action, state)
            assert Transition.objects.count() == before


@pytest.mark.parametrize(
    ("persona", "state", "action"),
    [("head", "submitted", "return"), ("officer", "forwarded", "return"), ("officer", "approved", "reopen")],
)
def test_return_and_reopen_need_a_reason(world, persona, state, action):
    record = world["record"]
    world["model"].objects.filter(pk=record.pk).update(state=state)
    for blank in ("", "   "):
        with pytest.raises(TransitionRefused):
            transition(record, user=world["users"][persona], action=action, reason=blank)
    assert world["model"].objects.get(pk=record.pk).state == state


def test_an_unknown_action_and_an_overlong_reason_are_refused(world):
    record, officer = world["record"], world["users"]["officer"]
    world["model"].objects.filter(pk=record.pk).update(state="forwarded")
    for action, reason in (("finalise", ""), ("approve'; --", ""), ("return", "x" * 2001)):
        with pytest.raises(TransitionRefused):
            transition(record, user=officer, action=action, reason=reason)
    assert world["model"].objects.get(pk=record.pk).state == "forwarded"
