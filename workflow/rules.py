"""Who may take which transition of SPEC §12.1, from which state, on which records: the one table."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from django.utils.translation import gettext_lazy as _

from finance.scoping import Scope, scope_of
from workflow.models import Action, State


class Role(Enum):
    UNIT = "unit"
    HEAD = "head"
    OFFICER = "officer"


ROLE_NAMES = {Role.UNIT: _("the unit"), Role.HEAD: _("the department"), Role.OFFICER: _("the bureau")}


@dataclass(frozen=True)
class Rule:
    action: str
    source: State
    target: State
    role: Role
    needs_reason: bool = False

    @property
    def label(self) -> str:
        return str(Action(self.action).label)


RULES: tuple[Rule, ...] = (
    Rule(Action.SUBMIT, State.DRAFT, State.SUBMITTED, Role.UNIT),
    Rule(Action.SUBMIT, State.RETURNED, State.SUBMITTED, Role.UNIT),
    Rule(Action.FORWARD, State.SUBMITTED, State.FORWARDED, Role.HEAD),
    Rule(Action.RETURN, State.SUBMITTED, State.RETURNED, Role.HEAD, needs_reason=True),
    Rule(Action.APPROVE, State.FORWARDED, State.APPROVED, Role.OFFICER),
    Rule(Action.RETURN, State.FORWARDED, State.RETURNED, Role.OFFICER, needs_reason=True),
    Rule(Action.REOPEN, State.APPROVED, State.RETURNED, Role.OFFICER, needs_reason=True),
)
ACTIONS = frozenset(rule.action for rule in RULES)


def rule_for(action: str, state: str) -> Rule | None:
    return next((rule for rule in RULES if rule.action == action and rule.source == state), None)


def role_on(scope: Scope, department_id: int, unit_id: int | None) -> Role | None:
    """The role ``scope`` holds on a record of that department and unit, or None outside it.

    Officers (and superusers) act as the bureau on every record; a head as the department on their
    department's records; a unit filler as the unit on their unit's records.
    """
    if scope.everything:
        return Role.OFFICER
    if scope.unit_id is not None:
        return Role.UNIT if unit_id is not None and scope.unit_id == unit_id else None
    if scope.department_id is not None and scope.department_id == department_id:
        return Role.HEAD
    return None


def actions_for(user, record) -> list[Rule]:
    """The transitions ``user`` may offer on ``record`` now (the buttons on its page)."""
    department_id, unit_id = record.owner_ids()
    role = role_on(scope_of(user), department_id, unit_id)
    return [rule for rule in RULES if rule.source == record.state and rule.role == role]
