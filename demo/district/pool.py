"""The demo district's project pool (SPEC §12.4): proposals for the year after the current one, from the
`unit` user's unit and three other departments, in every state an officer meets: assessed ex ante and
finalised (优, 良, 中, 差), assessed in draft, not yet assessed, approved into the budget and refused.

They are written with ``bulk_create`` (no signal: seeding queues no recompute), after the district and
the demo users, whose `unit` user's unit they need. They belong to next year, so no figure of the
current year moves; the one approved proposal is next year's only project in the budget.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from demo import catalogue as cat
from finance.models import BudgetUnit, Department, FiscalYear, FunctionClass, FundSource
from performance.models import Evaluation
from projects.models import Category, PerformanceTarget, Project
from workflow.models import Action, Transition

#: The year the proposals are for.
POOL_YEAR = 2022


@dataclass(frozen=True)
class Proposal:
    department: str | None  # None: the `unit` user's unit
    name: str
    function_class: str
    category: str
    requested: str  # 元
    ex_ante: tuple[str, str] | None  # (total, status)
    decision: tuple[str, str] | None = None  # ("approve", amount in 元) or ("refuse", reason)


FINALISED, DRAFT = Evaluation.Status.FINALISED, Evaluation.Status.DRAFT

PROPOSALS = (
    Proposal(None, "社区卫生服务中心智慧化改造", "210", Category.LIVELIHOOD, "3200000.00", ("86", FINALISED)),
    Proposal(None, "基层医疗机构设备更新", "210", Category.LIVELIHOOD, "1800000.00", ("74", DRAFT)),
    Proposal(None, "家庭医生签约服务提升", "210", Category.LIVELIHOOD, "900000.00", None),
    Proposal(
        "区教育体育局",
        "智慧课堂建设",
        "205",
        Category.DEVELOPMENT,
        "5600000.00",
        ("78", FINALISED),
        ("approve", "5000000.00"),
    ),
    Proposal("区教育体育局", "校园体育场地改造", "205", Category.INVESTMENT, "2300000.00", None),
    Proposal(
        "区农业农村局",
        "高标准农田水利设施维修",
        "213",
        Category.DEVELOPMENT,
        "12000000.00",
        ("52", FINALISED),
        ("refuse", "事前绩效评估等级为差：立项依据不充分，绩效目标不明确。"),
    ),
    Proposal("区民政局", "养老服务补贴扩面", "208", Category.LIVELIHOOD, "4500000.00", ("91", FINALISED)),
)

#: When the demo's steps happened: proposed in September, assessed and decided in October.
PROPOSED_AT = datetime.datetime(2021, 9, 15, 10, 0)
DECIDED_AT = datetime.datetime(2021, 10, 20, 15, 0)


def _at(moment: datetime.datetime, minutes: int) -> datetime.datetime:
    return timezone.make_aware(moment + datetime.timedelta(minutes=minutes))


def _dimensions(total: str) -> dict[str, Decimal]:
    """The total spread over the four dimensions, output and benefit first (as the demo's evaluations)."""
    points, dims = Decimal(total), {}
    for name, maximum in (("output", 30), ("benefit", 30), ("decision", 20), ("process", 20)):
        dims[name] = min(points, Decimal(maximum))
        points -= dims[name]
    return dims


def seed_pool(*, unit: BudgetUnit, unit_user, officer) -> int:
    """Write the proposals, their goals, ex-ante assessments and timelines; returns how many."""
    FiscalYear.objects.get_or_create(year=POOL_YEAR)
    classes = dict(FunctionClass.objects.values_list("code", "pk"))
    general = FundSource.objects.get(code=cat.GENERAL).pk
    named = {proposal.department for proposal in PROPOSALS if proposal.department}
    first_units = {
        department.name: BudgetUnit.objects.filter(department=department).order_by("code").first()
        for department in Department.objects.filter(name__in=named)
    }
    projects = []
    for number, proposal in enumerate(PROPOSALS, start=1):
        owner = unit if proposal.department is None else first_units[proposal.department]
        approved = proposal.decision is not None and proposal.decision[0] == "approve"
        refused = proposal.decision is not None and proposal.decision[0] == "refuse"
        projects.append(
            Project(
                fiscal_year_id=POOL_YEAR,
                code=f"CB{POOL_YEAR}{number:04d}",
                name=proposal.name,
                unit=owner,
                department_id=owner.department_id,
                function_class_id=classes[proposal.function_class],
                fund_source_id=general,
                category=proposal.category,
                budget=Decimal(proposal.decision[1]) if approved else Decimal("0.00"),
                requested_amount=Decimal(proposal.requested),
                status=(
                    Project.Status.APPROVED
                    if approved
                    else Project.Status.CANCELLED
                    if refused
                    else Project.Status.PROPOSED
                ),
                refusal_reason=proposal.decision[1] if refused else "",
            )
        )
    projects = Project.objects.bulk_create(projects)
    PerformanceTarget.objects.bulk_create(
        PerformanceTarget(project=project, goal=f"{project.name}：按期完成，服务对象满意度不低于90%。")
        for project in projects
    )
    assessments = []
    for project, proposal in zip(projects, PROPOSALS, strict=True):
        if proposal.ex_ante is None:
            continue
        total, status = proposal.ex_ante
        assessment = Evaluation(
            fiscal_year_id=POOL_YEAR,
            kind=Evaluation.Kind.EX_ANTE,
            project=project,
            status=status,
            evaluator="区财政局绩效评价中心",
            evaluated_on=datetime.date(2021, 10, 12) if status == FINALISED else None,
            **_dimensions(total),
        )
        assessment.fill_total_and_grade()
        assessments.append(assessment)
    Evaluation.objects.bulk_create(assessments)
    Transition.objects.bulk_create(_timelines(projects, unit=unit, unit_user=unit_user, officer=officer))
    return len(projects)


def _timelines(projects: list[Project], *, unit: BudgetUnit, unit_user, officer) -> list[Transition]:
    content_type = ContentType.objects.get_for_model(Project)
    steps = []
    for minutes, (project, proposal) in enumerate(zip(projects, PROPOSALS, strict=True)):
        common = {
            "content_type": content_type,
            "object_id": project.pk,
            "department_id": project.department_id,
            "unit_id": project.unit_id,
        }
        steps.append(
            Transition(
                **common,
                action=Action.CREATE,
                from_state="",
                to_state=Project.Status.PROPOSED,
                actor=unit_user if project.unit_id == unit.pk else None,
                at=_at(PROPOSED_AT, minutes),
            )
        )
        if proposal.decision is None:
            continue
        action, value = proposal.decision
        steps.append(
            Transition(
                **common,
                action=Action.APPROVE if action == "approve" else Action.REFUSE,
                from_state=Project.Status.PROPOSED,
                to_state=project.status,
                actor=officer,
                at=_at(DECIDED_AT, minutes),
                reason=value if action == "refuse" else "",
                note=f"{Decimal(value) / 10000:,.2f} 万元" if action == "approve" else "",
            )
        )
    return steps
