"""Evaluations, budget reviews, and the snapshots the recompute writes (SPEC §4, §5)."""

from __future__ import annotations

import functools
import operator
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from finance.models import MONEY, BudgetUnit, Department, FiscalYear, ImportBatch
from finance.scoping import Scope, ScopedQuerySet, scoped_manager
from projects.models import Project

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


def _grade_matches_total() -> Q:
    """Each grade within its band of ``GRADE_FLOORS``."""
    matches, ceiling = [], None
    for grade, floor in GRADE_FLOORS:
        bounds = [Q(total__gte=floor)] if floor is not None else []
        bounds += [Q(total__lt=ceiling)] if ceiling is not None else []
        matches.append(functools.reduce(operator.and_, [Q(grade=grade), *bounds]))
        ceiling = floor
    return functools.reduce(operator.or_, matches)


_DIMENSION_SUM = F("decision") + F("process") + F("output") + F("benefit")


class EvaluationQuerySet(ScopedQuerySet):
    """Evaluations of the scope's projects, and (for a department) of the department itself."""

    def department_q(self, department_id: int) -> Q:
        # A semi-join on the department's projects, so PostgreSQL can use its indexes on both sides.
        projects = Project.objects.filter(department_id=department_id).values("pk")
        return Q(project_id__in=projects) | Q(department_id=department_id)

    def unit_q(self, scope: Scope) -> Q:
        return Q(project_id__in=Project.objects.filter(unit_id=scope.unit_id).values("pk"))

    def finalised(self) -> EvaluationQuerySet:
        return self.filter(status=Evaluation.Status.FINALISED)


class Evaluation(models.Model):
    """A scored performance evaluation (绩效评价) of a project or a whole department."""

    class Kind(models.TextChoices):
        SELF = "self", _("unit self-evaluation")
        KEY = "key", _("key evaluation by the bureau")
        DEPARTMENT = "department", _("department-wide evaluation")
        EX_ANTE = "ex_ante", _("ex-ante assessment")

    class KeyCategory(models.TextChoices):
        LIVELIHOOD = "livelihood", _("livelihood project")
        DEVELOPMENT_POLICY = "development_policy", _("development policy")
        INVESTMENT_EX_ANTE = "investment_ex_ante", _("major government investment ex-ante evaluation")
        DEPARTMENT_WIDE = "department_wide", _("department-wide evaluation")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        FINALISED = "finalised", _("finalised")

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, verbose_name=_("fiscal year"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    key_category = models.CharField(
        _("key evaluation sub-category"), max_length=20, choices=KeyCategory.choices, blank=True, default=""
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluations",
        verbose_name=_("project"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluations",
        verbose_name=_("department"),
    )
    decision = models.DecimalField(_("decision"), **SCORE)
    process = models.DecimalField(_("process"), **SCORE)
    output = models.DecimalField(_("output"), **SCORE)
    benefit = models.DecimalField(_("benefit"), **SCORE)
    decision_max = models.DecimalField(_("decision maximum"), default=Decimal("20"), **SCORE)
    process_max = models.DecimalField(_("process maximum"), default=Decimal("20"), **SCORE)
    output_max = models.DecimalField(_("output maximum"), default=Decimal("30"), **SCORE)
    benefit_max = models.DecimalField(_("benefit maximum"), default=Decimal("30"), **SCORE)
    total = models.DecimalField(_("total score"), editable=False, **SCORE)
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices, editable=False, db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    evaluator = models.CharField(_("evaluator"), max_length=100, blank=True)
    evaluated_on = models.DateField(_("evaluated on"), null=True, blank=True)
    import_batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("import batch"),
    )
    history = HistoricalRecords()

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["fiscal_year", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(project__isnull=False) & Q(department__isnull=True))
                | (Q(project__isnull=True) & Q(department__isnull=False)),
                name="evaluation_targets_project_xor_department",
            ),
            models.CheckConstraint(
                condition=~Q(kind="department") | Q(department__isnull=False),
                name="evaluation_department_kind_targets_department",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["self", "ex_ante"]) | Q(project__isnull=False),
                name="evaluation_project_kinds_target_project",
            ),
            models.CheckConstraint(
                condition=(Q(kind="key") & ~Q(key_category="")) | (~Q(kind="key") & Q(key_category="")),
                name="evaluation_key_category_only_for_key",
            ),
            models.CheckConstraint(
                condition=~Q(key_category="department_wide") | Q(department__isnull=False),
                name="evaluation_department_wide_targets_department",
            ),
            models.CheckConstraint(
                condition=Q(decision__gte=0)
                & Q(decision__lte=F("decision_max"))
                & Q(process__gte=0)
                & Q(process__lte=F("process_max"))
                & Q(output__gte=0)
                & Q(output__lte=F("output_max"))
                & Q(benefit__gte=0)
                & Q(benefit__lte=F("benefit_max")),
                name="evaluation_scores_within_maxima",
            ),
            models.CheckConstraint(
                condition=Q(decision_max__gt=0)
                & Q(process_max__gt=0)
                & Q(output_max__gt=0)
                & Q(benefit_max__gt=0)
                & Q(decision_max=100 - F("process_max") - F("output_max") - F("benefit_max")),
                name="evaluation_maxima_sum_100",
            ),
            # Within half a cent rather than equal: SQLite keeps decimals as binary floats.
            models.CheckConstraint(
                condition=Q(total__gte=_DIMENSION_SUM - Value(Decimal("0.005")))
                & Q(total__lte=_DIMENSION_SUM + Value(Decimal("0.005"))),
                name="evaluation_total_is_sum",
            ),
            models.CheckConstraint(condition=_grade_matches_total(), name="evaluation_grade_matches_total"),
            models.UniqueConstraint(
                fields=["fiscal_year", "kind", "project"],
                condition=Q(project__isnull=False),
                name="evaluation_one_per_project_kind_year",
            ),
            models.UniqueConstraint(
                fields=["fiscal_year", "kind", "department"],
                condition=Q(department__isnull=False),
                name="evaluation_one_per_department_kind_year",
            ),
        ]
        indexes = [models.Index(fields=["fiscal_year", "kind", "status"], name="evaluation_year_kind_status")]

    def __str__(self) -> str:
        target = self.project or self.department
        return f"{self.fiscal_year_id} {self.get_kind_display()} · {target}"

    def save(self, *args, **kwargs) -> None:
        self.fill_total_and_grade()
        super().save(*args, **kwargs)

    def fill_total_and_grade(self) -> None:
        """Set the total (sum of the four dimensions) and the grade it earns."""
        self.total = self.decision + self.process + self.output + self.benefit
        self.grade = grade_for(self.total)


class BudgetReview(models.Model):
    """A review of a government investment project's cost estimate (预算评审 / 概预算审核, SPEC §4.6)."""

    opinion_no = models.CharField(_("review opinion number"), max_length=40, unique=True)
    project_name = models.CharField(_("project name"), max_length=200)
    project = models.ForeignKey(
        Project,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budget_reviews",
        verbose_name=_("project"),
    )
    reviewed_on = models.DateField(_("reviewed on"), db_index=True)
    submitted_amount = models.DecimalField(_("submitted amount (yuan)"), **MONEY)
    approved_amount = models.DecimalField(_("approved amount (yuan)"), **MONEY)

    objects = scoped_manager("project__department", "project__unit")

    class Meta:
        verbose_name = _("budget review")
        verbose_name_plural = _("budget reviews")
        ordering = ["reviewed_on", "opinion_no"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_amount__gte=0) & Q(approved_amount__lte=F("submitted_amount")),
                name="budget_review_approved_within_submitted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.opinion_no} {self.project_name}"

    @property
    def cut(self) -> Decimal:
        """核减额: submitted − approved."""
        return self.submitted_amount - self.approved_amount


class RecomputeRun(models.Model):
    """One run of the recompute: the snapshots it wrote belong to it (SPEC §5)."""

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, verbose_name=_("fiscal year"))
    as_of = models.DateField(_("as of"))
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    row_counts = models.JSONField(_("row counts"), default=dict, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("recompute run")
        verbose_name_plural = _("recompute runs")
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["fiscal_year", "status", "-started_at"], name="run_year_status_started")
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year_id} @ {self.as_of} ({self.get_status_display()})"


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


class ScopeRowsQuerySet(ScopedQuerySet):
    """Rows keyed by (scope kind, scope id): a unit filler sees their unit's row and its projects' rows."""

    def unit_q(self, scope: Scope) -> Q:
        projects = Project.objects.filter(unit_id=scope.unit_id).values("pk")
        return Q(scope_kind=ScopeKind.UNIT, scope_id=scope.unit_id) | Q(
            scope_kind=ScopeKind.PROJECT, scope_id__in=projects
        )


class MonthlySpendingQuerySet(ScopeRowsQuerySet):
    """Monthly rows carry no department: a department's are its own, its units' and its projects'."""

    def department_q(self, department_id: int) -> Q:
        units = BudgetUnit.objects.filter(department_id=department_id).values("pk")
        projects = Project.objects.filter(department_id=department_id).values("pk")
        return (
            Q(scope_kind=ScopeKind.DEPARTMENT, scope_id=department_id)
            | Q(scope_kind=ScopeKind.UNIT, scope_id__in=units)
            | Q(scope_kind=ScopeKind.PROJECT, scope_id__in=projects)
        )


class ProgressSnapshot(models.Model):
    """Budget, spending and progress of one scope as of the run's date (SPEC §4.1)."""

    # No database-level foreign key: checking it for ~420k rows at scale 100 cost seconds at commit.
    # On PostgreSQL the table is partitioned by run (migration 0002_postgresql): a run
    # reads and writes its own partition only, so the run needs no index of its own.
    run = models.ForeignKey(
        RecomputeRun, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    scope_kind = models.CharField(_("scope"), max_length=16, choices=ScopeKind.choices)
    scope_id = models.BigIntegerField(_("scope id"), null=True, blank=True)
    department_id = models.BigIntegerField(_("department id"), null=True, blank=True)
    budget = models.DecimalField(_("budget (yuan)"), **MONEY)
    spent = models.DecimalField(_("spent (yuan)"), **MONEY)
    spending_progress = models.DecimalField(_("spending progress"), **RATIO)
    time_progress = models.DecimalField(_("time progress"), **RATIO)
    gap_pp = models.DecimalField(_("gap (percentage points)"), max_digits=12, decimal_places=2)
    warning_level = models.CharField(_("warning level"), max_length=10, choices=WarningLevel.choices)
    zero_spending = models.BooleanField(_("zero spending"), default=False)
    overspent = models.BooleanField(_("overspent"), default=False)
    # Roll-ups of the project rows in this scope (a project row counts itself: 0 or 1).
    project_count = models.PositiveIntegerField(_("projects"), default=0)
    attention_projects = models.PositiveIntegerField(_("projects at attention level"), default=0)
    serious_projects = models.PositiveIntegerField(_("projects at serious level"), default=0)
    zero_spending_projects = models.PositiveIntegerField(_("zero-spending projects"), default=0)
    overspent_projects = models.PositiveIntegerField(_("overspent projects"), default=0)
    # Same period of last year (SPEC §4.2); empty for projects and where the previous year has no data.
    previous_budget = models.DecimalField(_("previous year's budget (yuan)"), null=True, blank=True, **MONEY)
    previous_spent = models.DecimalField(
        _("spent in the same period of last year (yuan)"), null=True, blank=True, **MONEY
    )
    budget_growth = models.DecimalField(_("budget growth"), null=True, blank=True, **RATIO)
    spent_growth = models.DecimalField(
        _("spending growth on the same period"), null=True, blank=True, **RATIO
    )

    objects = scoped_manager("department_id", base=ScopeRowsQuerySet)

    class Meta:
        verbose_name = _("progress snapshot")
        verbose_name_plural = _("progress snapshots")
        # On PostgreSQL these are (scope_kind, scope_id) and (department_id) on each run's partition
        # (migration performance.0002_postgresql); SQLite has them as declared.
        indexes = [
            models.Index(fields=["run", "scope_kind", "scope_id"], name="progress_run_scope"),
            models.Index(fields=["run", "department_id"], name="progress_run_department"),
        ]

    def __str__(self) -> str:
        return f"{self.scope_kind} {self.scope_id}: {self.spending_progress}"


class MonthlySpending(models.Model):
    """Cumulative spending of one scope at one month end, for the charts (SPEC §4.1)."""

    run = models.ForeignKey(
        RecomputeRun, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    scope_kind = models.CharField(_("scope"), max_length=16, choices=ScopeKind.choices)
    scope_id = models.BigIntegerField(_("scope id"), null=True, blank=True)
    month = models.PositiveSmallIntegerField(_("month"))
    cumulative_spent = models.DecimalField(_("cumulative spent (yuan)"), **MONEY)

    objects = MonthlySpendingQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly cumulative spending")
        verbose_name_plural = _("monthly cumulative spending")
        indexes = [models.Index(fields=["run", "scope_kind", "scope_id"], name="monthly_run_scope")]
        constraints = [
            models.CheckConstraint(condition=Q(month__gte=1) & Q(month__lte=12), name="monthly_month_1_12")
        ]

    def __str__(self) -> str:
        return f"{self.scope_kind} {self.scope_id} month {self.month}"


class LeaderboardEntry(models.Model):
    """One department's line on the incremental performance leaderboard of a run (SPEC §4.5)."""

    run = models.ForeignKey(
        RecomputeRun, on_delete=models.CASCADE, db_index=False, related_name="leaderboard_entries"
    )
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="+", verbose_name=_("department")
    )
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=4, null=True, blank=True)
    previous_score = models.DecimalField(
        _("previous year's score"), max_digits=7, decimal_places=4, null=True, blank=True
    )
    increment = models.DecimalField(_("increment"), max_digits=8, decimal_places=4, null=True, blank=True)
    increment_rank = models.PositiveIntegerField(_("increment rank"), null=True, blank=True)
    absolute_rank = models.PositiveIntegerField(_("absolute rank"), null=True, blank=True)
    rank_change = models.IntegerField(_("rank change since previous run"), null=True, blank=True)
    is_new = models.BooleanField(_("new (no previous year's score)"), default=False)
    department_budget = models.DecimalField(_("department budget (yuan)"), **MONEY)
    evaluated_budget = models.DecimalField(_("evaluated budget (yuan)"), **MONEY)
    coverage = models.DecimalField(_("coverage"), **RATIO)
    low_coverage = models.BooleanField(_("low coverage"), default=False)
    weakest_dimension = models.CharField(_("weakest dimension"), max_length=10, blank=True)
    # Line order on the page: ranked by increment, then the new ones, then those without a score.
    position = models.PositiveIntegerField(_("position"), default=0)
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices, blank=True)
    project_part = models.DecimalField(
        _("project part"), max_digits=7, decimal_places=4, null=True, blank=True
    )
    department_wide_score = models.DecimalField(
        _("department-wide evaluation"), null=True, blank=True, **SCORE
    )
    project_count = models.PositiveIntegerField(_("projects"), default=0)
    evaluated_projects = models.PositiveIntegerField(_("evaluated projects"), default=0)
    # Mean of score ÷ maximum per level-1 dimension over the evaluations behind the score (§4.5 weak spots).
    decision_ratio = models.DecimalField(_("decision (share of maximum)"), null=True, blank=True, **RATIO)
    process_ratio = models.DecimalField(_("process (share of maximum)"), null=True, blank=True, **RATIO)
    output_ratio = models.DecimalField(_("output (share of maximum)"), null=True, blank=True, **RATIO)
    benefit_ratio = models.DecimalField(_("benefit (share of maximum)"), null=True, blank=True, **RATIO)

    objects = scoped_manager("department")

    class Meta:
        verbose_name = _("leaderboard entry")
        verbose_name_plural = _("leaderboard entries")
        ordering = ["run", "position"]
        constraints = [
            models.UniqueConstraint(fields=["run", "department"], name="leaderboard_one_line_per_department")
        ]

    def __str__(self) -> str:
        return f"{self.department_id}: {self.increment_rank}"


class BudgetAdjustment(models.Model):
    """A next-year budget adjustment proposed from an evaluation and decided by an officer (SPEC §4.7)."""

    class Action(models.TextChoices):
        PRIORITY = "priority", _("keep and give priority")
        KEEP = "keep", _("keep")
        CUT = "cut", _("cut")
        CANCEL = "cancel", _("cut or cancel")
        #: A doubtful score: an officer looks again before the grade's proposal counts (§4.7).
        REVIEW = "review", _("review")

    class ReviewReason(models.TextChoices):
        """Why a proposal asks for review instead of its grade's action; stored space-separated."""

        EXCEEDS_KEY = "exceeds_key", _("self-evaluation above the key evaluation")
        EXCELLENT_LOW_EXECUTION = "excellent_low_execution", _("excellent with low execution")

    class Decision(models.TextChoices):
        PENDING = "pending", _("pending")
        ACCEPTED = "accepted", _("accepted")
        CHANGED = "changed", _("changed")
        REJECTED = "rejected", _("rejected")

    evaluation = models.OneToOneField(
        Evaluation, on_delete=models.CASCADE, related_name="budget_adjustment", verbose_name=_("evaluation")
    )
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="budget_adjustments", verbose_name=_("project")
    )
    target_year = models.PositiveSmallIntegerField(_("budget year adjusted"))
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices)
    proposed_action = models.CharField(_("proposed action"), max_length=10, choices=Action.choices)
    review_reasons = models.CharField(_("reasons for review"), max_length=200, blank=True, default="")
    current_budget = models.DecimalField(_("current budget (yuan)"), **MONEY)
    proposed_budget = models.DecimalField(_("proposed budget (yuan)"), **MONEY)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    final_budget = models.DecimalField(_("final budget (yuan)"), null=True, blank=True, **MONEY)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    # Each decision, made singly or among many, leaves its own row (the recompute's proposing does not).
    history = HistoricalRecords()

    objects = scoped_manager("project__department", "project__unit")

    class Meta:
        verbose_name = _("budget adjustment")
        verbose_name_plural = _("budget adjustments")
        ordering = ["target_year", "project__code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(proposed_budget__gte=0) & (Q(final_budget__isnull=True) | Q(final_budget__gte=0)),
                name="adjustment_amounts_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} → {self.target_year}"

    @property
    def review_reason_labels(self) -> list[str]:
        """The reasons for review, in words."""
        labels = dict(self.ReviewReason.choices)
        return [str(labels.get(code, code)) for code in self.review_reasons.split()]


class RunFigures(models.Model):
    """The headline figures of one run: livelihood share, central direct funds, budget reviews (§4.1–4.6)."""

    run = models.OneToOneField(RecomputeRun, on_delete=models.CASCADE, related_name="figures")
    time_progress = models.DecimalField(_("time progress"), **RATIO)
    previous_as_of = models.DateField(_("same date last year"))
    # §4.2: general public budget only.
    general_budget_spent = models.DecimalField(_("general public budget spending (yuan)"), **MONEY)
    livelihood_spent = models.DecimalField(_("livelihood spending (yuan)"), **MONEY)
    livelihood_share = models.DecimalField(_("livelihood share"), **RATIO)
    previous_general_budget_spent = models.DecimalField(
        _("general public budget spending, same period last year (yuan)"), null=True, blank=True, **MONEY
    )
    previous_livelihood_spent = models.DecimalField(
        _("livelihood spending, same period last year (yuan)"), null=True, blank=True, **MONEY
    )
    livelihood_growth = models.DecimalField(_("livelihood spending growth"), null=True, blank=True, **RATIO)
    # §4.1 central direct funds.
    direct_funds_received = models.DecimalField(_("direct funds received (yuan)"), **MONEY)
    direct_funds_allocated = models.DecimalField(_("direct funds allocated (yuan)"), **MONEY)
    direct_funds_spent = models.DecimalField(_("direct funds spent (yuan)"), **MONEY)
    direct_funds_allocation_progress = models.DecimalField(_("direct funds allocation progress"), **RATIO)
    direct_funds_spending_progress = models.DecimalField(_("direct funds spending progress"), **RATIO)
    # §4.6 budget reviews from 1 January to the run's date.
    review_count = models.PositiveIntegerField(_("review opinions"))
    review_submitted = models.DecimalField(_("submitted (yuan)"), **MONEY)
    review_cut = models.DecimalField(_("cut (yuan)"), **MONEY)
    review_cut_rate = models.DecimalField(_("overall cut rate"), **RATIO)

    class Meta:
        verbose_name = _("headline figures of a run")
        verbose_name_plural = _("headline figures of runs")

    def __str__(self) -> str:
        return f"figures of run {self.run_id}"


class WeakProject(models.Model):
    """A project that pulls its department's score down most: budget × (C − Pᵢ) (SPEC §4.5 weak spots)."""

    run = models.ForeignKey(
        RecomputeRun, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    department_id = models.BigIntegerField(_("department id"))
    project = models.ForeignKey(
        Project, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", verbose_name=_("project")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    budget = models.DecimalField(_("budget (yuan)"), **MONEY)
    project_score = models.DecimalField(_("project score"), **SCORE)
    pull = models.DecimalField(_("pull on the score (yuan × points)"), max_digits=24, decimal_places=2)

    objects = scoped_manager("department_id", "project__unit")

    class Meta:
        verbose_name = _("weak project")
        verbose_name_plural = _("weak projects")
        ordering = ["run", "department_id", "position"]
        indexes = [models.Index(fields=["run", "department_id"], name="weak_project_run_department")]

    def __str__(self) -> str:
        return f"{self.department_id} #{self.position}: {self.project_id}"


class InflatedSelfScore(models.Model):
    """A project whose self-evaluation looks inflated (自评偏差, SPEC §4.3), as found by one run."""

    run = models.ForeignKey(
        RecomputeRun, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    department_id = models.BigIntegerField(_("department id"))
    project = models.ForeignKey(
        Project, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", verbose_name=_("project")
    )
    self_total = models.DecimalField(_("self-evaluation total"), **SCORE)
    key_total = models.DecimalField(_("key evaluation total"), null=True, blank=True, **SCORE)
    execution_rate = models.DecimalField(_("budget execution rate"), **RATIO)
    exceeds_key = models.BooleanField(_("self-evaluation exceeds the key evaluation"))
    excellent_but_low_execution = models.BooleanField(_("excellent with low execution"))

    objects = scoped_manager("department_id", "project__unit")

    class Meta:
        verbose_name = _("inflated self-evaluation")
        verbose_name_plural = _("inflated self-evaluations")
        ordering = ["run", "department_id", "project_id"]
        indexes = [models.Index(fields=["run", "department_id"], name="inflated_run_department")]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.self_total} vs {self.key_total}"


class RecomputeState(models.Model):
    """Per year: how many changes were requested and up to which one the snapshots are computed (§5).

    Saving a payment, project or evaluation bumps ``requested_generation``; a run stores the generation it
    started from in ``computed_generation``. A queued recompute whose year is not behind is skipped,
    which coalesces a burst of changes into one or two runs.
    """

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    requested_generation = models.BigIntegerField(_("requested generation"), default=0)
    computed_generation = models.BigIntegerField(_("computed generation"), default=0)
    requested_at = models.DateTimeField(_("last change requested at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recompute state")
        verbose_name_plural = _("recompute states")

    def __str__(self) -> str:
        return f"{self.year}: {self.computed_generation}/{self.requested_generation}"

    @property
    def is_behind(self) -> bool:
        return self.computed_generation < self.requested_generation
