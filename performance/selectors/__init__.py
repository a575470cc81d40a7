"""Reads of the recompute's snapshots for the pages, scoped to what the user may see (SPEC §1, §6).

Every page shows the latest successful run of a year (``latest_run``) with when it was computed and
whether it is stale (``snapshot_status``). Department-level rows go through ``visible_to(user)``;
district-wide figures (district, function class, fund source, the leaderboard's ranks) are shared
with every signed-in role, as the overview and the leaderboard are."""

from __future__ import annotations

from performance.selectors.adjustments import (  # noqa: F401
    AdjustmentEffect,
    adjustment_effects,
    budget_adjustments,
    budget_adjustments_for_decision,
    bulk_decision_totals,
    district_effect,
    pending_adjustments,
    pending_count,
)
from performance.selectors.evaluations import (  # noqa: F401, E402
    evaluable_departments,
    evaluable_projects,
    evaluation_detail,
    visible_project,
)
from performance.selectors.funds import DirectFundTotals, direct_fund_grants, direct_fund_progress  # noqa: F401
from performance.selectors.progress import (  # noqa: F401
    TREEMAP_DEPARTMENTS,
    WARNED,
    FunctionClassRow,
    department_and_unit_progress,
    department_unit_tree,
    district_snapshot,
    double_deviation_rows,
    function_class_spending,
    month_time_progress,
    monthly_series,
    progress_snapshots,
    project_progress,
    project_warnings,
    warning_counts_by_department,
    warning_rows,
)
from performance.selectors.runs import (  # noqa: F401
    MONEY_OUTPUT,
    SHARED_SCOPES,
    SnapshotStatus,
    latest_run,
    run_figures,
    run_seconds,
    snapshot_status,
)
from performance.selectors.scores import (  # noqa: F401
    KeyEvaluationSummary,
    WeakSpots,
    department_entry,
    department_score_history,
    district_dimension_profile,
    evaluation_list,
    grade_counts,
    inflated_self_scores,
    key_evaluation_summary,
    key_evaluation_total,
    leaderboard_rows,
    weak_spots,
)
from projects.selectors import project_cumulative_payments  # noqa: F401
