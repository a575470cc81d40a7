"""What the monitoring pages read (SPEC §14.1): a round, a project's report in it, and every round's
progress by department, each in the user's scope."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from finance.scoping import Scope
from performance.models import MonitoringReport
from projects.models import Indicator, Project
from workflow.models import Round, State


def monitoring_round(*, year: int, round_id: int) -> Round:
    """The monitoring round ``round_id`` of ``year``; 404 for an unknown one, another year's or another
    kind's."""
    found = Round.objects.filter(pk=round_id, kind=Round.Kind.MONITORING, fiscal_year_id=year).first()
    if found is None:
        raise Http404("no such monitoring round")
    return found


def report_of(*, user, project: Project, round_: Round) -> MonitoringReport:
    """The project's report in the round (``project`` is already visible); 404 when it has none (a
    project without targets, or one outside the round)."""
    report = MonitoringReport.objects.visible_to(user).filter(project=project, round=round_).first()
    if report is None:
        raise Http404("the project has no report in this round")
    report.round = round_
    return report


def monitoring_rounds() -> list[Round]:
    """Every monitoring round, the newest year and date first."""
    return list(Round.objects.filter(kind=Round.Kind.MONITORING).order_by("-fiscal_year_id", "-as_of", "pk"))


@dataclass
class DepartmentProgress:
    code: str
    name: str
    total: int = 0
    reported: int = 0
    approved: int = 0
    overdue: int = 0


@dataclass
class RoundProgress:
    """One round's reports by department (in the user's scope), and the year's approved projects in
    scope that are not reported because they have no targets."""

    round: Round
    departments: list[DepartmentProgress] = field(default_factory=list)
    without_targets: int = 0

    @property
    def totals(self) -> DepartmentProgress:
        total = DepartmentProgress(code="", name="")
        for row in self.departments:
            total.total += row.total
            total.reported += row.reported
            total.approved += row.approved
            total.overdue += row.overdue
        return total


def rounds_progress(
    rounds: list[Round], scope: Scope, today: datetime.date | None = None
) -> list[RoundProgress]:
    """Per round and department: reports in all, reported (submitted or further), approved, overdue
    (not approved after the deadline); and per year the projects without targets. Two grouped queries
    however many rounds and departments."""
    if not rounds:
        return []
    today = today or timezone.localdate()
    progress = {round_.pk: RoundProgress(round=round_) for round_ in rounds}
    rows = (
        MonitoringReport.objects.in_scope(scope)
        .filter(round_id__in=list(progress))
        .values("round_id", "project__department__code", "project__department__name")
        .annotate(
            total=Count("pk"),
            reported=Count("pk", filter=~Q(state__in=[State.DRAFT, State.RETURNED])),
            approved=Count("pk", filter=Q(state=State.APPROVED)),
        )
        .order_by("round_id", "project__department__code")
    )
    for row in rows:
        entry = progress[row["round_id"]]
        entry.departments.append(
            DepartmentProgress(
                code=row["project__department__code"],
                name=row["project__department__name"],
                total=row["total"],
                reported=row["reported"],
                approved=row["approved"],
                overdue=row["total"] - row["approved"] if entry.round.is_overdue(today) else 0,
            )
        )
    untargeted = dict(
        Project.objects.in_scope(scope)
        .filter(
            status=Project.Status.APPROVED, fiscal_year_id__in={round_.fiscal_year_id for round_ in rounds}
        )
        .exclude(Exists(Indicator.objects.filter(project=OuterRef("pk"))))
        .values("fiscal_year_id")
        .annotate(n=Count("pk"))
        .values_list("fiscal_year_id", "n")
        .order_by()
    )
    for entry in progress.values():
        entry.without_targets = untargeted.get(entry.round.fiscal_year_id, 0)
    return list(progress.values())


def unit_reports(scope: Scope) -> QuerySet[MonitoringReport]:
    """A unit filler's reports, every round's, the newest round first."""
    return (
        MonitoringReport.objects.in_scope(scope)
        .select_related("project", "round")
        .order_by("-round__fiscal_year_id", "-round__as_of", "project__code")
    )
