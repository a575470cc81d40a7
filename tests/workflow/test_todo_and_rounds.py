"""SPEC §12.1 to-do lists (with the header's count) and rounds with deadlines and overdue flags."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from performance.models import SelfEvaluation
from tests.factories import (
    BudgetUnitFactory,
    FiscalYearFactory,
    IndicatorFactory,
    ProjectFactory,
    make_head,
    make_officer,
    make_unit_filler,
)
from workflow.models import Round, State, Transition
from workflow.rounds import RoundRefused, open_round
from workflow.todo import count_for


@pytest.fixture
def cycle(department_a, department_b):
    year = FiscalYearFactory(year=2021)
    unit_a = BudgetUnitFactory(code="A01", department=department_a)
    unit_a2 = BudgetUnitFactory(code="A02", department=department_a)
    unit_b = BudgetUnitFactory(code="B01", department=department_b)
    projects = {}
    for name, unit in (("a1", unit_a), ("a1x", unit_a), ("a2", unit_a2), ("b1", unit_b)):
        projects[name] = ProjectFactory(fiscal_year=year, unit=unit, code=f"P-{name}")
        IndicatorFactory(project=projects[name], weight=Decimal("90"))
    ProjectFactory(fiscal_year=year, unit=unit_a, code="P-pool", status="proposed")
    return {
        "projects": projects,
        "unit": make_unit_filler(unit_a, "t_unit"),
        "head": make_head(department_a, "t_head"),
        "other_head": make_head(department_b, "t_other_head"),
        "officer": make_officer("t_officer"),
    }


def _states(cycle, **states):
    for name, state in states.items():
        SelfEvaluation.objects.update_or_create(project=cycle["projects"][name], defaults={"state": state})


def test_each_role_sees_what_waits_for_it(client, cycle):
    _states(cycle, a1="draft", a1x="approved", a2="submitted", b1="forwarded")
    expected = {"unit": ["P-a1"], "head": ["P-a2"], "other_head": [], "officer": ["P-b1"]}
    for persona, codes in expected.items():
        user = cycle[persona]
        # The officer's count also holds the pool's proposal P-pool, awaiting their decision (§12.4).
        assert count_for(user) == len(codes) + (persona == "officer"), persona
        client.force_login(user)
        page = client.get(reverse("workflow:todo")).content.decode()
        for name in ("P-a1", "P-a1x", "P-a2", "P-b1"):
            assert (f"({name})" in page) == (name in codes), (persona, name)


def test_the_header_shows_the_count(client, cycle):
    _states(cycle, a1="returned", a1x="draft")
    client.force_login(cycle["unit"])
    page = client.get(reverse("projects:projects")).content.decode()
    assert 'class="count"' in page and ">2</span>" in page


def test_the_todo_count_is_one_query(cycle, django_assert_num_queries):
    _states(cycle, a1="draft", a2="submitted")
    head = cycle["head"]
    count_for(head)  # the role's groups and membership, cached on the user
    with django_assert_num_queries(1):
        assert count_for(head) == 1


def test_opening_a_round_starts_a_draft_for_each_budget_project(cycle):
    _states(cycle, a1="approved")
    opened, count = open_round(
        user=cycle["officer"], kind=Round.Kind.SELF_EVALUATION, year=2021, deadline=datetime.date(2022, 3, 31)
    )
    assert count == 4  # the four approved projects, not the pool proposal
    records = SelfEvaluation.objects.filter(round=opened)
    assert records.filter(state=State.DRAFT).count() == 3
    assert records.get(project__code="P-a1").state == State.APPROVED
    # Each new draft starts its timeline; the record that existed keeps its own.
    assert Transition.objects.filter(action="create").count() == 3
    with pytest.raises(RoundRefused):
        open_round(
            user=cycle["officer"],
            kind=Round.Kind.SELF_EVALUATION,
            year=2021,
            deadline=datetime.date(2022, 3, 31),
        )
    with pytest.raises(RoundRefused):
        open_round(
            user=cycle["head"],
            kind=Round.Kind.SELF_EVALUATION,
            year=2021,
            deadline=datetime.date(2022, 3, 31),
        )


def test_records_not_approved_by_the_deadline_are_overdue(client, cycle):
    opened, _count = open_round(
        user=cycle["officer"], kind=Round.Kind.SELF_EVALUATION, year=2021, deadline=datetime.date(2022, 3, 31)
    )
    _states(cycle, a1="approved", a2="submitted")
    client.force_login(cycle["officer"])
    page = client.get(reverse("workflow:rounds"), {"round": opened.pk}).content.decode()
    assert "overdue" in page or "逾期" in page
    from finance.scoping import scope_of
    from workflow.rounds import progress

    rows = {
        row["code"]: row
        for row in progress(opened, scope_of(cycle["officer"]), today=datetime.date(2022, 4, 1))
    }
    assert rows[cycle["projects"]["a1"].department.code]["overdue"] == 2  # a1x draft, a2 submitted
    assert rows[cycle["projects"]["b1"].department.code]["overdue"] == 1
    before = {
        row["code"]: row["overdue"]
        for row in progress(opened, scope_of(cycle["officer"]), today=datetime.date(2022, 3, 31))
    }
    assert set(before.values()) == {0}  # on the deadline itself nothing is overdue yet
    # A head sees their own department's line only.
    head_rows = progress(opened, scope_of(cycle["head"]))
    assert [row["code"] for row in head_rows] == [cycle["projects"]["a1"].department.code]
    # The unit's to-do row carries the deadline and the flag.
    client.force_login(cycle["unit"])
    page = client.get(reverse("workflow:todo")).content.decode()
    assert "2022-03-31" in page


def test_opening_a_round_through_the_page(client, cycle):
    client.force_login(cycle["officer"])
    response = client.post(
        reverse("workflow:rounds"),
        {"kind": "self_evaluation", "year": "2021", "deadline": "2022-03-31"},
        follow=True,
    )
    assert response.status_code == 200
    assert Round.objects.count() == 1
    # Bad input: a message, nothing opened.
    for bad in (
        {"kind": "monitoring", "year": "2021", "deadline": "2022-03-31"},
        {"kind": "self_evaluation", "year": "1999", "deadline": "x"},
    ):
        assert client.post(reverse("workflow:rounds"), bad).status_code == 200
    assert Round.objects.count() == 1
    client.force_login(cycle["head"])
    assert (
        client.post(
            reverse("workflow:rounds"), {"kind": "self_evaluation", "year": "2021", "deadline": "2022-04-30"}
        ).status_code
        == 404
    )
    assert client.get(reverse("workflow:rounds")).status_code == 200


def test_a_head_forwards_from_the_todo_list_and_comes_back_to_it(client, cycle):
    _states(cycle, a2="submitted")
    record = SelfEvaluation.objects.get(project=cycle["projects"]["a2"])
    client.force_login(cycle["head"])
    page = client.get(reverse("workflow:todo")).content.decode()
    url = reverse("performance:self_evaluation_transition", args=[2021, "P-a2"])
    assert f'action="{url}"' in page and 'value="forward"' in page
    response = client.post(url, {"action": "forward", "from_page": "1", "back": "todo"})
    assert response.status_code == 302 and response["Location"] == reverse("workflow:todo")
    record.refresh_from_db()
    assert record.state == State.FORWARDED
    # Once more, refused: the message comes back on the list, and nothing changes.
    response = client.post(url, {"action": "forward", "from_page": "1", "back": "todo"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("workflow:todo")
    record.refresh_from_db()
    assert record.state == State.FORWARDED


def _english(client, url: str) -> str:
    return client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_the_department_page_flags_its_overdue_records(client, cycle):
    open_round(
        user=cycle["officer"], kind=Round.Kind.SELF_EVALUATION, year=2021, deadline=datetime.date(2022, 3, 31)
    )
    _states(cycle, a1="approved", a2="submitted", b1="approved")
    client.force_login(cycle["head"])
    code = cycle["projects"]["a1"].department.code
    page = _english(client, reverse("performance:department", args=[code]))
    assert "2 submissions of this department are past their round" in page  # a1x draft, a2 submitted
    client.force_login(cycle["other_head"])
    other = cycle["projects"]["b1"].department.code
    page = _english(client, reverse("performance:department", args=[other]))
    assert "past their round" not in page and "past its round" not in page


def test_officers_see_the_bureaus_evaluations_still_to_score(client, cycle):
    from performance.models import Evaluation

    project = cycle["projects"]["a1"]
    draft = Evaluation.objects.create(
        fiscal_year_id=2021, kind="key", key_category="livelihood", project=project, evaluator="第三方"
    )
    Evaluation.objects.create(fiscal_year_id=2021, kind="self", project=cycle["projects"]["a2"])
    # The draft key evaluation, and the fixture's pool proposal awaiting a decision; not the self one.
    assert count_for(cycle["officer"]) == 2
    assert count_for(cycle["head"]) == 0
    client.force_login(cycle["officer"])
    page = client.get(reverse("workflow:todo")).content.decode()
    assert reverse("performance:evaluation", args=[draft.pk]) in page


def test_a_round_approves_what_is_already_finalised_and_a_later_record_joins_it(client, cycle):
    from performance.models import Evaluation

    imported = Evaluation.objects.create(
        fiscal_year_id=2021,
        kind="self",
        project=cycle["projects"]["a1"],
        decision=Decimal("19"),
        process=Decimal("19"),
        output=Decimal("28"),
        benefit=Decimal("29"),
        status="finalised",
    )
    SelfEvaluation.objects.filter(project=cycle["projects"]["a2"]).delete()
    opened, _count = open_round(
        user=cycle["officer"], kind=Round.Kind.SELF_EVALUATION, year=2021, deadline=datetime.date(2022, 3, 31)
    )
    record = SelfEvaluation.objects.get(project=cycle["projects"]["a1"])
    # Only approved records count: the finalised import is approved, not a draft that still counts.
    assert (record.state, record.evaluation_id) == (State.APPROVED, imported.pk)
    assert Transition.objects.get(object_id=record.pk).action == "import"
    assert SelfEvaluation.objects.get(project=cycle["projects"]["a1x"]).state == State.DRAFT
    # A record the unit starts by hand after the round opened joins it.
    SelfEvaluation.objects.filter(project=cycle["projects"]["a1x"]).delete()
    client.force_login(cycle["unit"])
    url = reverse("performance:self_evaluation", args=[2021, "P-a1x"])
    indicator = cycle["projects"]["a1x"].indicators.get()
    client.post(url, {"achieved": "完成", f"actual-{indicator.pk}": "100", f"reason-{indicator.pk}": ""})
    assert SelfEvaluation.objects.get(project=cycle["projects"]["a1x"]).round_id == opened.pk
