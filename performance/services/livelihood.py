"""SPEC §4.2 livelihood share (民生支出占比) and growth on the same period of last year (同比增长)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

from performance.services.progress import PROJECT_SUMS, growth, ratio, yuan


@dataclass(frozen=True)
class LivelihoodShare:
    """Livelihood spending ÷ all general-public-budget spending, to D and to the same date of Y−1."""

    general_budget_spent: Decimal
    livelihood_spent: Decimal
    share: Decimal
    previous_general_budget_spent: Decimal | None
    previous_livelihood_spent: Decimal | None
    livelihood_growth: Decimal | None


#: SPEC §4.2 general-public-budget spending and its livelihood part, to D (year Y) and D′ (Y−1), with
#: the count of Y−1's general-public-budget projects, from ``rc_project``. Parameters: Y, Y, Y−1, Y−1, Y−1.
LIVELIHOOD_SHARE = f"""
    SELECT COALESCE(SUM(spent_c) FILTER (WHERE year = %s), 0),
           COALESCE(SUM(spent_c) FILTER (WHERE year = %s AND livelihood = 1), 0),
           COUNT(*) FILTER (WHERE year = %s),
           COALESCE(SUM(spent_c) FILTER (WHERE year = %s), 0),
           COALESCE(SUM(spent_c) FILTER (WHERE year = %s AND livelihood = 1), 0)
    FROM {PROJECT_SUMS}
    WHERE general = 1
"""


def livelihood_share(*, year: int) -> LivelihoodShare:
    """Spending of general-public-budget projects whose function class counts as livelihood, as a
    share of all general-public-budget spending; growth = value(Y, D) ÷ value(Y−1, D′) − 1.

    Reads ``rc_project``, so it runs inside a recompute after ``project_sums``; the previous year's
    figures are None where that year has no general-public-budget project.
    """
    with connection.cursor() as cursor:
        cursor.execute(LIVELIHOOD_SHARE, [year, year, year - 1, year - 1, year - 1])
        general, livelihood, previous_projects, previous_general, previous_livelihood = (
            int(value) for value in cursor.fetchone()
        )
    has_previous = previous_projects > 0
    return LivelihoodShare(
        general_budget_spent=yuan(general),
        livelihood_spent=yuan(livelihood),
        share=ratio(livelihood, general),
        previous_general_budget_spent=yuan(previous_general) if has_previous else None,
        previous_livelihood_spent=yuan(previous_livelihood) if has_previous else None,
        livelihood_growth=growth(livelihood, previous_livelihood) if has_previous else None,
    )
