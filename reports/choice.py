"""Which run a brief is written from: the year and as-of date asked for, checked (SPEC §15)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from finance import selectors as finance_selectors
from finance.parameters import year_of
from performance.models import RecomputeRun
from reports import selectors


@dataclass
class BriefChoice:
    """The year and date asked for (or the defaults), the run they name, and what is wrong with them."""

    year: int | None
    as_of: datetime.date | None
    run: RecomputeRun | None
    years: list[int] = field(default_factory=list)
    dates: list[datetime.date] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _date(raw: str) -> datetime.date | None:
    if len(raw) > 10:
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        return None


def brief_choice(params) -> BriefChoice:
    """``?year=`` (four digits; the current fiscal year without it) and ``?as_of=`` (an ISO date; the
    year's newest run without it). A bad value is named in ``problems`` and no run is chosen."""
    fiscal_years = finance_selectors.fiscal_years()
    years = [fy.year for fy in fiscal_years]
    raw_year = (params.get("year") or "").strip()
    raw_as_of = (params.get("as_of") or "").strip()
    problems = []
    year = None
    if raw_year:
        year = year_of(raw_year)
        if year is None:
            problems.append(
                _("“%(value)s” is not a year: give four digits, such as 2021.") % {"value": raw_year[:20]}
            )
        elif year not in years:
            problems.append(_("The app holds no fiscal year %(year)s.") % {"year": year})
            year = None
    elif fiscal_years:
        current = [fy for fy in fiscal_years if fy.is_current]
        year = (current[0] if current else fiscal_years[0]).year
    as_of = None
    if raw_as_of:
        as_of = _date(raw_as_of)
        if as_of is None:
            problems.append(
                _("“%(value)s” is not a date: give one as YYYY-MM-DD, such as 2021-10-31.")
                % {"value": raw_as_of[:20]}
            )
        elif year is not None and as_of.year != year:
            problems.append(
                _("%(date)s is not in the fiscal year %(year)s.") % {"date": as_of.isoformat(), "year": year}
            )
    if not fiscal_years:
        problems.append(_("The app holds no fiscal year yet: import or seed one first."))
    if problems or year is None:
        return BriefChoice(year=year, as_of=as_of, run=None, years=years, problems=problems)
    run = selectors.brief_run(year=year, as_of=as_of)
    dates = selectors.run_dates(year=year)
    if run is None:
        if as_of is None or not dates:
            problems.append(
                _("There are no figures for %(year)s yet: no recompute of that year has finished.")
                % {"year": year}
            )
        else:
            problems.append(
                _("No recompute of %(year)s was run as of %(date)s; choose one of the dates below.")
                % {"year": year, "date": as_of.isoformat()}
            )
    return BriefChoice(year=year, as_of=as_of, run=run, years=years, dates=dates, problems=problems)
