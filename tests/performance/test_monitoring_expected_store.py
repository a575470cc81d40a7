"""SPEC §14.1: a monitoring report's expected completion is computed once, when it is approved, and
stored on it; reopening clears it; the recompute reads the stored figure, and first stores it for a
report of its round approved without one. The stored figure is the lines' own, to 10⁻⁴."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection

from performance.models import MonitoringReport, ScopeKind
from performance.services import recompute_all
from performance.services.monitoring import expected_completion_sql, refresh_expected_completions
from tests.performance.conftest import project, snapshot
from tests.performance.test_monitoring_figures import (
    EQ,
    GE,
    LE,
    OCT_31,
    QUAL,
    SEED_LINES,
    _completion,
    _four,
    completion_of,
    monitoring_round,
    report,
)
from tests.performance.test_monitoring_figures import JUL_31 as JULY_31
from workflow.models import State
from workflow.services import transition

pytestmark = pytest.mark.django_db


def _from_the_run(round_) -> dict[int, int | None]:
    """project id → the completion (10⁻⁴) the recompute's pass reads for it."""
    with connection.cursor() as cursor:
        cursor.execute(expected_completion_sql(round_id=round_.pk))
        return {project_id: None if value is None else int(value) for project_id, value in cursor.fetchall()}


def _stored(record: MonitoringReport) -> tuple:
    record.refresh_from_db()
    return record.expected_completion, record.expected_weight


def test_approving_stores_the_lines_completion_and_reopening_clears_it(year_2021, unit_a, officer):
    july = monitoring_round(JULY_31)
    record = report(project(unit_a, "1000000"), july, completion_of("50"), state=State.FORWARDED)
    assert _stored(record) == (None, None)

    transition(record, user=officer, action="approve")
    # (60 × 1 + 30 × 0.5) ÷ 90 = 0.83333… → 0.8333
    assert _stored(record) == (Decimal("0.8333"), Decimal("90.00"))
    assert _from_the_run(july) == {record.project_id: 8333}

    transition(record, user=officer, action="reopen", reason="佐证材料不全")
    assert _stored(record) == (None, None)
    assert _from_the_run(july) == {}


def _by_hand(record: MonitoringReport) -> Decimal | None:
    """Σ weight × completion ÷ Σ weight over the lines, §4.3 as the SPEC words it, to 10⁻⁴."""
    lines = list(record.lines.all())
    weights = sum((line.weight for line in lines), Decimal(0))
    earned = sum(
        (
            line.weight * _completion(line.direction, line.target_value, line.expected_value, line.judgement)
            for line in lines
        ),
        Decimal(0),
    )
    return _four(earned / weights) if weights else None


def test_the_stored_figures_equal_the_lines_computation(year_2021, unit_a, unit_b):
    """Reports written approved without the workflow have nothing stored until the refresh; then each
    holds its lines' figure, and the run reads exactly that."""
    july = monitoring_round(JULY_31)
    records = []
    for index in range(30):
        lines = [
            (d, t, e.format(e=70 + index * 7 % 45) if e else e, w, *(j.format(j=index % 10) for j in rest))
            for d, t, e, w, *rest in SEED_LINES[index % 3]
        ]
        records.append(report(project([unit_a, unit_b][index % 2], "500000"), july, lines))
    weightless = report(project(unit_a, "500000"), july, [(GE, "100", "50", "0")])
    empty = report(project(unit_a, "500000"), july, [])
    capped = report(project(unit_a, "500000"), july, [(LE, "10", "0", "50"), (QUAL, None, None, "50", "1")])
    draft = report(project(unit_b, "500000"), july, [(EQ, "3", "3", "90")], state=State.DRAFT)

    assert refresh_expected_completions(round_id=july.pk) == 34
    from_the_store = _from_the_run(july)

    assert len(set(from_the_store.values())) > 10  # values spread, not one case
    for record in records:
        completion, _weight = _stored(record)
        assert completion == _by_hand(record) and completion * 10000 == from_the_store[record.project_id]
    assert from_the_store[weightless.project_id] is None and _stored(weightless) == (None, Decimal("0.00"))
    assert from_the_store[empty.project_id] is None and _stored(empty) == (None, Decimal("0.00"))
    assert from_the_store[capped.project_id] == 10000 and _stored(capped)[0] == Decimal("1.0000")
    assert _stored(draft) == (None, None) and draft.project_id not in from_the_store


def test_the_run_stores_what_its_round_lacks_first(year_2021, unit_a):
    july = monitoring_round(JULY_31)
    record = report(project(unit_a, "1000000"), july, completion_of("0"))
    other = report(project(unit_a, "1000000"), july, completion_of("50"))
    refresh_expected_completions(report_ids=[other.pk])
    MonitoringReport.objects.filter(pk=other.pk).update(expected_completion=Decimal("0.1234"))
    assert _stored(record) == (None, None)

    run = recompute_all(year=2021, as_of=OCT_31)

    assert _stored(record) == (Decimal("0.6667"), Decimal("90.00"))
    assert _stored(other)[0] == Decimal("0.1234")  # stored: not computed again
    assert snapshot(run, ScopeKind.PROJECT, record.project_id).expected_completion == Decimal("0.6667")
