"""Budget projects, their payments, performance targets and indicators, and the standards library (双标准)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Cast, Round
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from finance.models import (
    MONEY,
    BudgetUnit,
    Department,
    DirectFundGrant,
    FiscalYear,
    FunctionClass,
    FundSource,
    ImportBatch,
)
from finance.scoping import scoped_manager


class Category(models.TextChoices):
    """Project category (项目类别)."""

    LIVELIHOOD = "livelihood", _("livelihood")
    DEVELOPMENT = "development", _("development policy")
    INVESTMENT = "investment", _("government investment")
    OPERATING = "operating", _("operating")


class Direction(models.TextChoices):
    """How an indicator's actual value is compared with its target."""

    AT_LEAST = "gte", "≥"
    AT_MOST = "lte", "≤"
    EQUAL = "eq", "="
    QUALITATIVE = "qualitative", _("qualitative")


class Project(models.Model):
    """A budget line (预算项目) of one unit in one fiscal year."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed (project pool)")
        APPROVED = "approved", _("approved (in the budget)")
        CANCELLED = "cancelled", _("cancelled")

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, verbose_name=_("fiscal year"))
    code = models.CharField(_("project code"), max_length=30)
    name = models.CharField(_("project name"), max_length=200)
    unit = models.ForeignKey(
        BudgetUnit, on_delete=models.PROTECT, related_name="projects", verbose_name=_("unit")
    )
    # Copied from the unit on save: pages and the recompute filter and group by department without a join.
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("department"),
        editable=False,
    )
    function_class = models.ForeignKey(
        FunctionClass, on_delete=models.PROTECT, related_name="projects", verbose_name=_("function class")
    )
    fund_source = models.ForeignKey(
        FundSource, on_delete=models.PROTECT, related_name="projects", verbose_name=_("fund source")
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, db_index=True)
    budget = models.DecimalField(_("budget (yuan)"), **MONEY)
    grant = models.ForeignKey(
        DirectFundGrant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("funded from central direct grant"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.APPROVED)
    # Set only on a project proposed through the pool (SPEC §12.4): what the unit asked for. Its budget
    # stays 0 until an officer approves it with the approved amount, so a figure that forgot the status
    # would still add nothing of a proposal.
    requested_amount = models.DecimalField(_("requested amount (yuan)"), null=True, blank=True, **MONEY)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True, default="", db_default="")
    import_batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("import batch"),
    )
    history = HistoricalRecords(excluded_fields=["department"])

    objects = scoped_manager("department", "unit")

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["fiscal_year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "code"], name="project_code_unique_in_year"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="project_budget_non_negative"),
            models.CheckConstraint(
                condition=Q(requested_amount__isnull=True) | Q(requested_amount__gte=0),
                name="project_requested_amount_non_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["fiscal_year", "department"], name="project_year_department"),
            models.Index(fields=["fiscal_year", "function_class"], name="project_year_function"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs) -> None:
        if self.unit_id is not None:
            self.department_id = BudgetUnit.objects.values_list("department_id", flat=True).get(
                pk=self.unit_id
            )
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.grant_id and self.fiscal_year_id and self.grant.fiscal_year_id != self.fiscal_year_id:
            raise ValidationError({"grant": _("The grant belongs to another fiscal year.")})

    @property
    def in_pool(self) -> bool:
        """Proposed through the pool, or not (or no longer) in the budget: a project the pool lists."""
        return self.requested_amount is not None or self.status != Project.Status.APPROVED


class Payment(models.Model):
    """One disbursement from a project (支付记录)."""

    voucher_no = models.CharField(_("voucher number"), max_length=40, unique=True)
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="payments", verbose_name=_("project")
    )
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    # The amount in exact integer cents (分), kept by the database itself on every write (ORM, COPY,
    # raw SQL alike). The recompute adds these up: a 64-bit sum per payment costs far less than a
    # numeric one, and the pass over payments adds up to thirteen of them per row.
    amount_cents = models.GeneratedField(
        expression=Cast(Round(F("amount") * 100), models.BigIntegerField()),
        output_field=models.BigIntegerField(),
        db_persist=True,
        verbose_name=_("amount (cents)"),
    )
    import_batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("import batch"),
    )
    history = HistoricalRecords(excluded_fields=["amount_cents"])  # derived from amount

    objects = scoped_manager("project__department", "project__unit")

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        # A payment may be negative, a reversal (红字冲销), as long as its project's payments to any date
        # never sum below zero (SPEC §7): a rule over rows, checked by the import and by ``clean``.
        ordering = ["paid_on", "voucher_no"]
        indexes = [
            # Σ per project to a date, read from the index alone: the recompute's pass adds up the
            # cents, the floor it is measured against (and the project pages) the amounts.
            models.Index(
                fields=["project", "paid_on"],
                include=["amount", "amount_cents"],
                name="payment_project_date_cover",
            ),
            models.Index(fields=["paid_on"], name="payment_paid_on"),
        ]

    def __str__(self) -> str:
        return self.voucher_no

    def clean(self) -> None:
        """Refuse a date outside the project's fiscal year and a reversal larger than what was paid
        before it (its project's payments to any date never sum below zero)."""
        super().clean()
        if self.project_id is None or self.paid_on is None or self.amount is None:
            return
        year = self.project.fiscal_year_id
        if self.paid_on.year != year:
            raise ValidationError(
                {"paid_on": _("A payment of fiscal year %(year)s is dated in %(year)s.") % {"year": year}}
            )
        by_date = dict(
            Payment.objects.filter(project_id=self.project_id)
            .exclude(pk=self.pk)
            .order_by()
            .values_list("paid_on")
            .annotate(total=models.Sum("amount"))
        )
        by_date[self.paid_on] = by_date.get(self.paid_on, Decimal(0)) + self.amount
        below = first_date_below_zero(by_date)
        if below is not None:
            date, total = below
            raise ValidationError(
                {
                    "amount": _(
                        "The project's payments to %(date)s would sum to %(total)s yuan, below zero: "
                        "a reversal may take back at most what was paid up to its date."
                    )
                    % {"date": date.isoformat(), "total": f"{total:,.2f}"}
                }
            )


def first_date_below_zero(
    totals_by_date: dict[datetime.date, Decimal],
) -> tuple[datetime.date, Decimal] | None:
    """The first date on which the running sum of a project's payments (given per date) is below zero,
    with that sum; None when it never is."""
    running = Decimal(0)
    for date in sorted(totals_by_date):
        running += totals_by_date[date]
        if running < 0:
            return date, running
    return None


class PerformanceTarget(models.Model):
    """A project's overall performance goal (绩效目标); its indicators hang off the project."""

    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, related_name="performance_target", verbose_name=_("project")
    )
    goal = models.TextField(_("overall goal"))

    objects = scoped_manager("project__department", "project__unit")

    class Meta:
        verbose_name = _("performance target")
        verbose_name_plural = _("performance targets")

    def __str__(self) -> str:
        return self.goal[:40]


class Indicator(models.Model):
    """A performance indicator (绩效指标) of a project: target, weight and, once known, the actual value."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("project")
    )
    level1 = models.CharField(_("level-1 indicator"), max_length=50)
    level2 = models.CharField(_("level-2 indicator"), max_length=50)
    name = models.CharField(_("indicator"), max_length=100)
    direction = models.CharField(_("direction"), max_length=12, choices=Direction.choices)
    target_value = models.DecimalField(
        _("target value"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    measure_unit = models.CharField(_("unit of measure"), max_length=20, blank=True)
    weight = models.DecimalField(_("weight (points)"), max_digits=6, decimal_places=2)
    actual_value = models.DecimalField(
        _("actual value"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    judgement = models.DecimalField(
        _("officer's judgement (0–1)"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Completion of a qualitative indicator, between 0 and 1."),
    )
    deviation_reason = models.TextField(
        _("reasons for the deviation and corrective measures"),
        blank=True,
        # Also the database's default: the demo seed and the imports insert rows without it.
        db_default="",
        help_text=_("Given in the self-evaluation wherever the indicator earns less than its weight."),
    )
    import_batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("import batch"),
    )

    objects = scoped_manager("project__department", "project__unit")

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["project", "level1", "level2", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "level1", "level2", "name"], name="indicator_unique_name"
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=0) & Q(weight__lte=90), name="indicator_weight_range"
            ),
            models.CheckConstraint(
                condition=Q(judgement__isnull=True) | (Q(judgement__gte=0) & Q(judgement__lte=1)),
                name="indicator_judgement_0_1",
            ),
            models.CheckConstraint(
                condition=Q(direction="qualitative") | Q(target_value__isnull=False),
                name="indicator_quantitative_has_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.level1} / {self.level2} / {self.name}"


class QuotaStandard(models.Model):
    """An expenditure quota standard (支出定额标准), e.g. per-pupil public funding of 870 元."""

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, verbose_name=_("fiscal year"))
    name = models.CharField(_("name"), max_length=100)
    measure_unit = models.CharField(_("unit of measure"), max_length=30)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("expenditure quota standard")
        verbose_name_plural = _("expenditure quota standards")
        ordering = ["fiscal_year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "name"], name="quota_standard_unique_name"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="quota_standard_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.amount} {self.measure_unit}"


class IndicatorTemplate(models.Model):
    """An indicator standard (绩效指标标准) that a department's projects of one category start from."""

    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="indicator_templates", verbose_name=_("department")
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    level1 = models.CharField(_("level-1 indicator"), max_length=50)
    level2 = models.CharField(_("level-2 indicator"), max_length=50)
    name = models.CharField(_("indicator"), max_length=100)
    direction = models.CharField(_("direction"), max_length=12, choices=Direction.choices)
    target_value = models.DecimalField(
        _("target value"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    measure_unit = models.CharField(_("unit of measure"), max_length=20, blank=True)
    weight = models.DecimalField(_("weight (points)"), max_digits=6, decimal_places=2)

    objects = scoped_manager("department")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator template")
        verbose_name_plural = _("indicator templates")
        ordering = ["department", "category", "level1", "level2", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "category", "level1", "level2", "name"],
                name="indicator_template_unique",
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=0) & Q(weight__lte=90), name="template_weight_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.department} · {self.name}"
