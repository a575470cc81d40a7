"""The indicators import brings the goal and the template marks, and checks each project's targets as the
form does (SPEC §7, §13; issue 18 item 5): errors refuse the file with line numbers, warnings show in
the preview; applying gives each changed project an approved version in force, which a rollback undoes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import translation

from finance.importing.applying import import_file
from finance.importing.rollback import rollback_batch
from projects.models import (
    DeclaredIndicator,
    Indicator,
    IndicatorTemplate,
    PerformanceTarget,
    TargetDeclaration,
)
from tests.factories import (
    DeclaredIndicatorFactory,
    IndicatorFactory,
    ProjectFactory,
    TargetDeclarationFactory,
)
from tests.finance.import_support import csv_bytes, headers, make_district, problems_of, project
from workflow.models import Action, State, Transition

HEADER = headers("indicators", "goal", "from_template")
GOAL = "资助家庭经济困难学生，应助尽助"


def row(
    name, weight, *, level1="产出指标", level2="数量指标", target=100, unit="人", goal="", mark="", code="PA1"
):
    direction = "定性" if target == "" and unit == "" else "≥"
    return [2021, code, level1, level2, name, direction, target, unit, weight, "", goal, mark]


def complete(*, goal=GOAL, output="30", benefit="60", code="PA1", **extra) -> list[list]:
    """A complete set for ``code``: an output and a benefit indicator, weights summing to 90."""
    return [
        HEADER,
        row("资助人数", output, goal=goal, code=code, **extra),
        row("资助覆盖率", benefit, level1="效益指标", level2="社会效益指标", target=95, unit="%", code=code),
    ]


def imported(rows, user, name="targets.csv"):
    plan, batch = import_file(kind="indicators", file_name=name, data=csv_bytes(rows), user=user)
    assert plan.problems == [], [p.text() for p in plan.problems]
    return plan, batch


def messages(rows, user) -> list[tuple[int | None, str, str]]:
    return problems_of("indicators", "targets.csv", csv_bytes(rows), user)


def in_force(code="PA1") -> TargetDeclaration:
    return TargetDeclaration.objects.get(project=project(code), state=State.APPROVED, superseded_at=None)


@pytest.fixture
def district(department_a, department_b):
    built = make_district(department_a, department_b)
    IndicatorTemplate.objects.create(
        department=department_a,
        category=project("PA1").category,
        level1="产出指标",
        level2="数量指标",
        name="资助人数",
        direction="gte",
        target_value=Decimal("100"),
        measure_unit="人",
        weight=Decimal("30"),
    )
    return built


@pytest.mark.parametrize(
    "weight,ok", [("59.99", False), ("60", True), ("60.01", False)], ids=["89.99", "90", "90.01"]
)
def test_the_weights_must_sum_to_90_exactly(district, officer, weight, ok):
    rows = complete(benefit=weight)
    if ok:
        imported(rows, officer)
        assert in_force().indicators.count() == 2
        return
    total = "89.99" if weight == "59.99" else "90.01"
    change = "0.01" if weight == "59.99" else "-0.01"
    assert messages(rows, officer) == [
        (
            2,
            "weight",
            "The weights of project PA1's indicators (lines 2, 3, with those already stored) would add "
            f"up to {total}; they must add up to exactly 90 (the execution rate holds the other 10). "
            f"Change them by {change}.",
        )
    ]


def test_stored_indicators_count_in_the_set_the_file_leaves(district, officer):
    IndicatorFactory(
        project=project("PA1"), level1="产出指标", level2="质量指标", name="按时发放率", weight=10
    )
    found = messages(complete(), officer)
    assert [(line, column) for line, column, _text in found] == [(2, "weight")]
    assert "would add up to 100" in found[0][2]
    imported(complete(benefit="50"), officer)
    assert in_force().indicators.count() == 3


def test_each_error_names_its_lines(district, officer):
    rows = [
        HEADER,
        row("资助人数", "30", unit=""),
        row("资助人数", "30", level2="质量指标"),
        row("满意度", "30", level1="满意度指标", level2="服务对象满意度指标", target="", unit=""),
    ]
    assert messages(rows, officer) == [
        (
            2,
            "level1",
            "Project PA1 (lines 2, 3, 4) would have no benefit indicator (level 1 “效益指标”): every "
            "declaration needs one.",
        ),
        (
            2,
            "name",
            "Project PA1 would have 2 indicators named “资助人数” (lines 2, 3): give each indicator a "
            "name of its own.",
        ),
        (2, "unit", "“资助人数” of project PA1 is quantitative: it needs a unit of measure."),
    ]
    no_output = [
        HEADER,
        row("资助覆盖率", "90", level1="效益指标", level2="社会效益指标", target=95, unit="%"),
    ]
    assert [text for _line, _column, text in messages(no_output, officer)] == [
        "Project PA1 (lines 2) would have no output indicator (level 1 “产出指标”): "
        "every declaration needs one."
    ]


def test_warnings_show_in_the_preview_and_the_file_applies(district, officer):
    rows = [
        HEADER,
        row("资助人次", "30", goal=GOAL),
        row("资助覆盖率", "60", level1="效益指标", level2="社会效益指标", target=95, unit="%"),
    ]
    plan, batch = imported(rows, officer)
    with translation.override("en"):
        assert [(w.line, w.text()) for w in plan.warnings] == [
            (2, "Project PA1 leaves out the template's indicator “资助人数” (产出指标 / 数量指标).")
        ]
    assert batch is not None and in_force().indicators.count() == 2


@pytest.mark.parametrize("target,weaker", [("100", False), ("99.99", True)])
def test_a_target_weaker_than_the_templates_is_a_warning(district, officer, target, weaker):
    rows = complete(mark="yes")
    rows[1][6] = target
    plan, batch = imported(rows, officer)
    assert batch is not None
    if not weaker:
        assert plan.warnings == []
        return
    with translation.override("en"):
        assert [(w.line, w.text()) for w in plan.warnings] == [
            (2, "“资助人数” of project PA1: the target 99.99 is weaker than the template's ≥ 100.")
        ]


def test_one_goal_per_project(district, officer):
    rows = complete()
    rows[2][10] = "另一个目标"
    assert messages(rows, officer) == [
        (
            2,
            "goal",
            "Lines 2, 3 give project PA1 different overall goals: give it one goal (the other lines may "
            "leave the goal blank).",
        )
    ]
    imported(complete(), officer)
    assert PerformanceTarget.objects.get(project=project("PA1")).goal == GOAL
    assert in_force().goal == GOAL
    # Blank keeps the goal; a new goal alone is a change of the targets: a new version.
    imported(complete(goal=""), officer)
    assert in_force().version == 1
    plan, batch = imported(complete(goal="新的目标"), officer)
    assert (len(plan.creates), len(plan.updates), plan.other_changes) == (0, 0, 1)
    assert batch is not None
    assert (in_force().version, in_force().goal) == (2, "新的目标")
    assert PerformanceTarget.objects.get(project=project("PA1")).goal == "新的目标"


def test_rows_marked_from_the_template(district, officer):
    imported(complete(mark="是"), officer)
    assert dict(in_force().indicators.values_list("name", "from_template")) == {
        "资助人数": True,
        "资助覆盖率": False,
    }
    rows = complete()
    rows[2][11] = "yes"
    assert messages(rows, officer) == [
        (
            3,
            "from_template",
            "“资助覆盖率” is marked as coming from the template, but the department's template "
            "for this project's category has no indicator of that name: mark it “no”, "
            "or give the template's name.",
        )
    ]
    # Unmarking is a change of the targets too.
    plan, _batch = imported(complete(mark="否"), officer)
    assert plan.other_changes == 1
    assert not in_force().indicators.filter(from_template=True).exists()


@pytest.mark.parametrize("state", [State.SUBMITTED, State.FORWARDED, State.DRAFT, State.RETURNED])
def test_targets_under_review_in_the_app_are_refused(district, officer, state):
    declaration = TargetDeclarationFactory(project=project("PA1"), state=state)
    DeclaredIndicatorFactory(declaration=declaration)
    assert messages(complete(), officer) == [
        (
            2,
            "project_code",
            "The targets of project PA1 are being declared or reviewed in the app (version 1) "
            "and lines 2, 3 would change them: let that version be approved first, "
            "or leave the project out of the file.",
        )
    ]


def test_an_empty_draft_is_taken_over(district, officer):
    draft = TargetDeclarationFactory(project=project("PA1"), state=State.DRAFT, goal="")
    _plan, batch = imported(complete(), officer)
    draft.refresh_from_db()
    assert (draft.state, draft.goal, draft.import_batch, draft.version) == (State.APPROVED, GOAL, batch, 1)
    assert draft.indicators.count() == 2
    step = Transition.objects.get(
        content_type=ContentType.objects.get_for_model(TargetDeclaration), object_id=draft.pk
    )
    assert (step.action, step.from_state, step.to_state, step.actor) == (
        Action.IMPORT,
        State.DRAFT,
        State.APPROVED,
        officer,
    )
    assert "targets.csv" in step.note and "2, 3" in step.note

    rollback_batch(batch_id=batch.pk, user=officer)
    draft.refresh_from_db()
    assert (draft.state, draft.goal, draft.import_batch) == (State.DRAFT, "", None)
    assert not draft.indicators.exists()
    assert not PerformanceTarget.objects.filter(project=project("PA1")).exists()


def test_reimporting_changes_nothing(district, officer):
    imported(complete(mark="yes"), officer)
    plan, batch = imported(complete(mark="yes"), officer)
    assert (len(plan.creates), len(plan.updates), plan.other_changes, batch) == (0, 0, 0, None)
    assert TargetDeclaration.objects.count() == 1
    # An actual value alone is no change of the targets.
    rows = complete(mark="yes")
    rows[1][9] = "120"
    plan, batch = imported(rows, officer)
    assert len(plan.updates) == 1 and batch is not None
    assert TargetDeclaration.objects.count() == 1


def test_rollback_puts_the_previous_version_in_force_again(district, officer):
    _plan, first = imported(complete(), officer)
    v1 = in_force()
    _plan, second = imported(complete(goal="第二个目标", output="40", benefit="50", mark="yes"), officer)
    v2 = in_force()
    assert (v2.version, v2.goal) == (2, "第二个目标")
    v1.refresh_from_db()
    assert v1.superseded_at is not None
    steps = Transition.objects.filter(content_type=ContentType.objects.get_for_model(TargetDeclaration))
    assert steps.filter(object_id=v2.pk, action=Action.IMPORT).count() == 1

    rollback_batch(batch_id=second.pk, user=officer)
    assert in_force().pk == v1.pk
    assert not TargetDeclaration.objects.filter(pk=v2.pk).exists()
    assert not steps.filter(object_id=v2.pk).exists()
    assert PerformanceTarget.objects.get(project=project("PA1")).goal == GOAL
    assert Indicator.objects.get(project=project("PA1"), name="资助人数").weight == Decimal("30.00")
    assert DeclaredIndicator.objects.filter(declaration=v1).count() == 2


def test_rollback_is_refused_once_the_app_revised_the_targets(district, officer):
    _plan, batch = imported(complete(), officer)
    TargetDeclarationFactory(project=project("PA1"), version=2, state=State.DRAFT)
    with pytest.raises(Exception) as refused:
        rollback_batch(batch_id=batch.pk, user=officer)
    assert "changed in the app since" in str(refused.value.problems[0].message)
    assert in_force().import_batch == batch


@pytest.mark.parametrize("dry_run", [True, False], ids=["checking", "applying"])
def test_checking_and_applying_take_a_constant_number_of_queries(
    district, officer, django_assert_max_num_queries, dry_run
):
    def file_of(first: int, count: int) -> bytes:
        rows = [HEADER]
        for n in range(first, first + count):
            ProjectFactory(code=f"PX{n}", unit=district["unit_a"], fiscal_year=project("PA1").fiscal_year)
            rows += complete(code=f"PX{n}")[1:]
        return csv_bytes(rows)

    ContentType.objects.get_for_model(TargetDeclaration)  # cached for the process: not the file's query
    counts = []
    for data in (file_of(0, 1), file_of(1, 12)):
        with django_assert_max_num_queries(80) as captured:
            plan, _batch = import_file(
                kind="indicators", file_name="f.csv", data=data, user=officer, dry_run=dry_run
            )
        assert plan.problems == []
        counts.append(len(captured))
    assert counts[0] == counts[1]
    if not dry_run:
        assert (
            TargetDeclaration.objects.filter(state=State.APPROVED, import_batch__isnull=False).count() == 13
        )


def test_the_preview_shows_a_new_goal_and_the_warnings_and_the_page_applies_it(client, district, officer):
    from finance.models import ImportJob
    from tests.finance.import_support import upload
    from tests.reading import rows_of

    imported([HEADER, *complete()[1:]], officer)
    client.force_login(officer)
    upload(client, "indicators", "goal.csv", csv_bytes(complete(goal="新的目标", mark="")))

    job = ImportJob.objects.get()
    assert (job.status, job.to_create, job.to_update, job.warning_count) == ("valid", 0, 1, 0)
    page = client.get(reverse("finance:import_job", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="en")
    (change,) = rows_of(page, "Old → new")
    assert change[:2] == ["2", "2021 / PA1"]
    assert f"goal: {GOAL} → 新的目标" in change[2]
    assert "Apply: create 0, update 1" in page.content.decode()

    client.post(reverse("finance:import_apply", args=[job.pk]))
    assert (in_force().version, in_force().goal) == (2, "新的目标")
