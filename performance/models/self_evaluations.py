"""A unit's self-evaluation of a project (单位自评, SPEC §12.3): a submission of the one workflow."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from finance.scoping import scoped_manager
from performance.models.evaluations import Evaluation
from projects.models import Project
from workflow.models import Submission


class SelfEvaluation(Submission):
    """The national 项目支出绩效自评表 of one project. Its scores are computed (§4.3), never typed: the
    unit gives what was achieved, the indicators' actual values and, wherever an indicator earns less
    than its weight, the reasons. Approval writes the finalised ``Evaluation`` of kind ``self`` that
    the figures read; reopening takes that evaluation out of them again."""

    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, related_name="self_evaluation", verbose_name=_("project")
    )
    achieved = models.TextField(_("what was achieved"), blank=True)
    evaluation = models.OneToOneField(
        Evaluation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="self_evaluation_form",
        verbose_name=_("finalised evaluation"),
    )

    objects = scoped_manager("project__department", "project__unit")

    class Meta:
        verbose_name = _("self-evaluation")
        verbose_name_plural = _("self-evaluations")
        ordering = ["project"]

    def __str__(self) -> str:
        return f"{self.project} · {self.get_state_display()}"

    def refusals(self, action: str, user) -> list[str]:
        from performance.services.self_evaluations import submission_problems

        if action == "submit":
            return submission_problems(self)
        return []

    def after_transition(self, action: str, user) -> None:
        from performance.services.self_evaluations import finalise, withdraw

        if action == "approve":
            finalise(self, user=user)
        elif action == "reopen":
            withdraw(self)
