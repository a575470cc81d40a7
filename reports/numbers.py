"""Figures in the words of the bureau's reports (SPEC §15): "88.5亿元", "6.6%", "3.01%", "截至10月".

The reference report writes 亿元 to two decimals and drops a trailing zero (88.5亿元, 16.1亿元, 5.29亿元),
percentages to one decimal without a trailing ".0" (81.9%, 100%), and the cut rate of a review to two
(3.01%). Smaller sums go in 万元 (1226万元, 577.6万元). The English brief says the same in millions
and billions of yuan.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import get_language, gettext, pgettext

HUNDRED_MILLION = Decimal("100000000")
TEN_THOUSAND = Decimal("10000")
MILLION = Decimal("1000000")
BILLION = Decimal("1000000000")


def _plain(value: Decimal, places: int) -> str:
    """``value`` half up to ``places`` decimals, trailing zeros dropped, thousands separated."""
    number = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if number.is_zero():
        number = abs(number)
    text = f"{number:,.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def chinese() -> bool:
    return (get_language() or "").startswith("zh")


def yi(yuan: Decimal) -> str:
    """A headline sum as the report writes it: Decimal("8850000000") -> "88.5亿元" ("CNY 8.85 billion")."""
    if chinese():
        return f"{_plain(Decimal(yuan) / HUNDRED_MILLION, 2)}亿元"
    return _english(yuan)


def amount(yuan: Decimal) -> str:
    """Any sum: 亿元 from 1亿 up, 万元 below it (Decimal("12260000") -> "1226万元")."""
    if chinese():
        if abs(Decimal(yuan)) >= HUNDRED_MILLION:
            return yi(yuan)
        return f"{_plain(Decimal(yuan) / TEN_THOUSAND, 2)}万元"
    return _english(yuan)


def _english(yuan: Decimal) -> str:
    value = Decimal(yuan)
    if abs(value) >= BILLION:
        return f"CNY {_plain(value / BILLION, 3)} billion"
    if abs(value) >= MILLION:
        return f"CNY {_plain(value / MILLION, 2)} million"
    return f"CNY {_plain(value, 0)}"


def percent(ratio: Decimal, places: int = 1) -> str:
    """A ratio as the report writes a percentage: Decimal("0.8185") -> "81.9%", Decimal("1") -> "100%"."""
    return f"{_plain(Decimal(ratio) * 100, places)}%"


def points(value: Decimal) -> str:
    """Points of a score in a sentence, to two decimals as the report writes them: Decimal("84.2424")
    -> "84.24", Decimal("77.2") -> "77.2"."""
    return _plain(value, 2)


def table_points(value: Decimal | None, *, signed: bool = False) -> str:
    """Points in a table's column, always two decimals: "77.20", "+9.85"; "—" without a score."""
    if value is None:
        return "—"
    number = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if number.is_zero():
        return "0.00"
    return f"{number:+.2f}" if signed else f"{number:.2f}"


def count(value: int) -> str:
    return f"{value:,}" if not chinese() else str(value)


MONTHS = {
    1: lambda: pgettext("month in a sentence", "January"),
    2: lambda: pgettext("month in a sentence", "February"),
    3: lambda: pgettext("month in a sentence", "March"),
    4: lambda: pgettext("month in a sentence", "April"),
    5: lambda: pgettext("month in a sentence", "May"),
    6: lambda: pgettext("month in a sentence", "June"),
    7: lambda: pgettext("month in a sentence", "July"),
    8: lambda: pgettext("month in a sentence", "August"),
    9: lambda: pgettext("month in a sentence", "September"),
    10: lambda: pgettext("month in a sentence", "October"),
    11: lambda: pgettext("month in a sentence", "November"),
    12: lambda: pgettext("month in a sentence", "December"),
}


def month(value: int) -> str:
    return MONTHS[value]()


def as_of_phrase(as_of: datetime.date) -> str:
    """How a sentence opens on its date: "截至10月" at a month's end, "截至10月20日" within one."""
    if (as_of + datetime.timedelta(days=1)).month != as_of.month:
        return gettext("By the end of %(month)s") % {"month": month(as_of.month)}
    return gettext("By %(day)s %(month)s") % {"day": as_of.day, "month": month(as_of.month)}


def full_date(value: datetime.date) -> str:
    """A date in a title: "2021年10月31日" ("31 October 2021")."""
    return gettext("%(day)s %(month)s %(year)s") % {
        "day": value.day,
        "month": month(value.month),
        "year": value.year,
    }


CHINESE_DIGITS = "零一二三四五六七八九"


def heading_number(number: int) -> str:
    """A section's number as a bureau's document writes it: "一", "十", "十二", "二十一" (1 to 99);
    in English the digits."""
    if not chinese() or not 0 < number < 100:
        return str(number)
    tens, ones = divmod(number, 10)
    text = "" if tens == 0 else ("十" if tens == 1 else f"{CHINESE_DIGITS[tens]}十")
    return text + (CHINESE_DIGITS[ones] if ones else "")


def heading(number: int, text: str) -> str:
    """A section's heading with its number: "一、民生支出保障" ("1. Livelihood spending")."""
    return gettext("%(number)s. %(heading)s") % {"number": heading_number(number), "heading": text}


def moment(value: datetime.datetime) -> str:
    """When figures were computed, in a document's words: "2026年12月8日 12:10" ("8 December 2026 12:10")."""
    return gettext("%(date)s %(time)s") % {"date": full_date(value.date()), "time": value.strftime("%H:%M")}


def listed(items: list[str]) -> str:
    """Items of a list in a sentence: "A、B、C" ("A, B, C")."""
    return pgettext("list separator", ", ").join(items)


def growth(ratio: Decimal | None) -> str | None:
    """Growth on the same period by its sign: "同比增长6.6%" or "同比下降2.3%"; None without one."""
    if ratio is None:
        return None
    shown = Decimal(ratio).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
    if shown.is_zero():
        return gettext("level with the same period last year")
    if shown > 0:
        return gettext("up %(rate)s year on year") % {"rate": percent(shown)}
    return gettext("down %(rate)s year on year") % {"rate": percent(-shown)}


def change_in_points(increment: Decimal) -> str:
    """A score's change on last year: "较上年提高9.85分", "较上年下降1.20分"."""
    shown = Decimal(increment).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if shown.is_zero():
        return gettext("level with last year")
    if shown > 0:
        return gettext("up %(points)s points on last year") % {"points": points(shown)}
    return gettext("down %(points)s points on last year") % {"points": points(-shown)}


def gap_phrase(gap_pp: Decimal) -> str:
    """Spending progress against time progress: "慢于序时进度2.2个百分点"."""
    shown = Decimal(gap_pp).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if shown.is_zero():
        return gettext("in step with time progress")
    if shown < 0:
        return gettext("%(pp)s percentage points behind time progress") % {"pp": _plain(-shown, 1)}
    return gettext("%(pp)s percentage points ahead of time progress") % {"pp": _plain(shown, 1)}
