"""Writes of projects: a unit's proposal for next year's budget (the project pool, SPEC §12.4); an
officer's changes to the standards library (SPEC §13)."""

from __future__ import annotations

import re
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from finance.models import BudgetUnit, FiscalYear, FunctionClass, FundSource
from finance.selectors import current_fiscal_year
from projects.models import IndicatorTemplate, PerformanceTarget, Project, QuotaStandard
from workflow.models import Action
from workflow.services import record_step

#: A pool project's code: the prefix, its fiscal year and a number counted within the year (CB20220001).
POOL_CODE_PREFIX = "CB"
POOL_CODE_DIGITS = 4
#: Two units proposing at the same moment may draw the same number; the loser draws again.
CODE_ATTEMPTS = 5


def pool_year() -> int:
    """The year proposals are for: the one after the current fiscal year (or after the latest)."""
    current = current_fiscal_year()
    return (current.year if current is not None else timezone.localdate().year) + 1


def next_pool_code(year: int) -> str:
    """The next free pool code of ``year``: one more than the highest pool code of the year."""
    prefix = f"{POOL_CODE_PREFIX}{year}"
    codes = Project.objects.filter(fiscal_year_id=year, code__startswith=prefix).values_list(
        "code", flat=True
    )
    pattern = re.compile(rf"{prefix}(\d{{{POOL_CODE_DIGITS}}})")
    numbers = [int(match[1]) for code in codes if (match := pattern.fullmatch(code))]
    return f"{prefix}{max(numbers, default=0) + 1:0{POOL_CODE_DIGITS}d}"


def propose_project(
    *,
    user,
    unit: BudgetUnit,
    name: str,
    function_class: FunctionClass,
    fund_source: FundSource,
    category: str,
    requested_amount: Decimal,
    goal: str,
) -> Project:
    """A new project of ``unit`` for next year (status ``proposed``, budget 0 until approved), its
    goal, and the first step of its timeline. Its code is generated, unique within the year."""
    year = pool_year()
    with transaction.atomic():
        FiscalYear.objects.get_or_create(year=year)
        for attempt in range(CODE_ATTEMPTS):
            try:
                with transaction.atomic():
                    project = Project.objects.create(
                        fiscal_year_id=year,
                        code=next_pool_code(year),
                        name=name,
                        unit=unit,
                        function_class=function_class,
                        fund_source=fund_source,
                        category=category,
                        budget=Decimal("0.00"),
                        requested_amount=requested_amount,
                        status=Project.Status.PROPOSED,
                    )
                break
            except IntegrityError:
                if attempt == CODE_ATTEMPTS - 1:
                    raise
        PerformanceTarget.objects.create(project=project, goal=goal)
        record_step(project, action=Action.CREATE, from_state="", to_state=Project.Status.PROPOSED, user=user)
    return project


def save_standard(*, standard: IndicatorTemplate | QuotaStandard) -> None:
    """Stores an officer's new or changed indicator template or quota standard; its history records
    who and when (``HistoricalRecords``, from the request)."""
    with transaction.atomic():
        standard.full_clean()
        standard.save()


def delete_standard(*, standard: IndicatorTemplate | QuotaStandard) -> None:
    """Removes an indicator template or quota standard; its history keeps what it was."""
    with transaction.atomic():
        standard.delete()
