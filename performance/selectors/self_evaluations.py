"""What the self-evaluation pages read (SPEC §12.3)."""

from __future__ import annotations

from django.http import Http404

from finance.scoping import scope_of
from performance.models import Evaluation, SelfEvaluation
from projects.models import Indicator, Project


def record_of(*, user, project: Project) -> SelfEvaluation | None:
    """The project's self-evaluation record, if one was started (``project`` is already visible)."""
    return (
        SelfEvaluation.objects.visible_to(user)
        .select_related("round", "evaluation")
        .filter(project=project)
        .first()
    )


def evaluable(project: Project) -> None:
    """Only projects in the budget are self-evaluated: a pool proposal has no self-evaluation (404)."""
    if project.status != Project.Status.APPROVED:
        raise Http404("only approved projects are self-evaluated")


def is_own_unit(*, user, project: Project) -> bool:
    """The project is the user's own unit's: the unit fills its self-evaluation."""
    scope = scope_of(user)
    return scope.unit_id is not None and scope.unit_id == project.unit_id


def indicators_of(project: Project) -> list[Indicator]:
    return list(Indicator.objects.filter(project=project).order_by("level1", "level2", "pk"))


def imported_self_evaluation(project: Project) -> Evaluation | None:
    """A finalised self-evaluation that arrived by import (no form behind it), shown as such."""
    return (
        Evaluation.objects.filter(
            project=project,
            kind=Evaluation.Kind.SELF,
            status=Evaluation.Status.FINALISED,
            self_evaluation_form=None,
        )
        .only("total", "grade", "evaluated_on", "import_batch_id")
        .first()
    )
