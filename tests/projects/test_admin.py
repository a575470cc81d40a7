"""Django admin of projects' models: every changelist opens with a constant query count
(tests/admin_walk.py); a project's change form shows its targets and indicators inline."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from projects.models import (
    Category,
    DeclaredIndicator,
    Indicator,
    IndicatorTemplate,
    Payment,
    PerformanceTarget,
    Project,
    QuotaStandard,
    TargetDeclaration,
)
from tests.admin_walk import BASE, ONE_COUNT, AdminWalk, _next
from tests.factories import (
    DeclaredIndicatorFactory,
    DepartmentFactory,
    FiscalYearFactory,
    IndicatorFactory,
    PaymentFactory,
    ProjectFactory,
    TargetDeclarationFactory,
)

pytestmark = pytest.mark.django_db


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


class TestProjectsAdmin(AdminWalk):
    app_label = "projects"
    builders = {
        Payment: PaymentFactory.create_batch,
        Project: ProjectFactory.create_batch,
        PerformanceTarget: make_performance_targets,
        Indicator: IndicatorFactory.create_batch,
        QuotaStandard: make_quota_standards,
        IndicatorTemplate: make_indicator_templates,
        TargetDeclaration: TargetDeclarationFactory.create_batch,
        DeclaredIndicator: DeclaredIndicatorFactory.create_batch,
    }
    read_only = frozenset({TargetDeclaration, DeclaredIndicator})
    query_budget = {
        Payment: ONE_COUNT + 1,  # fiscal year filter
        Project: BASE + 4,  # fiscal year, fund source, function class and department filters
        PerformanceTarget: BASE + 1,  # fiscal year filter
        Indicator: BASE + 2,  # fiscal year filter, distinct level-1 names
        QuotaStandard: BASE + 1,  # fiscal year filter
        IndicatorTemplate: BASE + 1,  # department filter
        TargetDeclaration: BASE + 1,  # round filter
        DeclaredIndicator: BASE,
    }


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
