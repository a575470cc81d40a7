"""How an app above ``projects`` adds to the project pages without ``projects`` importing it.

The project list (/projects/), a project's page (/projects/<year>/<code>/) and the department page's
project table are ``projects``' pages; the figures the recompute writes about a project (its snapshot,
grades, payments chart, evaluations) belong to ``performance``. ``performance`` registers what it adds
here in ``PerformanceConfig.ready``; ``projects`` only calls what is registered, in registration order.

The registries, each a function to call at ``ready``:

``page_state(fn)``
    ``fn(*, user, fiscal_year) -> dict``, called once per page (``fiscal_year`` may be None). The
    dicts, merged, are the page's *state*: given to every other hook as ``state`` and put in the
    template context (performance: ``{"status": ..., "run": ...}``, the run the page shows).
``list_annotation(fn)``
    ``fn(queryset, *, user, state) -> queryset`` annotates the listed projects (before the final
    ``order_by("code")``).
``table_column(name, factory)``
    ``factory() -> django_tables2.Column``, appended to ``ProjectTable`` as an extra column (a fresh
    column per table; the column may define ``order``, ``render`` and ``value``).
``list_filter(name, factory)``
    ``factory() -> django_filters.Filter``, appended to ``ProjectFilter``; the filter reads the page's
    state as ``self.parent.state`` and the request as ``self.parent.request``.
``detail_section(slot, template, context=None)``
    ``template`` is included in a project page's ``slot`` with the page's context, to which
    ``context(project, *, user, state) -> dict`` adds its entries. The slots, top to bottom:
    ``header`` (under the title), ``cards`` (after the budget card), ``charts`` (after the facts) and
    ``sections`` (after the indicators, before where the figures came from).
``detail_related(name)``
    ``name`` (a one-to-one relation of the project, such as its self-evaluation) is read with the
    project on its page, in the same query (``select_related``).
``detail_annotation(name, fn)``
    ``fn() -> expression`` is annotated as ``name`` on the project a project page reads (and on every
    project ``visible_project`` finds), in the same query: what an app above needs of the project's
    own related rows without a query of its own (performance: its monitoring reports).
``history_source(label, records, describe=None)`` and ``lineage_source(fn)``
    A project page's change history and "where the figures came from": ``records(project)`` is a
    django-simple-history queryset ordered by ``id, history_date, history_id``, ``describe(record)``
    names a record that has no code; ``fn(project)`` is a queryset of rows whose import batches count.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: The slots of a project page that ``detail_section`` fills, in the order they appear.
SLOTS = ("header", "cards", "charts", "sections")


@dataclass(frozen=True)
class Section:
    template: str
    context: Callable[..., dict] | None


@dataclass(frozen=True)
class HistorySource:
    label: Any
    records: Callable
    describe: Callable | None


_page_states: list[Callable[..., dict]] = []
_annotations: list[Callable] = []
_columns: list[tuple[str, Callable]] = []
_filters: list[tuple[str, Callable]] = []
_sections: dict[str, list[Section]] = {slot: [] for slot in SLOTS}
_history: list[HistorySource] = []
_lineage: list[Callable] = []
_related: list[str] = []
_detail_annotations: list[tuple[str, Callable]] = []


def _once(registry: list, item) -> None:
    """``ready`` may run twice (tests, ``django.setup``): an item is registered once."""
    if item not in registry:
        registry.append(item)


def page_state(fn: Callable[..., dict]) -> None:
    _once(_page_states, fn)


def detail_related(name: str) -> None:
    _once(_related, name)


def related() -> list[str]:
    return list(_related)


def detail_annotation(name: str, fn: Callable) -> None:
    _once(_detail_annotations, (name, fn))


def detail_annotations() -> dict[str, Any]:
    return {name: fn() for name, fn in _detail_annotations}


def list_annotation(fn: Callable) -> None:
    _once(_annotations, fn)


def table_column(name: str, factory: Callable) -> None:
    _once(_columns, (name, factory))


def list_filter(name: str, factory: Callable) -> None:
    _once(_filters, (name, factory))


def detail_section(slot: str, template: str, context: Callable[..., dict] | None = None) -> None:
    if slot not in SLOTS:
        raise ValueError(f"No slot {slot!r} on a project page: {', '.join(SLOTS)}")
    _once(_sections[slot], Section(template, context))


def history_source(label, records: Callable, describe: Callable | None = None) -> None:
    _once(_history, HistorySource(label, records, describe))


def lineage_source(fn: Callable) -> None:
    _once(_lineage, fn)


# -- what the project pages call --------------------------------------------------------------------


def state_of(*, user, fiscal_year) -> dict:
    state: dict = {}
    for fn in _page_states:
        state.update(fn(user=user, fiscal_year=fiscal_year))
    return state


def annotate(queryset, *, user, state: dict):
    for fn in _annotations:
        queryset = fn(queryset, user=user, state=state)
    return queryset


def columns() -> list[tuple[str, Any]]:
    return [(name, factory()) for name, factory in _columns]


def filters() -> list[tuple[str, Any]]:
    return [(name, factory()) for name, factory in _filters]


def detail_context(project, *, user, state: dict) -> dict:
    """The sections' own entries and ``slots``: each slot's templates, for the page to include."""
    context: dict = {}
    for sections in _sections.values():
        for section in sections:
            if section.context is not None:
                context.update(section.context(project, user=user, state=state))
    context["slots"] = slots()
    return context


def slots() -> dict[str, list[str]]:
    """The templates each slot includes."""
    return {slot: [section.template for section in sections] for slot, sections in _sections.items()}


def history_sources() -> list[HistorySource]:
    return list(_history)


def lineage_sources(project) -> list:
    return [fn(project) for fn in _lineage]
