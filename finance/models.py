"""Organisation and money: fiscal years, departments, units, classifications, payments, grants."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Cast, Round
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from finance.roles import ALL_DEPARTMENTS, department_scope

MONEY = {"max_digits": 16, "decimal_places": 2}


class DepartmentScopedQuerySet(models.QuerySet):
    """A queryset that knows which field path leads to the owning department."""

    department_path: str = "department"

    def visible_to(self, user) -> DepartmentScopedQuerySet:
        """The rows this user may see: all for officers, their department's for a head, else none."""
        scope = department_scope(user)
        if scope is ALL_DEPARTMENTS:
            return self.all()
        if scope is None:
            return self.none()
        return self.filter(**{self.department_path: scope})


def scoped_manager(path: str) -> models.Manager:
    queryset_class = type(f"ScopedBy_{path}", (DepartmentScopedQuerySet,), {"department_path": path})
    return queryset_class.as_manager()


class FiscalYear(models.Model):
    """A budget year (预算年度); the primary key is the calendar year itself."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    is_current = models.BooleanField(_("current year"), default=False)
    # Figures are computed as of this date; empty means today, capped at the year's last day.
    data_as_of = models.DateField(_("figures as of"), null=True, blank=True)

    class Meta:
        verbose_name = _("fiscal year")
        verbose_name_plural = _("fiscal years")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="fiscal_year_plausible"
            ),
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="one_current_year"
            ),
        ]

    def __str__(self) -> str:
        return str(self.year)

    def as_of(self, today: datetime.date | None = None) -> datetime.date:
        """The date this year's figures are computed as of."""
        if self.data_as_of:
            return self.data_as_of
        today = today or datetime.date.today()
        return min(today, datetime.date(self.year, 12, 31))


class ImportBatch(models.Model):
    """One applied import file: who, when, what, and how many rows it created or changed (SPEC §7)."""

    class Kind(models.TextChoices):
        DEPARTMENTS = "departments", _("departments")
        UNITS = "units", _("budget units")
        PROJECTS = "projects", _("projects")
        PAYMENTS = "payments", _("payments")
        EVALUATIONS = "evaluations", _("evaluations")
        INDICATORS = "indicators", _("indicators")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    file_name = models.CharField(_("file name"), max_length=255)
    checksum = models.CharField(_("SHA-256 checksum"), max_length=64)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("imported by"),
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True, db_index=True)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    rolled_back_at = models.DateTimeField(_("rolled back at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.file_name}"


class ImportedRow(models.Model):
    """One row an import batch created or changed: the file line it came from and, for an update, the
    values it replaced, so that a figure traces to its file and line and the batch can be rolled back."""

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        UPDATED = "updated", _("updated")

    # Indexed by the (batch, line) index below.
    batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.CASCADE,
        related_name="rows",
        verbose_name=_("import batch"),
        db_index=False,
    )
    model_label = models.CharField(_("model"), max_length=60)
    object_id = models.BigIntegerField(_("object id"))
    line = models.PositiveIntegerField(_("line"))
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    # Updated rows only: the changed fields' values before (to restore) and after (to detect later edits).
    previous_values = models.JSONField(_("previous values"), null=True, blank=True)
    new_values = models.JSONField(_("new values"), null=True, blank=True)

    class Meta:
        verbose_name = _("imported row")
        verbose_name_plural = _("imported rows")
        ordering = ["batch", "line"]
        indexes = [
            models.Index(fields=["model_label", "object_id"], name="imported_row_object"),
            models.Index(fields=["batch", "line"], name="imported_row_batch_line"),
        ]

    def __str__(self) -> str:
        return f"{self.model_label} {self.object_id} · line {self.line}"


class ImportJob(models.Model):
    """An uploaded import file on its way from validation and preview to an applied batch (SPEC §7).

    The file itself is kept here, not on a disk, so that a worker on another machine can read it.
    """

    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        VALIDATING = "validating", _("validating")
        VALID = "valid", _("ready to apply")
        INVALID = "invalid", _("has errors")
        APPLIED = "applied", _("applied")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=20, choices=ImportBatch.Kind.choices)
    file_name = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("file content"), editable=False)
    size = models.PositiveIntegerField(_("size (bytes)"))
    checksum = models.CharField(_("SHA-256 checksum"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True, db_index=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED)
    in_background = models.BooleanField(_("runs in the background"), default=False)
    apply_requested_at = models.DateTimeField(_("apply requested at"), null=True, blank=True)
    # The last sign of life of the process working on the job; one silent for IMPORT_JOB_TIMEOUT_SECONDS
    # died (killed, out of memory), and the job is marked failed.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("validation attempts"), default=0)
    # Why a failed job failed: an English msgid, translated when shown.
    failure = models.CharField(_("reason of failure"), max_length=300, blank=True)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows checked"), default=0)
    to_create = models.PositiveIntegerField(_("to create"), default=0)
    to_update = models.PositiveIntegerField(_("to update"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    # Each problem: {"line", "column", "message" (English msgid), "params"}; translated when shown.
    problems = models.JSONField(_("problems"), default=list, blank=True)
    problem_count = models.PositiveIntegerField(_("problems found"), default=0)
    # Column key -> the header the file gave it (English or Chinese); columns the import does not know.
    header_map = models.JSONField(_("columns found"), default=dict, blank=True)
    ignored_columns = models.JSONField(_("ignored columns"), default=list, blank=True)
    # What the file would do that the officer should look at before applying it: warnings (as problems,
    # the import still allowed) and, for the first rows it would update, each changed field's old and
    # new value: {"line", "key", "fields": [{"name", "column", "old", "new"}]}.
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    warning_count = models.PositiveIntegerField(_("warnings found"), default=0)
    changes = models.JSONField(_("changes"), default=list, blank=True)
    batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("import batch"),
    )

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.file_name} ({self.get_status_display()})"


class Department(models.Model):
    """A budget supervising department (预算主管部门)."""

    code = models.CharField(_("department code"), max_length=20, unique=True)
    name = models.CharField(_("department name"), max_length=100)
    import_batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("import batch"),
    )

    objects = scoped_manager("pk")

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class BudgetUnit(models.Model):
    """A budget unit (预算单位) under one department, e.g. a school."""

    code = models.CharField(_("unit code"), max_length=20, unique=True)
    name = models.CharField(_("unit name"), max_length=100)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="units", verbose_name=_("department")
    )
    import_batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("import batch"),
    )

    objects = scoped_manager("department")

    class Meta:
        verbose_name = _("budget unit")
        verbose_name_plural = _("budget units")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        moved = (
            self.pk is not None
            and BudgetUnit.objects.filter(pk=self.pk).exclude(department_id=self.department_id).exists()
        )
        super().save(*args, **kwargs)
        if moved:
            # Projects carry their unit's department; a unit that moves takes its projects along.
            self.projects.update(department_id=self.department_id)


class FunctionClass(models.Model):
    """A top-level class of the government expenditure classification (支出功能分类), e.g. 205 教育."""

    code = models.CharField(_("class code"), max_length=3, unique=True)
    name = models.CharField(_("class name"), max_length=50)
    is_livelihood = models.BooleanField(_("counts as livelihood spending"), default=False)

    class Meta:
        verbose_name = _("function class")
        verbose_name_plural = _("function classes")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class FundSource(models.Model):
    """Where a project's money comes from (资金来源)."""

    GENERAL_PUBLIC_BUDGET = "general"

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)

    class Meta:
        verbose_name = _("fund source")
        verbose_name_plural = _("fund sources")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class DirectFundGrant(models.Model):
    """Central direct funds (中央直达资金) passed down to the district."""

    class SourceLevel(models.TextChoices):
        CENTRAL = "central", _("central")
        PROVINCIAL = "provincial", _("provincial")

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, verbose_name=_("fiscal year"))
    code = models.CharField(_("grant code"), max_length=30, unique=True)
    name = models.CharField(_("grant name"), max_length=100)
    source_level = models.CharField(_("source level"), max_length=20, choices=SourceLevel.choices)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    received_on = models.DateField(_("received on"))

    class Meta:
        verbose_name = _("central direct fund grant")
        verbose_name_plural = _("central direct fund grants")
        ordering = ["fiscal_year", "code"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="grant_amount_non_negative")]

    def __str__(self) -> str:
        return self.name


class Payment(models.Model):
    """One disbursement from a project (支付记录)."""

    voucher_no = models.CharField(_("voucher number"), max_length=40, unique=True)
    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="payments", verbose_name=_("project")
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

    objects = scoped_manager("project__department")

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


class DepartmentMembership(models.Model):
    """Links a department head (部门负责人) to exactly one department."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="department_membership",
        verbose_name=_("user"),
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("department")
    )

    class Meta:
        verbose_name = _("department membership")
        verbose_name_plural = _("department memberships")

    def __str__(self) -> str:
        return f"{self.user} → {self.department}"
