"""Monitoring reports (绩效运行监控, SPEC §14.1): for each approved project, as of a monitoring round's
date, the unit reports per indicator what is achieved and what is expected for the year, with the cause
and the corrective measure of every shortfall. A submission of the one workflow (SPEC §12.1)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from finance.scoping import scoped_manager
from projects.models import Direction, Indicator, Project
from workflow.models import Submission


class Cause(models.TextChoices):
    """Why an indicator is expected to fall short (SPEC §14.1): the fixed list."""

    POLICY = "policy", _("policy change (政策调整)")
    IMPLEMENTATION = "implementation", _("implementation (项目实施)")
    FUNDING = "funding", _("funding (资金拨付)")
    OTHER = "other", _("other (其他)")


class MonitoringReport(Submission):
    """One project's report in one monitoring round (its ``round``, of kind monitoring, gives the year
    and the as-of date). Spending is never typed: it comes from payments to the round's date."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="monitoring_reports", verbose_name=_("project")
    )

    # SPEC §14.1 expected target completion, computed once when the report is approved and cleared
    # when it is reopened (``monitoring.refresh_expected_completions``); the recompute reads it instead
    # of the lines. ``expected_weight`` (Σ weight of the lines) says it was computed: NULL = not yet
    # (the recompute then computes the report from its lines); ``expected_completion`` is NULL too
    # when the lines weigh nothing.
    expected_completion = models.DecimalField(
        _("expected target completion"), max_digits=5, decimal_places=4, null=True, blank=True, editable=False
    )
    expected_weight = models.DecimalField(
        _("weight of the lines"), max_digits=10, decimal_places=2, null=True, blank=True, editable=False
    )

    objects = scoped_manager("project__department", "project__unit")

    class Meta:
        verbose_name = _("monitoring report")
        verbose_name_plural = _("monitoring reports")
        ordering = ["project"]
        constraints = [
            models.UniqueConstraint(fields=["project", "round"], name="monitoring_report_one_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.round} · {self.get_state_display()}"

    def refusals(self, action: str, user) -> list[str]:
        from performance.services.monitoring_reports import submission_problems

        if action == "submit":
            return submission_problems(self)
        return []

    def after_transition(self, action: str, user) -> None:
        """Only approved reports count (SPEC §12.1): approving or reopening one changes the year's
        figures, so its expected completion is computed (approve) or cleared (reopen) and the coalesced
        recompute is queued."""
        from performance.services.coalescing import note_change
        from performance.services.monitoring import refresh_expected_completions

        if action in ("approve", "reopen"):
            refresh_expected_completions(report_ids=[self.pk])
            note_change(years=[self.project.fiscal_year_id])


class MonitoringLine(models.Model):
    """One indicator of a monitoring report. The indicator's level names, direction, target and weight
    are copied from the targets in force when the report was started, so an approved report keeps
    measuring against what it was approved against, whatever later revisions change."""

    report = models.ForeignKey(
        MonitoringReport, on_delete=models.CASCADE, related_name="lines", verbose_name=_("report")
    )
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="monitoring_lines",
        verbose_name=_("indicator"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    level1 = models.CharField(_("level-1 indicator"), max_length=50)
    level2 = models.CharField(_("level-2 indicator"), max_length=50, blank=True)
    name = models.CharField(_("indicator"), max_length=100)
    direction = models.CharField(_("direction"), max_length=12, choices=Direction.choices)
    target_value = models.DecimalField(
        _("target value"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    measure_unit = models.CharField(_("unit of measure"), max_length=20, blank=True)
    weight = models.DecimalField(_("weight (points)"), max_digits=6, decimal_places=2)
    achieved_value = models.DecimalField(
        _("achieved to date (累计完成值)"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    expected_value = models.DecimalField(
        _("expected for the year (全年预计完成值)"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    judgement = models.DecimalField(
        _("expected completion (0–1)"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("For a qualitative indicator: the unit's judgement of the year's completion, 0 to 1."),
    )
    cause = models.CharField(_("cause of the shortfall"), max_length=20, choices=Cause.choices, blank=True)
    cause_text = models.TextField(_("the cause, in words"), blank=True)
    measure = models.TextField(_("corrective measure (纠偏措施)"), blank=True)

    objects = scoped_manager("report__project__department", "report__project__unit")

    class Meta:
        verbose_name = _("monitoring line")
        verbose_name_plural = _("monitoring lines")
        ordering = ["report", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(judgement__isnull=True) | (Q(judgement__gte=0) & Q(judgement__lte=1)),
                name="monitoring_judgement_0_1",
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=0) & Q(weight__lte=90), name="monitoring_weight_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} · {self.name}"
