"""Computations and writes of the performance app, one module per SPEC section.

§4.1 ``progress`` (per project) and ``rollups`` (every scope), §4.2 ``livelihood``, §4.3
``evaluations``, §4.4 ``scores``, §4.5 ``leaderboard``, §4.6 ``reviews``, §4.7 ``adjustments``; §5
``recompute`` (the run) and ``coalescing`` (its triggers). Each SQL statement of a step is built by a
function or constant named after it (``…_sql``), its SPEC step first in its docstring.
"""

from performance.services.adjustments import (
    accept_budget_adjustment,
    change_budget_adjustment,
    decide_budget_adjustments,
    propose_budget_adjustments,
    reject_budget_adjustment,
)
from performance.services.coalescing import note_change, request_recompute
from performance.services.evaluations import SelfEvaluationScore, inflated_self_scores, self_evaluation_scores
from performance.services.leaderboard import leaderboard, weak_projects
from performance.services.livelihood import LivelihoodShare, livelihood_share
from performance.services.progress import (
    DirectFunds,
    direct_funds,
    project_sums,
    same_period_last_year,
    time_progress,
)
from performance.services.recompute import (
    RecomputeBusy,
    RecomputeOutcome,
    prune_runs,
    recompute_all,
    recompute_if_stale,
)
from performance.services.reviews import ReviewTotals, budget_review_totals
from performance.services.rollups import monthly_spending, progress_snapshots

__all__ = [
    "DirectFunds",
    "LivelihoodShare",
    "RecomputeBusy",
    "RecomputeOutcome",
    "ReviewTotals",
    "SelfEvaluationScore",
    "accept_budget_adjustment",
    "budget_review_totals",
    "change_budget_adjustment",
    "direct_funds",
    "inflated_self_scores",
    "leaderboard",
    "livelihood_share",
    "monthly_spending",
    "note_change",
    "progress_snapshots",
    "project_sums",
    "decide_budget_adjustments",
    "propose_budget_adjustments",
    "prune_runs",
    "recompute_all",
    "recompute_if_stale",
    "reject_budget_adjustment",
    "request_recompute",
    "same_period_last_year",
    "self_evaluation_scores",
    "time_progress",
    "weak_projects",
]
