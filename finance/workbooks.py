"""What every download of national forms shares (SPEC §12.3, §13): whose workbook one asks for (a unit's
or a department's, of one year, within the user's scope) and the sheet names of a workbook with a sheet
per project. The forms themselves belong to the apps that fill them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import gettext as _

from finance.models import BudgetUnit, Department, FiscalYear
from finance.parameters import year_of
from finance.scoping import scope_of

#: Excel's limit on a sheet name, and the characters it refuses in one.
SHEET_NAME_MAX = 31
SHEET_NAME_REFUSED = re.compile(r"[\\/*?:\[\]]")


@dataclass(frozen=True)
class WorkbookScope:
    """Whose forms a workbook holds: one unit's or one department's, of one year."""

    year: int
    code: str
    name: str
    unit_id: int | None = None
    department_id: int | None = None


class NotAsked(ValueError):
    """The address names neither a unit nor a department, or both."""


def workbook_year(asked: str | None) -> int:
    """The asked fiscal year, or the latest one when none is asked; 404 for a year the app does not hold."""
    if asked is None or asked == "":
        latest = FiscalYear.objects.order_by("-year").values_list("year", flat=True).first()
        if latest is None:
            raise Http404("no fiscal year")
        return latest
    year = year_of(asked)
    if year is None or not FiscalYear.objects.filter(year=year).exists():
        raise Http404("no such fiscal year")
    return year


def workbook_scope(*, user, year: int, unit: str | None, department: str | None) -> WorkbookScope:
    """The unit or department the user asked for, if they may download its workbook: officers any;
    heads their department or one of its units; unit fillers their own unit only. 404 for anything else
    (it is not theirs, or no such code); ``NotAsked`` when the address names neither or both."""
    if bool(unit) == bool(department):
        raise NotAsked(_("Name one budget unit (?unit=) or one department (?department=)."))
    if unit:
        found = (
            BudgetUnit.objects.visible_to(user).filter(code=unit).values_list("pk", "code", "name").first()
        )
        if found is None:
            raise Http404("no such unit in the user's scope")
        return WorkbookScope(year=year, code=found[1], name=found[2], unit_id=found[0])
    if scope_of(user).unit_id is not None:
        raise Http404("a unit filler downloads their own unit's workbook only")
    found = (
        Department.objects.visible_to(user).filter(code=department).values_list("pk", "code", "name").first()
    )
    if found is None:
        raise Http404("no such department in the user's scope")
    return WorkbookScope(year=year, code=found[1], name=found[2], department_id=found[0])


def sheet_names(codes: Iterable[str]) -> list[str]:
    """One sheet name per project code: the code without the characters Excel refuses, at most 31
    characters, unique regardless of case (as Excel compares them)."""
    names: list[str] = []
    taken: set[str] = set()
    for code in codes:
        base = SHEET_NAME_REFUSED.sub("_", code).strip("'") or "sheet"
        name, n = base[:SHEET_NAME_MAX], 1
        while name.casefold() in taken:
            n += 1
            suffix = f"~{n}"
            name = base[: SHEET_NAME_MAX - len(suffix)] + suffix
        taken.add(name.casefold())
        names.append(name)
    return names
