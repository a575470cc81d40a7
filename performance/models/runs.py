"""Recompute runs, their headline figures and each year's requested/computed generation (SPEC §5)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from finance.models import MONEY, FiscalYear
from performance.models.bands import RATIO


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
    # SPEC §14.1: the monitoring round whose approved reports the run read (the latest of its year as of
    # its date), and that round's date, at which the spending deviation is decided.
    monitoring_round = models.ForeignKey(
        "workflow.Round",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("monitoring round"),
    )
    monitoring_as_of = models.DateField(_("monitoring as of"), null=True, blank=True)

    class Meta:
        verbose_name = _("recompute run")
        verbose_name_plural = _("recompute runs")
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["fiscal_year", "status", "-started_at"], name="run_year_status_started")
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year_id} @ {self.as_of} ({self.get_status_display()})"


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
