"""factory_boy factories for a small hand-built district."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from finance.models import (
    BudgetUnit,
    Department,
    DepartmentMembership,
    DirectFundGrant,
    FiscalYear,
    FunctionClass,
    FundSource,
    UnitMembership,
)
from finance.roles import BUDGET_OFFICER, DEPARTMENT_HEAD, UNIT_STAFF
from performance.models import BudgetAdjustment, BudgetReview, Evaluation
from projects.models import Category, DeclaredIndicator, Indicator, Payment, Project, TargetDeclaration


class FiscalYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FiscalYear
        django_get_or_create = ("year",)

    year = 2021


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    code = factory.Sequence(lambda n: f"D{n:03d}")
    name = factory.Sequence(lambda n: f"区测试局{n}")


class BudgetUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetUnit

    code = factory.Sequence(lambda n: f"U{n:05d}")
    name = factory.Sequence(lambda n: f"测试单位{n}")
    department = factory.SubFactory(DepartmentFactory)


class FunctionClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FunctionClass
        django_get_or_create = ("code",)

    code = "205"
    name = "教育"
    is_livelihood = True


class FundSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundSource
        django_get_or_create = ("code",)

    code = FundSource.GENERAL_PUBLIC_BUDGET
    name = "一般公共预算"


class DirectFundGrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DirectFundGrant

    fiscal_year = factory.SubFactory(FiscalYearFactory)
    code = factory.Sequence(lambda n: f"ZD{n:04d}")
    name = factory.Sequence(lambda n: f"直达资金{n}")
    source_level = DirectFundGrant.SourceLevel.CENTRAL
    amount = Decimal("1000000.00")
    received_on = datetime.date(2021, 3, 1)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    fiscal_year = factory.SubFactory(FiscalYearFactory)
    code = factory.Sequence(lambda n: f"P{n:06d}")
    name = factory.Sequence(lambda n: f"测试项目{n}")
    unit = factory.SubFactory(BudgetUnitFactory)
    function_class = factory.SubFactory(FunctionClassFactory)
    fund_source = factory.SubFactory(FundSourceFactory)
    category = Category.LIVELIHOOD
    budget = Decimal("1000000.00")


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    voucher_no = factory.Sequence(lambda n: f"V{n:08d}")
    project = factory.SubFactory(ProjectFactory)
    paid_on = datetime.date(2021, 3, 15)
    amount = Decimal("100000.00")


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    project = factory.SubFactory(ProjectFactory)
    level1 = "产出指标"
    level2 = "数量指标"
    name = factory.Sequence(lambda n: f"指标{n}")
    direction = "gte"
    target_value = Decimal("100")
    measure_unit = "人"
    weight = Decimal("30")


class TargetDeclarationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TargetDeclaration

    project = factory.SubFactory(ProjectFactory)
    version = 1
    goal = "保障适龄儿童入学，资金按时足额拨付"


class DeclaredIndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeclaredIndicator

    declaration = factory.SubFactory(TargetDeclarationFactory)
    position = factory.Sequence(lambda n: n + 1)
    level1 = "产出指标"
    level2 = "数量指标"
    name = factory.Sequence(lambda n: f"申报指标{n}")
    direction = "gte"
    target_value = Decimal("100")
    measure_unit = "人"
    weight = Decimal("30")


class EvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evaluation

    fiscal_year = factory.SubFactory(FiscalYearFactory)
    kind = Evaluation.Kind.SELF
    project = factory.SubFactory(ProjectFactory)
    department = None
    decision = Decimal("18")
    process = Decimal("17")
    output = Decimal("26")
    benefit = Decimal("25")
    status = Evaluation.Status.FINALISED


class BudgetReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetReview

    opinion_no = factory.Sequence(lambda n: f"PS{n:04d}")
    project_name = factory.Sequence(lambda n: f"道路工程{n}")
    reviewed_on = datetime.date(2021, 5, 1)
    submitted_amount = Decimal("1000000.00")
    approved_amount = Decimal("970000.00")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct-horse-battery")


def make_officer(username: str = "officer"):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get_or_create(name=BUDGET_OFFICER)[0])
    return user


def make_head(department: Department, username: str):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get_or_create(name=DEPARTMENT_HEAD)[0])
    DepartmentMembership.objects.create(user=user, department=department)
    return user


def make_unit_filler(unit: BudgetUnit, username: str):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get_or_create(name=UNIT_STAFF)[0])
    UnitMembership.objects.create(user=user, unit=unit)
    return user


def propose_adjustments(year: int, as_of: datetime.date | None = None) -> int:
    """Run ``year``'s recompute, which proposes next year's budget adjustments (SPEC §4.7), and return
    how many proposals it added (refreshed and withdrawn ones are not counted)."""
    from performance.services import recompute_all

    before = set(BudgetAdjustment.objects.filter(target_year=year + 1).values_list("pk", flat=True))
    recompute_all(year=year, as_of=as_of)
    return BudgetAdjustment.objects.filter(target_year=year + 1).exclude(pk__in=before).count()
