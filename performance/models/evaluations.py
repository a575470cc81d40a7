"""Evaluations (SPEC §4.3, §12.2) and budget reviews (§4.6)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import F, Q, Value
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from finance.models import MONEY, Department, FiscalYear, ImportBatch
from finance.scoping import Scope, ScopedQuerySet, scoped_manager
from performance.models.bands import SCORE, Grade, grade_for, grade_matches_total
from projects.models import Project

#: The four level-1 dimensions (SPEC §4.3), in the order of the national tables.
DIMENSIONS = ("decision", "process", "output", "benefit")
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
    # A draft may lack scores (SPEC §12.2): finalising needs every one (the constraint below).
    decision = models.DecimalField(_("decision"), null=True, blank=True, **SCORE)
    process = models.DecimalField(_("process"), null=True, blank=True, **SCORE)
    output = models.DecimalField(_("output"), null=True, blank=True, **SCORE)
    benefit = models.DecimalField(_("benefit"), null=True, blank=True, **SCORE)
    decision_max = models.DecimalField(_("decision maximum"), default=Decimal("20"), **SCORE)
    process_max = models.DecimalField(_("process maximum"), default=Decimal("20"), **SCORE)
    output_max = models.DecimalField(_("output maximum"), default=Decimal("30"), **SCORE)
    benefit_max = models.DecimalField(_("benefit maximum"), default=Decimal("30"), **SCORE)
    total = models.DecimalField(_("total score"), editable=False, null=True, blank=True, **SCORE)
    # NULL, not "", until scored: a CHECK passes on NULL, so the band check needs no exception for it.
    grade = models.CharField(  # noqa: DJ001
        _("grade"), max_length=10, choices=Grade.choices, editable=False, null=True, blank=True, db_index=True
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    evaluator = models.CharField(_("evaluator"), max_length=100, blank=True)
    evaluated_on = models.DateField(_("evaluated on"), null=True, blank=True)
    # A database default too: the demo seeder and the import's plain inserts name only the columns they fill.
    findings = models.TextField(_("findings"), blank=True, default="", db_default="")
    recommendations = models.TextField(_("recommendations"), blank=True, default="", db_default="")
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
                violation_error_message=_("An evaluation is of a project or of a department, not of both."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="department") | Q(department__isnull=False),
                name="evaluation_department_kind_targets_department",
                violation_error_message=_("A department-wide evaluation is of a department."),
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["self", "ex_ante"]) | Q(project__isnull=False),
                name="evaluation_project_kinds_target_project",
                violation_error_message=_("A self-evaluation or an ex-ante assessment is of a project."),
            ),
            models.CheckConstraint(
                condition=(Q(kind="key") & ~Q(key_category="")) | (~Q(kind="key") & Q(key_category="")),
                name="evaluation_key_category_only_for_key",
                violation_error_message=_("A key evaluation has a sub-category; no other kind has one."),
            ),
            models.CheckConstraint(
                condition=~Q(key_category="department_wide") | Q(department__isnull=False),
                name="evaluation_department_wide_targets_department",
                violation_error_message=_("A department-wide key evaluation is of a department."),
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
                violation_error_message=_("Each score lies between 0 and its maximum."),
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
            models.CheckConstraint(condition=grade_matches_total(), name="evaluation_grade_matches_total"),
            # Scored (every dimension, the total and the grade) or not scored (no total, no grade).
            models.CheckConstraint(
                condition=Q(
                    decision__isnull=False,
                    process__isnull=False,
                    output__isnull=False,
                    benefit__isnull=False,
                    total__isnull=False,
                    grade__isnull=False,
                )
                | (
                    Q(total__isnull=True, grade__isnull=True)
                    & (
                        Q(decision__isnull=True)
                        | Q(process__isnull=True)
                        | Q(output__isnull=True)
                        | Q(benefit__isnull=True)
                    )
                ),
                name="evaluation_scored_or_not",
            ),
            models.CheckConstraint(
                condition=~Q(status="finalised") | Q(total__isnull=False),
                name="evaluation_finalised_is_scored",
                violation_error_message=_("Finalising needs every score."),
            ),
            models.UniqueConstraint(
                fields=["fiscal_year", "kind", "project"],
                condition=Q(project__isnull=False),
                name="evaluation_one_per_project_kind_year",
                violation_error_message=_(
                    "The project already has an evaluation of this kind for this year."
                ),
            ),
            models.UniqueConstraint(
                fields=["fiscal_year", "kind", "department"],
                condition=Q(department__isnull=False),
                name="evaluation_one_per_department_kind_year",
                violation_error_message=_(
                    "The department already has an evaluation of this kind for this year."
                ),
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
        """Set the total (sum of the four dimensions) and the grade it earns; neither while a score
        is missing."""
        scores = [getattr(self, name) for name in DIMENSIONS]
        if any(score is None for score in scores):
            self.total, self.grade = None, None
            return
        self.total = sum(scores, Decimal(0))
        self.grade = grade_for(self.total)

    def owner_ids(self) -> tuple[int, int | None]:
        """(department id, unit id or None): a project's department and unit, or the department."""
        if self.project_id is not None:
            return self.project.department_id, self.project.unit_id
        return self.department_id, None

    def missing_scores(self) -> list[str]:
        """The labels of the dimensions not scored yet."""
        return [
            str(self._meta.get_field(name).verbose_name) for name in DIMENSIONS if getattr(self, name) is None
        ]

    @property
    def dimensions(self) -> list[tuple[str, object, Decimal | None, Decimal]]:
        """(name, label, score, maximum) of the four dimensions, in the form's order."""
        return [
            (name, self._meta.get_field(name).verbose_name, getattr(self, name), getattr(self, f"{name}_max"))
            for name in DIMENSIONS
        ]


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
