"""Reads of organisation and money, scoped to what the user may see."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from finance.models import BudgetUnit, Department, FiscalYear


def current_fiscal_year() -> FiscalYear | None:
    """The year marked current, else the latest one."""
    return FiscalYear.objects.order_by("-is_current", "-year").first()


def department_summaries(*, user, year: int) -> list[dict]:
    """Each visible department with its unit count, and its project count and budget in one year."""
    unit_count = (
        BudgetUnit.objects.filter(department=OuterRef("pk"))
        .order_by()
        .values("department")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        Department.objects.visible_to(user)
        .annotate(
            unit_count=Coalesce(Subquery(unit_count, output_field=IntegerField()), 0),
            project_count=Count("projects", filter=Q(projects__fiscal_year_id=year)),
            budget=Sum("projects__budget", filter=Q(projects__fiscal_year_id=year)),
        )
        .values("pk", "code", "name", "unit_count", "project_count", "budget")
        .order_by("code")
    )
