"""SPEC §14.1 monitoring reports, the unit's side: what the form shows per line (the completion the
expected value gives, and whether it falls short), the checks before submission, and saving what the
unit typed. The deviation flags and counts are the recompute's (SPEC §14.1), not computed here."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from performance.models import MonitoringLine, MonitoringReport, WarningLevel, warning_floors
from performance.services.evaluations import self_evaluation_scores
from performance.services.progress import time_progress
from projects.models import Direction, Project
from workflow.models import EDITABLE
from workflow.services import TransitionRefused

CENT = Decimal("0.01")
ONE = Decimal(1)


def expected_completion(line: MonitoringLine) -> Decimal | None:
    """The completion (0–1) the line's expected value for the year gives against its target, as §4.3
    measures an actual value: ≥ expected ÷ target, ≤ target ÷ expected, = met or not, qualitative the
    unit's judgement; each capped to [0, 1]. None while the unit has not given it. Exact, unrounded:
    99.99 of 100 falls short."""
    if line.direction == Direction.QUALITATIVE:
        return None if line.judgement is None else min(max(line.judgement, Decimal(0)), ONE)
    value, target = line.expected_value, line.target_value
    if value is None or target is None:
        return None
    if line.direction == Direction.EQUAL:
        return ONE if value == target else Decimal(0)
    if line.direction == Direction.AT_LEAST:
        if target == 0:
            return ONE
        if target < 0:
            return ONE if value >= target else Decimal(0)
        return min(max(value / target, Decimal(0)), ONE)
    if line.direction == Direction.AT_MOST:
        return ONE if value <= 0 else min(max(target / value, Decimal(0)), ONE)
    return Decimal(0)


def figure(value: Decimal | None) -> str:
    """A stored figure as people write it: 15,380 and 822.25, not 15380.0000 and 822.2500."""
    return "" if value is None else f"{value.normalize():,f}"


@dataclass(frozen=True)
class ReportLine:
    """One indicator row of the report, with the completion its expected value gives."""

    line: MonitoringLine
    completion: Decimal | None

    @property
    def qualitative(self) -> bool:
        return self.line.direction == Direction.QUALITATIVE

    @property
    def target_text(self) -> str:
        return figure(self.line.target_value)

    @property
    def achieved_text(self) -> str:
        return figure(self.line.achieved_value)

    @property
    def expected_text(self) -> str:
        return figure(self.line.expected_value)

    @property
    def judgement_text(self) -> str:
        return figure(self.line.judgement)

    @property
    def points(self) -> Decimal | None:
        """weight × completion (§4.3), to the cent."""
        if self.completion is None:
            return None
        return (self.line.weight * self.completion).quantize(CENT, ROUND_HALF_UP)

    @property
    def missing_value(self) -> bool:
        """The expected value for the year (a qualitative indicator: the judgement) is not given yet;
        a quantitative one also needs what is achieved to date."""
        return self.completion is None or (not self.qualitative and self.line.achieved_value is None)

    @property
    def shortfall(self) -> bool:
        """Expected to fall short of its target: the cause and the corrective measure are required."""
        return self.completion is not None and self.completion < ONE

    @property
    def missing_explanation(self) -> bool:
        line = self.line
        return self.shortfall and not (line.cause and line.cause_text.strip() and line.measure.strip())


@dataclass(frozen=True)
class Spending:
    """The project's spending to the round's date, from payments (§4.1), never typed."""

    as_of: datetime.date
    budget: Decimal
    spent: Decimal
    execution_rate: Decimal
    time_progress: Decimal

    @property
    def gap_points(self) -> Decimal:
        """Spending progress − time progress, in percentage points."""
        return ((self.execution_rate - self.time_progress) * 100).quantize(CENT, ROUND_HALF_UP)

    @property
    def warning_level(self) -> WarningLevel:
        for level, floor in warning_floors():
            if floor is None or self.gap_points >= floor:
                return level
        return WarningLevel.SERIOUS


def spending_at(project: Project, as_of: datetime.date) -> Spending:
    """Budget, spent to ``as_of`` and execution rate (the self-evaluation's one query), and time
    progress at ``as_of``."""
    (score,) = self_evaluation_scores(year=project.fiscal_year_id, as_of=as_of, project_ids=[project.pk])
    return Spending(
        as_of=as_of,
        budget=project.budget,
        spent=score.spent,
        execution_rate=score.execution_rate,
        time_progress=time_progress(as_of=as_of),
    )


def report_lines(report: MonitoringReport) -> list[ReportLine]:
    """The report's lines in their order, each with its completion: one query."""
    return [
        ReportLine(line=line, completion=expected_completion(line))
        for line in report.lines.order_by("position", "pk")
    ]


def submission_problems(report: MonitoringReport) -> list[str]:
    """What blocks submitting ``report``, naming the rows: lines without their values, and shortfalls
    without a cause (chosen and explained) and a corrective measure."""
    lines = report_lines(report)
    problems = []
    if not lines:
        problems.append(_("The report has no indicators."))
    missing = [row.line.name for row in lines if row.missing_value]
    if missing:
        problems.append(
            _("Enter the value achieved to date and the value expected for the year of: %(names)s.")
            % {"names": "、".join(missing)}
        )
    unexplained = [row.line.name for row in lines if row.missing_explanation]
    if unexplained:
        problems.append(
            _(
                "Expected to fall short of the target, so give the cause (chosen and explained) and the "
                "corrective measure of: %(names)s."
            )
            % {"names": "、".join(unexplained)}
        )
    return problems


#: The fields of a line the unit fills.
ENTERED = ("achieved_value", "expected_value", "judgement", "cause", "cause_text", "measure")


def save_lines(*, report: MonitoringReport, entries: dict[int, dict]) -> MonitoringReport:
    """Save what the unit typed (line id → the values of ``ENTERED``), while the report is a draft or
    returned. The caller has checked that the user is the project's unit. One update of the lines."""
    with transaction.atomic():
        report = MonitoringReport.objects.select_for_update().get(pk=report.pk)
        if report.state not in EDITABLE:
            raise TransitionRefused(
                _("This monitoring report is with the reviewers: it can be changed once returned.")
            )
        changed = []
        for line in report.lines.all():
            values = entries.get(line.pk)
            if values is None:
                continue
            for name in ENTERED:
                setattr(line, name, values[name])
            if line.direction == Direction.QUALITATIVE:
                line.achieved_value = line.expected_value = None
            else:
                line.judgement = None
            changed.append(line)
        MonitoringLine.objects.bulk_update(changed, list(ENTERED))
    return report
