"""Versions of a project's targets (SPEC §13): declared from the template, reviewed through §12.1, put in
force on approval; a revision (调整) leaves the version in force untouched until it is approved; every
version stays. The self-evaluation measures against the version in force."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from performance.services.self_evaluations import sheet_for
from projects.models import (
    Category,
    Indicator,
    IndicatorTemplate,
    PerformanceTarget,
    QuotaStandard,
    TargetDeclaration,
)
from projects.targets import services
from projects.targets.services import Entry
from projects.targets.todo import TARGETS_ON_RECORD
from tests.factories import (
    BudgetUnitFactory,
    FiscalYearFactory,
    IndicatorFactory,
    ProjectFactory,
    make_head,
    make_officer,
    make_unit_filler,
)
from workflow.models import Action, State, Transition
from workflow.rounds import open_round
from workflow.services import TransitionRefused, timeline, transition


@pytest.fixture(autouse=True)
def english():
    """The messages are asserted in English."""
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def setup(department_a):
    year = FiscalYearFactory(year=2021)
    unit = BudgetUnitFactory(code="A01", department=department_a)
    project = ProjectFactory(
        fiscal_year=year, unit=unit, code="P-1", category=Category.LIVELIHOOD, budget=D("2610000")
    )
    for level1, level2, name, direction, target, measure, weight in (
        ("产出指标", "数量指标", "受助学生人数", "gte", "3000", "人", "40"),
        ("成本指标", "经济成本指标", "生均补助成本", "lte", "870", "元", "25"),
        ("满意度指标", "服务对象满意度指标", "家长满意度", "gte", "90", "%", "15"),
        ("效益指标", "社会效益指标", "入学保障", "qualitative", None, "", "10"),
    ):
        IndicatorTemplate.objects.create(
            department=department_a,
            category=Category.LIVELIHOOD,
            level1=level1,
            level2=level2,
            name=name,
            direction=direction,
            target_value=None if target is None else D(target),
            measure_unit=measure,
            weight=D(weight),
        )
    return {
        "project": project,
        "year": year,
        "unit": make_unit_filler(unit, "t_unit"),
        "head": make_head(department_a, "t_head"),
        "officer": make_officer("t_officer"),
    }


def walk(declaration, setup):
    for action, who in ((Action.SUBMIT, "unit"), (Action.FORWARD, "head"), (Action.APPROVE, "officer")):
        declaration = transition(declaration, user=setup[who], action=action)
    return declaration


def entries_of(declaration):
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


def resave(declaration, entries, **changes):
    values = {
        "goal": declaration.goal,
        "quota_standard": declaration.quota_standard,
        "quantity": declaration.quantity,
        "explanation": declaration.explanation,
    }
    values.update(changes)
    return services.save(declaration, entries=entries, **values)


def declared_and_approved(setup, goal="保障3000名学生按标准获得资助"):
    declaration = services.start(setup["project"], user=setup["unit"])
    assert services.copy_template(declaration) == 4
    resave(declaration, entries_of(declaration), goal=goal)
    return walk(declaration, setup)


def test_declared_from_the_template_and_approved_it_is_in_force(setup):
    project = setup["project"]
    declaration = declared_and_approved(setup)

    assert declaration.state == State.APPROVED and declaration.in_force
    assert services.in_force(project) == declaration
    assert PerformanceTarget.objects.get(project=project).goal == "保障3000名学生按标准获得资助"
    mirrored = {
        (i.name, i.direction, i.target_value, i.measure_unit, i.weight)
        for i in Indicator.objects.filter(project=project)
    }
    assert mirrored == {
        ("受助学生人数", "gte", D("3000"), "人", D("40")),
        ("生均补助成本", "lte", D("870"), "元", D("25")),
        ("家长满意度", "gte", D("90"), "%", D("15")),
        ("入学保障", "qualitative", None, "", D("10")),
    }
    assert [step.action for step in timeline(declaration)] == ["create", "submit", "forward", "approve"]


def test_submission_is_refused_on_errors_and_on_warnings_without_an_explanation(setup):
    declaration = services.start(setup["project"], user=setup["unit"])
    services.copy_template(declaration)
    with pytest.raises(TransitionRefused, match="overall goal"):
        transition(declaration, user=setup["unit"], action=Action.SUBMIT)
    entries = entries_of(declaration)
    entries[0] = Entry(**{**entries[0].__dict__, "weight": D("39.99")})  # 89.99 in all
    resave(declaration, entries, goal="目标")
    with pytest.raises(TransitionRefused, match="89.99"):
        transition(declaration, user=setup["unit"], action=Action.SUBMIT)
    # A weaker target than the template's (2,900 < 3,000 pupils): a warning, submitted once explained.
    entries[0] = Entry(**{**entries[0].__dict__, "weight": D("40"), "target_value": D("2900")})
    resave(declaration, entries)
    with pytest.raises(TransitionRefused, match="Explain the warnings"):
        transition(declaration, user=setup["unit"], action=Action.SUBMIT)
    declaration.refresh_from_db()
    assert declaration.state == State.DRAFT
    resave(declaration, entries, explanation="今年生源减少100人")
    assert transition(declaration, user=setup["unit"], action=Action.SUBMIT).state == State.SUBMITTED


def test_the_quota_check_uses_the_budget_and_the_quantity(setup):
    standard = QuotaStandard.objects.create(
        fiscal_year=setup["year"], name="生均公用经费（幼儿园）", measure_unit="人", amount=D("870")
    )
    declaration = services.start(setup["project"], user=setup["unit"])
    services.copy_template(declaration)
    # 2,610,000 ÷ 870 = 3,000 pupils exactly; 2,860 pupils → 2,488,200, the budget 4.90 % over it.
    resave(declaration, entries_of(declaration), goal="目标", quota_standard=standard, quantity=D("2860"))
    assert services.checks_for(declaration).warnings == []
    # 2,850 pupils → 2,479,500; 2,610,000 is 5.26 % over it.
    resave(declaration, entries_of(declaration), quantity=D("2850"))
    (warning,) = services.checks_for(declaration).warnings
    assert warning.code == "quota" and "5.26 %" in warning.message and "2,479,500.00" in warning.message


def test_a_revision_leaves_the_version_in_force_until_it_is_approved(setup):
    project = setup["project"]
    first = declared_and_approved(setup)
    pupils = Indicator.objects.get(project=project, name="受助学生人数")
    pupils.actual_value = D("3100")
    pupils.save()
    before = sheet_for(project)

    revision = services.start(project, user=setup["unit"])
    assert (revision.version, revision.state) == (2, State.DRAFT)
    assert services.start(project, user=setup["unit"]) == revision  # one version under way at a time
    entries = entries_of(revision)
    entries = [e for e in entries if e.name != "家长满意度"]  # dropped
    entries[0] = Entry(**{**entries[0].__dict__, "target_value": D("3200")})  # raised
    entries.append(
        Entry(
            level1="满意度指标",
            level2="服务对象满意度指标",
            name="学生满意度",
            direction="gte",
            target_value=D("92"),
            measure_unit="%",
            weight=D("15"),
        )
    )
    resave(revision, entries, goal="保障3200名学生", explanation="家长满意度改为学生满意度")
    revision = transition(revision, user=setup["unit"], action=Action.SUBMIT)
    revision = transition(revision, user=setup["head"], action=Action.FORWARD)

    # Under review: the approved version is still the one in force, and what the self-evaluation reads.
    first.refresh_from_db()
    assert first.in_force and services.in_force(project) == first
    assert PerformanceTarget.objects.get(project=project).goal == "保障3000名学生按标准获得资助"
    assert sorted(Indicator.objects.filter(project=project).values_list("name", flat=True)) == sorted(
        ["受助学生人数", "生均补助成本", "家长满意度", "入学保障"]
    )
    assert [line.indicator.name for line in sheet_for(project).lines] == [
        line.indicator.name for line in before.lines
    ]

    transition(revision, user=setup["officer"], action=Action.APPROVE)
    first.refresh_from_db()
    revision.refresh_from_db()
    assert not first.in_force and first.state == State.APPROVED and first.superseded_at is not None
    assert revision.in_force
    assert [v.version for v in services.versions(project)] == [2, 1]  # both kept
    indicators = {i.name: i for i in Indicator.objects.filter(project=project)}
    assert sorted(indicators) == sorted(["受助学生人数", "生均补助成本", "学生满意度", "入学保障"])
    # Kept by name, it keeps what the unit reported; its target is the revision's.
    assert indicators["受助学生人数"].pk == pupils.pk
    assert indicators["受助学生人数"].actual_value == D("3100")
    assert indicators["受助学生人数"].target_value == D("3200")
    assert PerformanceTarget.objects.get(project=project).goal == "保障3200名学生"
    assert {line.indicator.name for line in sheet_for(project).lines} == set(indicators)


def test_reopening_is_refused_for_a_superseded_version_and_while_a_revision_is_under_way(setup):
    project = setup["project"]
    first = declared_and_approved(setup)
    revision = services.start(project, user=setup["unit"])
    with pytest.raises(TransitionRefused, match="revision"):
        transition(first, user=setup["officer"], action=Action.REOPEN, reason="重新核定")
    walk(revision, setup)
    first.refresh_from_db()
    with pytest.raises(TransitionRefused, match="later version"):
        transition(first, user=setup["officer"], action=Action.REOPEN, reason="重新核定")
    assert first.state == State.APPROVED


def test_a_targets_round_starts_from_what_is_on_record(setup, department_a):
    officer = setup["officer"]
    year = setup["year"]
    unit = setup["project"].unit
    on_record = ProjectFactory(fiscal_year=year, unit=unit, code="P-2", category=Category.LIVELIHOOD)
    PerformanceTarget.objects.create(project=on_record, goal="按期完成")
    IndicatorFactory(project=on_record, name="受助学生人数", weight=D("50"))
    IndicatorFactory(project=on_record, name="自定指标", weight=D("40"))
    proposed = ProjectFactory(fiscal_year=year, unit=unit, code="P-pool", status="proposed")
    cancelled = ProjectFactory(fiscal_year=year, unit=unit, code="P-x", status="cancelled")

    round_, count = open_round(user=officer, kind="targets", year=2021, deadline=datetime.date(2021, 3, 31))

    assert count == 3
    versions = {d.project.code: d for d in TargetDeclaration.objects.select_related("project")}
    assert set(versions) == {"P-1", "P-2", "P-pool"}
    assert cancelled.target_declarations.count() == 0
    assert versions["P-2"].state == State.APPROVED and versions["P-2"].in_force
    assert versions["P-2"].goal == "按期完成"
    assert [
        (r.position, r.name, r.from_template) for r in versions["P-2"].indicators.order_by("position")
    ] == [
        (1, "受助学生人数", True),
        (2, "自定指标", False),
    ]
    assert versions["P-1"].state == State.DRAFT and versions["P-pool"].state == State.DRAFT
    assert versions["P-pool"].project == proposed
    steps = Transition.objects.filter(object_id=versions["P-2"].pk, content_type__model="targetdeclaration")
    assert [(s.action, s.to_state, s.note) for s in steps] == [("import", "approved", TARGETS_ON_RECORD)]
    assert all(d.round_id == round_.pk for d in versions.values())
