"""SPEC §4.7 applying results (结果应用): next-year budget adjustments by grade, decided by an officer."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, F, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from finance.roles import is_officer
from performance.models import BudgetAdjustment, Grade, RecomputeRun
from performance.services import _sql as sql

#: Work table of one proposing pass (``sql.create_work_table``): the proposals to add, refresh or withdraw.
DIFF = "rc_proposal_diff"

ACTION_FOR_GRADE = {
    Grade.EXCELLENT: BudgetAdjustment.Action.PRIORITY,
    Grade.GOOD: BudgetAdjustment.Action.KEEP,
    Grade.FAIR: BudgetAdjustment.Action.CUT,
    Grade.POOR: BudgetAdjustment.Action.CANCEL,
}


Reason = BudgetAdjustment.ReviewReason


@dataclass(frozen=True)
class ReviewCheck:
    """One reason a proposal asks for review (复核) instead of its grade's action (§4.7): an SQL
    condition on the proposed project's row ``c`` (of ``rc_project``) and the run's self-scoring
    check row ``i`` (``performance_inflatedselfscore``, NULL where the project is not flagged)."""

    reason: Reason
    condition: str


#: A proposal never rewards a doubtful score: a self-evaluation the self-scoring check doubts (§4.3),
#: or a double deviation (双偏差) in the run's monitoring round (§14.1), which the pass over payments
#: found for the project's row of ``rc_project`` (``c.dev_double``).
REVIEW_CHECKS: tuple[ReviewCheck, ...] = (
    ReviewCheck(Reason.EXCEEDS_KEY, "i.exceeds_key"),
    ReviewCheck(Reason.EXCELLENT_LOW_EXECUTION, "i.excellent_but_low_execution"),
    ReviewCheck(Reason.DOUBLE_DEVIATION, "c.dev_double = 1"),
)


def _review_reasons_sql(run_id: int | None) -> tuple[str, str]:
    """``(expression, joins)``: the space-separated reasons for review of the row ``c`` ('' for none),
    read from what the run ``run_id`` found (no run: no reasons)."""
    if run_id is None or not REVIEW_CHECKS:
        return sql.EMPTY, ""
    joins = f"""
        LEFT JOIN performance_inflatedselfscore i
          ON i.run_id = {sql.integer(run_id)} AND i.project_id = c.project_id
    """
    # Each reason followed by a space, the last space trimmed.
    pieces = " || ".join(
        f"CASE WHEN {check.condition} THEN {sql.quote(check.reason)} || ' ' ELSE {sql.EMPTY} END"
        for check in REVIEW_CHECKS
    )
    return f"TRIM({pieces})", joins


def _cut_units(cut: Decimal) -> int:
    return int(cut * 10_000)


#: What a row of the proposals' diff (``DIFF``) does to the stored proposals.
ADD, REFRESH, WITHDRAW = sql.quote("add"), sql.quote("refresh"), sql.quote("withdraw")
PENDING = sql.quote(BudgetAdjustment.Decision.PENDING)


def proposals_diff_sql(*, year: int, source: str, run_id: int | None) -> str:
    """SPEC §4.7 the proposals for ``year + 1``: the SELECT of the differences between the proposals
    the finalised evaluations of ``year`` call for and those stored, each row marked ``change``: add,
    refresh or withdraw. ``source`` is SQL for rows (year, project_id, budget_c, evaluation_id, grade)
    of the approved projects; ``run_id`` the run whose self-scoring check sends a proposal to review.

    One join of what should be proposed with what is: only the differences are written, so a run on
    unchanged evaluations writes nothing. Stored proposals of every year take part, since an
    evaluation has one at most (an evaluation moved to another project or year takes its pending
    proposal along); only those for ``year + 1`` are withdrawn when their evaluation stops counting.
    The grade follows the total, so comparing the grade and the budget finds every change of figures.
    """
    reasons, review_joins = _review_reasons_sql(run_id)
    counting = f"""
        SELECT c.evaluation_id, c.project_id, c.grade, c.budget_c, {reasons} AS review_reasons
        FROM {source} c
        {review_joins}
        WHERE c.year = {sql.integer(year)} AND c.evaluation_id IS NOT NULL
    """
    under_review = f"c.review_reasons <> {sql.EMPTY}"
    by_grade = " ".join(
        f"WHEN {sql.quote(grade)} THEN {sql.quote(action)}" for grade, action in ACTION_FOR_GRADE.items()
    )
    review = sql.quote(BudgetAdjustment.Action.REVIEW)
    action = f"CASE WHEN {under_review} THEN {review} ELSE CASE c.grade {by_grade} END END"
    keep_units = {
        Grade.EXCELLENT: 10_000,
        Grade.GOOD: 10_000,
        Grade.FAIR: 10_000 - _cut_units(settings.BUDGET_CUT_FAIR),
        Grade.POOR: 10_000 - _cut_units(settings.BUDGET_CUT_POOR),
    }
    kept = " ".join(
        f"WHEN {sql.quote(grade)} THEN {sql.integer(units)}" for grade, units in keep_units.items()
    )
    # Under review the budget stays as it is until an officer decides.
    kept = f"CASE WHEN {under_review} THEN 10000 ELSE CASE c.grade {kept} END END"
    current = sql.to_decimal("c.budget_c", 2)
    target = sql.integer(year + 1)
    columns = {
        "evaluation_id": "COALESCE(c.evaluation_id, a.evaluation_id)",
        "project_id": "c.project_id",
        "grade": "c.grade",
        "proposed_action": action,
        "review_reasons": "c.review_reasons",
        "current_budget": current,
        "proposed_budget": sql.to_decimal(sql.round_div(f"c.budget_c * {kept}", "10000"), 2),
        "change": f"""CASE WHEN a.evaluation_id IS NULL THEN {ADD}
                           WHEN c.evaluation_id IS NULL THEN {WITHDRAW}
                           ELSE {REFRESH} END""",
    }
    return f"""
        SELECT {sql.select_list(columns)}
        FROM ({counting}) c
        FULL JOIN (
            SELECT evaluation_id, project_id, target_year, grade, review_reasons, current_budget, decision
            FROM performance_budgetadjustment
        ) a ON a.evaluation_id = c.evaluation_id
        WHERE a.evaluation_id IS NULL
           OR (a.decision = {PENDING} AND c.evaluation_id IS NULL AND a.target_year = {target})
           OR (a.decision = {PENDING} AND c.evaluation_id IS NOT NULL
               AND (a.grade <> c.grade OR a.current_budget <> {current} OR a.project_id <> c.project_id
                    OR a.target_year <> {target} OR a.review_reasons <> c.review_reasons))
    """


#: SPEC §4.7 withdraw the pending proposals whose evaluation no longer counts, from ``DIFF``.
WITHDRAW_PROPOSALS = f"""
    DELETE FROM performance_budgetadjustment
    WHERE evaluation_id IN (SELECT evaluation_id FROM {DIFF} WHERE change = {WITHDRAW})
      AND decision = {PENDING}
"""


def refresh_proposals_sql(*, target_year: int) -> str:
    """SPEC §4.7 refresh the pending proposals whose project, budget, grade or reasons changed, from
    ``DIFF``, for ``target_year``."""
    refreshed = {
        "project_id": "u.project_id",
        "target_year": sql.integer(target_year),
        **{
            c: f"u.{c}"
            for c in ("grade", "proposed_action", "review_reasons", "current_budget", "proposed_budget")
        },
    }
    return f"""
        UPDATE performance_budgetadjustment
        SET {", ".join(f"{column} = {value}" for column, value in refreshed.items())}
        FROM {DIFF} u
        WHERE performance_budgetadjustment.evaluation_id = u.evaluation_id AND u.change = {REFRESH}
          AND performance_budgetadjustment.decision = {PENDING}
    """


def add_proposals_sql(*, target_year: int) -> str:
    """SPEC §4.7 add the proposals of the evaluations that have none, from ``DIFF``, for
    ``target_year``, pending."""
    added = {
        **{c: c for c in ("evaluation_id", "project_id")},
        "target_year": sql.integer(target_year),
        **{c: c for c in ("grade", "proposed_action", "review_reasons", "current_budget", "proposed_budget")},
        "decision": PENDING,
        "note": sql.EMPTY,
    }
    return sql.insert_select("performance_budgetadjustment", added, f"FROM {DIFF} WHERE change = {ADD}")


def propose_budget_adjustments(*, year: int, projects: str, run: RecomputeRun) -> int:
    """Bring the ``year + 1`` adjustment proposals in line with the finalised evaluations of ``year``;
    returns the proposals added.

    Every approved project of ``year`` whose evaluation counts (the key evaluation, else the
    self-evaluation: the one behind Pᵢ) has one proposal: 优 keep and give priority, 良 keep, 中 cut
    BUDGET_CUT_FAIR, 差 cut BUDGET_CUT_POOR or cancel; the proposed budget is rounded half up to the cent.
    A decided proposal is never touched. A pending one follows its project: it is refreshed when the
    budget or the grade changed, and withdrawn when its evaluation no longer counts (a key evaluation
    was finalised after the self-evaluation, the evaluation was reopened, the project cancelled).
    Running it again on the same data changes nothing.

    A project with a doubtful score gets "review" (复核) instead, with its reasons (``REVIEW_CHECKS``:
    its self-evaluation flagged by the self-scoring check of the run ``run``), and keeps its current
    budget until an officer decides.

    It is a step of ``recompute_all``, which passes ``projects``, its work table ``rc_project``: the
    rows (year, project_id, budget_c, evaluation_id, grade) of the approved projects are already
    there, so the proposals cost no second pass over projects and evaluations.
    """
    source, run_id = projects, run.pk
    # Found first, written second: a statement that reads the table it writes rescans the pages it
    # is filling (from an empty table, a nested loop made that quadratic: minutes at scale 100).
    sql.create_work_table(DIFF, proposals_diff_sql(year=year, source=source, run_id=run_id))
    with connection.cursor() as cursor:
        if sql.is_postgres():
            cursor.execute(f"ANALYZE {DIFF}")  # usually empty: look its few rows up by the unique index
        cursor.execute(WITHDRAW_PROPOSALS)
        cursor.execute(refresh_proposals_sql(target_year=year + 1))
        cursor.execute(add_proposals_sql(target_year=year + 1))
        added = cursor.rowcount
    sql.drop_work_tables(DIFF)
    return added


def _refusals(*, decision: str, pending: bool, review: bool) -> list[str]:
    """Why a proposal cannot take ``decision``: the one check of a single and of a bulk decision."""
    refusals = []
    if not pending:
        refusals.append(_("This proposal is already decided."))
    if review and decision == BudgetAdjustment.Decision.ACCEPTED:
        refusals.append(
            _(
                "A proposal under review has no figure to accept: give your own figure (Change) or do not "
                "adopt it."
            )
        )
    return refusals


def _decide(
    *, adjustment: BudgetAdjustment, user, decision: str, final_budget: Decimal | None, note: str
) -> BudgetAdjustment:
    if not is_officer(user):
        raise PermissionDenied("Only budget officers decide budget adjustments.")
    with transaction.atomic():
        # Under the row lock: a recompute may have refreshed or withdrawn the proposal since the page
        # was shown; accepting takes the proposed budget as it is now.
        locked = BudgetAdjustment.objects.select_for_update().filter(pk=adjustment.pk).first()
        if locked is None:
            raise ValidationError(_("This proposal was withdrawn: its evaluation no longer counts."))
        refusals = _refusals(
            decision=decision,
            pending=locked.decision == BudgetAdjustment.Decision.PENDING,
            review=locked.proposed_action == BudgetAdjustment.Action.REVIEW,
        )
        if refusals:
            raise ValidationError(refusals)
        locked.decision = decision
        locked.final_budget = (
            locked.proposed_budget if decision == BudgetAdjustment.Decision.ACCEPTED else final_budget
        )
        locked.note = note
        locked.decided_by = user
        locked.decided_at = timezone.now()
        locked.full_clean()
        locked._history_user = user
        locked.save()
    return locked


#: What many proposals may take at once, with one reason: each keeps its own figure (no shared amount).
BULK_DECISIONS = (BudgetAdjustment.Decision.ACCEPTED, BudgetAdjustment.Decision.REJECTED)


def decide_budget_adjustments(
    *, adjustments: QuerySet[BudgetAdjustment], user, decision: str, note: str, expected: int | None = None
) -> int:
    """Accept or not adopt every proposal of ``adjustments`` with one reason; returns how many.

    All or nothing: each proposal is checked as a single decision is (pending; a proposal under review
    is not accepted), and when one fails, or ``expected`` (the count the officer confirmed) is no
    longer the count, nothing is decided. Set-based: one locking read, one check, one UPDATE and one
    insert of the history rows, each proposal with its own row, as if decided singly.
    """
    if not is_officer(user):
        raise PermissionDenied("Only budget officers decide budget adjustments.")
    if decision not in BULK_DECISIONS:
        raise ValidationError(_("Many proposals at once can only be accepted or not adopted."))
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("Give one reason for deciding many proposals at once."))
    pending = BudgetAdjustment.Decision.PENDING
    with transaction.atomic():
        chosen = BudgetAdjustment.objects.filter(pk__in=Subquery(adjustments.order_by().values("pk")))
        # Lock the rows (not their projects) so a recompute cannot refresh them under the decision.
        rows = list(chosen.select_for_update(of=("self",)).order_by("pk"))
        count = len(rows)
        if expected is not None and count != expected:
            raise ValidationError(
                _(
                    "The proposals changed since you confirmed (%(now)s now, %(confirmed)s confirmed): "
                    "nothing was decided."
                )
                % {"now": count, "confirmed": expected}
            )
        if not count:
            raise ValidationError(_("No proposal to decide."))
        found = chosen.aggregate(
            decided=Count("pk", filter=~Q(decision=pending)),
            review=Count("pk", filter=Q(proposed_action=BudgetAdjustment.Action.REVIEW)),
        )
        refusals = []
        if found["decided"]:
            refusals.append(_("%(count)s of them are already decided.") % {"count": found["decided"]})
        if found["review"] and decision == BudgetAdjustment.Decision.ACCEPTED:
            refusals.append(
                _("%(count)s of them ask for review, which has no figure to accept: decide those one by one.")
                % {"count": found["review"]}
            )
        if refusals:
            raise ValidationError([_("Nothing was decided."), *refusals])
        accepted = decision == BudgetAdjustment.Decision.ACCEPTED
        now = timezone.now()
        chosen.update(
            decision=decision,
            final_budget=F("proposed_budget") if accepted else None,
            note=note,
            decided_by=user,
            decided_at=now,
        )
        # The rows as the UPDATE left them (read under the lock, so nothing else changed them).
        for row in rows:
            row.decision, row.note, row.decided_by, row.decided_at = decision, note, user, now
            row.final_budget = row.proposed_budget if accepted else None
        BudgetAdjustment.history.bulk_history_create(rows, update=True, default_user=user, default_date=now)
    return count


def accept_budget_adjustment(*, adjustment: BudgetAdjustment, user, note: str = "") -> BudgetAdjustment:
    """Record the proposal as decided: the next budget is the proposed one (as stored when decided)."""
    return _decide(
        adjustment=adjustment,
        user=user,
        decision=BudgetAdjustment.Decision.ACCEPTED,
        final_budget=None,
        note=note,
    )


def change_budget_adjustment(
    *, adjustment: BudgetAdjustment, user, final_budget: Decimal, note: str = ""
) -> BudgetAdjustment:
    """Record the officer's own figure for the next budget instead of the proposed one."""
    if final_budget is None or final_budget < 0:
        raise ValidationError({"final_budget": "The changed budget must be zero or more."})
    return _decide(
        adjustment=adjustment,
        user=user,
        decision=BudgetAdjustment.Decision.CHANGED,
        final_budget=final_budget,
        note=note,
    )


def reject_budget_adjustment(*, adjustment: BudgetAdjustment, user, note: str = "") -> BudgetAdjustment:
    """Record that the proposal is not applied: the budget is not adjusted (no final budget)."""
    return _decide(
        adjustment=adjustment,
        user=user,
        decision=BudgetAdjustment.Decision.REJECTED,
        final_budget=None,
        note=note,
    )
