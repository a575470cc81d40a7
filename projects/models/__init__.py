"""Budget projects, their payments, performance targets and indicators, the standards library (双标准),
and the target declarations units submit (SPEC §13)."""

from projects.models.base import (
    Category,
    Direction,
    Indicator,
    IndicatorTemplate,
    Payment,
    PerformanceTarget,
    Project,
    QuotaStandard,
    first_date_below_zero,
)
from projects.models.targets import DeclaredIndicator, TargetDeclaration

__all__ = [
    "Category",
    "DeclaredIndicator",
    "Direction",
    "Indicator",
    "IndicatorTemplate",
    "Payment",
    "PerformanceTarget",
    "Project",
    "QuotaStandard",
    "TargetDeclaration",
    "first_date_below_zero",
]
