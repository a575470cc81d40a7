"""The organisation: fiscal years, departments, units, classifications, grants, and who belongs where."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from finance.scoping import scoped_manager
from finance.signals import units_moved

MONEY = {"max_digits": 16, "decimal_places": 2}
#: Significant digits a measured figure (an indicator's target or actual value) may be given with:
#: SQLite keeps decimals as binary floats, which hold 15 digits exactly; a longer value would be read
#: back as a number its DecimalField cannot hold, and every page showing it would fail.
FIGURE_DIGITS = 15


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

    objects = scoped_manager("department", "pk")

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
            units_moved.send(sender=BudgetUnit, unit_ids=[self.pk])


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

    objects = scoped_manager("department")

    class Meta:
        verbose_name = _("department membership")
        verbose_name_plural = _("department memberships")

    def __str__(self) -> str:
        return f"{self.user} → {self.department}"


class UnitMembership(models.Model):
    """Links a unit filler (单位填报人) to exactly one budget unit."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="unit_membership",
        verbose_name=_("user"),
    )
    unit = models.ForeignKey(
        BudgetUnit, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("budget unit")
    )

    objects = scoped_manager("unit__department", "unit")

    class Meta:
        verbose_name = _("unit membership")
        verbose_name_plural = _("unit memberships")

    def __str__(self) -> str:
        return f"{self.user} → {self.unit}"
