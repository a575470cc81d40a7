"""Reads of organisation and money, scoped to what the user may see."""

from __future__ import annotations

from django.db.models import QuerySet

from finance import roles
from finance.models import BudgetUnit, Department, FiscalYear


def current_fiscal_year() -> FiscalYear | None:
    """The year marked current, else the latest one."""
    return FiscalYear.objects.order_by("-is_current", "-year").first()


def fiscal_years() -> list[FiscalYear]:
    """Every fiscal year, latest first (the year switch of every page)."""
    return list(FiscalYear.objects.order_by("-year"))


def fiscal_year_exists(year: int) -> bool:
    return FiscalYear.objects.filter(pk=year).exists()


def visible_departments(user) -> QuerySet[Department]:
    """The departments ``user`` may see (SPEC §1)."""
    return Department.objects.visible_to(user)


def home_department(user) -> Department | None:
    """A department head's own department, where their login lands; None for anyone else."""
    if not roles.is_department_head(user):
        return None
    return Department.objects.visible_to(user).filter(pk=roles.department_id_of(user)).first()


def own_unit(user) -> BudgetUnit | None:
    """A unit filler's own budget unit (with its department); None for anyone else."""
    if not roles.is_unit_filler(user):
        return None
    return BudgetUnit.objects.select_related("department").filter(pk=roles.unit_of(user)[1]).first()


def department_choices(user, *, limit: int) -> list[tuple[str, str]] | None:
    """(code, name) of the departments ``user`` may see, by code, for a filter's choice list; None when
    there are more than ``limit`` (one query)."""
    departments = list(
        Department.objects.visible_to(user).order_by("code").values_list("code", "name")[: limit + 1]
    )
    return None if len(departments) > limit else departments
