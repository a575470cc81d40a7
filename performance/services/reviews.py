"""SPEC §4.6 budget reviews (预算评审): count, Σ submitted, Σ cut and the overall cut rate of a period."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

from performance.services import _sql as sql
from performance.services.progress import ratio, yuan


@dataclass(frozen=True)
class ReviewTotals:
    """Review opinions of a period; the cut rate is Σ cut ÷ Σ submitted, not the mean of the rates."""

    count: int
    submitted: Decimal
    approved: Decimal
    cut: Decimal
    cut_rate: Decimal


def budget_review_totals(*, start: datetime.date, end: datetime.date) -> ReviewTotals:
    """Totals of the budget reviews dated from ``start`` to ``end``, both included."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT COUNT(*), {sql.sum_cents("submitted_amount")}, {sql.sum_cents("approved_amount")}
            FROM performance_budgetreview
            WHERE reviewed_on >= %s AND reviewed_on <= %s
            """,
            [start, end],
        )
        count, submitted, approved = (int(value) for value in cursor.fetchone())
    return ReviewTotals(
        count=count,
        submitted=yuan(submitted),
        approved=yuan(approved),
        cut=yuan(submitted - approved),
        cut_rate=ratio(submitted - approved, submitted),
    )
