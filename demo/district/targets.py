"""The 2021 targets round of the demo (SPEC §8, §13): opened by the bureau, it approves a first version
for every project whose indicators are on record; then, through the declaring services and the
workflow's transitions, a few projects' first versions and a few dozen revisions (调整) are in draft,
submitted, forwarded and returned, a few revisions approved (the first version superseded and kept), the
education projects funded per pupil name their standard and pupil count, and the 2022 pool proposals
declare their targets from their department's template.

None of it moves a figure: the approved revisions change the goal, the standard and the pupil count,
never an indicator, and the versions under way count nowhere. The steps are dated in 2021, as the
self-evaluation round's are."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from demo.district.figures import CURRENT_YEAR
from demo.district.pool import POOL_YEAR
from demo.district.quotas import OFF_IN_REVISION, Link, links, pupils_for
from finance.models import BudgetUnit, Department
from finance.scoping import scope_of
from projects.models import Project, TargetDeclaration
from projects.targets import services
from projects.targets.services import Entry
from projects.targets.todo import open_targets_round
from workflow.models import Action, Round, State, Transition
from workflow.rules import Role, role_on, rule_for
from workflow.services import record_step, transition

#: The 2021 targets were due by the end of the first quarter.
TARGETS_DEADLINE = datetime.date(2021, 3, 31)
OPENED_AT = datetime.datetime(2021, 1, 11, 9, 0, tzinfo=datetime.UTC)
#: When the demo's own steps are dated: first versions in the round's weeks, revisions mid-year, the
#: pool's declarations after the proposals were decided.
FIRST_STEPS_FROM = datetime.datetime(2021, 1, 18, 9, 0, tzinfo=datetime.UTC)
REVISION_STEPS_FROM = datetime.datetime(2021, 6, 7, 9, 0, tzinfo=datetime.UTC)
POOL_STEPS_FROM = datetime.datetime(2021, 10, 25, 9, 0, tzinfo=datetime.UTC)

SATISFACTION, COVERAGE, UNIT_COST = "服务对象满意度", "服务覆盖人次", "单位服务成本"
EXPLANATIONS = {
    "weaker": "受疫情影响部分服务改为线上开展，满意度目标按近三年实际（87%–89%）调整为88%。",
    "leave_out": "本项目为补助发放类，单位成本由补助标准确定，不再单设单位服务成本指标，分值并入产出数量。",
}
GOAL_REVISED = "（年中调整：根据上半年执行情况细化实施内容，年度目标不变。）"
RETURN_REASONS = {
    Role.HEAD: "服务覆盖人次目标低于上年实际完成值，请按不低于上年水平重新测算后提交。",
    Role.OFFICER: "指标值未体现项目产出，请对照部门指标模板补充可量化的产出指标并说明依据。",
}
#: The steps from draft to each state, with who takes them.
PATHS = {
    State.DRAFT: (),
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
DEMO_USERS = {Role.UNIT: "unit", Role.HEAD: "head", Role.OFFICER: "officer"}


@dataclass(frozen=True)
class Plan:
    """Where one declaration ends up: a first version or a revision, its state, and what the unit
    changed (``as_on_record``, ``template_unfilled``, ``weaker``, ``leave_out``, ``raise``, ``goal``)."""

    revision: bool
    state: str
    change: str


def plans(spec: str) -> list[Plan]:
    """``"first draft template_unfilled; revision submitted raise"`` → plans."""
    result = []
    for part in spec.split(";"):
        kind, state, change = part.split()
        result.append(Plan(kind == "revision", state, change))
    return result


#: The `unit` user's unit: something in draft and returned for its to-do list, and every other state.
OWN_UNIT = plans(
    "first draft template_unfilled; first draft as_on_record; first returned_by_head raise;"
    "revision draft weaker; revision draft leave_out; revision returned_by_officer weaker;"
    "revision returned_by_head raise; revision submitted raise; revision forwarded leave_out;"
    "revision approved goal"
)
#: The head's department's other units: the head's to-do list.
OWN_DEPARTMENT = plans(
    "first submitted as_on_record; first submitted raise; first draft template_unfilled;"
    "first draft as_on_record; revision submitted weaker; revision submitted leave_out;"
    "revision submitted raise; revision submitted goal; revision forwarded raise;"
    "revision forwarded weaker; revision returned_by_head leave_out; revision returned_by_head raise;"
    "revision approved goal"
)
#: The other departments: the officer's to-do list, and the rest of the district's states.
ELSEWHERE = plans(
    "first draft template_unfilled; first draft as_on_record; first draft as_on_record;"
    "first draft template_unfilled; first submitted as_on_record; first submitted raise;"
    "first forwarded as_on_record; first forwarded raise; revision draft weaker; revision draft raise;"
    "revision draft leave_out; revision draft goal; revision submitted raise; revision submitted weaker;"
    "revision submitted goal; revision forwarded weaker; revision forwarded leave_out;"
    "revision forwarded raise; revision forwarded goal; revision forwarded raise;"
    "revision forwarded weaker; revision returned_by_officer raise;"
    "revision returned_by_officer leave_out; revision returned_by_officer weaker;"
    "revision returned_by_head goal"
)
#: Which of the per-pupil links come by an approved revision (the first version is superseded and kept)
#: rather than with the round's version, and which revisions of the pupil count are under way.
LINKED_BY_REVISION = (2, 3, 4)
PUPILS_REVISED = ((5, State.SUBMITTED), (6, State.DRAFT))
#: The pool proposals' declarations, by name: state, and the unit cost their coverage follows from.
POOL = {
    "社区卫生服务中心智慧化改造": (State.SUBMITTED, 500),
    "基层医疗机构设备更新": ("template", 0),
    "家庭医生签约服务提升": ("returned_by_head", 300),
    "智慧课堂建设": (State.FORWARDED, 800),
    "校园体育场地改造": ("template", 0),
    "养老服务补贴扩面": (State.SUBMITTED, 450),
}


def seed_targets(*, head_department: Department, own_unit: BudgetUnit) -> dict[str, int]:
    """Open the 2021 targets round and put its versions in their demo states; declare the pool's."""
    started = timezone.now()
    names = list(DEMO_USERS.values())
    users = {u.username: u for u in get_user_model().objects.filter(username__in=names)}
    actors = {role: users[name] for role, name in DEMO_USERS.items()}
    quota_links = links(CURRENT_YEAR)
    taken = {link.project.pk for link in quota_links}
    chosen = _choose(head_department, own_unit, taken)
    firsts = []
    for project, plan in chosen:
        if not plan.revision:
            firsts.append((_first_version(project, plan, actors[Role.UNIT]), plan.state))
    round_ = Round.objects.create(
        kind=Round.Kind.TARGETS,
        fiscal_year_id=CURRENT_YEAR,
        deadline=TARGETS_DEADLINE,
        opened_by=actors[Role.OFFICER],
        opened_at=OPENED_AT,
    )
    in_round = open_targets_round(round_)
    by_revision = {quota_links[i].project.pk for i in LINKED_BY_REVISION if i < len(quota_links)}
    _link_versions_in_force([link for link in quota_links if link.project.pk not in by_revision])
    walks = list(firsts)
    for project, plan in chosen:
        if plan.revision:
            walks.append((_revision(project, plan, actors[Role.UNIT]), plan.state))
    for index in LINKED_BY_REVISION:
        if index < len(quota_links):
            walks.append((_quota_revision(quota_links[index], actors[Role.UNIT]), State.APPROVED))
    for index, state in PUPILS_REVISED:
        if index < len(quota_links):
            walks.append((_pupils_revision(quota_links[index], actors[Role.UNIT]), state))
    walks.extend(_pool_declarations(actors[Role.UNIT]))
    for declaration, state in walks:
        _walk(declaration, state, actors)
    _date_the_steps(started)
    return {
        "targets_in_round": in_round,
        "targets_moved": len(walks),
        "targets_quota_linked": len(quota_links),
    }


def _choose(head_department, own_unit, taken: set[int]) -> list[tuple[Project, Plan]]:
    """The projects each plan is carried out on: the first by code in the unit and the department, and
    spread evenly over the other departments (none of the per-pupil projects)."""
    year = Project.objects.filter(fiscal_year_id=CURRENT_YEAR, status=Project.Status.APPROVED).exclude(
        pk__in=taken
    )
    own = list(year.filter(unit=own_unit).order_by("code")[: len(OWN_UNIT)])
    department = list(
        year.filter(department=head_department).exclude(unit=own_unit).order_by("code")[: len(OWN_DEPARTMENT)]
    )
    others = list(year.exclude(department=head_department).order_by("code").values_list("pk", flat=True))
    step = max(len(others) // len(ELSEWHERE), 1)
    spread = Project.objects.in_bulk(others[::step][: len(ELSEWHERE)])
    elsewhere = [spread[pk] for pk in others[::step][: len(ELSEWHERE)]]
    return [
        *zip(own, OWN_UNIT, strict=False),
        *zip(department, OWN_DEPARTMENT, strict=False),
        *zip(elsewhere, ELSEWHERE, strict=False),
    ]


def _entries(declaration: TargetDeclaration) -> list[Entry]:
    return [
        Entry(
            level1=row.level1,
            level2=row.level2,
            name=row.name,
            direction=row.direction,
            target_value=row.target_value,
            measure_unit=row.measure_unit,
            weight=row.weight,
            from_template=row.from_template,
        )
        for row in declaration.indicators.all()
    ]


def _changed(entries: list[Entry], change: str) -> list[Entry]:
    if change == "weaker":
        return [replace(e, target_value=Decimal(88)) if e.name == SATISFACTION else e for e in entries]
    if change == "raise":
        return [
            replace(e, target_value=(e.target_value * Decimal("1.1")).quantize(Decimal(10)))
            if e.name == COVERAGE and e.target_value is not None
            else e
            for e in entries
        ]
    if change == "leave_out":
        cost = next((e.weight for e in entries if e.name == UNIT_COST), Decimal(0))
        return [
            replace(e, weight=e.weight + cost) if e.name == COVERAGE else e
            for e in entries
            if e.name != UNIT_COST
        ]
    return entries


def _save(declaration: TargetDeclaration, plan: Plan, entries: list[Entry]) -> None:
    """Save the plan's change; a version going beyond draft explains its warnings (a draft not yet)."""
    explanation = EXPLANATIONS.get(plan.change, "") if plan.state != State.DRAFT else ""
    goal = declaration.goal + GOAL_REVISED if plan.change == "goal" else declaration.goal
    services.save(
        declaration,
        goal=goal,
        quota_standard=declaration.quota_standard,
        quantity=declaration.quantity,
        explanation=explanation,
        entries=_changed(entries, plan.change),
    )


def _first_version(project: Project, plan: Plan, unit_user) -> TargetDeclaration:
    """A first version started from the department's template (one click), its targets then filled from
    the indicators on record, except where the unit has not got that far."""
    declaration = services.start(project, user=unit_user)
    if plan.change == "template_unfilled":
        services.copy_template(declaration)
        return declaration
    on_record = {row.name: row for row in declaration.indicators.all()}
    entries = [
        replace(e, target_value=on_record[e.name].target_value) if e.name in on_record else e
        for e in services.template_entries(project)
    ]
    _save(declaration, plan, entries)
    return declaration


def _revision(project: Project, plan: Plan, unit_user) -> TargetDeclaration:
    declaration = services.start(project, user=unit_user)
    _save(declaration, plan, _entries(declaration))
    return declaration


def _link_versions_in_force(quota_links: list[Link]) -> None:
    """The round's approved versions of the per-pupil projects name their standard and pupil count (the
    unit gave them with the indicators on record). One statement per field."""
    versions = {
        d.project_id: d
        for d in TargetDeclaration.objects.filter(
            project__in=[link.project for link in quota_links], state=State.APPROVED
        )
    }
    for link in quota_links:
        version = versions[link.project.pk]
        version.quota_standard, version.quantity = link.standard, link.pupils
        version.explanation = link.explanation
    TargetDeclaration.objects.bulk_update(
        versions.values(), ["quota_standard", "quantity", "explanation"], batch_size=500
    )


def _quota_revision(link: Link, unit_user) -> TargetDeclaration:
    declaration = services.start(link.project, user=unit_user)
    services.save(
        declaration,
        goal=f"{declaration.goal}（按{link.standard.name}{link.standard.amount:.0f}元核定，"
        f"在校生{link.pupils:.0f}人。）",
        quota_standard=link.standard,
        quantity=link.pupils,
        explanation=link.explanation,
        entries=_entries(declaration),
    )
    return declaration


def _pupils_revision(link: Link, unit_user) -> TargetDeclaration:
    """A revision of the pupil count: off by more than 5 % and explained when it is submitted."""
    declaration = services.start(link.project, user=unit_user)
    off, explanation = OFF_IN_REVISION
    services.save(
        declaration,
        goal=declaration.goal,
        quota_standard=link.standard,
        quantity=pupils_for(link.project.budget, link.standard.amount, off),
        explanation=explanation,
        entries=_entries(declaration),
    )
    return declaration


def _pool_declarations(unit_user) -> list[tuple[TargetDeclaration, str]]:
    """The 2022 proposals declare their targets from their department's template: the request ÷ a unit
    cost gives the coverage; those still in draft have just copied the template."""
    result = []
    for project in Project.objects.filter(fiscal_year_id=POOL_YEAR, name__in=list(POOL)).order_by("code"):
        state, unit_cost = POOL[project.name]
        declaration = services.start(project, user=unit_user)
        services.copy_template(declaration)
        if state != "template":
            coverage = (project.requested_amount / unit_cost).quantize(Decimal(10))
            filled = {COVERAGE: coverage, UNIT_COST: Decimal(unit_cost)}
            entries = [
                replace(e, target_value=filled[e.name]) if e.name in filled else e
                for e in _entries(declaration)
            ]
            _save(declaration, Plan(False, state, "as_on_record"), entries)
        result.append((declaration, State.DRAFT if state == "template" else state))
    return result


def _walk(declaration: TargetDeclaration, state: str, actors: dict) -> None:
    """Take the declaration from draft to ``state`` along the workflow's own transitions, by the demo
    user of each step's role where they hold it on the record; a step by a unit or a department no demo
    user belongs to is checked the same way and kept in the timeline without a name."""
    for action, role in PATHS[state]:
        reason = RETURN_REASONS[role] if action == Action.RETURN else ""
        actor = actors[role]
        if role_on(scope_of(actor), *declaration.owner_ids()) == role:
            declaration = transition(declaration, user=actor, action=action, reason=reason)
        else:
            declaration = step_without_a_demo_user(declaration, action, reason)


def step_without_a_demo_user(declaration: TargetDeclaration, action: str, reason: str) -> TargetDeclaration:
    rule = rule_for(action, declaration.state)
    problems = declaration.refusals(action, None)
    if rule is None or problems:
        raise RuntimeError(f"The demo cannot {action} {declaration}: {problems}")
    source = declaration.state
    declaration.before_transition(action, None)
    declaration.state, declaration.state_changed_at = rule.target, timezone.now()
    declaration.save(update_fields=["state", "state_changed_at"])
    record_step(declaration, action=action, from_state=source, to_state=rule.target, reason=reason)
    declaration.after_transition(action, None)
    return declaration


def _date_the_steps(started: datetime.datetime) -> None:
    """Date the steps taken now in 2021, a few days apart, as the demo's story has them; each version's
    creation, last change and, where a later one was approved, the end of its time in force follow."""
    content_type = ContentType.objects.get_for_model(TargetDeclaration)
    steps = list(
        Transition.objects.filter(content_type=content_type, at__gte=started).order_by("object_id", "pk")
    )
    order = {pk: position for position, pk in enumerate(sorted({step.object_id for step in steps}))}
    declarations = TargetDeclaration.objects.select_related("project").in_bulk(list(order))
    last: dict[int, datetime.datetime] = {}
    count: dict[int, int] = {}
    for step in steps:
        declaration = declarations[step.object_id]
        if declaration.project.fiscal_year_id == POOL_YEAR:
            base = POOL_STEPS_FROM
        else:
            base = REVISION_STEPS_FROM if declaration.version > 1 else FIRST_STEPS_FROM
        index = count.get(step.object_id, 0)
        count[step.object_id] = index + 1
        step.at = base + datetime.timedelta(days=6 * index, minutes=order[step.object_id])
        if index == 0:
            declaration.created_at = step.at
        last[step.object_id] = declaration.state_changed_at = step.at
    Transition.objects.bulk_update(steps, ["at"])
    TargetDeclaration.objects.bulk_update(declarations.values(), ["created_at", "state_changed_at"])
    approved = {d.project_id: last[d.pk] for d in declarations.values() if d.state == State.APPROVED}
    superseded = list(TargetDeclaration.objects.filter(project_id__in=approved, superseded_at__gte=started))
    for version in superseded:
        version.superseded_at = approved[version.project_id]
    TargetDeclaration.objects.bulk_update(superseded, ["superseded_at"])
