"""Target declarations (绩效目标申报, SPEC §13): each version of a project's goal and indicators is a
submission of the one workflow (SPEC §12.1).

The approved version in force is mirrored in ``PerformanceTarget`` and ``Indicator``, which monitoring,
the self-evaluation and the figures read; a revision (调整) is a new version that leaves the one in force
untouched until it is approved in turn. Every version stays, with its timeline."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from finance.models import ImportBatch
from finance.scoping import scoped_manager
from projects.models.base import Direction, Project, QuotaStandard
from workflow.models import State, Submission

#: The level-1 indicators of the national form, in its order. The checks need an output and a benefit one.
OUTPUT = "产出指标"
COST = "成本指标"
BENEFIT = "效益指标"
SATISFACTION = "满意度指标"
LEVEL1_CHOICES = (
    (OUTPUT, _("产出指标 (output)")),
    (COST, _("成本指标 (cost)")),
    (BENEFIT, _("效益指标 (benefit)")),
    (SATISFACTION, _("满意度指标 (satisfaction)")),
)


class TargetDeclaration(Submission):
    """One version of a project's performance targets: the goal, the indicators and, where the budget is
    measured against a quota standard (支出定额标准), the quantity it is for (e.g. 3,000 pupils)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="target_declarations", verbose_name=_("project")
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    goal = models.TextField(_("overall goal"), blank=True)
    quota_standard = models.ForeignKey(
        QuotaStandard,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="declarations",
        verbose_name=_("quota standard"),
    )
    quantity = models.DecimalField(_("quantity"), max_digits=18, decimal_places=2, null=True, blank=True)
    explanation = models.TextField(
        _("explanation of the warnings"),
        blank=True,
        help_text=_("Why the targets depart from the template or the quota standard; the reviewers read it."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    # Set when a later version is approved: the version is kept, no longer in force.
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    # The indicators import that made this version the one in force (SPEC §7: rolled back with it).
    import_batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("import batch"),
    )
    # What that import replaced, for its rollback: the goal on record, and the state and goal of the
    # empty draft it took over ({"goal_on_record": …, "state": …, "goal": …, "state_changed_at": …}).
    before_import = models.JSONField(_("before the import"), null=True, blank=True, editable=False)

    objects = scoped_manager("project__department", "project__unit")

    class Meta:
        verbose_name = _("target declaration")
        verbose_name_plural = _("target declarations")
        ordering = ["project", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["project", "version"], name="target_version_unique"),
            # One version under way at a time, and one approved version in force.
            models.UniqueConstraint(
                fields=["project"], condition=~Q(state=State.APPROVED), name="target_one_open_version"
            ),
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(state=State.APPROVED, superseded_at__isnull=True),
                name="target_one_in_force",
            ),
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gte=0), name="target_quantity_non_negative"
            ),
        ]
        indexes = [models.Index(fields=["project", "state"], name="target_project_state")]

    def __str__(self) -> str:
        return f"{self.project} · v{self.version} · {self.get_state_display()}"

    @property
    def in_force(self) -> bool:
        return self.state == State.APPROVED and self.superseded_at is None

    def refusals(self, action: str, user) -> list[str]:
        from projects.targets.services import refusals

        return refusals(self, action)

    def before_transition(self, action: str, user) -> None:
        from projects.targets.services import before_transition

        before_transition(self, action)

    def after_transition(self, action: str, user) -> None:
        from projects.targets.services import after_transition

        after_transition(self, action, user)


class DeclaredIndicator(models.Model):
    """An indicator of one target declaration, as the unit declared it (a row of the 申报表)."""

    declaration = models.ForeignKey(
        TargetDeclaration, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("declaration")
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
    from_template = models.BooleanField(_("from the template"), default=False)

    objects = scoped_manager("declaration__project__department", "declaration__project__unit")

    class Meta:
        verbose_name = _("declared indicator")
        verbose_name_plural = _("declared indicators")
        ordering = ["declaration", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=0) & Q(weight__lte=90), name="declared_indicator_weight_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.level1} / {self.level2} / {self.name}"
