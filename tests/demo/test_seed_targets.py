"""The demo's targets (SPEC §8, §13): the 2021 round approved for most projects and the rest in every
state, revisions kept beside the versions they replace, templates for every department and category,
and the per-pupil education projects measured against their standards."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count

from demo.seed import seed_demo
from demo.writer import wipe_district
from finance.models import Department
from finance.scoping import scope_of
from projects.models import Category, IndicatorTemplate, Project, TargetDeclaration
from projects.targets import services
from projects.targets.todo import waiting_targets
from workflow.models import Round, State

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        yield seed_demo(password="demo-password-for-tests")
        with transaction.atomic():
            wipe_district()
            get_user_model().objects.filter(username__in=["admin", "officer", "head", "unit"]).delete()


def by_state(declarations) -> dict[str, int]:
    return dict(declarations.values_list("state").annotate(n=Count("pk")).order_by())


def test_the_2021_round_approves_most_first_versions_and_leaves_some_in_every_state(demo):
    round_ = Round.objects.get(kind=Round.Kind.TARGETS, fiscal_year_id=2021)
    assert by_state(TargetDeclaration.objects.filter(round=round_)) == {
        State.APPROVED: 3876 - 15,  # every project's indicators are on record, but 15 started their own
        State.DRAFT: 2 + 2 + 4,  # the unit's, the head's department's, elsewhere
        State.SUBMITTED: 2 + 2,  # the head's department's, elsewhere
        State.FORWARDED: 2,  # elsewhere
        State.RETURNED: 1,  # the unit's, by the head
    }
    assert not TargetDeclaration.objects.filter(round=round_, version__gt=1).exists()


def test_revisions_are_under_way_in_every_state_and_a_few_approved(demo):
    revisions = TargetDeclaration.objects.filter(project__fiscal_year_id=2021, version=2)
    assert by_state(revisions) == {
        State.DRAFT: 2 + 4 + 1,  # the unit's, elsewhere, a pupil count being revised
        State.SUBMITTED: 1 + 4 + 3 + 1,  # the unit's, the head's department's, elsewhere, a pupil count
        State.FORWARDED: 1 + 2 + 6,
        State.RETURNED: 2 + 2 + 4,
        State.APPROVED: 1 + 1 + 3,  # the unit's, the head's department's, three per-pupil links
    }
    assert all(revision.round_id is None for revision in revisions)


def test_an_approved_revision_supersedes_the_first_version_which_stays_in_the_history(demo):
    superseded = TargetDeclaration.objects.filter(superseded_at__isnull=False)
    assert superseded.count() == 5
    for first in superseded.select_related("project"):
        assert first.version == 1 and first.state == State.APPROVED
        in_force = services.in_force(first.project)
        assert in_force.version == 2 and in_force.state_changed_at == first.superseded_at
        assert [v.version for v in services.versions(first.project)] == [2, 1]
    # One version in force for every project of the year that has an approved one.
    in_force = TargetDeclaration.objects.filter(
        project__fiscal_year_id=2021, state=State.APPROVED, superseded_at__isnull=True
    )
    assert in_force.count() == in_force.values("project").distinct().count() == 3876 - 15


def test_the_steps_are_dated_in_2021(demo):
    versions = TargetDeclaration.objects.filter(project__fiscal_year_id__in=[2021, 2022])
    assert {v.created_at.year for v in versions} == {2021}
    assert {v.state_changed_at.year for v in versions} == {2021}


def test_warnings_are_explained_wherever_the_version_went_beyond_draft(demo):
    found: dict[str, int] = {}
    explained = True
    for declaration in TargetDeclaration.objects.exclude(round__isnull=False, state=State.APPROVED):
        warnings = services.checks_for(declaration).warnings
        for warning in warnings:
            found[warning.code] = found.get(warning.code, 0) + 1
        if warnings and declaration.state != State.DRAFT:
            explained = explained and bool(declaration.explanation.strip())
    assert explained
    assert found.keys() == {"weaker", "template_missing", "quota"}


def test_every_department_has_a_template_for_every_category(demo):
    pairs = IndicatorTemplate.objects.values("department", "category").annotate(n=Count("pk"))
    assert pairs.count() == Department.objects.count() * len(Category.values) == 64 * 4
    assert {pair["n"] for pair in pairs} == {4}  # the four indicators sharing the 90 points


def test_per_pupil_education_projects_name_their_standard_and_a_few_are_off(demo):
    linked = (
        TargetDeclaration.objects.filter(
            state=State.APPROVED, superseded_at__isnull=True, quota_standard__isnull=False
        )
        .select_related("project__function_class", "quota_standard")
        .order_by("project__code")
    )
    off = [d for d in linked if services.quota_of(d).off > Decimal("0.05")]
    assert len(linked) == 54
    assert {d.project.function_class.code for d in linked} == {"205"}
    assert {d.quota_standard.amount for d in linked} == {Decimal(870), Decimal(840), Decimal(1200)}
    assert 3 <= len(off) <= 5 and all(d.explanation for d in off)
    # The rest are within 5 %: the pupil count is close to budget ÷ standard.
    assert len(linked) - len(off) == 51
    project = Project.objects.get(pk=off[0].project_id)
    assert services.quota_of(off[0]).budget == project.budget


def test_each_demo_user_has_targets_to_work_on(demo):
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["unit", "head", "officer"])}
    unit = by_state(waiting_targets(scope_of(users["unit"])))
    assert unit[State.DRAFT] >= 3 and unit[State.RETURNED] >= 3
    assert by_state(waiting_targets(scope_of(users["head"])))[State.SUBMITTED] >= 5
    assert by_state(waiting_targets(scope_of(users["officer"])))[State.FORWARDED] >= 10


def test_the_pool_proposals_declare_targets_from_their_template(demo):
    pool = TargetDeclaration.objects.filter(project__fiscal_year_id=2022)
    assert by_state(pool) == {State.DRAFT: 2, State.SUBMITTED: 2, State.FORWARDED: 1, State.RETURNED: 1}
    assert all(row.from_template for d in pool for row in d.indicators.all())
    unit = get_user_model().objects.get(username="unit")
    assert waiting_targets(scope_of(unit)).filter(project__fiscal_year_id=2022).count() == 2


def test_every_declaration_the_demo_moved_opens_for_the_officer(demo, client):
    # Among them returns by a department no demo user heads: their step names nobody.
    client.force_login(get_user_model().objects.get(username="officer"))
    moved = TargetDeclaration.objects.exclude(round__isnull=False, state=State.APPROVED).select_related(
        "project"
    )
    assert moved.count() == 59
    for declaration in moved:
        project = declaration.project
        assert client.get(f"/projects/{project.fiscal_year_id}/{project.code}/targets/").status_code == 200
