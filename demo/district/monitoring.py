"""The demo's monitoring round (SPEC §8, §14.1): the 2021 round as of 31 July, opened by the bureau
through the production opener. Most reports are approved, on track for the year; a few dozen expect a
shortfall and explain it; a few expect to miss their targets by more than 10 %, some of them projects
whose spending already lagged seriously on 31 July (double deviations); and the rest are in every
state of the workflow, the `unit` user's own unit among them, so that each demo user's to-do list has
reports on it.

None of it moves a figure of §4.1–§4.7: approved reports feed only the deviation counts of §14.1.
The bulk of the approvals is written set-based; the reports that are not plain are walked through the
workflow's own transitions, and every step is dated in August 2021."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F
from django.db.models.functions import Round as RoundTo
from django.utils import timezone

from demo.district.figures import CURRENT_YEAR
from demo.district.targets import step_without_a_demo_user
from finance.models import BudgetUnit, Department
from finance.scoping import scope_of
from performance.models import Cause, MonitoringLine, MonitoringReport
from performance.monitoring_todo import open_monitoring_round
from performance.services.evaluations import self_evaluation_scores
from performance.services.monitoring_reports import expected_completion
from performance.services.progress import time_progress
from projects.models import Direction
from workflow.models import Action, Round, State, Transition
from workflow.rules import Role, role_on
from workflow.services import transition

MONITORING_AS_OF = datetime.date(2021, 7, 31)
MONITORING_DEADLINE = datetime.date(2021, 8, 20)
OPENED_AT = datetime.datetime(2021, 8, 2, 9, 0, tzinfo=datetime.UTC)
#: The units report in the round's second week, heads forward and the bureau approves a few days apart.
STEPS_FROM = datetime.datetime(2021, 8, 9, 9, 0, tzinfo=datetime.UTC)
#: Approved reports expected to miss their targets (completion 80 %): on projects whose spending gap on
#: 31 July was serious (double deviations), and on projects spending on time (target deviation only).
DOUBLE_DEVIATIONS = 9
TARGET_DEVIATIONS_ONLY = 6
#: Approved reports with one indicator expected at 95 % of its target, explained (no deviation).
SHORT_OF_ONE = 30
SHORT, MISSED = Decimal("0.95"), Decimal("0.80")
#: Where the reports under way are: (state, whether one indicator falls short).
PLAN_OWN_UNIT = [
    ("draft", False),
    ("filled", True),
    ("returned_by_head", True),
    ("returned_by_officer", False),
    ("submitted", True),
]
PLAN_OWN_DEPARTMENT = [
    ("submitted", False),
    ("submitted", True),
    ("submitted", False),
    ("forwarded", True),
    ("forwarded", False),
    ("returned_by_head", True),
]
PLAN_ELSEWHERE = [
    ("forwarded", False),
    ("forwarded", True),
    ("forwarded", False),
    ("forwarded", True),
    ("submitted", False),
    ("submitted", True),
    ("draft", False),
    ("filled", False),
    ("returned_by_officer", True),
    ("returned_by_officer", False),
]
PATHS = {
    "draft": (),
    "filled": (),
    State.SUBMITTED: ((Action.SUBMIT, Role.UNIT),),
    State.FORWARDED: ((Action.SUBMIT, Role.UNIT), (Action.FORWARD, Role.HEAD)),
    State.APPROVED: ((Action.SUBMIT, Role.UNIT), (Action.FORWARD, Role.HEAD), (Action.APPROVE, Role.OFFICER)),
    "returned_by_head": ((Action.SUBMIT, Role.UNIT), (Action.RETURN, Role.HEAD)),
    "returned_by_officer": (
        (Action.SUBMIT, Role.UNIT),
        (Action.FORWARD, Role.HEAD),
        (Action.RETURN, Role.OFFICER),
    ),
}
RETURN_REASONS = {
    Role.HEAD: "累计完成值与上半年执行台账不一致，请核对后重新填报。",
    Role.OFFICER: "预计完成值偏低但纠偏措施不具体，请明确措施、责任人和完成时限。",
}
CAUSES = [
    (
        Cause.IMPLEMENTATION,
        "受疫情影响，部分线下服务暂停，服务人次低于计划。",
        "下半年增开服务点并延长服务时间，力争补足进度。",
    ),
    (
        Cause.FUNDING,
        "上级补助资金下达较晚，项目启动推迟两个月。",
        "资金已到位，已与实施单位签订补充协议，加快实施。",
    ),
    (Cause.POLICY, "补助政策调整，服务对象范围缩小。", "按新政策重新摸底，调整年度目标并报财政局备案。"),
    (Cause.OTHER, "实施单位人员变动，工作衔接不畅。", "已落实专人负责，每月调度项目进度。"),
]
USERS = {Role.UNIT: "unit", Role.HEAD: "head", Role.OFFICER: "officer"}


def seed_monitoring(*, head_department: Department, own_unit: BudgetUnit) -> dict[str, int]:
    """Open the 2021 monitoring round as of 31 July and put its reports in their demo states."""
    started = timezone.now()
    users = {u.username: u for u in get_user_model().objects.filter(username__in=list(USERS.values()))}
    actors = {role: users[name] for role, name in USERS.items()}
    round_ = Round.objects.create(
        kind=Round.Kind.MONITORING,
        fiscal_year_id=CURRENT_YEAR,
        as_of=MONITORING_AS_OF,
        deadline=MONITORING_DEADLINE,
        opened_by=actors[Role.OFFICER],
        opened_at=OPENED_AT,
    )
    open_monitoring_round(round_)
    reports = [
        Row(*values)
        for values in MonitoringReport.objects.filter(round=round_)
        .order_by("project__code")
        .values_list("pk", "project_id", "project__department_id", "project__unit_id")
    ]
    serious = serious_gaps(MONITORING_AS_OF)
    under_way = _under_way(reports, head_department, own_unit, serious)
    taken = {report.pk for report, _ in under_way}
    rest = [report for report in reports if report.pk not in taken]
    doubles = _spread([r for r in rest if r.project_id in serious], DOUBLE_DEVIATIONS, head_department)
    taken |= {report.pk for report in doubles}
    misses = _spread([r for r in rest if r.project_id not in serious], TARGET_DEVIATIONS_ONLY, None)
    taken |= {report.pk for report in misses}
    shorts = _spread([r for r in rest if r.pk not in taken], SHORT_OF_ONE, head_department)
    taken |= {report.pk for report in shorts}
    chosen = MonitoringReport.objects.in_bulk(list(taken))
    doubles, misses, shorts = ([chosen[r.pk] for r in rows] for rows in (doubles, misses, shorts))
    under_way = [(chosen[r.pk], plan) for r, plan in under_way]

    _fill_on_track(round_, empty=[r.pk for r, plan in under_way if plan[0] == "draft"])
    lines = MonitoringLine.objects.filter(report_id__in=list(taken)).order_by("report_id", "position", "pk")
    by_report: dict[int, list[MonitoringLine]] = {}
    for line in lines:
        by_report.setdefault(line.report_id, []).append(line)
    changed = [line for report in doubles + misses for line in _expect(by_report[report.pk], MISSED, True)]
    lowered = shorts + [report for report, (_, short) in under_way if short]
    changed += [line for report in lowered for line in _expect(by_report[report.pk], SHORT, False)]
    MonitoringLine.objects.bulk_update(
        changed, ["expected_value", "achieved_value", "judgement", "cause", "cause_text", "measure"]
    )
    for report in doubles + misses + shorts:
        _walk(report, State.APPROVED, actors)
    for report, (state, _) in under_way:
        _walk(report, state, actors)
    _date_the_steps(started)
    approved = _approve_the_rest(round_, taken, actors, head_department, own_unit)
    return {
        "monitoring_reports": len(reports),
        "monitoring_approved": approved + len(doubles) + len(misses) + len(shorts),
        "monitoring_double_deviations": len(doubles),
    }


def serious_gaps(as_of: datetime.date) -> set[int]:
    """The projects of the year whose spending gap on ``as_of`` (execution rate − time progress, in
    points, §4.1) is at or below the serious threshold."""
    progress = time_progress(as_of=as_of)
    return {
        score.project_id
        for score in self_evaluation_scores(year=CURRENT_YEAR, as_of=as_of)
        if ((score.execution_rate - progress) * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
        <= settings.PROGRESS_SERIOUS_GAP_PP
    }


def double_deviation_projects(round_: Round) -> set[int]:
    """The projects whose approved report in ``round_`` expects under 90 % of its targets (Σ weight ×
    completion ÷ Σ weight) while their spending gap on the round's date is serious. Only reports with an
    explained shortfall can expect less than their targets, so only those are read."""
    serious = serious_gaps(round_.as_of)
    reports = MonitoringReport.objects.filter(round=round_, state=State.APPROVED, lines__cause__gt="")
    result = set()
    for report in reports.distinct().prefetch_related("lines"):
        if report.project_id not in serious:
            continue
        lines = list(report.lines.all())
        weight = sum(line.weight for line in lines)
        earned = sum(line.weight * (expected_completion(line) or 0) for line in lines)
        if weight and earned / weight < Decimal("0.9"):
            result.add(report.project_id)
    return result


@dataclass(frozen=True)
class Row:
    """A report of the round as the choice reads it (at scale 100 there are 387,600)."""

    pk: int
    project_id: int
    department_id: int
    unit_id: int


def _under_way(
    reports: list[Row], head_department, own_unit, serious: set[int]
) -> list[tuple[Row, tuple[str, bool]]]:
    """The first reports by code of the unit and of the department, and spread over the others. The
    unit's draft is on a project whose spending lagged seriously on 31 July when it has one, so that
    `unit` reporting a shortfall there makes a double deviation (the path a demo walks, SPEC §14)."""
    own = sorted((r for r in reports if r.unit_id == own_unit.pk), key=lambda r: r.project_id not in serious)
    department = [r for r in reports if r.department_id == head_department.pk and r.unit_id != own_unit.pk]
    others = [r for r in reports if r.department_id != head_department.pk]
    step = max(len(others) // len(PLAN_ELSEWHERE), 1)
    return [
        *zip(own, PLAN_OWN_UNIT, strict=False),
        *zip(department[1:], PLAN_OWN_DEPARTMENT, strict=False),
        *zip(others[step // 2 :: step], PLAN_ELSEWHERE, strict=False),
    ]


def _spread(candidates: list[Row], count: int, first_from: Department | None) -> list:
    """``count`` of ``candidates`` spread evenly over them by code, two of ``first_from``'s first."""
    own = [r for r in candidates if first_from is not None and r.department_id == first_from.pk][:2]
    others = [r for r in candidates if r not in own]
    wanted = count - len(own)
    step = max(len(others) // max(wanted, 1), 1)
    return own + others[::step][:wanted]


def _fill_on_track(round_: Round, *, empty: list[int]) -> None:
    """Every report expects its targets met: the expected value is the target, what is achieved by
    31 July about 60 % of a count and the target of a rate or a cost; qualitative judged 1. Set-based:
    one update per kind of indicator."""
    lines = MonitoringLine.objects.filter(report__round=round_).exclude(report_id__in=empty)
    lines.filter(direction=Direction.QUALITATIVE).update(judgement=Decimal(1))
    quantitative = lines.exclude(direction=Direction.QUALITATIVE)
    quantitative.update(expected_value=F("target_value"), achieved_value=F("target_value"))
    quantitative.filter(direction=Direction.AT_LEAST).exclude(measure_unit="%").update(
        achieved_value=RoundTo(F("target_value") * Decimal("0.6"), 0)
    )


def _expect(lines: list[MonitoringLine], completion: Decimal, every_line: bool) -> list[MonitoringLine]:
    """Lower what a report (its ``lines``) expects for the year to ``completion`` of the target, on
    every line or on its first count, each shortfall with its cause and corrective measure; the lines
    changed."""
    chosen = lines if every_line else [next(line for line in lines if line.direction == Direction.AT_LEAST)]
    for index, line in enumerate(chosen):
        if line.direction == Direction.QUALITATIVE:
            line.judgement = completion
        elif line.direction == Direction.AT_LEAST:
            line.expected_value = (line.target_value * completion).quantize(Decimal(1), ROUND_HALF_UP)
        elif line.direction == Direction.AT_MOST:
            line.expected_value = (line.target_value / completion).quantize(Decimal(1), ROUND_HALF_UP)
        else:
            line.expected_value = line.target_value + 1
        if line.achieved_value is not None and line.expected_value is not None:
            line.achieved_value = min(line.achieved_value, line.expected_value)
        if expected_completion(line) < 1:
            line.cause, line.cause_text, line.measure = CAUSES[(line.report_id + index) % len(CAUSES)]
    return chosen


def _walk(report: MonitoringReport, state: str, actors: dict) -> None:
    """Take the report from draft to ``state`` along the workflow's own transitions, by the demo user of
    each step's role where they hold it, else checked the same way and kept without a name."""
    for action, role in PATHS[state]:
        reason = RETURN_REASONS[role] if action == Action.RETURN else ""
        if role_on(scope_of(actors[role]), *report.owner_ids()) == role:
            report = transition(report, user=actors[role], action=action, reason=reason)
        else:
            report = step_without_a_demo_user(report, action, reason)


def _date_the_steps(started: datetime.datetime) -> None:
    """Date the steps just taken in August 2021, a few days apart, each report's last change with them."""
    content_type = ContentType.objects.get_for_model(MonitoringReport)
    steps = list(
        Transition.objects.filter(content_type=content_type, at__gte=started).order_by("object_id", "pk")
    )
    order = {pk: position for position, pk in enumerate(sorted({step.object_id for step in steps}))}
    count: dict[int, int] = {}
    last: dict[int, datetime.datetime] = {}
    for step in steps:
        index = count.get(step.object_id, 0)
        count[step.object_id] = index + 1
        step.at = STEPS_FROM + datetime.timedelta(days=3 * index, minutes=order[step.object_id])
        last[step.object_id] = step.at
    Transition.objects.bulk_update(steps, ["at"])
    reports = MonitoringReport.objects.in_bulk(list(last))
    for pk, at in last.items():
        reports[pk].state_changed_at = at
    MonitoringReport.objects.bulk_update(reports.values(), ["state_changed_at"])


def _approve_the_rest(round_: Round, taken: set[int], actors: dict, head_department, own_unit) -> int:
    """Every other report approved, set-based: its three steps (submitted by its unit, forwarded by its
    head, approved by the bureau, named where a demo user took them) inserted by one statement each, and
    one update."""
    content_type = ContentType.objects.get_for_model(MonitoringReport).pk
    rest = MonitoringReport.objects.filter(round=round_, state=State.DRAFT).exclude(pk__in=taken)
    where = ", ".join(["%s"] * len(taken)) or "NULL"
    steps = (
        (Action.SUBMIT, State.DRAFT, State.SUBMITTED, "p.unit_id", own_unit.pk, actors[Role.UNIT].pk),
        (
            Action.FORWARD,
            State.SUBMITTED,
            State.FORWARDED,
            "p.department_id",
            head_department.pk,
            actors[Role.HEAD].pk,
        ),
        (Action.APPROVE, State.FORWARDED, State.APPROVED, "1", 1, actors[Role.OFFICER].pk),
    )
    with connection.cursor() as cursor:
        for index, (action, source, target, owner, demo_owner, demo_user) in enumerate(steps):
            cursor.execute(
                f"""
                INSERT INTO workflow_transition
                    (content_type_id, object_id, department_id, unit_id, action, from_state, to_state,
                     actor_id, at, reason, note)
                SELECT %s, r.id, p.department_id, p.unit_id, %s, %s, %s,
                       CASE WHEN {owner} = %s THEN %s END, %s, '', ''
                FROM performance_monitoringreport r JOIN projects_project p ON p.id = r.project_id
                WHERE r.round_id = %s AND r.state = %s AND r.id NOT IN ({where})
                """,
                [
                    content_type,
                    action,
                    source,
                    target,
                    demo_owner,
                    demo_user,
                    STEPS_FROM + datetime.timedelta(days=3 * index),
                    round_.pk,
                    State.DRAFT,
                    *sorted(taken),
                ],
            )
    return rest.update(state=State.APPROVED, state_changed_at=STEPS_FROM + datetime.timedelta(days=6))
