"""What the project pages show of the recompute and the evaluations (``performance.projects`` adds it
to the pages of ``projects``): each project's snapshot in the page's run, its grades, its evaluations."""

from __future__ import annotations

from django.db.models import BooleanField, CharField, DecimalField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from performance.models import Evaluation, ProgressSnapshot, RecomputeRun, ScopeKind
from projects.models import Project


def with_snapshots(projects: QuerySet[Project], *, user, state: dict) -> QuerySet[Project]:
    """Each project annotated ``snapshot_*`` with its snapshot in the page's run (none without a run:
    the projects are listed all the same, without computed figures)."""
    run: RecomputeRun | None = state.get("run")
    if run is None:
        return projects.annotate(
            snapshot_spent=Value(None, output_field=DecimalField()),
            snapshot_spending_progress=Value(None, output_field=DecimalField()),
            snapshot_gap_pp=Value(None, output_field=DecimalField()),
            snapshot_warning_level=Value(None, output_field=CharField()),
            snapshot_overspent=Value(False, output_field=BooleanField()),
        )
    snapshots = ProgressSnapshot.objects.filter(
        run=run, scope_kind=ScopeKind.PROJECT, scope_id=OuterRef("pk")
    ).order_by()
    return projects.annotate(
        snapshot_spent=Subquery(snapshots.values("spent")[:1]),
        snapshot_spending_progress=Subquery(snapshots.values("spending_progress")[:1]),
        snapshot_gap_pp=Subquery(snapshots.values("gap_pp")[:1]),
        snapshot_warning_level=Subquery(snapshots.values("warning_level")[:1]),
        # So that an overspent project (its spending ahead of time: "normal") is not shown as normal.
        snapshot_overspent=Subquery(snapshots.values("overspent")[:1]),
    )


def with_grades(projects: QuerySet[Project], *, user=None, state: dict | None = None) -> QuerySet[Project]:
    """Each project with the grades of its finalised key, self- and ex-ante evaluations (one of each
    kind a year at most) and ``counted_grade``, the one its score counts (SPEC §4.4: key, else self)."""

    def grade_of(kind: str) -> Subquery:
        evaluations = Evaluation.objects.finalised().filter(project=OuterRef("pk"), kind=kind).order_by()
        return Subquery(evaluations.values("grade")[:1])

    return projects.annotate(
        key_grade=grade_of(Evaluation.Kind.KEY),
        self_grade=grade_of(Evaluation.Kind.SELF),
        ex_ante_grade=grade_of(Evaluation.Kind.EX_ANTE),
    ).annotate(counted_grade=Coalesce("key_grade", "self_grade"))


def project_snapshot(*, user, run: RecomputeRun, project_id: int) -> ProgressSnapshot | None:
    """The project's snapshot in ``run``."""
    return (
        ProgressSnapshot.objects.visible_to(user)
        .filter(run=run, scope_kind=ScopeKind.PROJECT, scope_id=project_id)
        .first()
    )


def project_evaluations(*, user, project_id: int) -> list[Evaluation]:
    """The project's evaluations (every status), by kind, newest first."""
    return list(
        Evaluation.objects.visible_to(user)
        .filter(project_id=project_id)
        .order_by("kind", "-evaluated_on", "pk")
    )
