"""The one scoping rule (SPEC §1), proved once per model and role.

Every model of the three apps that has a path to a department is walked: each must have
``objects.visible_to(user)``, and for every role it must give exactly the rows the rule below allows.
The rule is stated here on its own, from each row's owner, not from the model's paths:

- officers (and superusers) see every row;
- a department head sees the rows of their department;
- a unit filler sees the rows of their unit; of a model whose rows belong to a department as a whole
  (a department, its leaderboard line, its templates) they see their own department's;
- anyone else (staff without a role, a head whose link was removed) sees nothing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser

from finance.models import BudgetUnit, Department, DepartmentMembership, UnitMembership
from finance.scoping import scope_of
from performance.models import (
    BudgetAdjustment,
    BudgetReview,
    Evaluation,
    Grade,
    InflatedSelfScore,
    LeaderboardEntry,
    MonitoringReport,
    MonthlySpending,
    ProgressSnapshot,
    RectificationItem,
    ScopeKind,
    SelfEvaluation,
    WeakProject,
)
from performance.services import recompute_all
from projects.models import (
    Indicator,
    IndicatorTemplate,
    Payment,
    PerformanceTarget,
    Project,
    TargetDeclaration,
)
from tests.factories import (
    BudgetReviewFactory,
    BudgetUnitFactory,
    EvaluationFactory,
    FiscalYearFactory,
    IndicatorFactory,
    PaymentFactory,
    ProjectFactory,
    UserFactory,
    make_head,
    make_officer,
    make_unit_filler,
)
from workflow.models import Round, Transition
from workflow.services import record_step

APPS = ("finance", "workflow", "projects", "performance")


def _unit_of_scope_row(row) -> tuple[int | None, int | None]:
    if row.scope_kind == ScopeKind.DEPARTMENT:
        return row.scope_id, None
    if row.scope_kind == ScopeKind.UNIT:
        return BudgetUnit.objects.get(pk=row.scope_id).department_id, row.scope_id
    if row.scope_kind == ScopeKind.PROJECT:
        project = Project.objects.get(pk=row.scope_id)
        return project.department_id, project.unit_id
    return None, None  # the district, a function class, a fund source: shared aggregates


def _of_project(project) -> tuple[int, int]:
    return project.department_id, project.unit_id


#: Each model with a department path -> the (department id, unit id) that owns a row; unit None for a
#: row that belongs to its department as a whole.
OWNERS = {
    Department: lambda row: (row.pk, None),
    BudgetUnit: lambda row: (row.department_id, row.pk),
    DepartmentMembership: lambda row: (row.department_id, None),
    UnitMembership: lambda row: (row.unit.department_id, row.unit_id),
    Project: _of_project,
    Payment: lambda row: _of_project(row.project),
    PerformanceTarget: lambda row: _of_project(row.project),
    Indicator: lambda row: _of_project(row.project),
    IndicatorTemplate: lambda row: (row.department_id, None),
    Evaluation: lambda row: _of_project(row.project) if row.project_id else (row.department_id, None),
    BudgetReview: lambda row: _of_project(row.project),
    BudgetAdjustment: lambda row: _of_project(row.project),
    ProgressSnapshot: _unit_of_scope_row,
    MonthlySpending: _unit_of_scope_row,
    LeaderboardEntry: lambda row: (row.department_id, None),
    WeakProject: lambda row: _of_project(row.project),
    InflatedSelfScore: lambda row: _of_project(row.project),
    SelfEvaluation: lambda row: _of_project(row.project),
    TargetDeclaration: lambda row: _of_project(row.project),
    MonitoringReport: lambda row: _of_project(row.project),
    RectificationItem: lambda row: _of_project(row.project) if row.project_id else (row.department_id, None),
    Transition: lambda row: (row.department_id, row.unit_id),
}

#: Models that hold rows of both levels: a unit filler sees only their unit's rows of these (not the
#: department-wide evaluation, not the department's totals).
UNIT_LEVEL = {Evaluation, ProgressSnapshot, MonthlySpending, RectificationItem}


def _has_department_path(model) -> bool:
    if model is Department:
        return True
    for field in model._meta.get_fields():
        if field.name in ("department", "department_id", "scope_id"):
            return True  # scope_id: rows keyed by (scope kind, scope id), a department's among them
        if field.many_to_one or field.one_to_one:
            if field.concrete and field.related_model in (Department, BudgetUnit, Project):
                return True
    return False


def _models_with_department_path() -> list:
    found = []
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            if model.__name__.startswith("Historical"):
                continue  # change history is read through the record it belongs to
            if _has_department_path(model):
                found.append(model)
    return found


def test_every_model_with_a_department_path_has_visible_to_and_an_owner():
    models = _models_with_department_path()
    assert set(models) == set(OWNERS), "declare the owner of each new model in OWNERS"
    for model in models:
        assert hasattr(model.objects, "visible_to"), model


@pytest.fixture
def district(db, department_a, department_b):
    year = FiscalYearFactory(year=2021)
    units = {
        "a1": BudgetUnitFactory(code="A0101", department=department_a),
        "a2": BudgetUnitFactory(code="A0102", department=department_a),
        "b1": BudgetUnitFactory(code="B0201", department=department_b),
    }
    monitoring = Round.objects.create(
        kind=Round.Kind.MONITORING,
        fiscal_year=year,
        as_of=datetime.date(2021, 7, 31),
        deadline=datetime.date(2021, 8, 20),
    )
    projects = {}
    for name, unit in units.items():
        project = ProjectFactory(fiscal_year=year, unit=unit, code=f"P-{name}")
        projects[name] = project
        PaymentFactory(project=project, paid_on=datetime.date(2021, 4, 1), amount=Decimal("250000.00"))
        IndicatorFactory(project=project)
        PerformanceTarget.objects.create(project=project, goal=f"目标 {name}")
        self_evaluation = EvaluationFactory(fiscal_year=year, project=project)
        EvaluationFactory(
            fiscal_year=year,
            project=project,
            kind=Evaluation.Kind.KEY,
            key_category=Evaluation.KeyCategory.LIVELIHOOD,
        )
        BudgetReviewFactory(project=project)
        record = SelfEvaluation.objects.create(project=project)
        record_step(record, action="create", from_state="", to_state="draft")
        TargetDeclaration.objects.create(project=project, goal=f"目标 {name}")
        MonitoringReport.objects.create(project=project, round=monitoring)
        RectificationItem.objects.create(
            department_id=project.department_id,
            project=project,
            fiscal_year=year,
            source="warning",
            problem="支出进度滞后",
            requirement="加快支出",
            deadline=datetime.date(2021, 12, 31),
        )
        BudgetAdjustment.objects.create(
            evaluation=self_evaluation,
            project=project,
            target_year=2022,
            grade=Grade.GOOD,
            proposed_action=BudgetAdjustment.Action.KEEP,
            current_budget=project.budget,
            proposed_budget=project.budget,
        )
    for department in (department_a, department_b):
        EvaluationFactory(
            fiscal_year=year, project=None, department=department, kind=Evaluation.Kind.DEPARTMENT
        )
        RectificationItem.objects.create(
            department=department,
            fiscal_year=year,
            source="weak_spot",
            problem="部门整体绩效偏低",
            requirement="提出整改措施",
            deadline=datetime.date(2021, 12, 31),
        )
        IndicatorTemplate.objects.create(
            department=department,
            category=projects["a1"].category,
            level1="产出指标",
            level2="数量指标",
            name=f"模板 {department.code}",
            direction="gte",
            target_value=Decimal("10"),
            measure_unit="人",
            weight=Decimal("30"),
        )
    run = recompute_all(year=2021, as_of=datetime.date(2021, 10, 31))
    for position, project in enumerate(projects.values(), start=1):
        WeakProject.objects.create(
            run=run,
            department_id=project.department_id,
            project=project,
            position=position,
            budget=project.budget,
            project_score=Decimal("80"),
            pull=Decimal("1"),
        )
        InflatedSelfScore.objects.create(
            run=run,
            department_id=project.department_id,
            project=project,
            self_total=Decimal("90"),
            key_total=Decimal("80"),
            execution_rate=Decimal("0.5"),
            exceeds_key=True,
            excellent_but_low_execution=False,
        )
    users = {
        "officer": make_officer("scope_officer"),
        "admin": UserFactory(username="scope_admin", is_staff=True, is_superuser=True),
        "head_a": make_head(department_a, "scope_head_a"),
        "head_b": make_head(department_b, "scope_head_b"),
        "unit_a1": make_unit_filler(units["a1"], "scope_unit_a1"),
        "unit_b1": make_unit_filler(units["b1"], "scope_unit_b1"),
        "staff": UserFactory(username="scope_staff", is_staff=True),
        "anonymous": AnonymousUser(),
    }
    return users


def _allowed(user, model, owner: tuple[int | None, int | None]) -> bool:
    scope = scope_of(user)
    department_id, unit_id = owner
    if scope.everything:
        return True
    if scope.nothing or department_id is None:
        return False
    if scope.unit_id is not None:
        if unit_id is not None:
            return unit_id == scope.unit_id
        return model not in UNIT_LEVEL and department_id == scope.department_id
    return department_id == scope.department_id


@pytest.mark.parametrize(
    "role", ["officer", "admin", "head_a", "head_b", "unit_a1", "unit_b1", "staff", "anonymous"]
)
def test_each_model_shows_each_role_exactly_its_rows(district, role):
    user = district[role]
    for model in _models_with_department_path():
        owner_of = OWNERS[model]
        rows = list(model.objects.all())
        owners = {owner_of(row) for row in rows}
        # Not vacuous: every model has rows of both departments (and of a unit where it has units).
        assert len({department for department, _ in owners if department is not None}) == 2, model
        expected = {row.pk for row in rows if _allowed(user, model, owner_of(row))}
        seen = set(model.objects.visible_to(user).values_list("pk", flat=True))
        assert seen == expected, (model.__name__, role)


def test_the_roles_see_what_the_rule_says(district):
    """The rule's edges, by name: a filler sees their unit, not its sibling, and their department's name."""
    filler = district["unit_a1"]
    assert list(Project.objects.visible_to(filler).values_list("code", flat=True)) == ["P-a1"]
    assert list(Department.objects.visible_to(filler).values_list("code", flat=True)) == ["A01"]
    assert not Evaluation.objects.visible_to(filler).filter(kind=Evaluation.Kind.DEPARTMENT).exists()
    head = district["head_a"]
    assert sorted(Project.objects.visible_to(head).values_list("code", flat=True)) == ["P-a1", "P-a2"]
    assert scope_of(district["staff"]).nothing and scope_of(district["anonymous"]).nothing


def test_a_filler_whose_link_is_removed_sees_nothing(district):
    filler = district["unit_a1"]
    UnitMembership.objects.filter(user=filler).delete()
    fresh = type(filler).objects.get(pk=filler.pk)
    assert scope_of(fresh).nothing
    assert not Project.objects.visible_to(fresh).exists()


def test_an_inactive_user_sees_nothing(district):
    head = district["head_a"]
    head.is_active = False
    head.save()
    fresh = type(head).objects.get(pk=head.pk)
    assert scope_of(fresh).nothing
