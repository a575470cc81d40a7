"""Evaluations, budget reviews, and the snapshots the recompute writes (SPEC §4, §5)."""

from __future__ import annotations

from performance.models.adjustments import BudgetAdjustment  # noqa: F401
from performance.models.bands import (  # noqa: F401
    GRADE_FLOORS,
    RATIO,
    SCORE,
    Grade,
    ScopeKind,
    WarningLevel,
    band_for,
    grade_for,
    warning_floors,
)
from performance.models.evaluations import BudgetReview, Evaluation, EvaluationQuerySet  # noqa: F401
from performance.models.monitoring import Cause, MonitoringLine, MonitoringReport  # noqa: E402, F401
from performance.models.rectification import (  # noqa: E402, F401
    ANSWERABLE,
    ItemSource,
    ItemState,
    RectificationFile,
    RectificationItem,
)
from performance.models.runs import RecomputeRun, RecomputeState, RunFigures  # noqa: F401
from performance.models.self_evaluations import SelfEvaluation  # noqa: E402, F401
from performance.models.snapshots import (  # noqa: F401
    InflatedSelfScore,
    LeaderboardEntry,
    MonthlySpending,
    MonthlySpendingQuerySet,
    ProgressSnapshot,
    ScopeRowsQuerySet,
    WeakProject,
)
