"""SPEC §12.3 self-evaluations in the national form (项目支出绩效自评表): the sheet, its checks, and what
approval and reopening do to the figures."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from performance.models import Evaluation, Grade, SelfEvaluation, grade_for
from performance.services.evaluations import completion_sql, self_evaluation_scores
from projects.models import Direction, Indicator, PerformanceTarget, Project

CENT = Decimal("0.01")
#: The four dimensions' default maxima (SPEC §4.3), in the order decision, process, output, benefit.
DEFAULT_MAXIMA = (Decimal("20"), Decimal("20"), Decimal("30"), Decimal("30"))


def as_of_for(year: int, today: datetime.date | None = None) -> datetime.date:
    """全年执行数 counts payments to 31 December, or to today while the year runs."""
    return min(datetime.date(year, 12, 31), today or timezone.localdate())


@dataclass(frozen=True)
class Line:
    """One indicator row of the form: 得分 = weight × completion (§4.3), to the cent."""

    indicator: Indicator
    completion: Decimal
    score: Decimal

    @property
    def qualitative(self) -> bool:
        return self.indicator.direction == Direction.QUALITATIVE

    @property
    def short(self) -> bool:
        """得分 < 分值: the row needs its deviation reasons."""
        return self.score < self.indicator.weight

    @property
    def missing_reason(self) -> bool:
        return self.short and not self.indicator.deviation_reason.strip()

    @property
    def actual_display(self):
        return self.indicator.judgement if self.qualitative else self.indicator.actual_value


@dataclass(frozen=True)
class Sheet:
    """Everything the national form shows for one project."""

    project: Project
    record: SelfEvaluation | None
    as_of: datetime.date
    budget: Decimal
    spent: Decimal
    execution_rate: Decimal
    execution_points: Decimal
    goal: str
    lines: list[Line]
    indicator_points: Decimal
    total: Decimal

    @property
    def grade(self) -> Grade:
        return grade_for(self.total)

    @property
    def weight_total(self) -> Decimal:
        return sum((line.indicator.weight for line in self.lines), Decimal(0))

    @property
    def line_total(self) -> Decimal:
        return sum((line.score for line in self.lines), Decimal(0))

    @property
    def missing_reasons(self) -> list[Line]:
        return [line for line in self.lines if line.missing_reason]


def line_completions(project_ids: list[int]) -> dict[int, Decimal]:
    """indicator id → completion (0–1, to 10⁻⁶) of the indicators of ``project_ids``: one query."""
    if not project_ids:
        return {}
    marks = ", ".join(["%s"] * len(project_ids))
    statement = f"SELECT id, {completion_sql()} FROM projects_indicator WHERE project_id IN ({marks})"
    with connection.cursor() as cursor:
        cursor.execute(statement, [int(pk) for pk in project_ids])
        return {pk: Decimal(int(value)).scaleb(-6) for pk, value in cursor.fetchall()}


def sheets_for(projects: list[Project], *, as_of: datetime.date | None = None) -> list[Sheet]:
    """The sheets of ``projects`` (all of one year): a fixed number of queries however many there are."""
    if not projects:
        return []
    year = projects[0].fiscal_year_id
    as_of = as_of or as_of_for(year)
    ids = [project.pk for project in projects]
    scores = {
        score.project_id: score for score in self_evaluation_scores(year=year, as_of=as_of, project_ids=ids)
    }
    completions = line_completions(ids)
    indicators: dict[int, list[Indicator]] = {pk: [] for pk in ids}
    for indicator in Indicator.objects.filter(project_id__in=ids).order_by(
        "project_id", "level1", "level2", "pk"
    ):
        indicators[indicator.project_id].append(indicator)
    goals = dict(PerformanceTarget.objects.filter(project_id__in=ids).values_list("project_id", "goal"))
    records = {record.project_id: record for record in SelfEvaluation.objects.filter(project_id__in=ids)}
    sheets = []
    for project in projects:
        score = scores[project.pk]
        lines = [
            Line(
                indicator=indicator,
                completion=completions.get(indicator.pk, Decimal(0)),
                score=(indicator.weight * completions.get(indicator.pk, Decimal(0))).quantize(
                    CENT, ROUND_HALF_UP
                ),
            )
            for indicator in indicators[project.pk]
        ]
        sheets.append(
            Sheet(
                project=project,
                record=records.get(project.pk),
                as_of=as_of,
                budget=project.budget,
                spent=score.spent,
                execution_rate=score.execution_rate,
                execution_points=score.execution_points,
                goal=goals.get(project.pk, ""),
                lines=lines,
                indicator_points=score.indicator_points,
                total=score.score,
            )
        )
    return sheets


def sheet_for(project: Project) -> Sheet:
    return sheets_for([project])[0]


def submission_problems(record: SelfEvaluation) -> list[str]:
    """What blocks submitting ``record``: the account of what was achieved, indicators to score, and
    the deviation reasons of every row that earns less than its weight."""
    sheet = sheet_for(record.project)
    problems = []
    if not sheet.lines:
        problems.append(_("The project has no indicators to evaluate."))
    if not record.achieved.strip():
        problems.append(_("Describe what was achieved against the goal."))
    missing = sheet.missing_reasons
    if missing:
        names = "、".join(line.indicator.name for line in missing)
        problems.append(
            _("Give the reasons for the deviation and the corrective measures of: %(names)s.")
            % {"names": names}
        )
    return problems


def spread_total(total: Decimal, maxima=DEFAULT_MAXIMA) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """The national form scores no dimensions: its total is spread over decision, process, output and
    benefit in proportion to their maxima, so that it weighs evenly on a department's dimension profile
    (§4.5 weak spots). The last dimension takes the rounding, so the four add up to the total."""
    first = [(total * maximum / 100).quantize(CENT, ROUND_HALF_UP) for maximum in maxima[:3]]
    return first[0], first[1], first[2], total - sum(first)


def finalise(record: SelfEvaluation, *, user) -> Evaluation:
    """Approval (§12.1) finalises the self-evaluation: the ``self`` evaluation of the project gets the
    computed total and is finalised, so §4.3's check, §4.4's scores and §4.7's proposals use it. Its save
    queues the coalesced recompute."""
    project = record.project
    sheet = sheet_for(project)
    decision, process, output, benefit = spread_total(sheet.total)
    evaluation, _created = Evaluation.objects.update_or_create(
        fiscal_year_id=project.fiscal_year_id,
        kind=Evaluation.Kind.SELF,
        project=project,
        defaults={
            "decision": decision,
            "process": process,
            "output": output,
            "benefit": benefit,
            "decision_max": DEFAULT_MAXIMA[0],
            "process_max": DEFAULT_MAXIMA[1],
            "output_max": DEFAULT_MAXIMA[2],
            "benefit_max": DEFAULT_MAXIMA[3],
            "status": Evaluation.Status.FINALISED,
            "evaluator": project.unit.name[:100],
            "evaluated_on": timezone.localdate(),
        },
    )
    record.evaluation = evaluation
    record.save(update_fields=["evaluation"])
    return evaluation


def withdraw(record: SelfEvaluation) -> None:
    """Reopening takes the finalised self-evaluation out of the figures until it is approved again."""
    evaluation = (
        record.evaluation
        or Evaluation.objects.filter(
            fiscal_year_id=record.project.fiscal_year_id, kind=Evaluation.Kind.SELF, project=record.project
        ).first()
    )
    if evaluation is not None and evaluation.status == Evaluation.Status.FINALISED:
        evaluation.status = Evaluation.Status.DRAFT
        evaluation.save()


def save_entries(*, project: Project, user, achieved: str, entries) -> SelfEvaluation:
    """Save what the unit typed: the account of what was achieved and each indicator's actual value,
    judgement and reasons. Only the project's unit, while the record is a draft or returned."""
    from django.db import transaction

    from workflow.models import EDITABLE, Action, Round, State
    from workflow.services import TransitionRefused, record_step

    with transaction.atomic():
        record, created = SelfEvaluation.objects.select_for_update().get_or_create(
            project=project,
            # Started by hand after the year's round opened: it joins the round (and its deadline).
            defaults={
                "round": Round.objects.filter(
                    kind=Round.Kind.SELF_EVALUATION, fiscal_year_id=project.fiscal_year_id
                ).first()
            },
        )
        if record.state not in EDITABLE:
            raise TransitionRefused(
                _("This self-evaluation is with the reviewers: it can be changed once returned.")
            )
        if created:
            record_step(record, action=Action.CREATE, from_state="", to_state=State.DRAFT, user=user)
        record.achieved = achieved.strip()
        record.save(update_fields=["achieved"])
        indicators = {indicator.pk: indicator for indicator in Indicator.objects.filter(project=project)}
        changed = []
        for pk, actual, judgement, reason in entries:
            indicator = indicators.get(pk)
            if indicator is None:
                continue
            if indicator.direction == Direction.QUALITATIVE:
                indicator.judgement = judgement
            else:
                indicator.actual_value = actual
            indicator.deviation_reason = reason
            changed.append(indicator)
        Indicator.objects.bulk_update(changed, ["actual_value", "judgement", "deviation_reason"])
    return record
