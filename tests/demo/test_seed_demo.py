"""The demo district reproduces every figure of SPEC §8, each computed here from the raw rows."""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.db import transaction
from django.db.models import Count, Q, Sum

from demo import seed as seed_module
from demo.seed import seed_demo
from demo.writer import wipe_district
from finance.models import BudgetUnit, Department, DirectFundGrant, FiscalYear, UnitMembership
from finance.roles import UNIT_STAFF, is_officer, is_unit_filler
from finance.scoping import scope_of
from performance.models import BudgetReview, Evaluation
from projects.models import Payment, Project, QuotaStandard

AS_OF = datetime.date(2021, 10, 31)
SAME_DAY_LAST_YEAR = datetime.date(2020, 10, 31)
YI = Decimal("100000000")
CENT = Decimal("0.01")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Seed the demo district once for this module; remove it afterwards."""
    with django_db_blocker.unblock():
        result = seed_demo(password="demo-password-for-tests")
        yield result
        with transaction.atomic():
            wipe_district()
            get_user_model().objects.filter(username__in=["admin", "officer", "head", "unit"]).delete()


def total(queryset, field: str) -> Decimal:
    # SQLite sums decimals as floats; every figure here is a whole number of cents.
    return (queryset.aggregate(s=Sum(field))["s"] or Decimal(0)).quantize(CENT)


def spent(*, year: int, as_of: datetime.date, **filters) -> Decimal:
    return total(
        Payment.objects.filter(project__fiscal_year_id=year, paid_on__lte=as_of, **filters), "amount"
    )


def in_yi(amount: Decimal, places: str = "0.01") -> Decimal:
    return (amount / YI).quantize(Decimal(places))


def percent(ratio: Decimal) -> Decimal:
    return (ratio * 100).quantize(Decimal("0.1"))


pytestmark = pytest.mark.django_db


def test_counts_match_the_reference_district(demo):
    assert Department.objects.count() == 64
    assert BudgetUnit.objects.count() == 234
    assert Project.objects.filter(fiscal_year_id=2021).count() == 3876
    assert Project.objects.filter(fiscal_year_id=2020).exists()
    assert FiscalYear.objects.get(is_current=True).as_of() == AS_OF


def test_livelihood_spending_is_88_5_yi_and_81_6_percent_of_general_budget_spending(demo):
    general = {"project__fund_source__code": "general"}
    livelihood = spent(year=2021, as_of=AS_OF, project__function_class__is_livelihood=True, **general)
    all_general = spent(year=2021, as_of=AS_OF, **general)
    assert in_yi(livelihood, "0.1") == Decimal("88.5")
    assert percent(livelihood / all_general) == Decimal("81.6")  # 88.5 / 108.45


def test_livelihood_spending_grew_6_6_percent_on_the_same_period_of_2020(demo):
    general = {"project__fund_source__code": "general", "project__function_class__is_livelihood": True}
    now = spent(year=2021, as_of=AS_OF, **general)
    before = spent(year=2020, as_of=SAME_DAY_LAST_YEAR, **general)
    assert percent(now / before - 1) == Decimal("6.6")  # 88.5 / 83.02 − 1
    # Payments after 31 October 2020 exist and are left out of the same-period figure.
    assert Payment.objects.filter(project__fiscal_year_id=2020, paid_on__gt=SAME_DAY_LAST_YEAR).exists()


def test_agriculture_forestry_water_budget_is_16_1_yi_up_16_8_percent(demo):
    now = total(Project.objects.filter(fiscal_year_id=2021, function_class__code="213"), "budget")
    before = total(Project.objects.filter(fiscal_year_id=2020, function_class__code="213"), "budget")
    assert in_yi(now, "0.1") == Decimal("16.1")
    assert percent(now / before - 1) == Decimal("16.8")  # 16.1 / 13.78 − 1


def test_direct_funds_5_29_received_all_allocated_4_33_spent(demo):
    received = total(DirectFundGrant.objects.filter(fiscal_year_id=2021), "amount")
    allocated = total(Project.objects.filter(fiscal_year_id=2021, grant__isnull=False), "budget")
    spent_on_them = spent(year=2021, as_of=AS_OF, project__grant__isnull=False)
    assert in_yi(received) == Decimal("5.29")
    assert percent(allocated / received) == Decimal("100.0")
    assert in_yi(spent_on_them) == Decimal("4.33")
    assert percent(spent_on_them / received) == Decimal("81.9")  # 4.33 / 5.29


def test_24_finalised_key_evaluations_by_sub_category_involving_18_97_yi(demo):
    key = Evaluation.objects.filter(fiscal_year_id=2021, kind="key", status="finalised")
    by_category = dict(key.values_list("key_category").annotate(n=Count("pk")))
    assert by_category == {
        "livelihood": 12,
        "development_policy": 3,
        "investment_ex_ante": 3,
        "department_wide": 6,
    }
    project_funds = total(key.filter(project__isnull=False), "project__budget")
    department_funds = total(
        Project.objects.filter(
            fiscal_year_id=2021, department__in=key.filter(department__isnull=False).values("department")
        ),
        "budget",
    )
    assert in_yi(project_funds + department_funds) == Decimal("18.97")


def test_self_evaluations_cover_most_projects(demo):
    projects = Project.objects.filter(fiscal_year_id=2021).count()
    evaluated = Evaluation.objects.filter(fiscal_year_id=2021, kind="self").count()
    assert evaluated > projects * 0.8


def test_112_budget_reviews_21_59_yi_submitted_0_65_yi_cut_3_01_percent(demo):
    reviews = BudgetReview.objects.filter(reviewed_on__year=2021)
    submitted = total(reviews, "submitted_amount")
    cut = submitted - total(reviews, "approved_amount")
    assert reviews.count() == 112
    assert in_yi(submitted) == Decimal("21.59")
    assert in_yi(cut) == Decimal("0.65")
    assert (cut / submitted * 100).quantize(Decimal("0.01")) == Decimal("3.01")  # 0.65 / 21.59


def test_per_pupil_funding_standards(demo):
    standards = dict(QuotaStandard.objects.filter(fiscal_year_id=2021).values_list("name", "amount"))
    assert standards == {
        "幼儿园生均公用经费": Decimal("870.00"),
        "小学生均公用经费": Decimal("840.00"),
        "初中生均公用经费": Decimal("1200.00"),
    }


def test_some_departments_have_no_previous_year_score(demo):
    evaluated_2020 = Evaluation.objects.filter(fiscal_year_id=2020, status="finalised")
    scored = set(evaluated_2020.values_list("project__department_id", flat=True)) | set(
        evaluated_2020.values_list("department_id", flat=True)
    )
    new = Department.objects.filter(projects__fiscal_year_id=2021).exclude(pk__in=scored).distinct()
    assert set(new.values_list("name", flat=True)) == {"区数据局", "区乡村振兴局", "区滨江新区管理委员会"}


def test_two_departments_score_exactly_alike_in_both_years(demo):
    def totals(name: str, year: int) -> set[Decimal]:
        return set(
            Evaluation.objects.filter(fiscal_year_id=year, status="finalised", project__department__name=name)
            .values_list("total", flat=True)
            .distinct()
        )

    for year, expected in ((2021, Decimal("85")), (2020, Decimal("80"))):
        assert totals("区统计局", year) == totals("区信访局", year) == {expected}
    assert totals("区档案馆", 2021) == {Decimal("88")}  # Δ ties at +5, broken by the higher score


def test_some_self_evaluations_are_inflated_against_the_key_evaluation(demo):
    key = Evaluation.objects.filter(
        fiscal_year_id=2021, kind="key", status="finalised", project__isnull=False
    )
    inflated = Evaluation.objects.filter(
        fiscal_year_id=2021,
        kind="self",
        status="finalised",
        grade="excellent",
        project__evaluations__in=key.filter(total__lt=75),
    )
    assert inflated.count() >= 1


def test_demo_users_log_in_with_their_roles(demo):
    officer = authenticate(username="officer", password="demo-password-for-tests")
    head = authenticate(username="head", password="demo-password-for-tests")
    admin = authenticate(username="admin", password="demo-password-for-tests")
    assert officer and head and admin
    assert is_officer(officer) and admin.is_superuser
    assert Department.objects.get(pk=scope_of(head).department_id).name == "区卫生健康委员会"


def test_the_demo_unit_user_fills_for_one_unit_of_the_heads_department(demo):
    unit = authenticate(username="unit", password="demo-password-for-tests")
    assert unit is not None and not unit.is_staff
    assert list(unit.groups.values_list("name", flat=True)) == [UNIT_STAFF]
    assert is_unit_filler(unit)
    membership = UnitMembership.objects.select_related("unit__department").get(user=unit)
    assert membership.unit.department.code == "127"
    assert membership.unit.department.name == "区卫生健康委员会"
    assert scope_of(unit).unit_id == membership.unit_id
    visible = Project.objects.visible_to(unit)
    assert visible.filter(fiscal_year_id=2021).exists()  # the unit's pages have something on them
    assert not visible.exclude(unit=membership.unit).exists()


def fingerprint() -> str:
    """A digest of every seeded row that a user would see."""
    digest = hashlib.sha256()
    for queryset in (
        Department.objects.order_by("code").values_list("code", "name"),
        BudgetUnit.objects.order_by("code").values_list("code", "name", "department__code"),
        Project.objects.order_by("fiscal_year", "code").values_list(
            "code", "name", "unit__code", "budget", "grant"
        ),
        Payment.objects.order_by("voucher_no").values_list(
            "voucher_no", "project__code", "paid_on", "amount"
        ),
        Evaluation.objects.order_by("fiscal_year", "kind", "project__code", "department__code").values_list(
            "kind", "project__code", "department__code", "total", "status"
        ),
        BudgetReview.objects.order_by("opinion_no").values_list(
            "opinion_no", "submitted_amount", "approved_amount"
        ),
    ):
        for row in queryset.iterator(chunk_size=5000):
            digest.update(repr(row).encode())
    return digest.hexdigest()


def test_seeding_twice_leaves_the_same_data_not_twice_the_data(demo):
    before = fingerprint()
    payments = Payment.objects.count()
    seed_demo(password="demo-password-for-tests")
    assert Payment.objects.count() == payments
    assert fingerprint() == before


def test_a_generated_password_is_kept_in_the_credentials_file(tmp_path, monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    monkeypatch.setattr(seed_module, "CREDENTIALS_FILE", tmp_path / ".demo-credentials")
    password, source = seed_module._demo_password(None)
    assert source == "generated" and len(password) >= 12
    monkeypatch.setenv("DEMO_PASSWORD", "from-the-environment")
    assert seed_module._demo_password(None) == ("from-the-environment", "environment")
    assert seed_module._demo_password("given") == ("given", "option")


def test_the_demo_head_sees_only_their_department(demo):
    head = get_user_model().objects.get(username="head")
    visible = Project.objects.visible_to(head)
    assert visible.exists()
    assert not visible.filter(~Q(department__name="区卫生健康委员会")).exists()


@pytest.mark.parametrize("replica", [35, 45, 77])
def test_every_copy_of_a_scaled_seed_has_no_negative_budget(replica):
    # These copies of `seed_demo --scale 100` once gave a class's fixed key-evaluation budgets more
    # than the class total (1.25 亿 of 1.00 亿 in class 220), leaving its other projects negative.
    from demo import catalogue as cat
    from demo.builder import DistrictBuilder

    builder = DistrictBuilder(seed=2021, replica=replica, ids={})
    builder.build(
        function_class_ids={code: index for index, (code, *_rest) in enumerate(cat.FUNCTION_CLASSES, 1)},
        fund_source_ids={code: index for index, (code, _name) in enumerate(cat.FUND_SOURCES, 1)},
    )
    assert min(Decimal(row["budget"]) for row in builder.rows["project"]) >= 0


def test_the_cycle_is_at_work_with_something_on_every_demo_users_todo_list(demo):
    from django.contrib.auth import get_user_model

    from performance.models import Evaluation, SelfEvaluation
    from projects.targets.todo import waiting_targets
    from workflow.models import State
    from workflow.todo import count_for

    assert set(SelfEvaluation.objects.values_list("state", flat=True)) == set(State.values)
    unit_states = set(
        SelfEvaluation.objects.filter(project__unit__memberships__user__username="unit").values_list(
            "state", flat=True
        )
    )
    assert {State.DRAFT, State.RETURNED, State.APPROVED} <= unit_states
    assert Evaluation.objects.filter(kind="key", status="draft", total__isnull=True).count() == 3
    users = get_user_model().objects.filter(username__in=["unit", "head", "officer"])
    assert all(count_for(user) > 0 for user in users) and len(users) == 3
    # Targets too: the unit's drafts and returned versions, what it submitted, what the head forwarded.
    assert all(waiting_targets(scope_of(user)).exists() for user in users)


def test_the_pool_has_2022_proposals_in_every_state_including_the_unit_users(demo):
    unit = get_user_model().objects.get(username="unit")
    pool = Project.objects.filter(fiscal_year_id=2022).order_by("code")
    assessments = {
        e.project.code: (e.status, e.grade)
        for e in Evaluation.objects.filter(kind=Evaluation.Kind.EX_ANTE, fiscal_year_id=2022).select_related(
            "project"
        )
    }

    assert FiscalYear.objects.get(is_current=True).year == 2021  # the pool is for the year after
    assert pool.count() == 7 and pool.values("department").distinct().count() == 4
    assert pool.filter(unit=UnitMembership.objects.get(user=unit).unit).count() == 3
    assert sorted(pool.values_list("status", flat=True)) == ["approved", "cancelled"] + ["proposed"] * 5
    assert sorted(assessments.values()) == [
        ("draft", "fair"),  # 74, not finalised yet
        ("finalised", "excellent"),
        ("finalised", "fair"),  # the approved one
        ("finalised", "good"),
        ("finalised", "poor"),  # the refused one
    ]
    approved = pool.get(status="approved")
    assert (approved.budget, approved.requested_amount) == (Decimal("5000000.00"), Decimal("5600000.00"))
    # Only the approved one is in 2022's budget; the proposals count nowhere.
    assert pool.exclude(status="approved").filter(budget__gt=0).count() == 0
