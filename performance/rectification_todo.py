"""What rectification adds to the to-do lists (SPEC §12.1, §14.2), registered by ``PerformanceConfig.ready``:
a head's items waiting for their answer (open or sent back), an officer's answered items to close or
send back; the most urgent (earliest deadline) first."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from finance.scoping import Scope
from performance.models import ANSWERABLE, ItemState, RectificationItem
from workflow import todo


def waiting(scope: Scope) -> QuerySet[RectificationItem] | None:
    if scope.everything:
        states = [ItemState.ANSWERED]
    elif scope.department_id is not None and scope.unit_id is None:
        states = list(ANSWERABLE)
    else:
        return None  # a unit filler reads their unit's items; nothing waits for them
    return (
        RectificationItem.objects.in_scope(scope)
        .filter(state__in=states)
        .select_related("department", "project")
        .order_by("deadline", "pk")
    )


def item_rows(items, limit: int) -> list[todo.TodoRow]:
    today = timezone.localdate()
    return [
        todo.TodoRow(
            title=f"#{item.pk} {item.problem[:60]}",
            subtitle=item.department.name
            + (f" · {item.project.code} {item.project.name}" if item.project else ""),
            state_label=str(item.get_state_display()),
            url=reverse("performance:rectification_item", args=[item.pk]),
            deadline=item.deadline,
            overdue=item.is_overdue(today),
        )
        for item in items[:limit]
    ]


def register() -> None:
    todo.register(
        todo.Source(
            key="rectification",
            label=_("Rectification items: to answer, or to close or send back"),
            waiting=waiting,
            rows=item_rows,
        )
    )
