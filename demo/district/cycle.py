"""The cycle of SPEC §12 at work in the demo (SPEC §8): the 2021 self-evaluation round, the
self-evaluations approved for the projects whose finalised self-evaluation the district already has,
and a few more in every other state, the `unit` user's own unit among them, so that each demo user's
to-do list has work on it. None of it moves a figure: the figures count approved records only, and the
records moved here are of projects without a finalised self-evaluation."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType

from demo.district.figures import CURRENT_YEAR
from finance.models import BudgetUnit, Department
from performance.models import Evaluation, SelfEvaluation
from performance.services.self_evaluations import sheet_for
from performance.todo import open_self_evaluation_round
from projects.models import Indicator, Project
from workflow.models import Action, Round, State, Transition
from workflow.services import record_step

#: The 2021 self-evaluations were due by the end of the first quarter of 2022.
SELF_EVALUATION_DEADLINE = datetime.date(2022, 3, 31)
OPENED_AT = datetime.datetime(2021, 11, 1, 9, 0, tzinfo=datetime.UTC)
ACHIEVED = "项目按计划实施，年度绩效目标基本完成，资金使用规范。"
#: How many of the drafts move on, and how far: (state, steps taken, who returned it).
PLAN_OWN_UNIT = ["draft", "draft", "returned_by_head", "returned_by_officer", "submitted"]
PLAN_OWN_DEPARTMENT = ["submitted", "submitted", "submitted", "forwarded", "forwarded"]
PLAN_ELSEWHERE = ["forwarded", "forwarded", "forwarded", "returned_by_officer", "submitted", "submitted"]
DEVIATION_REASON = "受疫情影响部分服务延后开展，已调整实施计划，下季度加快推进。"
RETURN_REASONS = {
    "returned_by_head": "实际完成值与佐证材料不一致，请核实后重新提交。",
    "returned_by_officer": "偏差原因分析过于笼统，请补充具体原因和改进措施。",
}


def seed_cycle(*, head_department: Department, own_unit: BudgetUnit) -> dict[str, int]:
    """Open the 2021 self-evaluation round and put its records in their demo states."""
    User = get_user_model()
    users = {user.username: user for user in User.objects.filter(username__in=["officer", "head", "unit"])}
    round_ = Round.objects.create(
        kind=Round.Kind.SELF_EVALUATION,
        fiscal_year_id=CURRENT_YEAR,
        deadline=SELF_EVALUATION_DEADLINE,
        opened_by=users["officer"],
        opened_at=OPENED_AT,
    )
    # The opener approves the records of the projects whose finalised self-evaluation the district
    # already has (imported with it), and starts a draft for the rest.
    open_self_evaluation_round(round_)
    approved = SelfEvaluation.objects.filter(round=round_, state=State.APPROVED).count()
    drafts = SelfEvaluation.objects.filter(round=round_, state=State.DRAFT).order_by("project__code")
    moved = 0
    for plan, records in (
        (PLAN_OWN_UNIT, drafts.filter(project__unit=own_unit)),
        (
            PLAN_OWN_DEPARTMENT,
            drafts.filter(project__department=head_department).exclude(project__unit=own_unit),
        ),
        (PLAN_ELSEWHERE, drafts.exclude(project__department=head_department)),
    ):
        for record, target in zip(list(records[: len(plan)]), plan, strict=False):
            _walk(record, target, users)
            moved += 1
    drafts_to_score = _key_evaluations_to_score(users["officer"], head_department)
    return {
        "self_evaluations_approved": approved,
        "self_evaluations_moved": moved,
        "key_evaluations_in_draft": drafts_to_score,
    }


def _key_evaluations_to_score(officer, head_department: Department) -> int:
    """Three key evaluations the bureau has started and not yet scored (on the officer's to-do list):
    livelihood projects of the year without one, the head's department's first. Drafts count nowhere."""
    # Not NULL: the department-wide key evaluations have no project, and NOT IN (…, NULL) matches nothing.
    evaluated = Evaluation.objects.filter(
        fiscal_year_id=CURRENT_YEAR, kind=Evaluation.Kind.KEY, project__isnull=False
    ).values("project_id")
    candidates = (
        Project.objects.filter(
            fiscal_year_id=CURRENT_YEAR, category="livelihood", status=Project.Status.APPROVED
        )
        .exclude(pk__in=evaluated)
        .order_by("department__code", "code")
    )
    chosen = list(candidates.filter(department=head_department)[:2]) + list(
        candidates.exclude(department=head_department)[:1]
    )
    drafts = [
        Evaluation(
            fiscal_year_id=CURRENT_YEAR,
            kind=Evaluation.Kind.KEY,
            key_category=Evaluation.KeyCategory.LIVELIHOOD,
            project=project,
            evaluator="区财政局委托第三方评价机构",
        )
        for project in chosen
    ]
    for evaluation in drafts:
        evaluation.fill_total_and_grade()
    # bulk_create: no save signal, so no recompute is queued for rows that count nowhere.
    for evaluation in Evaluation.objects.bulk_create(drafts):
        record_step(
            evaluation,
            action=Action.CREATE,
            from_state="",
            to_state=Evaluation.Status.DRAFT,
            user=officer,
            at=OPENED_AT + datetime.timedelta(days=14),
        )
    return len(chosen)


def _walk(record: SelfEvaluation, target: str, users: dict) -> None:
    """Take ``record`` from draft to ``target`` along the workflow's own steps, with their timeline."""
    steps = [(Action.SUBMIT, State.DRAFT, State.SUBMITTED, users["unit"], "")]
    if target in ("forwarded", "returned_by_officer"):
        steps.append((Action.FORWARD, State.SUBMITTED, State.FORWARDED, users["head"], ""))
    if target == "returned_by_officer":
        steps.append(
            (Action.RETURN, State.FORWARDED, State.RETURNED, users["officer"], RETURN_REASONS[target])
        )
    if target == "returned_by_head":
        steps.append((Action.RETURN, State.SUBMITTED, State.RETURNED, users["head"], RETURN_REASONS[target]))
    if target == "draft":
        steps = []
    project = Project.objects.get(pk=record.project_id)
    if steps:
        # What the unit gave before submitting: the reasons of every row short of its weight.
        short = [line.indicator.pk for line in sheet_for(project).lines if line.short]
        Indicator.objects.filter(pk__in=short).update(deviation_reason=DEVIATION_REASON)
    at = OPENED_AT
    rows = []
    for index, (action, source, state, actor, reason) in enumerate(steps, start=1):
        rows.append(
            Transition(
                content_type=ContentType.objects.get_for_model(SelfEvaluation),
                object_id=record.pk,
                department_id=project.department_id,
                unit_id=project.unit_id,
                action=action,
                from_state=source,
                to_state=state,
                actor=actor,
                at=at + datetime.timedelta(days=7 * index),
                reason=reason,
            )
        )
    Transition.objects.bulk_create(rows)
    final = steps[-1][2] if steps else State.DRAFT
    SelfEvaluation.objects.filter(pk=record.pk).update(
        state=final, achieved=ACHIEVED, state_changed_at=rows[-1].at if rows else None
    )
