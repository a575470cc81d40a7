"""Rounds and deadlines (SPEC §12.1): an officer opens a round; its records are overdue when they are not
approved by its deadline. Each kind of round is registered by the app whose records it gathers."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from finance.models import FiscalYear
from finance.roles import is_officer
from finance.scoping import Scope
from workflow.models import Action, Round, State


class RoundRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RoundKind:
    """``open(round)`` gathers the round's records (creating drafts where needed) and returns how many
    it holds; ``records(round, scope)`` is the queryset of its records in a scope; ``model`` is the
    records' model (a ``Submission`` with a ``project``)."""

    kind: str
    model: type
    open: Callable[[Round], int]
    records: Callable[[Round, Scope], QuerySet]


KINDS: dict[str, RoundKind] = {}


def register(kind: RoundKind) -> None:
    KINDS[kind.kind] = kind


def record_first_steps(round_: Round, model: type, *, on_record: str | None = None) -> None:
    """The first timeline step of every record of ``model`` (a ``Submission`` with a ``project``) in
    ``round_``, set-based, by the officer who opened it, at the round's opening: "created", noted with
    the round; with ``on_record``, a record the opener found already approved (taken over from what was
    on record) gets "imported" noted with ``on_record`` instead."""
    records = model._meta.db_table
    projects = model._meta.get_field("project").related_model._meta.db_table
    approved = "r.state = %s" if on_record is not None else "1 = 0"
    approved_params = [State.APPROVED] if on_record is not None else []
    note = str(round_)[:300]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO workflow_transition
                (content_type_id, object_id, department_id, unit_id, action, from_state, to_state,
                 actor_id, at, reason, note)
            SELECT %s, r.id, p.department_id, p.unit_id,
                   CASE WHEN {approved} THEN %s ELSE %s END, '', r.state, %s, %s, '',
                   CASE WHEN {approved} THEN %s ELSE %s END
            FROM {records} r JOIN {projects} p ON p.id = r.project_id
            WHERE r.round_id = %s
            """,
            [
                ContentType.objects.get_for_model(model).pk,
                *approved_params,
                Action.IMPORT,
                Action.CREATE,
                round_.opened_by_id,
                round_.opened_at,
                *approved_params,
                on_record or "",
                note,
                round_.pk,
            ],
        )


def open_round(*, user, kind: str, year: int, deadline: datetime.date, as_of: datetime.date | None = None):
    """Open a round (officers only): returns (round, records in it). Refused with a message when the
    kind cannot be opened yet, the year is unknown, the round exists, or the dates do not fit."""
    if not is_officer(user):
        raise RoundRefused(_("Only the bureau opens rounds."))
    if kind not in KINDS:
        raise RoundRefused(_("Rounds of this kind cannot be opened yet."))
    if not FiscalYear.objects.filter(pk=year).exists():
        raise RoundRefused(_("There is no fiscal year %(year)s.") % {"year": year})
    if kind == Round.Kind.MONITORING:
        if as_of is None:
            raise RoundRefused(_("A monitoring round needs the date it reports as of."))
        if as_of.year != year or deadline < as_of:
            raise RoundRefused(_("The as-of date must fall in the year, and the deadline after it."))
    else:
        as_of = None
    try:
        with transaction.atomic():
            opened = Round.objects.create(
                kind=kind,
                fiscal_year_id=year,
                as_of=as_of,
                deadline=deadline,
                opened_by=user,
                opened_at=timezone.now(),
            )
            count = KINDS[kind].open(opened)
    except IntegrityError:
        raise RoundRefused(_("That round is already open.")) from None
    return opened, count


def progress(round_: Round, scope: Scope, today: datetime.date | None = None) -> list[dict]:
    """Per department, the round's records: in all, submitted or further, approved, and overdue (not
    approved after the deadline). One grouped query."""
    overdue = round_.is_overdue(today)
    rows = (
        KINDS[round_.kind]
        .records(round_, scope)
        .values("project__department__code", "project__department__name")
        .annotate(
            total=Count("pk"),
            approved=Count("pk", filter=Q(state=State.APPROVED)),
            waiting_head=Count("pk", filter=Q(state=State.SUBMITTED)),
            waiting_bureau=Count("pk", filter=Q(state=State.FORWARDED)),
            with_unit=Count("pk", filter=Q(state__in=[State.DRAFT, State.RETURNED])),
        )
        .order_by("project__department__code")
    )
    return [
        {
            "code": row["project__department__code"],
            "name": row["project__department__name"],
            "total": row["total"],
            "approved": row["approved"],
            "waiting_head": row["waiting_head"],
            "waiting_bureau": row["waiting_bureau"],
            "with_unit": row["with_unit"],
            "overdue": row["total"] - row["approved"] if overdue else 0,
        }
        for row in rows
    ]


def overdue_count(department_ref: OuterRef, today: datetime.date | None = None):
    """An expression: how many records of every kind of round, of the department ``department_ref``,
    are not approved after their round's deadline (SPEC §12.1: flagged on the department page)."""
    today = today or timezone.localdate()
    total = None
    for kind in KINDS.values():
        late = (
            kind.model.objects.filter(project__department=department_ref, round__deadline__lt=today)
            .exclude(state=State.APPROVED)
            .order_by()
            .values("project__department")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        )
        expression = Coalesce(Subquery(late), 0)
        total = expression if total is None else total + expression
    return total if total is not None else Value(0)


def known_rounds() -> list[Round]:
    """Every round of a kind some app gathers, newest year first."""
    return list(Round.objects.filter(kind__in=list(KINDS)).select_related("fiscal_year"))


def rounds_of_kind_known() -> list[tuple[str, str]]:
    return [(value, label) for value, label in Round.Kind.choices if value in KINDS]
