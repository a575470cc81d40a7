"""Reads of organisation and money, scoped to what the user may see."""

from __future__ import annotations

from finance.models import FiscalYear


def current_fiscal_year() -> FiscalYear | None:
    """The year marked current, else the latest one."""
    return FiscalYear.objects.order_by("-is_current", "-year").first()
