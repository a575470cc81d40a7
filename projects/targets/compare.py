"""What a revision (调整) changes from the version in force, row by row, for the reviewers (SPEC §13):
rows are matched by name, as the checks match them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from projects.models import DeclaredIndicator, Direction, TargetDeclaration
from projects.targets.checks import key, number


@dataclass(frozen=True)
class Comparison:
    """Per row of the revision (by position), what changed; and the rows of the version in force it drops."""

    base: TargetDeclaration
    changes: dict[int, str]
    dropped: list[DeclaredIndicator]
    unchanged: frozenset[int] = frozenset()


def rows_of(*, user, shown: TargetDeclaration, base: TargetDeclaration | None):
    """(the shown version's rows, the base version's rows): one query for both."""
    ids = [shown.pk] + ([base.pk] if base is not None and base.pk != shown.pk else [])
    rows = list(
        DeclaredIndicator.objects.visible_to(user)
        .filter(declaration_id__in=ids)
        .order_by("declaration_id", "position", "pk")
    )
    return [row for row in rows if row.declaration_id == shown.pk], [
        row for row in rows if row.declaration_id != shown.pk
    ]


def target_text(row: DeclaredIndicator) -> str:
    if row.direction == Direction.QUALITATIVE:
        return str(Direction.QUALITATIVE.label)
    value = "—" if row.target_value is None else number(row.target_value)
    return f"{Direction(row.direction).label} {value} {row.measure_unit}".strip()


def compare(rows: list[DeclaredIndicator], base_rows: list[DeclaredIndicator], base) -> Comparison:
    """Each row of the revision: new, unchanged, or what changed (target, weight, level)."""
    by_name = {key(row.name): row for row in base_rows}
    changes: dict[int, str] = {}
    unchanged: set[int] = set()
    for position, row in enumerate(rows, start=1):
        old = by_name.get(key(row.name))
        if old is None:
            changes[position] = _("new")
            continue
        parts = []
        if (old.level1, old.level2) != (row.level1, row.level2):
            parts.append(f"{old.level1} / {old.level2} → {row.level1} / {row.level2}")
        if target_text(old) != target_text(row):
            parts.append(_("target %(old)s → %(new)s") % {"old": target_text(old), "new": target_text(row)})
        if Decimal(old.weight) != Decimal(row.weight):
            parts.append(
                _("weight %(old)s → %(new)s") % {"old": number(old.weight), "new": number(row.weight)}
            )
        changes[position] = "; ".join(parts) if parts else _("unchanged")
        if not parts:
            unchanged.add(position)
    kept = {key(row.name) for row in rows}
    return Comparison(
        base=base,
        changes=changes,
        dropped=[row for row in base_rows if key(row.name) not in kept],
        unchanged=frozenset(unchanged),
    )
