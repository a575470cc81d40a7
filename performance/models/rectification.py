"""Rectification items (整改事项, SPEC §14.2): what the app finds, followed until it is fixed.

An officer opens an item for a department, from what the app found (its ``source``, which it links
back to); the department's head answers it with measures, evidence text and files; the officer closes
it or sends it back with a reason. Every step is kept in the item's timeline (workflow.Transition).

Who sees an item follows the one rule (finance/scoping.py): officers every item, a head their
department's, a unit filler the items about their own unit's projects (read only).
"""

from __future__ import annotations

import datetime
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from finance.models import Department, FiscalYear
from finance.scoping import scoped_manager
from performance.models.evaluations import Evaluation
from projects.models import Project
from workflow.models import Round


class ItemState(models.TextChoices):
    """Where an item is: open → answered → closed, or answered → sent back → answered again."""

    OPEN = "open", _("open")
    ANSWERED = "answered", _("answered")
    SENT_BACK = "sent_back", _("sent back")
    CLOSED = "closed", _("closed")


#: The states in which the department's head may (re)write the answer.
ANSWERABLE = (ItemState.OPEN, ItemState.SENT_BACK)


class ItemSource(models.TextChoices):
    """What the app found that the item follows (SPEC §14.2)."""

    WEAK_SPOT = "weak_spot", _("weak spot")
    WARNING = "warning", _("spending warning")
    INFLATED_SELF_EVALUATION = "inflated_self_evaluation", _("inflated self-evaluation")
    EVALUATION_FINDING = "evaluation_finding", _("evaluation finding")
    DOUBLE_DEVIATION = "double_deviation", _("double deviation")


class RectificationItem(models.Model):
    """One item: the department (and project) it is for, where it came from, the problem, what is
    required and by when; the head's answer; its state. Overdue when not closed after its deadline."""

    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="rectification_items", verbose_name=_("department")
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectification_items",
        verbose_name=_("project"),
    )
    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, verbose_name=_("fiscal year"))
    source = models.CharField(_("source"), max_length=30, choices=ItemSource.choices)
    evaluation = models.ForeignKey(
        Evaluation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectification_items",
        verbose_name=_("evaluation"),
    )
    monitoring_round = models.ForeignKey(
        Round,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("monitoring round"),
    )
    problem = models.TextField(_("problem"))
    requirement = models.TextField(_("what is required"))
    deadline = models.DateField(_("deadline"), db_index=True)
    state = models.CharField(
        _("state"), max_length=10, choices=ItemState.choices, default=ItemState.OPEN, db_index=True
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    measures = models.TextField(_("measures taken"), blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    #: The officer's reason of the last send-back, shown above the answer form (the timeline keeps all).
    sent_back_reason = models.TextField(_("reason sent back"), blank=True)

    objects = scoped_manager("department", "project__unit")

    class Meta:
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")
        ordering = ["-opened_at", "-pk"]
        indexes = [models.Index(fields=["department", "state"], name="rectification_dept_state")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(source__in=["warning", "inflated_self_evaluation", "double_deviation"])
                | Q(project__isnull=False),
                name="rectification_project_sources_name_project",
                violation_error_message=_(
                    "An item from a warning, a self-evaluation or a deviation names its project."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(source="evaluation_finding") | Q(evaluation__isnull=False),
                name="rectification_finding_names_evaluation",
                violation_error_message=_("An item from an evaluation's finding names the evaluation."),
            ),
            models.CheckConstraint(
                condition=~Q(source="double_deviation") | Q(monitoring_round__isnull=False),
                name="rectification_deviation_names_round",
                violation_error_message=_("An item from a double deviation names its monitoring round."),
            ),
            models.CheckConstraint(
                condition=Q(state="closed", closed_at__isnull=False)
                | (~Q(state="closed") & Q(closed_at__isnull=True)),
                name="rectification_closed_has_closed_at",
            ),
            models.CheckConstraint(
                condition=Q(state="open") | Q(answered_at__isnull=False),
                name="rectification_answered_has_answered_at",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.department} · {self.get_source_display()}"

    def owner_ids(self) -> tuple[int, int | None]:
        """(department id, unit id or None) of the item, for its timeline's scoping."""
        return self.department_id, self.project.unit_id if self.project_id else None

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        """Not closed, and its deadline has passed (the deadline day itself is still in time)."""
        return self.state != ItemState.CLOSED and self.deadline < (today or timezone.localdate())

    @property
    def closed_on_time(self) -> bool:
        return self.closed_at is not None and timezone.localdate(self.closed_at) <= self.deadline


def _evidence_path(instance: RectificationFile, filename: str) -> str:
    """A generated name: the user's file name is kept in ``name``, never on disk."""
    suffix = PurePosixPath(filename).suffix.lower()
    return f"rectification/{instance.item_id}/{uuid.uuid4().hex}{suffix}"


class RectificationFile(models.Model):
    """One evidence file of an item's answer, checked by its content when uploaded."""

    item = models.ForeignKey(
        RectificationItem, on_delete=models.CASCADE, related_name="files", verbose_name=_("item")
    )
    file = models.FileField(_("file"), upload_to=_evidence_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    objects = scoped_manager("item__department", "item__project__unit")

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name
