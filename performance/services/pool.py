"""SPEC §12.4 the project pool: an officer approves a proposed project into the budget, with the approved
amount, once a finalised ex-ante assessment graded 中 (fair) or better exists; or refuses it, with a
reason. Both are steps of the project's timeline; approving saves the project, whose ``post_save``
queues the coalesced recompute (``performance.signals``)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.db import transaction
from django.utils.translation import gettext as _

from finance.formatting import wan_yuan
from finance.scoping import scope_of
from performance.models import GRADE_FLOORS, Evaluation, Grade
from projects.forms import AmountField
from projects.models import Project
from workflow.models import Action
from workflow.rules import Role, role_on
from workflow.services import MAX_REASON, TransitionRefused, record_step

#: The grades that let a project into the budget: 中 (fair) and every better one.
_GRADES_BEST_FIRST = [grade for grade, _floor in GRADE_FLOORS]
PASSING_GRADES = tuple(_GRADES_BEST_FIRST[: _GRADES_BEST_FIRST.index(Grade.FAIR) + 1])
POOL_ACTIONS = (Action.APPROVE, Action.REFUSE)

_amount_field = AmountField(min_value=Decimal("0.00"))


def approved_amount(raw) -> Decimal:
    """The approved budget (元) typed by the officer, or ``TransitionRefused`` saying what is wrong."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise TransitionRefused(_("Give the approved amount in yuan."))
    try:
        return _amount_field.clean(raw.strip() if isinstance(raw, str) else raw)
    except forms.ValidationError as error:
        raise TransitionRefused(
            _("The approved amount (yuan): %(problem)s") % {"problem": " ".join(error.messages)}
        ) from None


def ex_ante_refusal(project: Project) -> str | None:
    """Why the project cannot be approved for want of a passing ex-ante assessment; None when it can."""
    return refusal_for(list(Evaluation.objects.filter(project_id=project.pk, kind=Evaluation.Kind.EX_ANTE)))


def refusal_for(assessments: list[Evaluation]) -> str | None:
    """``ex_ante_refusal`` of a project whose ex-ante assessments are ``assessments``."""
    finalised = [e for e in assessments if e.status == Evaluation.Status.FINALISED]
    if any(e.grade in PASSING_GRADES for e in finalised):
        return None
    if finalised:
        return _(
            "The ex-ante assessment graded it %(grade)s (%(total)s points): a project enters the budget "
            "only with %(fair)s or better."
        ) % {"grade": Grade(finalised[0].grade).label, "total": finalised[0].total, "fair": Grade.FAIR.label}
    if assessments:
        return _("Its ex-ante assessment is not finalised yet: a project enters the budget only once it is.")
    return _("It has no ex-ante assessment: the bureau assesses a project before it enters the budget.")


def decide_proposal(
    project: Project, *, user, action: str, approved_budget=None, reason: str = ""
) -> Project:
    """Approve (``approved_budget`` in 元) or refuse (with ``reason``) a proposed project as ``user``.

    Refused (``TransitionRefused``, nothing changed): an unknown action, a project outside the user's
    scope (``not_found``), a user who is not an officer, a project no longer proposed, a missing or bad
    amount or reason, and an approval without a finalised ex-ante assessment graded 中 or better.
    """
    reason = (reason or "").strip()
    if action not in POOL_ACTIONS:
        raise TransitionRefused(_("“%(action)s” is not an action of the project pool.") % {"action": action})
    with transaction.atomic():
        locked = Project.objects.select_for_update(of=("self",)).get(pk=project.pk)
        role = role_on(scope_of(user), locked.department_id, locked.unit_id)
        if role is None:
            raise TransitionRefused(_("This record is not in your scope."), not_found=True)
        if role != Role.OFFICER:
            raise TransitionRefused(_("Only the bureau approves or refuses a project of the pool."))
        if locked.status != Project.Status.PROPOSED:
            raise TransitionRefused(
                _("A project that is “%(status)s” cannot be approved or refused.")
                % {"status": locked.get_status_display()}
            )
        if action == Action.APPROVE:
            amount = approved_amount(approved_budget)
            problem = ex_ante_refusal(locked)
            if problem:
                raise TransitionRefused(_("Not approved. %(problem)s") % {"problem": problem})
            locked.status, locked.budget = Project.Status.APPROVED, amount
            locked.save(update_fields=["status", "budget"])
            note = _("approved amount %(amount)s (10k yuan)") % {"amount": wan_yuan(amount)}
        else:
            if not reason:
                raise TransitionRefused(_("Give a reason to refuse."))
            if len(reason) > MAX_REASON:
                raise TransitionRefused(_("The reason is longer than %(n)s characters.") % {"n": MAX_REASON})
            locked.status, locked.refusal_reason = Project.Status.CANCELLED, reason
            locked.save(update_fields=["status", "refusal_reason"])
            note = ""
        record_step(
            locked,
            action=action,
            from_state=Project.Status.PROPOSED,
            to_state=locked.status,
            user=user,
            reason=reason if action == Action.REFUSE else "",
            note=note,
        )
    return locked
