"""The demo's monitoring round and rectification items (SPEC §8, §14): the 2021 round as of 31 July with
reports in every state and a few double deviations among the approved ones, counted here from the raw
rows; rectification items in every state, some overdue, a few with evidence files on disk; and work for
every demo user on their to-do list."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from demo.seed import seed_demo
from demo.writer import wipe_district
from finance.models import Department
from finance.scoping import scope_of
from performance.models import (
    ItemSource,
    ItemState,
    MonitoringLine,
    MonitoringReport,
    ProgressSnapshot,
    RectificationItem,
    ScopeKind,
)
from performance.selectors.runs import latest_run
from projects.models import Payment, Project
from workflow import todo
from workflow.models import Round, State, Transition

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2021, 7, 31)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        yield seed_demo(password="demo-password-for-tests")
        with transaction.atomic():
            wipe_district()
            get_user_model().objects.filter(username__in=["admin", "officer", "head", "unit"]).delete()


@pytest.fixture
def round_(demo) -> Round:
    return Round.objects.get(kind=Round.Kind.MONITORING, fiscal_year_id=2021)


def by_state(records) -> dict[str, int]:
    return dict(records.values_list("state").annotate(n=Count("pk")).order_by())


def test_the_round_is_as_of_31_july_with_reports_in_every_state(demo, round_):
    assert (round_.as_of, round_.deadline) == (AS_OF, datetime.date(2021, 8, 20))
    assert by_state(MonitoringReport.objects.filter(round=round_)) == {
        State.APPROVED: 3876 - 21,
        State.DRAFT: 2 + 2,  # the unit's (one empty, one filled), elsewhere
        State.SUBMITTED: 1 + 3 + 2,  # the unit's, the head's department's, elsewhere
        State.FORWARDED: 2 + 4,  # the head's department's, elsewhere
        State.RETURNED: 2 + 1 + 2,  # the unit's (by the head, by the officer), the department's, elsewhere
    }
    assert demo.counts["monitoring_reports"] == 3876 and demo.counts["monitoring_approved"] == 3855


def test_every_shortfall_is_explained_and_a_few_dozen_are_approved(demo, round_):
    short = MonitoringLine.objects.filter(report__round=round_).exclude(cause="")
    assert not short.filter(cause_text="").exists() and not short.filter(measure="").exists()
    approved = short.filter(report__state=State.APPROVED).values("report").distinct().count()
    assert approved == 9 + 6 + 30  # double deviations, target deviations only, one indicator at 95 %


def completion(direction, target, expected, judgement) -> Decimal:
    """SPEC §14.1's expected completion of one line, written out again here."""
    if direction == "qualitative":
        return judgement
    if direction == "eq":
        return Decimal(expected == target)
    if direction == "gte":
        return Decimal(1) if target <= 0 else min(max(expected / target, Decimal(0)), Decimal(1))
    return Decimal(1) if expected <= 0 else min(target / expected, Decimal(1))


def test_the_approved_double_deviations_counted_from_the_raw_rows(demo, round_):
    earned, weights = {}, {}
    for project_id, direction, target, expected, judgement, weight in MonitoringLine.objects.filter(
        report__round=round_, report__state=State.APPROVED
    ).values_list("report__project_id", "direction", "target_value", "expected_value", "judgement", "weight"):
        earned[project_id] = earned.get(project_id, 0) + weight * completion(
            direction, target, expected, judgement
        )
        weights[project_id] = weights.get(project_id, 0) + weight
    below = {pk for pk in earned if earned[pk] < Decimal("0.9") * weights[pk]}
    spent = dict(
        Payment.objects.filter(paid_on__lte=AS_OF, project_id__in=below)
        .values_list("project_id")
        .annotate(s=Sum("amount"))
        .order_by()
    )
    budgets = dict(Project.objects.filter(pk__in=below).values_list("pk", "budget"))
    places = Decimal("0.0001")
    elapsed = (Decimal(212) / Decimal(365)).quantize(places, ROUND_HALF_UP)
    serious = settings.PROGRESS_SERIOUS_GAP_PP
    doubles = {
        pk
        for pk in below
        if budgets[pk] > 0
        and ((spent.get(pk, 0) / budgets[pk]).quantize(places, ROUND_HALF_UP) - elapsed) * 100 <= serious
    }
    assert len(below) == 9 + 6
    assert len(doubles) == demo.counts["monitoring_double_deviations"] == 9
    head_department = Department.objects.get(memberships__user__username="head")
    assert Project.objects.filter(pk__in=doubles, department=head_department).count() >= 2
    assert Project.objects.filter(pk__in=doubles).values("department").distinct().count() >= 5


def test_rectification_items_in_every_state_from_every_source(demo):
    items = RectificationItem.objects.all()
    assert by_state(items) == {
        ItemState.OPEN: 4,
        ItemState.ANSWERED: 2,
        ItemState.SENT_BACK: 2,
        ItemState.CLOSED: 3,
    }
    assert set(items.values_list("source", flat=True)) == set(ItemSource.values)
    today = timezone.localdate()
    assert sum(item.is_overdue(today) for item in items) == 3
    assert sum(item.closed_on_time for item in items) == 2
    head_department = Department.objects.get(memberships__user__username="head")
    assert items.filter(department=head_department).count() == 4
    assert items.values("department").distinct().count() >= 6
    assert items.filter(state=ItemState.SENT_BACK).exclude(sent_back_reason="").count() == 2
    for item in items.filter(source=ItemSource.DOUBLE_DEVIATION):
        assert MonitoringReport.objects.filter(
            project=item.project, round=item.monitoring_round, state=State.APPROVED
        ).exists()


def test_a_few_answers_have_small_evidence_files_on_disk(demo):
    files = [file for item in RectificationItem.objects.all() for file in item.files.all()]
    assert len(files) == demo.counts["rectification_files"] == 4
    for file in files:
        path = Path(file.file.path)
        assert path.is_file() and Path(settings.MEDIA_ROOT) in path.parents
        content = path.read_bytes()
        assert len(content) == file.size < 2000
        magic = b"%PDF-" if file.name.endswith(".pdf") else b"\x89PNG\r\n\x1a\n"
        assert content.startswith(magic)


@pytest.mark.parametrize(
    ("username", "sources"),
    [
        ("unit", {"monitoring"}),
        ("head", {"monitoring", "rectification"}),
        ("officer", {"monitoring", "rectification"}),
    ],
)
def test_every_demo_user_has_monitoring_or_rectification_work(demo, username, sources):
    user = get_user_model().objects.get(username=username)
    waiting = {source.key for source, queryset in todo.waiting_querysets(scope_of(user)) if queryset.exists()}
    assert sources <= waiting


def test_every_report_s_timeline_leads_to_its_state_dated_in_2021(demo, round_):
    steps = Transition.objects.filter(content_type=ContentType.objects.get_for_model(MonitoringReport))
    last = {}
    for object_id, to_state, at in steps.order_by("at", "pk").values_list("object_id", "to_state", "at"):
        assert at.year == 2021
        last[object_id] = to_state
    reports = dict(MonitoringReport.objects.filter(round=round_).values_list("pk", "state"))
    assert last == reports
    approvals = steps.filter(to_state=State.APPROVED)
    assert approvals.count() == 3855 and not approvals.exclude(actor__username="officer").exists()
    unit = get_user_model().objects.get(username="unit")
    assert steps.filter(actor=unit, action="submit").count() > 5


def test_the_unit_has_drafts_and_returned_reports_the_head_submitted_ones_the_officer_forwarded(demo, round_):
    users = get_user_model().objects.in_bulk(["unit", "head", "officer"], field_name="username")
    reports = MonitoringReport.objects.filter(round=round_)
    assert set(
        reports.in_scope(scope_of(users["unit"]))
        .exclude(state=State.APPROVED)
        .values_list("state", flat=True)
    ) == {
        State.DRAFT,
        State.RETURNED,
        State.SUBMITTED,
    }
    assert reports.in_scope(scope_of(users["head"])).filter(state=State.SUBMITTED).count() == 1 + 3
    assert reports.filter(state=State.FORWARDED).count() == 2 + 4


def test_the_recompute_counts_the_same_double_deviations(demo, round_):
    """The seed's own recompute (as of 31 October) reads the 31 July round and finds the nine."""
    run = latest_run(year=2021)
    assert run.monitoring_round_id == round_.pk
    district = ProgressSnapshot.objects.get(run_id=run.pk, scope_kind=ScopeKind.DISTRICT)
    assert district.double_deviation_projects == demo.counts["monitoring_double_deviations"] == 9
    assert district.monitored_projects == 3876 - 21


def test_the_units_empty_draft_lags_seriously_so_a_reported_shortfall_makes_a_double_deviation(demo, round_):
    """The path a demo walks (SPEC §14): `unit` opens its draft, reports a shortfall, and once it is
    approved the project is a double deviation, because its spending lagged seriously on 31 July."""
    unit = get_user_model().objects.get(username="unit")
    drafts = MonitoringReport.objects.in_scope(scope_of(unit)).filter(round=round_, state=State.DRAFT)
    draft = drafts.exclude(lines__expected_value__isnull=False).get()  # the one not filled in yet
    spent = Payment.objects.filter(project=draft.project, paid_on__lte=AS_OF).aggregate(s=Sum("amount"))["s"]
    elapsed = Decimal(212) / Decimal(365)
    assert (spent / draft.project.budget - elapsed) * 100 <= settings.PROGRESS_SERIOUS_GAP_PP
    assert not draft.lines.exclude(cause="").exists()  # nothing explained yet: the unit fills it in
