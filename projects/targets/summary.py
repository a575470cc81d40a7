"""Where a project's targets stand, for the pages that list or show projects (the project page, the
pool): annotations that add no query, and the words for them."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from projects.models import TargetDeclaration
from workflow.models import State


def with_targets_state(projects: QuerySet) -> QuerySet:
    """``projects`` with ``targets_version`` and ``targets_state`` (the newest version's, None without
    one) and ``targets_in_force`` (the version in force, None without one): subqueries, no query more."""
    newest = TargetDeclaration.objects.filter(project=OuterRef("pk")).order_by("-version")
    in_force = TargetDeclaration.objects.filter(
        project=OuterRef("pk"), state=State.APPROVED, superseded_at__isnull=True
    )
    return projects.annotate(
        targets_version=Subquery(newest.values("version")[:1]),
        targets_state=Subquery(newest.values("state")[:1]),
        targets_in_force=Subquery(in_force.values("version")[:1]),
    )


def targets_text(project) -> str:
    """ "not declared", "draft", "approved · v1 in force", "revision v2: submitted · v1 in force"."""
    version, state, in_force = project.targets_version, project.targets_state, project.targets_in_force
    if version is None:
        return _("not declared")
    label = str(State(state).label)
    if version > 1 and state != State.APPROVED:
        label = _("revision v%(version)s: %(state)s") % {"version": version, "state": label}
    if in_force is not None:
        label = _("%(state)s · v%(version)s in force") % {"state": label, "version": in_force}
    return label
