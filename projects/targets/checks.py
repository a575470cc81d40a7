"""The checks of a target declaration (SPEC §13), the same for the form and the import.

Errors refuse the submission: the weights must sum to 90 (the execution rate holds the other 10), every
quantitative indicator needs a target value and a unit of measure, there must be an output (产出) and a
benefit (效益) indicator, and no two indicators may share a name. Warnings let the unit submit with an
explanation: a template indicator left out, a target weaker than the template's (lower for ≥, higher
for ≤), and a budget that differs from quantity × quota standard by more than the tolerance."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from projects.models import Direction
from projects.models.targets import BENEFIT, OUTPUT

#: What the indicators' weights add up to: 100 points less the execution rate's 10.
WEIGHT_TOTAL = Decimal(90)


@dataclass(frozen=True)
class Row:
    """An indicator as declared; ``line`` is its row on the form or its line in the file."""

    level1: str
    level2: str
    name: str
    direction: str
    target_value: Decimal | None
    measure_unit: str
    weight: Decimal
    line: int
    from_template: bool = False


@dataclass(frozen=True)
class Standard:
    """The template indicator a declared one is measured against."""

    level1: str
    level2: str
    name: str
    direction: str
    target_value: Decimal | None
    measure_unit: str
    weight: Decimal


@dataclass(frozen=True)
class Quota:
    """The quota check's figures: the project's budget (or request), the standard and the quantity."""

    budget: Decimal
    amount: Decimal
    quantity: Decimal
    standard_name: str
    measure_unit: str

    @property
    def expected(self) -> Decimal:
        return self.quantity * self.amount

    @property
    def off(self) -> Decimal | None:
        """|budget − quantity × standard| ÷ (quantity × standard); None when the standard gives 0."""
        expected = self.expected
        if expected == 0:
            return None if self.budget == 0 else Decimal("Infinity")
        return abs(self.budget - expected) / expected


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    lines: tuple[int, ...] = ()


@dataclass
class Checks:
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)

    @property
    def blocking(self) -> bool:
        return bool(self.errors)


def key(name: str) -> str:
    """Names compare without the spaces around them (as the coverage's SQL compares them, ``TRIM``)."""
    return name.strip(" ")


def weaker(direction: str, target: Decimal | None, standard: Decimal | None) -> bool:
    """A target weaker than the template's: lower for ≥, higher for ≤ (equal is not weaker)."""
    if target is None or standard is None:
        return False
    if direction == Direction.AT_LEAST:
        return target < standard
    if direction == Direction.AT_MOST:
        return target > standard
    return False


def number(value: Decimal) -> str:
    return f"{value.normalize():,f}" if value == value.to_integral_value() else f"{value.normalize():,}"


def lines_text(lines: Iterable[int]) -> str:
    return ", ".join(str(line) for line in lines)


def check(
    rows: Sequence[Row],
    *,
    template: Sequence[Standard] = (),
    quota: Quota | None = None,
    tolerance: Decimal | None = None,
) -> Checks:
    """Every error and warning of one declaration's indicators, each naming the rows it is about."""
    found = Checks()
    errors, warnings = found.errors, found.warnings
    total = sum((row.weight for row in rows), Decimal(0))
    if total != WEIGHT_TOTAL:
        errors.append(
            Finding(
                "weights",
                _(
                    "The weights add up to %(total)s; they must add up to exactly 90 "
                    "(the execution rate holds the other 10). Change them by %(change)s."
                )
                % {"total": number(total), "change": number(WEIGHT_TOTAL - total)},
                tuple(row.line for row in rows),
            )
        )
    for row in rows:
        if row.direction == Direction.QUALITATIVE:
            continue
        missing = [
            what
            for what, absent in (
                (_("a target value"), row.target_value is None),
                (_("a unit of measure"), not row.measure_unit.strip()),
            )
            if absent
        ]
        if missing:
            errors.append(
                Finding(
                    "quantitative",
                    _("Row %(line)s, “%(name)s”: a quantitative indicator needs %(what)s.")
                    % {"line": row.line, "name": row.name, "what": _(" and ").join(missing)},
                    (row.line,),
                )
            )
    levels = {key(row.level1) for row in rows}
    for level, code, label in ((OUTPUT, "output", _("an output")), (BENEFIT, "benefit", _("a benefit"))):
        if not any(found_level.startswith(level[:2]) for found_level in levels):
            errors.append(
                Finding(
                    code,
                    _("Add %(what)s indicator (level 1 “%(level)s”): every declaration needs one.")
                    % {"what": label, "level": level},
                )
            )
    by_name: dict[str, list[Row]] = {}
    for row in rows:
        by_name.setdefault(key(row.name), []).append(row)
    for name, same in by_name.items():
        if len(same) > 1:
            lines = tuple(row.line for row in same)
            errors.append(
                Finding(
                    "duplicate",
                    _("Rows %(lines)s are all named “%(name)s”: give each indicator a name of its own.")
                    % {"lines": lines_text(lines), "name": name},
                    lines,
                )
            )
    declared = {key(row.name): row for row in rows}
    for standard in template:
        row = declared.get(key(standard.name))
        if row is None:
            warnings.append(
                Finding(
                    "template_missing",
                    _("The template's indicator “%(name)s” (%(level1)s / %(level2)s) is left out.")
                    % {"name": standard.name, "level1": standard.level1, "level2": standard.level2},
                )
            )
        elif weaker(standard.direction, row.target_value, standard.target_value):
            warnings.append(
                Finding(
                    "weaker",
                    _(
                        "Row %(line)s, “%(name)s”: the target %(target)s is weaker than the template's "
                        "%(direction)s %(standard)s."
                    )
                    % {
                        "line": row.line,
                        "name": row.name,
                        "target": number(row.target_value),
                        "direction": Direction(standard.direction).label,
                        "standard": number(standard.target_value),
                    },
                    (row.line,),
                )
            )
    if quota is not None:
        off = quota.off
        limit = settings.QUOTA_TOLERANCE if tolerance is None else tolerance
        if off is not None and off > limit:
            warnings.append(
                Finding(
                    "quota",
                    _(
                        "The budget of %(budget)s yuan is %(off)s off the quota standard “%(name)s” "
                        "(more than %(limit)s): %(quantity)s × %(amount)s (%(unit)s) = %(expected)s yuan."
                    )
                    % {
                        "budget": f"{quota.budget:,.2f}",
                        "quantity": number(quota.quantity),
                        "unit": quota.measure_unit,
                        "amount": number(quota.amount),
                        "name": quota.standard_name,
                        "expected": f"{quota.expected:,.2f}",
                        "off": "∞" if off.is_infinite() else f"{off * 100:.2f} %",
                        "limit": f"{limit * 100:.0f} %",
                    },
                )
            )
    return found
