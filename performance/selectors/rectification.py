"""Rectification items as the user may see them (SPEC §14.2), their counts per department and for the
district, and the link from each item back to what it came from."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from performance.models import ItemState, RectificationFile, RectificationItem

#: The largest primary key a database holds (a 64-bit integer).
BIGGEST_KEY = 2**63 - 1


def not_closed() -> Q:
    return ~Q(state=ItemState.CLOSED)


def overdue_q(today: datetime.date | None = None) -> Q:
    """Not closed, and past its deadline (the deadline day itself is in time)."""
    return not_closed() & Q(deadline__lt=today or timezone.localdate())


def items(*, user, today: datetime.date | None = None) -> QuerySet[RectificationItem]:
    """The items ``user`` may see, with department, project and unit, each with ``overdue``; the ones
    waiting longest first (not closed before closed, then by deadline)."""
    return (
        RectificationItem.objects.visible_to(user)
        .select_related("department", "project", "project__unit", "fiscal_year")
        .annotate(
            overdue=ExpressionWrapper(overdue_q(today), output_field=BooleanField()),
            closed=ExpressionWrapper(Q(state=ItemState.CLOSED), output_field=BooleanField()),
        )
        .order_by("closed", "deadline", "pk")
    )


def item_detail(*, user) -> QuerySet[RectificationItem]:
    """The items ``user`` may open, with what the page shows beside each."""
    return RectificationItem.objects.visible_to(user).select_related(
        "department", "project", "project__unit", "evaluation", "monitoring_round", "opened_by"
    )


def item_files(item: RectificationItem) -> list[RectificationFile]:
    return list(item.files.select_related("uploaded_by"))


def visible_file(*, user, item_pk: int, file_pk: int) -> RectificationFile | None:
    """The evidence file, if it belongs to that item and the user may see the item (else None: 404)."""
    if max(item_pk, file_pk) > BIGGEST_KEY:
        return None  # no row has it; the database would refuse to compare with it
    return (
        RectificationFile.objects.visible_to(user)
        .filter(item_id=item_pk, pk=file_pk)
        .select_related("item")
        .first()
    )


@dataclass(frozen=True)
class DepartmentItems:
    """The first of a department's items for its page, and its counts."""

    rows: list[RectificationItem]
    total: int
    open: int
    overdue: int

    @property
    def more(self) -> bool:
        return self.total > len(self.rows)


#: Items listed on a department's page; the list page has them all.
DEPARTMENT_PAGE_ITEMS = 20


def department_items(*, user, department_id: int, today: datetime.date | None = None) -> DepartmentItems:
    """A department's items for its page, the ones still open first, with the department's counts of
    items, open items and overdue items (window counts over all of them: one query)."""

    def counted(condition: Q) -> Window:
        return Window(
            Sum(Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField()))
        )

    rows = list(
        items(user=user, today=today)
        .filter(department_id=department_id)
        .annotate(
            total=Window(Count("pk")),
            open_count=counted(not_closed()),
            overdue_count=counted(overdue_q(today)),
        )[:DEPARTMENT_PAGE_ITEMS]
    )
    if not rows:
        return DepartmentItems(rows=[], total=0, open=0, overdue=0)
    first = rows[0]
    return DepartmentItems(rows=rows, total=first.total, open=first.open_count, overdue=first.overdue_count)


def open_and_overdue_subqueries(today: datetime.date | None = None) -> dict:
    """Annotations for rows with a ``department_id``: its items not yet closed (``open_items``) and
    those of them past their deadline (``overdue_items``), each one grouped subquery in the row's query."""

    def count(condition: Q) -> Coalesce:
        grouped = (
            RectificationItem.objects.filter(condition, department_id=OuterRef("department_id"))
            .order_by()
            .values("department_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(grouped, output_field=IntegerField()), Value(0))

    return {"open_items": count(not_closed()), "overdue_items": count(overdue_q(today))}


@dataclass(frozen=True)
class DistrictItems:
    """The overview's figures: items opened, closed by their deadline, and overdue now."""

    opened: int
    closed_on_time: int
    overdue: int
    open: int


def district_items(*, year: int | None, today: datetime.date | None = None) -> DistrictItems:
    """The district's items of ``year`` (every department's: the overview's figures are the district's)."""
    rows = RectificationItem.objects.all()
    if year is not None:
        rows = rows.filter(fiscal_year_id=year)
    figures = rows.aggregate(
        opened=Count("pk"),
        closed_on_time=Count("pk", filter=Q(state=ItemState.CLOSED, closed_at__date__lte=F("deadline"))),
        overdue=Count("pk", filter=overdue_q(today)),
        open=Count("pk", filter=not_closed()),
    )
    return DistrictItems(**figures)


@dataclass(frozen=True)
class SourceLink:
    """Where an item came from: the address and what to call it."""

    url: str
    label: str


def source_link(item: RectificationItem) -> SourceLink:
    """The page of what ``item`` follows: the project's warnings, the evaluation and its findings, the
    project's monitoring report of the round, the department's weak spots."""
    project = item.project
    year = item.fiscal_year_id
    if item.source == "evaluation_finding" and item.evaluation_id:
        return SourceLink(
            reverse("performance:evaluation", args=[item.evaluation_id]),
            _("Evaluation #%(id)s, its findings") % {"id": item.evaluation_id},
        )
    if item.source == "double_deviation" and project is not None and item.monitoring_round_id:
        # SPEC §6's address of a project's report in a monitoring round.
        return SourceLink(
            f"{reverse('projects:project', args=[project.fiscal_year_id, project.code])}monitoring/"
            f"{item.monitoring_round_id}/",
            _("Monitoring report of %(code)s %(name)s") % {"code": project.code, "name": project.name},
        )
    if item.source == "warning" and project is not None:
        return SourceLink(
            f"{reverse('performance:warnings')}?year={year}&q={project.code}",
            _("Warnings of %(code)s %(name)s") % {"code": project.code, "name": project.name},
        )
    if item.source == "inflated_self_evaluation" and project is not None:
        return SourceLink(
            reverse("performance:self_evaluation", args=[project.fiscal_year_id, project.code]),
            _("Self-evaluation of %(code)s %(name)s") % {"code": project.code, "name": project.name},
        )
    if project is not None:
        return SourceLink(
            reverse("projects:project", args=[project.fiscal_year_id, project.code]),
            _("Project %(code)s %(name)s") % {"code": project.code, "name": project.name},
        )
    return SourceLink(
        f"{reverse('performance:department', args=[item.department.code])}?year={year}",
        _("Weak spots of %(name)s") % {"name": item.department.name},
    )
