"""What the projects layer does when the organisation below it changes."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery

from finance.models import BudgetUnit
from finance.signals import units_moved
from projects.models import Project


def unit_moved(sender, unit_ids: list[int], **kwargs) -> None:
    """Projects carry their unit's department: one UPDATE for the moved units' projects."""
    Project.objects.filter(unit_id__in=unit_ids).update(
        department_id=Subquery(BudgetUnit.objects.filter(pk=OuterRef("unit_id")).values("department_id")[:1])
    )


def connect() -> None:
    units_moved.connect(unit_moved, dispatch_uid="projects-follow-unit")
