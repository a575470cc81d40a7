"""What a recompute run writes: progress snapshots, monthly spending, the leaderboard, weak spots and
inflated self-evaluations (SPEC §4.1–§4.5)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from finance.models import MONEY, BudgetUnit, Department
from finance.scoping import Scope, ScopedQuerySet, scoped_manager
from performance.models.bands import RATIO, SCORE, Grade, ScopeKind, WarningLevel
from performance.models.runs import RecomputeRun
from projects.models import Project


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
    # Monitoring (SPEC §14.1), from the approved reports of the run's monitoring round
    # (``RecomputeRun.monitoring_round``); a project's own figures are empty where it has no approved
    # report there, and every rolled-up scope's are.
    expected_completion = models.DecimalField(_("expected target completion"), null=True, blank=True, **RATIO)
    monitoring_gap_pp = models.DecimalField(
        _("gap at the monitoring date (percentage points)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
    )
    monitored_projects = models.PositiveIntegerField(
        _("projects with an approved monitoring report"), default=0
    )
    target_deviation_projects = models.PositiveIntegerField(_("projects with a target deviation"), default=0)
    spending_deviation_projects = models.PositiveIntegerField(
        _("projects with a spending deviation"), default=0
    )
    double_deviation_projects = models.PositiveIntegerField(_("projects with a double deviation"), default=0)

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

    @property
    def double_deviation(self) -> bool:
        """A project row's double deviation (双偏差, §14.1): target and spending both deviate."""
        return self.double_deviation_projects > 0


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
