"""SPEC §14.1 monitoring (双监控) in the recompute: expected target completion, the target, spending and
double deviations, their counts per unit, department and district, and §4.7's review for a double
deviation. Every expected figure is worked out by hand.

Time progress on 31 July 2021 (the round's date) is 212/365 = 0.580821… → 0.5808, so a project of
1,000,000 元 that has spent 380,800 元 by then is 0.3808 − 0.5808 = −20.00 pp behind: exactly the
serious threshold, which §4.1 calls attention (serious is below −20 pp).
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import connection

from performance.models import (
    BudgetAdjustment,
    Evaluation,
    MonitoringLine,
    MonitoringReport,
    ProgressSnapshot,
    ScopeKind,
)
from performance.services import progress, recompute_all
from projects.models import Direction, Payment, Project
from tests.factories import BudgetUnitFactory, DepartmentFactory
from tests.performance.conftest import district, evaluate, pay, project, snapshot
from workflow.models import Round, State
from workflow.services import transition

pytestmark = pytest.mark.django_db

OCT_31 = datetime.date(2021, 10, 31)
JUL_31 = datetime.date(2021, 7, 31)
GE, LE, EQ, QUAL = Direction.AT_LEAST, Direction.AT_MOST, Direction.EQUAL, Direction.QUALITATIVE


@pytest.fixture
def july(year_2021) -> Round:
    return monitoring_round(JUL_31)


def monitoring_round(as_of: datetime.date) -> Round:
    return Round.objects.create(
        kind=Round.Kind.MONITORING,
        fiscal_year_id=as_of.year,
        as_of=as_of,
        deadline=as_of + datetime.timedelta(days=20),
    )


def report(project_, round_, lines, *, state=State.APPROVED) -> MonitoringReport:
    """A report with ``lines`` of (direction, target, expected, weight[, judgement])."""
    made = MonitoringReport.objects.create(project=project_, round=round_, state=state)
    for position, (direction, target, expected, weight, *judgement) in enumerate(lines):
        MonitoringLine.objects.create(
            report=made,
            position=position,
            level1="产出指标",
            name=f"指标{position}",
            direction=direction,
            target_value=None if target is None else Decimal(target),
            expected_value=None if expected is None else Decimal(expected),
            judgement=Decimal(judgement[0]) if judgement else None,
            weight=Decimal(weight),
        )
    return made


def completion_of(expected: str) -> list[tuple]:
    """60 points complete, 30 points at ``expected`` of 100: (60 × 1 + 30 × expected/100) ÷ 90."""
    return [(GE, "100", "100", "60"), (GE, "100", expected, "30")]


def row(run, project_):
    return snapshot(run, ScopeKind.PROJECT, project_.pk)


def flags(run, project_) -> tuple:
    found = row(run, project_)
    return (
        found.monitored_projects,
        found.target_deviation_projects,
        found.spending_deviation_projects,
        found.double_deviation_projects,
    )


def test_expected_completion_at_the_target_deviation_edge(july, unit_a):
    below, at, above = (project(unit_a, "1000000") for _ in range(3))
    report(below, july, completion_of("69.97"))  # (60 + 30 × 0.6997) ÷ 90 = 80.991 ÷ 90 = 0.8999
    report(at, july, completion_of("70"))  # (60 + 21) ÷ 90 = 0.9000
    report(above, july, completion_of("70.03"))  # 81.009 ÷ 90 = 0.9001

    run = recompute_all(year=2021, as_of=OCT_31)

    assert row(run, below).expected_completion == Decimal("0.8999")
    assert row(run, at).expected_completion == Decimal("0.9000")
    assert row(run, above).expected_completion == Decimal("0.9001")
    assert row(run, below).target_deviation_projects == 1
    assert row(run, at).target_deviation_projects == 0
    assert row(run, above).target_deviation_projects == 0
    assert run.monitoring_round_id == july.pk and run.monitoring_as_of == JUL_31


def test_the_target_deviation_threshold_is_a_setting(july, unit_a, settings):
    at = project(unit_a, "1000000")
    report(at, july, completion_of("70"))  # 0.9000
    settings.MONITORING_TARGET_DEVIATION = Decimal("0.9001")

    run = recompute_all(year=2021, as_of=OCT_31)

    assert row(run, at).target_deviation_projects == 1


@pytest.mark.parametrize(
    ("spent_by_july", "gap", "spending_deviation"),
    [
        ("380900", "-19.99", 0),  # 0.3809 − 0.5808
        ("380800", "-20.00", 0),  # exactly at the threshold: attention, not serious (§4.1)
        ("380700", "-20.01", 1),  # just below it: serious
    ],
)
def test_spending_deviation_at_the_serious_threshold(july, unit_a, spent_by_july, gap, spending_deviation):
    lagging = project(unit_a, "1000000")
    pay(lagging, spent_by_july, datetime.date(2021, 7, 31))
    pay(lagging, "500000", datetime.date(2021, 8, 1))  # after the round's date: not counted
    report(lagging, july, completion_of("50"))  # (60 + 15) ÷ 90 = 0.8333: a target deviation

    run = recompute_all(year=2021, as_of=OCT_31)

    found = row(run, lagging)
    assert found.monitoring_gap_pp == Decimal(gap)
    assert found.expected_completion == Decimal("0.8333")
    assert flags(run, lagging) == (1, 1, spending_deviation, spending_deviation)
    # The run's own gap is at 31 October: (380,x00 + 500,000) ÷ 1,000,000 − 304/365.
    assert found.gap_pp != found.monitoring_gap_pp


def test_spending_to_a_round_dated_inside_a_month(year_2021, unit_a):
    """A round dated 20 July counts payments to 20 July: 201/365 = 0.5507 of the year elapsed."""
    round_ = monitoring_round(datetime.date(2021, 7, 20))
    lagging = project(unit_a, "1000000")
    pay(lagging, "350600", datetime.date(2021, 7, 20))
    pay(lagging, "1000", datetime.date(2021, 7, 21))  # same month, after the round's date
    report(lagging, round_, completion_of("100"))

    run = recompute_all(year=2021, as_of=OCT_31)

    assert row(run, lagging).monitoring_gap_pp == Decimal("-20.01")  # 0.3506 − 0.5507
    assert flags(run, lagging) == (1, 0, 1, 0)

    # Run as of 25 July: the round's month is the run's own, the payment of the 21st still left out.
    run = recompute_all(year=2021, as_of=datetime.date(2021, 7, 25))
    assert row(run, lagging).monitoring_gap_pp == Decimal("-20.01")


def test_at_most_indicators(july, unit_a):
    over, nothing, under = (project(unit_a, "1000000") for _ in range(3))
    report(over, july, [(LE, "100", "125", "90")])  # 100 ÷ 125 = 0.8
    report(nothing, july, [(LE, "100", "0", "90")])  # an expected 0 is complete
    report(under, july, [(LE, "100", "90", "90")])  # 100 ÷ 90, capped at 1

    run = recompute_all(year=2021, as_of=OCT_31)

    assert row(run, over).expected_completion == Decimal("0.8000")
    assert row(run, nothing).expected_completion == Decimal("1.0000")
    assert row(run, under).expected_completion == Decimal("1.0000")
    assert [row(run, p).target_deviation_projects for p in (over, nothing, under)] == [1, 0, 0]


def test_qualitative_equal_and_capped_indicators(july, unit_a):
    mixed = project(unit_a, "1000000")
    report(
        mixed,
        july,
        [
            (QUAL, None, None, "20", "0.85"),  # the unit's judgement: 20 × 0.85 = 17
            (EQ, "1", "0", "10"),  # = missed: 0
            (GE, "100", "150", "30"),  # above target, capped at 1: 30
            (GE, "200", None, "30"),  # no expected value yet: 0
        ],
    )
    only_qualitative = project(unit_a, "1000000")
    report(only_qualitative, july, [(QUAL, None, None, "90", "0.9")])

    run = recompute_all(year=2021, as_of=OCT_31)

    assert row(run, mixed).expected_completion == Decimal("0.5222")  # 47 ÷ 90 = 0.52222…
    assert row(run, only_qualitative).expected_completion == Decimal("0.9000")
    assert row(run, only_qualitative).target_deviation_projects == 0


def test_only_approved_reports_count(july, unit_a, officer):
    states = [State.DRAFT, State.SUBMITTED, State.FORWARDED, State.RETURNED]
    unapproved = [project(unit_a, "1000000") for _ in states]
    for project_, state in zip(unapproved, states, strict=True):
        report(project_, july, completion_of("0"), state=state)
    reopened = project(unit_a, "1000000")
    record = report(reopened, july, completion_of("0"))

    run = recompute_all(year=2021, as_of=OCT_31)

    assert flags(run, reopened) == (1, 1, 1, 1)  # 0.6667 expected, nothing spent
    for project_ in unapproved:
        assert flags(run, project_) == (0, 0, 0, 0)
        assert row(run, project_).expected_completion is None
        assert row(run, project_).monitoring_gap_pp is None

    transition(record, user=officer, action="reopen", reason="佐证材料不全")
    run = recompute_all(year=2021, as_of=OCT_31)

    assert flags(run, reopened) == (0, 0, 0, 0)
    assert district(run).double_deviation_projects == 0


def test_the_run_reads_the_latest_round_dated_by_its_own_date(year_2021, unit_a):
    earlier, later = monitoring_round(datetime.date(2021, 4, 30)), monitoring_round(JUL_31)
    future = monitoring_round(datetime.date(2021, 11, 30))
    reported = project(unit_a, "1000000")
    report(reported, earlier, completion_of("0"))
    report(reported, later, completion_of("100"))
    report(reported, future, completion_of("0"))

    run = recompute_all(year=2021, as_of=OCT_31)
    assert run.monitoring_round_id == later.pk
    assert row(run, reported).expected_completion == Decimal("1.0000")

    run = recompute_all(year=2021, as_of=datetime.date(2021, 6, 30))
    assert run.monitoring_round_id == earlier.pk
    assert row(run, reported).expected_completion == Decimal("0.6667")

    run = recompute_all(year=2021, as_of=datetime.date(2021, 3, 31))
    assert run.monitoring_round_id is None and run.monitoring_as_of is None
    assert flags(run, reported) == (0, 0, 0, 0)


def test_a_double_deviation_sends_the_proposal_to_review(july, unit_a):
    doubtful, sound = project(unit_a, "1000000"), project(unit_a, "1000000")
    for project_ in (doubtful, sound):
        evaluate(project_, "85", kind=Evaluation.Kind.SELF)
    pay(sound, "700000", JUL_31)
    report(doubtful, july, completion_of("0"))  # 0.6667, nothing spent: double deviation
    report(sound, july, completion_of("0"))  # a target deviation only

    recompute_all(year=2021, as_of=OCT_31)

    proposals = {a.project_id: a for a in BudgetAdjustment.objects.all()}
    assert proposals[doubtful.pk].proposed_action == BudgetAdjustment.Action.REVIEW
    assert proposals[doubtful.pk].review_reasons == "double_deviation"
    assert proposals[doubtful.pk].proposed_budget == Decimal("1000000.00")  # kept until decided
    assert proposals[sound.pk].proposed_action == BudgetAdjustment.Action.KEEP  # 良


# The independent check: counts made in plain Python from the raw reports and payments.

SEED_LINES = [
    [(GE, "100", "{e}", "60"), (LE, "50", "55", "30")],
    [(QUAL, None, None, "40", "0.{j}"), (GE, "80", "{e}", "50")],
    [(EQ, "3", "3", "45"), (LE, "10", "{e}", "45")],
]


def _completion(direction, target, expected, judgement) -> Decimal:
    """§4.3 as the SPEC words it: actual ÷ target for ≥, target ÷ actual for ≤, 1 or 0 for =, the
    judgement for qualitative, capped at 1; a ≤ whose value is 0, or a ≥ whose target is 0, complete."""
    if direction == QUAL:
        return judgement or Decimal(0)
    if expected is None:
        return Decimal(0)
    if direction == EQ:
        return Decimal(1) if expected == target else Decimal(0)
    if direction == GE:
        return Decimal(1) if target == 0 else min(expected / target, Decimal(1))
    return Decimal(1) if expected <= 0 else min(target / expected, Decimal(1))


def _four(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.0001"), ROUND_HALF_UP)


def _expected_counts(round_: Round) -> dict[tuple, list[int]]:
    """(scope kind, scope id) → [target, spending, double] deviations, counted from the raw rows."""
    t = _four(Decimal(JUL_31.timetuple().tm_yday) / Decimal(365))
    counts: dict[tuple, list[int]] = {}
    for record in MonitoringReport.objects.filter(round=round_, state=State.APPROVED).select_related(
        "project"
    ):
        lines = list(record.lines.all())
        weights = sum((line.weight for line in lines), Decimal(0))
        earned = sum(
            (
                line.weight
                * _completion(line.direction, line.target_value, line.expected_value, line.judgement)
                for line in lines
            ),
            Decimal(0),
        )
        target_deviation = weights > 0 and _four(earned / weights) < Decimal("0.90")
        project_ = record.project
        spent = sum(
            (p.amount for p in Payment.objects.filter(project=project_, paid_on__lte=JUL_31)), Decimal(0)
        )
        progress_ = _four(spent / project_.budget) if project_.budget else Decimal(0)
        spending_deviation = (progress_ - t) * 100 < Decimal("-20")
        flags_ = [
            int(target_deviation),
            int(spending_deviation),
            int(target_deviation and spending_deviation),
        ]
        for key in (
            (ScopeKind.UNIT, project_.unit_id),
            (ScopeKind.DEPARTMENT, project_.department_id),
            (ScopeKind.DISTRICT, None),
        ):
            counts[key] = [a + b for a, b in zip(counts.get(key, [0, 0, 0]), flags_, strict=True)]
    return counts


def _build_monitored_district(july: Round, units) -> None:
    """24 projects over the units, with payments before and after the round's date and reports in
    every state, their values spread around both thresholds."""
    states = [State.APPROVED, State.APPROVED, State.APPROVED, State.FORWARDED]
    for index in range(24):
        unit = units[index % len(units)]
        now = project(unit, f"{(index % 5 + 1) * 200000}")
        pay(now, f"{(index * 37 % 100) * (index % 5 + 1) * 1000}", datetime.date(2021, 3 + index % 5, 10))
        pay(now, "50000", datetime.date(2021, 9, 1))  # after the round: never counted
        lines = [
            (d, t, e.format(e=70 + index * 3 % 40) if e else e, w, *(j.format(j=index % 10) for j in rest))
            for d, t, e, w, *rest in SEED_LINES[index % 3]
        ]
        report(now, july, lines, state=states[index % 4])


def test_the_runs_counts_equal_a_count_of_the_raw_reports(july, department_a, department_b, unit_a, unit_b):
    units = [
        unit_a,
        unit_b,
        BudgetUnitFactory(department=department_a),
        BudgetUnitFactory(department=DepartmentFactory()),
    ]
    _build_monitored_district(july, units)

    run = recompute_all(year=2021, as_of=OCT_31)

    expected = _expected_counts(july)
    found = {
        (kind, scope_id): [target, spending, double]
        for kind, scope_id, target, spending, double in (
            ProgressSnapshot.objects.filter(
                run=run, scope_kind__in=[ScopeKind.UNIT, ScopeKind.DEPARTMENT, ScopeKind.DISTRICT]
            ).values_list(
                "scope_kind",
                "scope_id",
                "target_deviation_projects",
                "spending_deviation_projects",
                "double_deviation_projects",
            )
        )
    }
    assert {key: value for key, value in found.items() if any(value)} == expected
    assert sum(expected[(ScopeKind.DISTRICT, None)]) > 0  # the data reaches every kind of deviation
    assert all(expected[(ScopeKind.DISTRICT, None)])
    assert district(run).monitored_projects == MonitoringReport.objects.filter(state=State.APPROVED).count()


def test_cutting_the_projects_into_slices_gives_the_same_monitoring_figures(
    july, department_a, department_b, unit_a, unit_b, settings
):
    _build_monitored_district(july, [unit_a, unit_b])
    fields = ("scope_kind", "scope_id", "expected_completion", "monitoring_gap_pp", "monitored_projects")
    fields += ("target_deviation_projects", "spending_deviation_projects", "double_deviation_projects")
    whole = recompute_all(year=2021, as_of=OCT_31)

    settings.RECOMPUTE_PROJECT_SLICES = 3
    settings.RECOMPUTE_SLICE_MIN_PROJECTS = 1
    if connection.vendor == "postgresql":
        assert len(progress._project_slices()) == 3
    sliced = recompute_all(year=2021, as_of=OCT_31)

    def rows(run):
        return sorted(ProgressSnapshot.objects.filter(run=run).values_list(*fields), key=repr)

    assert rows(sliced) == rows(whole)
    assert Project.objects.filter(monitoring_reports__isnull=False).count() == 24


def test_the_bench_seed_reports_three_quarters_of_the_projects_once(year_2021, unit_a):
    from performance.management.bench_monitoring import seed_bench_monitoring
    from tests.factories import IndicatorFactory

    projects = [project(unit_a, "1000000") for _ in range(40)]
    for project_ in projects:
        IndicatorFactory(project=project_, direction=GE, target_value=Decimal("100"), weight=Decimal("90"))

    added = seed_bench_monitoring(year=2021, as_of=OCT_31)

    assert added == sum(1 for p in projects if p.pk % 20 < 15)
    assert seed_bench_monitoring(year=2021, as_of=OCT_31) == 0
    assert MonitoringLine.objects.count() == added
    run = recompute_all(year=2021, as_of=OCT_31)
    assert district(run).monitored_projects == added
