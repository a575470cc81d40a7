"""Reads of the project pool (SPEC §12.4): the proposals a user may see with their ex-ante assessment,
what waits for an officer's decision, and what a pool project's page shows of it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, DecimalField, F, OuterRef, Q, QuerySet, Subquery, When

from finance.roles import is_officer
from finance.scoping import Scope
from performance.models import Evaluation
from performance.services.pool import PASSING_GRADES, refusal_for
from projects.models import Project
from projects.targets.summary import with_targets_state
from workflow.services import timeline

#: The projects the pool lists (``Project.in_pool``): proposed through it, or not in the budget (an
#: imported proposal, a cancelled project).
IN_POOL = Q(requested_amount__isnull=False) | ~Q(status=Project.Status.APPROVED)


def pool_projects(*, user) -> QuerySet[Project]:
    """The proposals the user may see (every year, newest first), each with its unit and department,
    ``approved_amount`` (the budget once approved) and its ex-ante assessment's ``ex_ante_status``,
    ``ex_ante_grade`` and ``ex_ante_total`` (None without one), and where its targets stand
    (``projects.targets.summary``): one query however many rows."""
    assessment = Evaluation.objects.filter(project=OuterRef("pk"), kind=Evaluation.Kind.EX_ANTE).order_by(
        "-fiscal_year", "-pk"
    )
    return with_targets_state(
        Project.objects.visible_to(user)
        .filter(IN_POOL)
        .select_related("unit", "department")
        .annotate(
            approved_amount=Case(
                When(status=Project.Status.APPROVED, then=F("budget")), output_field=DecimalField()
            ),
            ex_ante_status=Subquery(assessment.values("status")[:1]),
            ex_ante_grade=Subquery(assessment.values("grade")[:1]),
            ex_ante_total=Subquery(assessment.values("total")[:1]),
        )
        .order_by("-fiscal_year", "code")
    )


def awaiting_decision(scope: Scope) -> QuerySet[Project] | None:
    """The to-do list's pool proposals: for officers, every proposal not yet approved or refused."""
    if not scope.everything:
        return None
    return (
        Project.objects.in_scope(scope)
        .filter(status=Project.Status.PROPOSED)
        .select_related("unit", "department")
        .order_by("fiscal_year", "code")
    )


@dataclass(frozen=True)
class PoolState:
    """What a pool project's page shows of the pool: the ex-ante assessment, why approval would be
    refused now, whether the user decides, and the timeline."""

    assessment: Evaluation | None
    refusal: str | None
    decides: bool
    timeline: list
    passing_grades: tuple = PASSING_GRADES


def pool_state(project: Project, *, user) -> PoolState | None:
    """A pool project's state for its page (two queries), or None for a project that never was in the
    pool (one from an import or the budget itself)."""
    if not project.in_pool:
        return None
    assessments = list(
        Evaluation.objects.filter(project_id=project.pk, kind=Evaluation.Kind.EX_ANTE).order_by(
            "-fiscal_year", "-pk"
        )
    )
    proposed = project.status == Project.Status.PROPOSED
    return PoolState(
        assessment=assessments[0] if assessments else None,
        refusal=refusal_for(assessments) if proposed else None,
        decides=proposed and is_officer(user),
        timeline=timeline(project),
    )
