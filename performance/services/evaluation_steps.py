"""An evaluation scored in the app (SPEC §12.2): created, scored, finalised and reopened by a budget
officer, each step kept in the record's timeline (workflow.services.record_step)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from finance.scoping import scope_of
from performance.models import Evaluation
from workflow.models import Action
from workflow.rules import Role, role_on
from workflow.services import MAX_REASON, TransitionRefused, record_step

#: The fields an officer enters on an evaluation's page while it is not finalised.
SCORED_FIELDS = (
    "decision",
    "process",
    "output",
    "benefit",
    "evaluator",
    "evaluated_on",
    "findings",
    "recommendations",
)
#: The steps an evaluation's page takes at its ``transition/`` URL.
STEPS = (Action.FINALISE, Action.REOPEN)


def officer_may_change(evaluation: Evaluation, *, user) -> bool:
    """Whether ``user`` acts as the bureau on ``evaluation`` (self-evaluations are the unit's form's)."""
    return evaluation.kind != Evaluation.Kind.SELF and _role(evaluation, user) == Role.OFFICER


def editable(evaluation: Evaluation, *, user) -> bool:
    """An officer edits an evaluation until it is finalised."""
    return evaluation.status != Evaluation.Status.FINALISED and officer_may_change(evaluation, user=user)


def steps_for(evaluation: Evaluation, *, user) -> list[str]:
    """The steps ``user`` may offer on ``evaluation`` now (the buttons of its page)."""
    if not officer_may_change(evaluation, user=user):
        return []
    if evaluation.status == Evaluation.Status.FINALISED:
        return [Action.REOPEN]
    return [Action.FINALISE]


def _role(evaluation: Evaluation, user) -> Role | None:
    return role_on(scope_of(user), *evaluation.owner_ids())


@transaction.atomic
def create_evaluation(evaluation: Evaluation, *, user) -> Evaluation:
    """Store a new draft ``evaluation`` (checked by its form) and its ``create`` step."""
    if evaluation.kind == Evaluation.Kind.SELF or _role(evaluation, user) != Role.OFFICER:
        raise TransitionRefused(_("Only the bureau creates key, department-wide and ex-ante evaluations."))
    evaluation.status = Evaluation.Status.DRAFT
    evaluation.fill_total_and_grade()
    evaluation.full_clean()
    evaluation.save()
    record_step(evaluation, action=Action.CREATE, from_state="", to_state=evaluation.status, user=user)
    return evaluation


@transaction.atomic
def save_scores(evaluation: Evaluation, *, user) -> Evaluation:
    """Store the scores and notes an officer entered on a draft ``evaluation`` (checked by its form)."""
    stored = _locked(evaluation, user)
    if stored.status == Evaluation.Status.FINALISED:
        raise TransitionRefused(_("A finalised evaluation is read-only: reopen it to change it."))
    evaluation.fill_total_and_grade()
    evaluation.full_clean()
    evaluation.save(update_fields=[*SCORED_FIELDS, "total", "grade"])
    return evaluation


def take_step(evaluation: Evaluation, *, user, action: str, reason: str = "") -> Evaluation:
    """Finalise (draft or submitted → finalised, every score given) or reopen (finalised → draft, with
    a reason) ``evaluation`` as ``user``. Refused (``TransitionRefused``, nothing changed) otherwise.
    Saving the evaluation queues the coalesced recompute (performance.signals): a finalised one counts
    in the rankings, a reopened one no longer does."""
    reason = (reason or "").strip()
    if action not in STEPS:
        raise TransitionRefused(_("“%(action)s” is not a step of an evaluation.") % {"action": action})
    if len(reason) > MAX_REASON:
        raise TransitionRefused(_("The reason is longer than %(n)s characters.") % {"n": MAX_REASON})
    with transaction.atomic():
        locked = _locked(evaluation, user)
        from_state = locked.status
        if action == Action.FINALISE:
            if from_state == Evaluation.Status.FINALISED:
                raise TransitionRefused(_("This evaluation is finalised already."))
            missing = locked.missing_scores()
            if missing:
                raise TransitionRefused(
                    _("Finalising needs every score: %(missing)s missing.")
                    % {"missing": pgettext("between the items of a list", ", ").join(missing)}
                )
            locked.status = Evaluation.Status.FINALISED
        else:
            if from_state != Evaluation.Status.FINALISED:
                raise TransitionRefused(_("Only a finalised evaluation can be reopened."))
            if not reason:
                raise TransitionRefused(_("Give a reason to reopen the evaluation."))
            locked.status = Evaluation.Status.DRAFT
        locked.save(update_fields=["status"])
        record_step(
            locked, action=action, from_state=from_state, to_state=locked.status, user=user, reason=reason
        )
    return locked


def _locked(evaluation: Evaluation, user) -> Evaluation:
    """``evaluation`` as stored, locked; refused unless ``user`` acts on it as the bureau."""
    locked = (
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("project")
        .filter(pk=evaluation.pk)
        .first()
    )
    if locked is None:
        raise TransitionRefused(_("This evaluation is not in your scope."), not_found=True)
    role = _role(locked, user)
    if role is None:
        raise TransitionRefused(_("This evaluation is not in your scope."), not_found=True)
    if locked.kind == Evaluation.Kind.SELF:
        raise TransitionRefused(
            _("A self-evaluation is filled by its unit in its own form and finalised by approving it.")
        )
    if role != Role.OFFICER:
        raise TransitionRefused(_("Only the bureau scores, finalises and reopens evaluations."))
    return locked
