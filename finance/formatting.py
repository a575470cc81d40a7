"""One formatter for money shown to users: 万元 in tables, 亿元 in headline figures (SPEC §3)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

TEN_THOUSAND = Decimal("10000")
HUNDRED_MILLION = Decimal("100000000")


def wan_yuan(amount: Decimal | None, places: int = 2) -> str:
    """Yuan as 万元 with thousands separators: Decimal("123456789.00") -> "12,345.68"."""
    if amount is None:
        return "—"
    value = (Decimal(amount) / TEN_THOUSAND).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{value:,.{places}f}"


def yi_yuan(amount: Decimal | None, places: int = 2) -> str:
    """Yuan as 亿元: Decimal("885000000") -> "8.85"."""
    if amount is None:
        return "—"
    value = (Decimal(amount) / HUNDRED_MILLION).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{value:,.{places}f}"


def percent(ratio: Decimal | None, places: int = 1) -> str:
    """A ratio as a percentage with one decimal: Decimal("0.8163") -> "81.6%"."""
    if ratio is None:
        return "—"
    value = (Decimal(ratio) * 100).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{value:,.{places}f}%"


def signed(value: Decimal | None, places: int = 2) -> str:
    """A change with its sign: Decimal("1.4925") -> "+1.49", Decimal("-3") -> "-3.00"."""
    if value is None or value == "":
        return "—"
    number = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{number:+,.{places}f}"
