"""SPEC §4.3 an indicator's completion: the one rule the self-evaluation score (§4.3, §12.3) and the
expected target completion of monitoring (§14.1) share."""

from __future__ import annotations

from performance.services import _sql as sql
from projects.models import Direction

_FULL = sql.integer(1_000_000)  # completion 1, in 10⁻⁶


def completion_sql(*, actual: str = "actual_value") -> str:
    """An indicator's completion in 10⁻⁶, capped to [0, 1] (§4.3).

    ≥: actual ÷ target (complete when the target is 0); ≤: target ÷ actual (complete when the actual
    is 0); =: 1 or 0; qualitative: the officer's judgement; no actual (or judgement) yet: 0.
    ``actual`` names the value measured against the target: an indicator's ``actual_value``, a
    monitoring line's ``expected_value`` (SPEC §14.1). The other columns are ``direction``,
    ``target_value`` and ``judgement``, unqualified.
    """
    actual_column = actual
    actual, target = sql.scaled(actual_column, 4), sql.scaled("target_value", 4)

    def capped(expression: str) -> str:
        return sql.greatest("0", sql.least(expression, _FULL))

    qualitative, equal, at_least, at_most = (
        sql.quote(direction)
        for direction in (Direction.QUALITATIVE, Direction.EQUAL, Direction.AT_LEAST, Direction.AT_MOST)
    )

    return f"""
        CASE
            WHEN direction = {qualitative} THEN
                CASE WHEN judgement IS NULL THEN 0 ELSE {capped(f"100 * {sql.scaled('judgement', 4)}")} END
            WHEN {actual_column} IS NULL THEN 0
            WHEN direction = {equal} THEN CASE WHEN {actual} = {target} THEN {_FULL} ELSE 0 END
            WHEN direction = {at_least} THEN
                CASE WHEN {target} = 0 THEN {_FULL}
                     WHEN {target} < 0 THEN CASE WHEN {actual} >= {target} THEN {_FULL} ELSE 0 END
                     ELSE {capped(sql.round_div_signed(f"{_FULL} * {actual}", target))} END
            WHEN direction = {at_most} THEN
                CASE WHEN {actual} <= 0 THEN {_FULL}
                     ELSE {capped(sql.round_div_signed(f"{_FULL} * {target}", actual))} END
            ELSE 0
        END
    """
