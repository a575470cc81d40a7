"""The one definition of grades (SPEC §4.3) and warning levels (§4.1), and the scopes a snapshot can have."""

from __future__ import annotations

import functools
import operator
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

SCORE = {"max_digits": 5, "decimal_places": 2}


RATIO = {"max_digits": 12, "decimal_places": 4}


class Grade(models.TextChoices):
    """Evaluation grade by total score (SPEC §4.3)."""

    EXCELLENT = "excellent", _("excellent")
    GOOD = "good", _("good")
    FAIR = "fair", _("fair")
    POOR = "poor", _("poor")


#: Grades by total score (SPEC §4.3), best first: each from its floor (whole points) up, the last
#: below every floor: 优 ≥ 90, 良 80–<90, 中 60–<80, 差 < 60. The one definition of the bands: the
#: Python (``grade_for``), the check constraint below and the recompute's SQL (``scores.grade_sql``).
GRADE_FLOORS: tuple[tuple[Grade, int | None], ...] = (
    (Grade.EXCELLENT, 90),
    (Grade.GOOD, 80),
    (Grade.FAIR, 60),
    (Grade.POOR, None),
)


def band_for(value, floors):
    """The band of the first floor ``value`` reaches (a floor of None: every value reaches it)."""
    for band, floor in floors:
        if floor is None or value >= floor:
            return band
    return floors[-1][0]


def grade_for(total: Decimal) -> Grade:
    """The grade a total score earns."""
    return band_for(total, GRADE_FLOORS)


def grade_matches_total() -> Q:
    """Each grade within its band of ``GRADE_FLOORS``."""
    matches, ceiling = [], None
    for grade, floor in GRADE_FLOORS:
        bounds = [Q(total__gte=floor)] if floor is not None else []
        bounds += [Q(total__lt=ceiling)] if ceiling is not None else []
        matches.append(functools.reduce(operator.and_, [Q(grade=grade), *bounds]))
        ceiling = floor
    return functools.reduce(operator.or_, matches)


class ScopeKind(models.TextChoices):
    PROJECT = "project", _("project")
    UNIT = "unit", _("budget unit")
    DEPARTMENT = "department", _("department")
    FUNCTION_CLASS = "function_class", _("function class")
    FUND_SOURCE = "fund_source", _("fund source")
    DISTRICT = "district", _("whole district")


class WarningLevel(models.TextChoices):
    NORMAL = "normal", _("normal")
    ATTENTION = "attention", _("attention")
    SERIOUS = "serious", _("serious")


def warning_floors() -> tuple[tuple[WarningLevel, Decimal | None], ...]:
    """Warning levels by the gap g of spending to time progress in percentage points (SPEC §4.1),
    mildest first: each from its floor up, the last below every floor (normal at g ≥ −10, attention
    at −20 ≤ g < −10, serious below −20). The floors are settings, read at each call. The one
    definition of the levels, which the recompute's SQL decides by (``progress.warning_level_sql``)."""
    return (
        (WarningLevel.NORMAL, settings.PROGRESS_ATTENTION_GAP_PP),
        (WarningLevel.ATTENTION, settings.PROGRESS_SERIOUS_GAP_PP),
        (WarningLevel.SERIOUS, None),
    )
