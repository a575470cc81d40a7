"""Django admin: every model's changelist opens with a constant query count; forms, access, autocomplete."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from finance.models import (
    BudgetUnit,
    Department,
    DepartmentMembership,
    DirectFundGrant,
    FiscalYear,
    FunctionClass,
    FundSource,
    ImportBatch,
    ImportedRow,
    ImportJob,
)
from performance.models import (
    BudgetAdjustment,
    BudgetReview,
    Evaluation,
    Grade,
    InflatedSelfScore,
    LeaderboardEntry,
    MonthlySpending,
    ProgressSnapshot,
    RecomputeRun,
    RecomputeState,
    RunFigures,
    ScopeKind,
    WarningLevel,
    WeakProject,
)
from performance.services.partitions import SNAPSHOTS, snapshot_partition
from projects.models import (
    Category,
    Indicator,
    IndicatorTemplate,
    Payment,
    PerformanceTarget,
    Project,
    QuotaStandard,
)
from tests.factories import (
    BudgetReviewFactory,
    BudgetUnitFactory,
    DepartmentFactory,
    DirectFundGrantFactory,
    EvaluationFactory,
    FiscalYearFactory,
    FunctionClassFactory,
    FundSourceFactory,
    IndicatorFactory,
    PaymentFactory,
    ProjectFactory,
    UserFactory,
    make_head,
)

pytestmark = pytest.mark.django_db

_serial = itertools.count()


def _next() -> int:
    return next(_serial)


def make_fiscal_years(n: int) -> None:
    for _ in range(n):
        FiscalYearFactory(year=2000 + _next() % 100)


def make_import_batches(n: int) -> None:
    user = UserFactory(username="importer")
    for _ in range(n):
        ImportBatch.objects.create(
            kind=ImportBatch.Kind.PROJECTS,
            file_name=f"projects-{_next()}.xlsx",
            checksum="0" * 64,
            imported_by=user,
            created_count=3,
        )


def make_departments(n: int) -> None:
    for _ in range(n):
        make_head(DepartmentFactory(), f"head{_next()}")


def make_function_classes(n: int) -> None:
    for _ in range(n):
        FunctionClassFactory(code=f"{_next() % 1000:03d}", name="测试类")


def make_fund_sources(n: int) -> None:
    for _ in range(n):
        FundSourceFactory(code=f"source{_next()}", name=f"资金来源{_next()}")


def make_memberships(n: int) -> None:
    department = DepartmentFactory()
    for _ in range(n):
        make_head(department, f"head{_next()}")


def make_performance_targets(n: int) -> None:
    for project in ProjectFactory.create_batch(n):
        PerformanceTarget.objects.create(project=project, goal="全区义务教育学校生均公用经费按标准足额拨付")


def make_quota_standards(n: int) -> None:
    year = FiscalYearFactory()
    for _ in range(n):
        QuotaStandard.objects.create(
            fiscal_year=year, name=f"生均公用经费{_next()}", measure_unit="元/生·年", amount=Decimal("870")
        )


def make_indicator_templates(n: int) -> None:
    department = DepartmentFactory()
    for _ in range(n):
        IndicatorTemplate.objects.create(
            department=department,
            category=Category.LIVELIHOOD,
            level1="产出指标",
            level2="数量指标",
            name=f"受助学生人数{_next()}",
            direction="gte",
            target_value=Decimal("100"),
            measure_unit="人",
            weight=Decimal("20"),
        )


def make_evaluations(n: int) -> None:
    # One department-wide evaluation among the project ones: both kinds of target are listed.
    EvaluationFactory(kind=Evaluation.Kind.DEPARTMENT, project=None, department=DepartmentFactory())
    EvaluationFactory.create_batch(n - 1)


def make_budget_reviews(n: int) -> None:
    project = ProjectFactory()
    BudgetReviewFactory(project=project)
    BudgetReviewFactory.create_batch(n - 1)


def _run(status: str = RecomputeRun.Status.SUCCEEDED) -> RecomputeRun:
    return RecomputeRun.objects.create(
        fiscal_year=FiscalYearFactory(),
        as_of=datetime.date(2021, 10, 31),
        started_at=timezone.now(),
        finished_at=timezone.now(),
        status=status,
        duration_ms=250,
    )


def make_runs(n: int) -> None:
    for _ in range(n):
        _run()


def _scopes() -> list[tuple[str, int | None]]:
    """One scope of every kind, each pointing at a real row."""
    project = ProjectFactory()
    return [
        (ScopeKind.PROJECT, project.pk),
        (ScopeKind.UNIT, project.unit_id),
        (ScopeKind.DEPARTMENT, project.department_id),
        (ScopeKind.FUNCTION_CLASS, project.function_class_id),
        (ScopeKind.FUND_SOURCE, project.fund_source_id),
        (ScopeKind.DISTRICT, None),
    ]


def make_progress_snapshots(n: int) -> None:
    run = _run()
    if connection.vendor == "postgresql":  # a run's rows live in its own partition (only runs write them)
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {snapshot_partition(run.pk)} "
                f"PARTITION OF {SNAPSHOTS} FOR VALUES IN ({run.pk})"
            )
    scopes = _scopes()
    department_id = scopes[2][1]
    for i in range(n):
        kind, scope_id = scopes[i % len(scopes)]
        ProgressSnapshot.objects.create(
            run=run,
            scope_kind=kind,
            scope_id=scope_id,
            department_id=department_id if kind != ScopeKind.DISTRICT else None,
            budget=Decimal("1200000.00"),
            spent=Decimal("300000.00"),
            spending_progress=Decimal("0.2500"),
            time_progress=Decimal("0.8329"),
            gap_pp=Decimal("-58.29"),
            warning_level=WarningLevel.SERIOUS,
        )


def make_monthly_spending(n: int) -> None:
    run = _run()
    scopes = _scopes()
    for i in range(n):
        kind, scope_id = scopes[i % len(scopes)]
        MonthlySpending.objects.create(
            run=run,
            scope_kind=kind,
            scope_id=scope_id,
            month=i % 12 + 1,
            cumulative_spent=Decimal("300000.00"),
        )


def make_leaderboard_entries(n: int) -> None:
    run = _run()
    for rank, department in enumerate(DepartmentFactory.create_batch(n), start=1):
        LeaderboardEntry.objects.create(
            run=run,
            department=department,
            score=Decimal("86.5000"),
            previous_score=Decimal("82.0000"),
            increment=Decimal("4.5000"),
            increment_rank=rank,
            absolute_rank=rank,
            department_budget=Decimal("1000000.00"),
            evaluated_budget=Decimal("800000.00"),
            coverage=Decimal("0.8000"),
        )


def make_budget_adjustments(n: int) -> None:
    officer = UserFactory(username="decider")
    for evaluation in EvaluationFactory.create_batch(n):
        BudgetAdjustment.objects.create(
            evaluation=evaluation,
            project=evaluation.project,
            target_year=2022,
            grade=Grade.GOOD,
            proposed_action=BudgetAdjustment.Action.KEEP,
            current_budget=Decimal("1000000.00"),
            proposed_budget=Decimal("1000000.00"),
            decision=BudgetAdjustment.Decision.ACCEPTED,
            final_budget=Decimal("1000000.00"),
            decided_by=officer,
            decided_at=timezone.now(),
        )


def make_imported_rows(n: int) -> None:
    make_import_batches(1)
    batch = ImportBatch.objects.order_by("pk").last()
    ImportedRow.objects.bulk_create(
        ImportedRow(
            batch=batch, model_label="projects.payment", object_id=_next(), line=_next(), action="created"
        )
        for _ in range(n)
    )


def make_import_jobs(n: int) -> None:
    user = UserFactory(username="uploader")
    for _ in range(n):
        ImportJob.objects.create(
            kind=ImportBatch.Kind.PAYMENTS,
            file_name=f"payments-{_next()}.csv",
            content=b"voucher_no,year\n",
            size=16,
            checksum="0" * 64,
            uploaded_by=user,
        )


def make_users(n: int) -> None:
    make_memberships(n)


def make_run_figures(n: int) -> None:
    for _ in range(n):
        RunFigures.objects.create(
            run=_run(),
            time_progress=Decimal("0.8329"),
            previous_as_of="2020-10-31",
            general_budget_spent=Decimal("100.00"),
            livelihood_spent=Decimal("80.00"),
            livelihood_share=Decimal("0.8000"),
            direct_funds_received=Decimal("10.00"),
            direct_funds_allocated=Decimal("10.00"),
            direct_funds_spent=Decimal("8.00"),
            direct_funds_allocation_progress=Decimal("1.0000"),
            direct_funds_spending_progress=Decimal("0.8000"),
            review_count=1,
            review_submitted=Decimal("100.00"),
            review_cut=Decimal("3.00"),
            review_cut_rate=Decimal("0.0300"),
        )


def make_weak_projects(n: int) -> None:
    run = _run()
    for position, project in enumerate(ProjectFactory.create_batch(n), start=1):
        WeakProject.objects.create(
            run=run,
            department_id=project.department_id,
            project=project,
            position=position,
            budget=project.budget,
            project_score=Decimal("70.00"),
            pull=Decimal("1500000.00"),
        )


def make_inflated_self_scores(n: int) -> None:
    run = _run()
    for project in ProjectFactory.create_batch(n):
        InflatedSelfScore.objects.create(
            run=run,
            department_id=project.department_id,
            project=project,
            self_total=Decimal("94.00"),
            key_total=Decimal("66.00"),
            execution_rate=Decimal("0.8000"),
            exceeds_key=True,
            excellent_but_low_execution=False,
        )


def make_recompute_states(n: int) -> None:
    start = 2000 + RecomputeState.objects.count()
    for year in range(start, start + n):
        RecomputeState.objects.create(year=year, requested_generation=2, computed_generation=1)


#: model -> function that adds n rows of it (with whatever they hang off).
BUILDERS: dict[type, Callable[[int], object]] = {
    FiscalYear: make_fiscal_years,
    ImportBatch: make_import_batches,
    ImportedRow: make_imported_rows,
    ImportJob: make_import_jobs,
    Department: make_departments,
    BudgetUnit: BudgetUnitFactory.create_batch,
    FunctionClass: make_function_classes,
    FundSource: make_fund_sources,
    DirectFundGrant: DirectFundGrantFactory.create_batch,
    Payment: PaymentFactory.create_batch,
    DepartmentMembership: make_memberships,
    Project: ProjectFactory.create_batch,
    PerformanceTarget: make_performance_targets,
    Indicator: IndicatorFactory.create_batch,
    QuotaStandard: make_quota_standards,
    IndicatorTemplate: make_indicator_templates,
    Evaluation: make_evaluations,
    BudgetReview: make_budget_reviews,
    RecomputeRun: make_runs,
    ProgressSnapshot: make_progress_snapshots,
    MonthlySpending: make_monthly_spending,
    LeaderboardEntry: make_leaderboard_entries,
    BudgetAdjustment: make_budget_adjustments,
    RunFigures: make_run_figures,
    WeakProject: make_weak_projects,
    InflatedSelfScore: make_inflated_self_scores,
    RecomputeState: make_recompute_states,
    get_user_model(): make_users,
}

#: Queries per changelist page, the same with 1 row as with 30. Every page makes these six:
#: the session, the user, COUNT(*) for the paginator, COUNT(*) for "n total", the page of rows
#: (every foreign key it shows joined in) and the roles context processor's department lookup.
BASE = 6
#: Payment and the progress snapshot skip the second COUNT(*) (millions of rows at scale).
ONE_COUNT = BASE - 1
#: On top of those, one query per filter that lists related rows or distinct values, or per prefetch.
QUERY_BUDGET = {
    FiscalYear: BASE,
    ImportBatch: BASE,
    ImportedRow: ONE_COUNT,
    ImportJob: BASE,
    Department: BASE + 1,  # the heads, prefetched
    BudgetUnit: BASE + 1,  # department filter
    FunctionClass: BASE,  # the list_editable formset reuses the page of rows
    FundSource: BASE,
    DirectFundGrant: BASE + 1,  # fiscal year filter
    Payment: ONE_COUNT + 1,  # fiscal year filter
    DepartmentMembership: BASE + 1,  # department filter
    Project: BASE + 4,  # fiscal year, fund source, function class and department filters
    PerformanceTarget: BASE + 1,  # fiscal year filter
    Indicator: BASE + 2,  # fiscal year filter, distinct level-1 names
    QuotaStandard: BASE + 1,  # fiscal year filter
    IndicatorTemplate: BASE + 1,  # department filter
    Evaluation: BASE + 1,  # fiscal year filter
    BudgetReview: BASE,
    RecomputeRun: BASE + 1,  # fiscal year filter
    ProgressSnapshot: ONE_COUNT + 1,  # fiscal year filter; scope and department names are subqueries
    MonthlySpending: ONE_COUNT + 2,  # fiscal year filter, distinct months
    LeaderboardEntry: BASE + 1,  # fiscal year filter
    BudgetAdjustment: BASE + 1,  # distinct target years
    RunFigures: BASE + 1,  # fiscal year filter
    WeakProject: BASE + 1,  # fiscal year filter
    InflatedSelfScore: BASE + 1,  # fiscal year filter
    RecomputeState: BASE,
    get_user_model(): BASE + 1,  # group filter
}


def changelist_url(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


@pytest.mark.parametrize("model", list(BUILDERS), ids=lambda model: model.__name__)
def test_changelist_opens_with_the_same_queries_for_1_and_30_rows(
    client, admin, model, django_assert_max_num_queries
):
    client.force_login(admin)
    budget = QUERY_BUDGET[model]
    existing = model.objects.count()  # 1 for User: the admin

    BUILDERS[model](1)
    with django_assert_max_num_queries(budget) as one_row:
        response = client.get(changelist_url(model))
    assert response.status_code == 200
    assert response.context["cl"].result_count == existing + 1

    BUILDERS[model](29)
    with django_assert_max_num_queries(budget) as thirty_rows:
        response = client.get(changelist_url(model))
    assert response.status_code == 200
    assert response.context["cl"].result_count == existing + 30
    assert len(thirty_rows) == len(one_row)


@pytest.mark.parametrize("term", ["2021", "测试"])
@pytest.mark.parametrize("model", list(BUILDERS), ids=lambda model: model.__name__)
def test_changelist_search_accepts_numbers_and_words(client, admin, model, term):
    # Search fields include integers, dates and "__exact" casts, which each database handles its own way.
    BUILDERS[model](2)
    client.force_login(admin)

    response = client.get(changelist_url(model), {"q": term})

    assert response.status_code == 200


#: Written only by the importer and the recompute: no add or change form in the admin.
READ_ONLY = {
    ImportBatch,
    ImportedRow,
    ImportJob,
    RecomputeRun,
    ProgressSnapshot,
    MonthlySpending,
    LeaderboardEntry,
    RunFigures,
    WeakProject,
    InflatedSelfScore,
    RecomputeState,
}


@pytest.mark.parametrize("model", list(BUILDERS), ids=lambda model: model.__name__)
def test_add_form_opens_unless_the_model_is_read_only(client, admin, model):
    client.force_login(admin)
    opts = model._meta

    response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))

    assert response.status_code == (403 if model in READ_ONLY else 200)


@pytest.mark.parametrize("model", list(BUILDERS), ids=lambda model: model.__name__)
def test_change_form_and_history_open_for_the_admin(client, admin, model):
    BUILDERS[model](1)
    row = model.objects.order_by("pk").last()
    client.force_login(admin)
    opts = model._meta

    response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk]))
    assert response.status_code == 200

    response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[row.pk]))
    assert response.status_code == 200


def test_every_model_of_the_three_apps_has_an_admin():
    from django.apps import apps
    from django.contrib import admin as django_admin

    for app_label in ("finance", "projects", "performance"):
        for model in apps.get_app_config(app_label).get_models():
            if model.__name__.startswith("Historical"):
                continue  # simple-history's tables, shown on their model's history page
            assert model in django_admin.site._registry, f"{model.__name__} has no ModelAdmin (SPEC §6)"
            assert model in BUILDERS, f"{model.__name__} has no changelist query test here"


def test_project_change_form_shows_its_indicators_inline(client, admin):
    project = ProjectFactory()
    PerformanceTarget.objects.create(project=project, goal="保障适龄儿童入学")
    IndicatorFactory(project=project, name="资助学生人数")
    IndicatorFactory(project=project, name="学生满意度", direction="qualitative", target_value=None)
    client.force_login(admin)

    response = client.get(reverse("admin:projects_project_change", args=[project.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "资助学生人数" in html
    assert "学生满意度" in html
    assert "保障适龄儿童入学" in html
    # The department is shown, not editable: it follows the unit.
    assert project.department.name in html
    assert 'name="department"' not in html
    assert response.context["inline_admin_formsets"][1].formset.queryset.count() == 2


def test_admin_saves_an_evaluation_with_total_and_grade_computed(client, admin):
    project = ProjectFactory()
    client.force_login(admin)

    response = client.post(
        reverse("admin:performance_evaluation_add"),
        {
            "fiscal_year": project.fiscal_year_id,
            "kind": Evaluation.Kind.SELF,
            "key_category": "",
            "project": project.pk,
            "department": "",
            "decision": "18",
            "process": "17",
            "output": "26",
            "benefit": "25",
            "decision_max": "20",
            "process_max": "20",
            "output_max": "30",
            "benefit_max": "30",
            "status": Evaluation.Status.DRAFT,
            "evaluator": "",
            "evaluated_on": "",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    evaluation = Evaluation.objects.get(project=project)
    assert evaluation.total == Decimal("86")  # 18 + 17 + 26 + 25
    assert evaluation.grade == Grade.GOOD  # 80 ≤ 86 < 90


def test_officer_who_is_not_staff_is_sent_to_the_admin_login(client, officer):
    client.force_login(officer)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_department_autocomplete_finds_departments_for_the_admin(client, admin, department_a, department_b):
    client.force_login(admin)

    response = client.get(
        reverse("admin:autocomplete"),
        {"term": "教育", "app_label": "finance", "model_name": "budgetunit", "field_name": "department"},
    )

    assert response.status_code == 200
    assert response.json()["results"] == [{"id": str(department_a.pk), "text": "区教育体育局"}]


def test_admin_links_a_head_to_a_department_from_the_user_page(client, admin, department_a):
    user = UserFactory(username="new_head")
    client.force_login(admin)
    url = reverse("admin:auth_user_change", args=[user.pk])

    response = client.post(
        url,
        {
            "username": "new_head",
            "is_active": "on",
            "date_joined_0": "2021-01-04",
            "date_joined_1": "09:00:00",
            "department_membership-TOTAL_FORMS": "1",
            "department_membership-INITIAL_FORMS": "0",
            "department_membership-MIN_NUM_FORMS": "0",
            "department_membership-MAX_NUM_FORMS": "1",
            "department_membership-0-department": department_a.pk,
            "department_membership-0-user": user.pk,
        },
    )

    assert response.status_code == 302
    assert DepartmentMembership.objects.get(user=user).department == department_a


def test_snapshots_cannot_be_added_or_changed_in_the_admin(client, admin):
    make_progress_snapshots(1)
    snapshot = ProgressSnapshot.objects.get()
    client.force_login(admin)

    assert client.get(reverse("admin:performance_progresssnapshot_add")).status_code == 403
    response = client.post(
        reverse("admin:performance_progresssnapshot_change", args=[snapshot.pk]), {"spent": "0"}
    )
    assert response.status_code == 403
    snapshot.refresh_from_db()
    assert snapshot.spent == Decimal("300000.00")


def test_deleting_a_run_in_the_admin_deletes_its_snapshots(client, admin, django_capture_on_commit_callbacks):
    make_progress_snapshots(6)
    make_monthly_spending(3)
    kept = _run()
    run = RecomputeRun.objects.exclude(pk=kept.pk).order_by("pk").first()
    LeaderboardEntry.objects.create(
        run=run,
        department=DepartmentFactory(),
        department_budget=Decimal("0"),
        evaluated_budget=Decimal("0"),
        coverage=Decimal("0"),
    )
    client.force_login(admin)

    with django_capture_on_commit_callbacks(execute=True):  # PostgreSQL drops the partition after commit
        response = client.post(
            reverse("admin:performance_recomputerun_delete", args=[run.pk]), {"post": "yes"}
        )

    assert response.status_code == 302
    assert not RecomputeRun.objects.filter(pk=run.pk).exists()
    assert not ProgressSnapshot.objects.filter(run_id=run.pk).exists()
    assert not LeaderboardEntry.objects.filter(run_id=run.pk).exists()
    # The monthly rows belong to the other run made by make_monthly_spending, which stays.
    assert MonthlySpending.objects.count() == 3
    assert RecomputeRun.objects.filter(pk=kept.pk).exists()


def test_run_list_links_to_its_snapshots(client, admin):
    make_progress_snapshots(6)
    make_progress_snapshots(2)
    run = RecomputeRun.objects.order_by("pk").first()
    client.force_login(admin)

    response = client.get(changelist_url(ProgressSnapshot), {"run__id__exact": run.pk})

    assert response.status_code == 200
    assert response.context["cl"].result_count == 6
    names = {row.scope_name for row in response.context["cl"].result_list}
    project = Project.objects.order_by("pk").first()
    assert f"{project.code} {project.name}" in names
    assert project.unit.name in names
    assert project.department.name in names
    assert "205 教育" in names
    assert "一般公共预算" in names
