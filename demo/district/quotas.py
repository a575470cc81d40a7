"""The demo's education projects measured against the per-pupil standards (生均公用经费, SPEC §8 and §13):
the per-pupil items of the schools and kindergartens name the standard of their stage and a pupil count
close to budget ÷ standard, and a few are off by more than the tolerance (with the unit's explanation),
so that the quota check warns. The budgets are not touched: the pupil count is derived from them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from projects.models import Project, QuotaStandard

#: Which standard a unit's pupils fall under, by how its name ends (the stage of schooling).
STAGES = (("幼儿园", "幼儿园生均公用经费"), ("小学", "小学生均公用经费"), ("中学", "初中生均公用经费"))
#: The items that are funded per pupil, and the stages each applies to.
PER_PUPIL_ITEMS = {
    "生均公用经费": {"幼儿园生均公用经费", "小学生均公用经费", "初中生均公用经费"},
    "义务教育学校运转保障": {"小学生均公用经费", "初中生均公用经费"},
    "学前教育普惠补助": {"幼儿园生均公用经费"},
}
#: How far the pupil counts of the linked projects are from budget ÷ standard, in turn (all within 5 %).
CLOSE = (Decimal("-0.03"), Decimal("0.01"), Decimal("0.03"), Decimal("-0.01"), Decimal("0"), Decimal("0.02"))
#: Fewer pupils than this and a count rounded to whole pupils could not land within 5 % as planned.
FEWEST_PUPILS = 100
#: The few counts that are further off than the tolerance, and why the unit says they are.
OFF = (
    (Decimal("0.12"), "预算含新建校区开办后的公用经费，按秋季学期扩班后预计在校生核定，明年按实际人数调整。"),
    (Decimal("-0.09"), "在校生人数按2020年秋季学期统计，春季学期部分学生转入新建学校，人数减少。"),
    (Decimal("0.07"), "预算含寄宿生补助，寄宿生按生均标准上浮计算，差额为寄宿生补助部分。"),
)
OFF_IN_REVISION = (Decimal("-0.08"), "随迁子女插班入学人数增加，在校生人数按最新学籍数据更新。")


@dataclass(frozen=True)
class Link:
    """One project's standard and pupil count, and the explanation where the count is off."""

    project: Project
    standard: QuotaStandard
    pupils: Decimal
    explanation: str = ""


def stage_of(unit_name: str) -> str | None:
    return next((standard for ending, standard in STAGES if unit_name.endswith(ending)), None)


def pupils_for(budget: Decimal, amount: Decimal, off: Decimal) -> Decimal:
    """The pupil count for which the budget is ``off`` (e.g. +0.03) from count × standard."""
    return (budget / (amount * (1 + off))).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def per_pupil_projects(year: int) -> list[tuple[Project, QuotaStandard]]:
    """The year's education projects funded per pupil, each with the standard of its unit's stage, by
    code (two queries)."""
    standards = {s.name: s for s in QuotaStandard.objects.filter(fiscal_year_id=year)}
    found = []
    for project in (
        Project.objects.filter(
            fiscal_year_id=year, function_class__code="205", status=Project.Status.APPROVED
        )
        .select_related("unit")
        .order_by("code")
    ):
        stage = stage_of(project.unit.name)
        item = next((item for item in PER_PUPIL_ITEMS if project.name.endswith(item)), None)
        if stage is None or item is None or stage not in PER_PUPIL_ITEMS[item] or stage not in standards:
            continue
        if project.budget >= standards[stage].amount * FEWEST_PUPILS:
            found.append((project, standards[stage]))
    return found


def links(year: int) -> list[Link]:
    """Every per-pupil project linked to its standard: the first few off by more than 5 %, with an
    explanation, the rest within it."""
    result = []
    for index, (project, standard) in enumerate(per_pupil_projects(year)):
        if index < len(OFF):
            off, explanation = OFF[index]
        else:
            off, explanation = CLOSE[index % len(CLOSE)], ""
        result.append(Link(project, standard, pupils_for(project.budget, standard.amount, off), explanation))
    return result
