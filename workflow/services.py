"""Taking a transition (SPEC §12.1): checked, locked, recorded in the timeline, all or nothing."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from finance.scoping import scope_of
from workflow.models import Action, State, Submission, Transition
from workflow.rules import ACTIONS, ROLE_NAMES, role_on, rule_for

MAX_REASON = 2000


class TransitionRefused(Exception):
    """A transition that is not allowed; its message says why. Nothing was changed."""

    def __init__(self, message: str, *, not_found: bool = False) -> None:
        super().__init__(message)
        self.message = message
        #: The record is outside the user's scope: answered as a 404, never as a refusal.
        self.not_found = not_found


def record_step(
    record,
    *,
    action: str,
    from_state: str,
    to_state: str,
    user=None,
    reason: str = "",
    note: str = "",
    at=None,
) -> Transition:
    """Add one step to ``record``'s timeline (for records whose own service checks the step)."""
    if hasattr(record, "owner_ids"):
        department_id, unit_id = record.owner_ids()
    else:  # a project, or another record that carries its department and unit
        department_id, unit_id = record.department_id, getattr(record, "unit_id", None)
    return Transition.objects.create(
        content_type=ContentType.objects.get_for_model(type(record)),
        object_id=record.pk,
        department_id=department_id,
        unit_id=unit_id,
        action=action,
        from_state=from_state,
        to_state=to_state,
        actor=user if user is not None and user.is_authenticated else None,
        at=at or timezone.now(),
        reason=reason,
        note=note[:300],
    )


def transition(record: Submission, *, user, action: str, reason: str = "") -> Submission:
    """Take ``action`` on ``record`` as ``user``; returns the record in its new state.

    Refused (``TransitionRefused``, nothing changed) when the action is unknown, the user holds no role
    on the record, the role may not take the action from the record's state (no state is skipped), a
    reason is missing where one is needed, or the record's own checks (``refusals``) fail. The record is
    locked for the check, so two reviewers acting at once cannot both move it.
    """
    reason = (reason or "").strip()
    if action not in ACTIONS:
        raise TransitionRefused(_("“%(action)s” is not an action of this workflow.") % {"action": action})
    if len(reason) > MAX_REASON:
        raise TransitionRefused(_("The reason is longer than %(n)s characters.") % {"n": MAX_REASON})
    model = type(record)
    with transaction.atomic():
        locked = model.objects.select_for_update(of=("self",)).select_related("project").get(pk=record.pk)
        department_id, unit_id = locked.owner_ids()
        role = role_on(scope_of(user), department_id, unit_id)
        if role is None:
            raise TransitionRefused(_("This record is not in your scope."), not_found=True)
        rule = rule_for(action, locked.state)
        if rule is None:
            raise TransitionRefused(
                _("A record that is “%(state)s” cannot be given “%(action)s”.")
                % {"state": State(locked.state).label, "action": Action(action).label}
            )
        if rule.role != role:
            raise TransitionRefused(
                _("Only %(role)s may %(action)s a record that is “%(state)s”.")
                % {
                    "role": ROLE_NAMES[rule.role],
                    "action": Action(action).label,
                    "state": State(locked.state).label,
                }
            )
        if rule.needs_reason and not reason:
            raise TransitionRefused(_("Give a reason to %(action)s.") % {"action": Action(action).label})
        problems = locked.refusals(action, user)
        if problems:
            raise TransitionRefused(" ".join(str(problem) for problem in problems))
        from_state = locked.state
        locked.before_transition(action, user)
        locked.state = rule.target
        locked.state_changed_at = timezone.now()
        locked.save(update_fields=["state", "state_changed_at"])
        record_step(
            locked, action=action, from_state=from_state, to_state=rule.target, user=user, reason=reason
        )
        locked.after_transition(action, user)
    return locked


def timeline(record) -> list[Transition]:
    """``record``'s timeline, oldest first, with the actors (one query)."""
    return list(
        Transition.objects.filter(
            content_type=ContentType.objects.get_for_model(type(record)), object_id=record.pk
        ).select_related("actor")
    )
