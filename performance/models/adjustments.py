"""Proposals for next year's budget and their decisions (SPEC §4.7)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from finance.models import MONEY
from finance.scoping import scoped_manager
from performance.models.bands import Grade
from performance.models.evaluations import Evaluation
from projects.models import Project


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
        DOUBLE_DEVIATION = "double_deviation", _("double deviation in monitoring (双偏差)")

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
