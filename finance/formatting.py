"""One formatter for money shown to users: 万元 in tables, 亿元 in headline figures (SPEC §3).

A figure that rounds to zero shows without a sign ("0.0", never "-0.0" or "+0.0"): a sign on a zero
reads as a loss or a gain that is not there.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

TEN_THOUSAND = Decimal("10000")
HUNDRED_MILLION = Decimal("100000000")


def _rounded(value: Decimal, places: int) -> Decimal:
    """``value`` to ``places`` decimals, half up, with the sign of a rounded zero dropped."""
    number = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return number.copy_abs() if number.is_zero() else number


def wan_yuan(amount: Decimal | None, places: int = 2) -> str:
    """Yuan as 万元 with thousands separators: Decimal("123456789.00") -> "12,345.68"."""
    if amount is None:
        return "—"
    return f"{_rounded(Decimal(amount) / TEN_THOUSAND, places):,.{places}f}"


def yi_yuan(amount: Decimal | None, places: int = 2) -> str:
    """Yuan as 亿元: Decimal("885000000") -> "8.85"."""
    if amount is None:
        return "—"
    return f"{_rounded(Decimal(amount) / HUNDRED_MILLION, places):,.{places}f}"


def percent(ratio: Decimal | None, places: int = 1) -> str:
    """A ratio as a percentage with one decimal: Decimal("0.8163") -> "81.6%"."""
    if ratio is None:
        return "—"
    return f"{_rounded(Decimal(ratio) * 100, places):,.{places}f}%"


def signed(value: Decimal | None, places: int = 2) -> str:
    """A change with its sign: Decimal("1.4925") -> "+1.49", Decimal("-3") -> "-3.00", and a change
    that rounds to zero without one: Decimal("-0.004") -> "0.00"."""
    if value is None or value == "":
        return "—"
    number = _rounded(Decimal(value), places)
    return f"{number:,.{places}f}" if number.is_zero() else f"{number:+,.{places}f}"


def number(value: Decimal | None, places: int = 1) -> str:
    """A plain figure to ``places`` decimals, half up: Decimal("-0.04") -> "0.0"."""
    if value is None or value == "":
        return "—"
    return f"{_rounded(Decimal(value), places):,.{places}f}"


def growth(ratio: Decimal | None, places: int = 1) -> str:
    """Growth on the same period of last year (SPEC §4.2) in words, by its sign:
    Decimal("0.066") -> "up 6.6% on the same period last year" (同比增长 6.6%)."""
    if ratio is None:
        return "—"
    value = _rounded(Decimal(ratio) * 100, places)
    if value.is_zero():
        return _("unchanged on the same period last year")
    shown = f"{value.copy_abs():,.{places}f}%"
    if value > 0:
        return _("up %(growth)s on the same period last year") % {"growth": shown}
    return _("down %(growth)s on the same period last year") % {"growth": shown}
