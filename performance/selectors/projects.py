"""A project's own figures, as the user may see them."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import (
    Case,
    IntegerField,
    Sum,
    Value,
    When,
)
from django.db.models.functions import ExtractMonth

from projects.models import Payment


def project_cumulative_payments(*, user, project_id: int, as_of: datetime.date) -> list[tuple[int, Decimal]]:
    """(month, cumulative paid) of one project to ``as_of``, for its detail page's chart."""
    # Anything paid before 1 January counts in January's point, as it does in the snapshot.
    month = Case(
        When(paid_on__lt=datetime.date(as_of.year, 1, 1), then=Value(1)),
        default=ExtractMonth("paid_on"),
        output_field=IntegerField(),
    )
    by_month = dict(
        Payment.objects.visible_to(user)
        .filter(project_id=project_id, paid_on__lte=as_of)
        .annotate(month=month)
        .order_by()
        .values("month")
        .annotate(total=Sum("amount"))
        .values_list("month", "total")
    )
    series, running = [], Decimal("0.00")
    for month in range(1, as_of.month + 1):
        running += by_month.get(month) or Decimal("0.00")
        series.append((month, running))
    return series
