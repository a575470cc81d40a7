"""Django admin of performance's models: every changelist opens with a constant query count
(tests/admin_walk.py); evaluations saved with their total and grade; runs and their snapshots."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from performance.models import (
    BudgetAdjustment,
    BudgetReview,
    Evaluation,
    Grade,
    InflatedSelfScore,
    LeaderboardEntry,
    MonitoringLine,
    MonitoringReport,
    MonthlySpending,
    ProgressSnapshot,
    RecomputeRun,
    RecomputeState,
    RectificationFile,
    RectificationItem,
    RunFigures,
    ScopeKind,
    SelfEvaluation,
    WarningLevel,
    WeakProject,
)
from performance.services.partitions import SNAPSHOTS, snapshot_partition
from projects.models import Project
from tests.admin_walk import BASE, ONE_COUNT, AdminWalk, changelist_url
from tests.factories import (
    BudgetReviewFactory,
    DepartmentFactory,
    EvaluationFactory,
    FiscalYearFactory,
    ProjectFactory,
    UserFactory,
)
from workflow.models import Round

pytestmark = pytest.mark.django_db


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


def make_self_evaluations(n: int) -> None:
    for state, project in zip(
        ["draft", "submitted", "forwarded", "approved", "returned"] * n,
        ProjectFactory.create_batch(n),
        strict=False,
    ):
        SelfEvaluation.objects.create(project=project, state=state, achieved="完成")


def make_monitoring_reports(n: int) -> None:
    round_, _ = Round.objects.get_or_create(
        kind="monitoring",
        fiscal_year=FiscalYearFactory(year=2021),
        as_of=datetime.date(2021, 7, 31),
        defaults={"deadline": datetime.date(2021, 8, 20)},
    )
    for project in ProjectFactory.create_batch(n):
        MonitoringReport.objects.create(project=project, round=round_)


def make_monitoring_lines(n: int) -> None:
    make_monitoring_reports(1)
    report = MonitoringReport.objects.order_by("pk").last()
    for position in range(n):
        MonitoringLine.objects.create(
            report=report,
            position=position,
            level1="产出指标",
            name=f"指标{position}",
            direction="gte",
            target_value=Decimal("100"),
            weight=Decimal("30"),
            expected_value=Decimal("80"),
        )


def make_rectification_items(n: int) -> None:
    department = DepartmentFactory()
    FiscalYearFactory(year=2021)
    for _ in range(n):
        RectificationItem.objects.create(
            department=department,
            fiscal_year_id=2021,
            source="weak_spot",
            problem="短板",
            requirement="整改",
            deadline=datetime.date(2021, 12, 31),
        )


def make_rectification_files(n: int) -> None:
    make_rectification_items(1)
    item = RectificationItem.objects.order_by("pk").last()
    for index in range(n):
        RectificationFile.objects.create(
            item=item,
            file=f"rectification/{item.pk}/{index}.pdf",
            name=f"{index}.pdf",
            content_type="application/pdf",
            size=10,
        )


class TestPerformanceAdmin(AdminWalk):
    app_label = "performance"
    builders = {
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
        SelfEvaluation: make_self_evaluations,
        MonitoringReport: make_monitoring_reports,
        MonitoringLine: make_monitoring_lines,
        RectificationItem: make_rectification_items,
        RectificationFile: make_rectification_files,
    }
    query_budget = {
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
        SelfEvaluation: BASE + 1,  # the rounds filter
        MonitoringReport: BASE + 1,  # the rounds filter
        MonitoringLine: BASE,
        RectificationItem: BASE,
        RectificationFile: BASE,
    }
    read_only = frozenset(
        {
            RecomputeRun,
            ProgressSnapshot,
            MonthlySpending,
            LeaderboardEntry,
            RunFigures,
            WeakProject,
            InflatedSelfScore,
            RecomputeState,
            SelfEvaluation,
            MonitoringReport,
            MonitoringLine,
            RectificationItem,
            RectificationFile,
        }
    )


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
