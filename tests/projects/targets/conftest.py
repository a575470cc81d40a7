"""The targets downloads' and coverage's small school district (fixtures).

Department A01 区教育体育局: unit A01-01 区第一中学 with PA01 (approved targets, v1 in force, v2 under
way) and PA02 (no targets); unit A01-02 区第二中学 with PA09 (approved targets). Department B02: unit
B02-01 区人民医院 with PB01 (approved targets). A01's livelihood template: 受助学生人数 ≥ 3,000 人 and
家长满意度 ≥ 90 %. The quota standard 生均公用经费（小学） is 870 元 per pupil.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import timezone

from projects.models import Direction, IndicatorTemplate, QuotaStandard
from tests.factories import (
    BudgetUnitFactory,
    DeclaredIndicatorFactory,
    FiscalYearFactory,
    ProjectFactory,
    TargetDeclarationFactory,
    UserFactory,
    make_unit_filler,
)
from workflow.models import State

GOAL = "保障3,000名小学生公用经费，学校正常运转。"
#: PA01's indicators in force: (level 1, level 2, name, direction, target, unit, weight).
PA01_INDICATORS = [
    ("产出指标", "数量指标", "受助学生人数", Direction.AT_LEAST, Decimal("3000"), "人", Decimal("30")),
    ("产出指标", "数量指标", "覆盖学校数", Direction.AT_LEAST, Decimal("12"), "所", Decimal("20")),
    ("产出指标", "时效指标", "资金拨付及时率", Direction.AT_LEAST, Decimal("100"), "%", Decimal("10")),
    ("效益指标", "社会效益指标", "家长满意度", Direction.AT_LEAST, Decimal("90"), "%", Decimal("20")),
    ("效益指标", "可持续影响指标", "政策知晓度", Direction.QUALITATIVE, None, "", Decimal("10")),
]


def declare(project, rows, *, version=1, state=State.APPROVED, goal=GOAL, **fields):
    """A version of ``project``'s targets with ``rows`` as in ``PA01_INDICATORS``."""
    declaration = TargetDeclarationFactory(
        project=project, version=version, state=state, goal=goal, state_changed_at=timezone.now(), **fields
    )
    for position, (level1, level2, name, direction, target, unit, weight) in enumerate(rows, start=1):
        DeclaredIndicatorFactory(
            declaration=declaration, position=position, level1=level1, level2=level2, name=name,
            direction=direction, target_value=target, measure_unit=unit, weight=weight,
        )  # fmt: skip
    return declaration


@pytest.fixture
def school(department_a, department_b):
    FiscalYearFactory(year=2020)
    year = FiscalYearFactory(year=2021, is_current=True)
    with override_settings(RECOMPUTE_ON_CHANGE=False):
        first = BudgetUnitFactory(department=department_a, code="A01-01", name="区第一中学")
        second = BudgetUnitFactory(department=department_a, code="A01-02", name="区第二中学")
        hospital = BudgetUnitFactory(department=department_b, code="B02-01", name="区人民医院")
        quota = QuotaStandard.objects.create(
            fiscal_year=year, name="生均公用经费（小学）", measure_unit="人", amount=Decimal("870.00")
        )
        for level1, level2, name, target, unit, weight in (
            ("产出指标", "数量指标", "受助学生人数", Decimal("3000"), "人", Decimal("30")),
            ("效益指标", "社会效益指标", "家长满意度", Decimal("90"), "%", Decimal("20")),
        ):
            IndicatorTemplate.objects.create(
                department=department_a, category="livelihood", level1=level1, level2=level2, name=name,
                direction=Direction.AT_LEAST, target_value=target, measure_unit=unit, weight=weight,
            )  # fmt: skip
        # 3,000 pupils × 870 元 = 2,610,000 元, the budget exactly.
        pa01 = ProjectFactory(
            unit=first, fiscal_year=year, code="PA01", name="小学生均公用经费", budget=Decimal("2610000.00")
        )
        in_force = declare(pa01, PA01_INDICATORS, quota_standard=quota, quantity=Decimal("3000"))
        under_way = declare(
            pa01, PA01_INDICATORS[:4], version=2, state=State.DRAFT, goal="修订：" + GOAL,
            quota_standard=quota, quantity=Decimal("3000"),
        )  # fmt: skip
        pa02 = ProjectFactory(unit=first, fiscal_year=year, code="PA02", name="校舍维修")
        pa09 = ProjectFactory(unit=second, fiscal_year=year, code="PA09", name="食堂改造")
        declare(pa09, PA01_INDICATORS)
        pb01 = ProjectFactory(
            unit=hospital, fiscal_year=year, code="PB01", name="医疗设备", category="operating"
        )
        declare(pb01, PA01_INDICATORS)
    return {
        "first": first, "second": second, "hospital": hospital, "quota": quota, "pa01": pa01,
        "pa02": pa02, "pa09": pa09, "pb01": pb01, "in_force": in_force, "under_way": under_way,
    }  # fmt: skip


@pytest.fixture
def nobody(db):
    """Signed in, with no role."""
    return UserFactory(username="nobody")


@pytest.fixture
def filler(school):
    """The unit filler of A01-01."""
    return make_unit_filler(school["first"], "filler")
