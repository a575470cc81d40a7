"""The demo district's fixed figures (SPEC §8) in integer fen, the helpers that split them exactly, and
the plain records of a department and a project that the builder's steps fill."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

FEN_PER_YUAN = 100
FEN_PER_WAN = 10_000 * FEN_PER_YUAN
FEN_PER_YI = 100_000_000 * FEN_PER_YUAN

CURRENT_YEAR = 2021
PREVIOUS_YEAR = 2020
AS_OF = datetime.date(2021, 10, 31)
PREVIOUS_AS_OF = datetime.date(2020, 10, 31)
PROJECTS_THIS_YEAR = 3876

# Targets of SPEC §8, in fen.
LIVELIHOOD_SPENT = 885 * FEN_PER_YI // 10  # 88.5 亿
OTHER_GENERAL_SPENT = 1995 * FEN_PER_YI // 100  # 19.95 亿: 88.5 / (88.5 + 19.95) = 81.6 %
LIVELIHOOD_SPENT_PREVIOUS = 8302 * FEN_PER_YI // 100  # 83.02 亿: 88.5 / 83.02 − 1 = +6.6 %
AGRICULTURE_BUDGET_PREVIOUS = 1378 * FEN_PER_YI // 100  # 13.78 亿: 16.1 / 13.78 − 1 = +16.8 %
DIRECT_FUNDS_SPENT = 433 * FEN_PER_YI // 100  # 4.33 亿 of 5.29 亿 = 81.9 %
KEY_FUNDS_INVOLVED = 1897 * FEN_PER_YI // 100  # 18.97 亿
REVIEWS = 112
REVIEWS_SUBMITTED = 2159 * FEN_PER_YI // 100  # 21.59 亿
REVIEWS_CUT = 65 * FEN_PER_YI // 100  # 0.65 亿: 0.65 / 21.59 = 3.01 %


def yi_to_fen(value: str) -> int:
    return int(Decimal(value) * FEN_PER_YI)


def money(fen: int) -> str:
    """Fen as the decimal string a DecimalField(16, 2) stores."""
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100}.{fen % 100:02d}"


def split_total(total: int, weights: list[float]) -> list[int]:
    """Split an integer total in proportion to weights; the largest weight takes the remainder."""
    weight_sum = sum(weights)
    parts = [int(total * w / weight_sum) for w in weights]
    parts[max(range(len(weights)), key=weights.__getitem__)] += total - sum(parts)
    return parts


@dataclass(eq=False)
class Dept:
    id: int
    index: int
    code: str
    name: str
    functions: tuple[str, ...]
    weight: float
    unit_ids: list[int] = field(default_factory=list)
    quality: dict[int, float] = field(default_factory=dict)  # year -> mean score
    weak_dimension: int = 0
    is_new: bool = False


@dataclass(eq=False)
class Proj:
    id: int
    year: int
    code: str
    name: str
    item: str
    unit_id: int
    dept: Dept
    function: str
    fund: str
    category: str
    budget: int = 0
    fixed: bool = False  # budget set before the class split
    grant_id: int | None = None
    key_category: str = ""
    spent: int = 0  # to the as-of date
    spent_later: int = 0  # after the as-of date (previous year only)
    progress_factor: float = 0.0
