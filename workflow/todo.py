"""To-do lists (待办, SPEC §12.1): each app registers its sources; the page and the header count read them.

A source answers, for a user's scope, a queryset of the records waiting for them, with a label and the
URL of each record. The header's count is one query over every source (a UNION ALL of their keys).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet

from finance.scoping import Scope, scope_of
from workflow.models import EDITABLE, Action, State


@dataclass(frozen=True)
class Source:
    """One kind of record on the to-do lists.

    ``waiting(scope)`` is the queryset of the records waiting for that scope's role (None when the role
    has nothing of this kind to do); ``rows(queryset, limit)`` turns the first ``limit`` records, the
    most urgent first, into ``TodoRow``s.
    """

    key: str
    label: object
    waiting: Callable[[Scope], QuerySet | None]
    rows: Callable[[QuerySet, int], list]


@dataclass(frozen=True)
class TodoRow:
    title: str
    subtitle: str
    state_label: str
    url: str
    deadline: object = None
    overdue: bool = False
    #: Where the record takes its transitions, and those the user may take from the list (the ones
    #: that need no reason: forward, approve); returning needs the record's page, with a reason.
    transition_url: str = ""
    quick_actions: tuple = ()


SOURCES: list[Source] = []
QUICK = {State.SUBMITTED: (Action.FORWARD,), State.FORWARDED: (Action.APPROVE,)}


def waiting_submissions(model) -> Callable[[Scope], QuerySet | None]:
    """``waiting`` for a kind of submission (SPEC §12.1): for a unit filler its drafts and returned
    records, for a head what their units submitted, for an officer what the heads forwarded."""

    def waiting(scope: Scope) -> QuerySet | None:
        records = model.objects.in_scope(scope)
        if scope.everything:
            return records.filter(state=State.FORWARDED)
        if scope.unit_id is not None:
            return records.filter(state__in=EDITABLE)
        if scope.department_id is not None:
            return records.filter(state=State.SUBMITTED)
        return None

    return waiting


def quick_actions(state: str) -> tuple:
    """The transitions a reviewer may take from the list (those that need no reason)."""
    return tuple((action, Action(action).label) for action in QUICK.get(state, ()))


def register(source: Source) -> None:
    """Add a source (from an ``AppConfig.ready``); a source registered again replaces the old one."""
    SOURCES[:] = [known for known in SOURCES if known.key != source.key] + [source]


def waiting_querysets(scope: Scope) -> list[tuple[Source, QuerySet]]:
    found = []
    for source in SOURCES:
        queryset = source.waiting(scope)
        if queryset is not None:
            found.append((source, queryset))
    return found


def count_for(user) -> int:
    """How many records wait for ``user``: one query, however many sources."""
    scope = scope_of(user)
    if scope.nothing:
        return 0
    querysets = [queryset.order_by().values_list("pk") for _, queryset in waiting_querysets(scope)]
    if not querysets:
        return 0
    first, *rest = querysets
    return first.union(*rest, all=True).count() if rest else first.count()
