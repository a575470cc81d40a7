"""SPEC §12.1: states and actions, rounds with deadlines, and the timeline of every record."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from finance.models import BudgetUnit, Department, FiscalYear
from finance.scoping import scoped_manager


class State(models.TextChoices):
    """Where a submission is (SPEC §12.1)."""

    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted to the department")
    FORWARDED = "forwarded", _("forwarded to the bureau")
    APPROVED = "approved", _("approved")
    RETURNED = "returned", _("returned")


#: The states in which the unit may edit its record.
EDITABLE = (State.DRAFT, State.RETURNED)


class Action(models.TextChoices):
    """Everything a timeline records: the five transitions of a submission, and the steps of the other
    records that keep a timeline (evaluations, pool projects, imports, rectification items)."""

    SUBMIT = "submit", _("submit")
    FORWARD = "forward", _("forward")
    APPROVE = "approve", _("approve")
    RETURN = "return", _("return")
    REOPEN = "reopen", _("reopen")
    CREATE = "create", _("create")
    FINALISE = "finalise", _("finalise")
    REFUSE = "refuse", _("refuse")
    IMPORT = "import", _("import")
    # A rectification item's steps (SPEC §14.2): opened by the bureau, answered by the department,
    # closed or sent back by the bureau.
    OPEN = "open", _("open the item")
    ANSWER = "answer", _("answer")
    CLOSE = "close", _("close")
    SEND_BACK = "send_back", _("send back")


class Round(models.Model):
    """A round an officer opens (SPEC §12.1): targets for a year, a monitoring round as of a date, or
    self-evaluations for a year, each with a deadline. Records not approved by it are overdue."""

    class Kind(models.TextChoices):
        TARGETS = "targets", _("performance targets")
        MONITORING = "monitoring", _("monitoring")
        SELF_EVALUATION = "self_evaluation", _("self-evaluations")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, verbose_name=_("fiscal year"))
    as_of = models.DateField(_("as of"), null=True, blank=True, help_text=_("Monitoring rounds only."))
    deadline = models.DateField(_("deadline"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["-fiscal_year", "kind", "as_of"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "fiscal_year"],
                condition=Q(as_of__isnull=True),
                name="round_one_per_kind_year",
            ),
            models.UniqueConstraint(
                fields=["kind", "fiscal_year", "as_of"],
                condition=Q(as_of__isnull=False),
                name="round_one_per_kind_year_date",
            ),
            models.CheckConstraint(
                condition=Q(kind="monitoring", as_of__isnull=False)
                | (~Q(kind="monitoring") & Q(as_of__isnull=True)),
                name="round_as_of_only_for_monitoring",
            ),
        ]

    def __str__(self) -> str:
        label = f"{self.fiscal_year_id} {self.get_kind_display()}"
        return f"{label} · {self.as_of:%Y-%m-%d}" if self.as_of else label

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.deadline < (today or timezone.localdate())


class Submission(models.Model):
    """What a unit fills and two levels review. A subclass names its project (``project``) and says
    what must hold before each action (``refusals``) and what follows it (``after_transition``)."""

    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True
    )
    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("round")
    )
    state_changed_at = models.DateTimeField(_("state changed at"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def editable_by_unit(self) -> bool:
        return self.state in EDITABLE

    def owner_ids(self) -> tuple[int, int]:
        """(department id, unit id) of the record."""
        return self.project.department_id, self.project.unit_id

    def refusals(self, action: str, user) -> list[str]:
        """Why ``action`` cannot be taken now, beyond the state and the role; [] when it can."""
        return []

    def before_transition(self, action: str, user) -> None:
        """What must happen just before the state changes, inside the transaction (after the checks)."""

    def after_transition(self, action: str, user) -> None:
        """What follows a transition, inside its transaction."""

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.state != State.APPROVED and self.round is not None and self.round.is_overdue(today)


class Transition(models.Model):
    """One step of a record's timeline: who, when, from, to and why (SPEC §12.1, §12.2)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    # Copied from the record: the timeline is scoped by the one rule like everything else.
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="+", verbose_name=_("department")
    )
    unit = models.ForeignKey(
        BudgetUnit, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("unit")
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    from_state = models.CharField(_("from"), max_length=12, blank=True)
    to_state = models.CharField(_("to"), max_length=12)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = scoped_manager("department", "unit")

    class Meta:
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"], name="transition_record_at")]

    def __str__(self) -> str:
        return f"{self.action} {self.from_state} → {self.to_state}"

    @property
    def from_label(self) -> str:
        return state_label(self.from_state)

    @property
    def to_label(self) -> str:
        return state_label(self.to_state)


#: Labels of the states of the records that keep a timeline without being submissions (evaluations,
#: pool projects); their apps add them in ``ready``.
OTHER_STATE_LABELS: dict[str, object] = {}


def state_label(value: str) -> str:
    if value in State.values:
        return str(State(value).label)
    return str(OTHER_STATE_LABELS.get(value, value))
