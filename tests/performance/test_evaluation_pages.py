"""SPEC §12.2: evaluations scored in the app. An officer creates a key, department-wide or ex-ante
evaluation, scores it within the maxima, finalises it (every score needed) and reopens it (with a
reason); heads and unit fillers read those of their scope; each step is kept in the timeline."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client

from performance.models import Evaluation, LeaderboardEntry
from performance.services import recompute_all
from performance.services.coalescing import PendingRecompute
from projects.models import Project
from tests.district import AS_OF
from tests.factories import ProjectFactory
from workflow.models import Transition
from workflow.services import timeline

pytestmark = pytest.mark.django_db

NEW = "/evaluations/new/"


@pytest.fixture
def english():
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def as_(client: Client, user) -> Client:
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


def page(evaluation: Evaluation) -> str:
    return f"/evaluations/{evaluation.pk}/"


def step(evaluation: Evaluation) -> str:
    return f"/evaluations/{evaluation.pk}/transition/"


@pytest.fixture
def draft(district) -> Evaluation:
    """A draft key evaluation of PA02 (A01-01 区第一中学) with only its decision score."""
    return Evaluation.objects.create(
        fiscal_year_id=2021,
        kind=Evaluation.Kind.KEY,
        key_category=Evaluation.KeyCategory.DEVELOPMENT_POLICY,
        project=district.projects["PA02"],
        decision=Decimal("18"),
    )


def finalised_key(district) -> Evaluation:
    return Evaluation.objects.get(project=district.projects["PA01"], kind=Evaluation.Kind.KEY)


SCORES = {"decision": "18", "process": "17.5", "output": "26", "benefit": "25"}


# -- creating -----------------------------------------------------------------------------------------


def test_officer_creates_a_key_evaluation_as_a_draft_with_a_create_step(english, district, officer):
    pa02 = district.projects["PA02"]
    data = {"year": "2021", "kind": "key", "key_category": "development_policy", "project": pa02.pk}

    response = as_(english, officer).post(NEW, data | SCORES | {"evaluator": "某评价机构"})

    evaluation = Evaluation.objects.get(project=pa02, kind=Evaluation.Kind.KEY)
    assert response.status_code == 302
    assert response["Location"] == page(evaluation)
    assert (evaluation.status, evaluation.fiscal_year_id) == ("draft", 2021)
    assert evaluation.total == Decimal("86.50")  # 18 + 17.5 + 26 + 25
    assert evaluation.grade == "good"
    assert [(s.action, s.from_state, s.to_state, s.actor) for s in timeline(evaluation)] == [
        ("create", "", "draft", officer)
    ]


def test_officer_creates_a_department_wide_evaluation_without_scores(english, district, officer):
    data = {"year": "2021", "kind": "department", "department": district.a.pk, "project": ""}

    response = as_(english, officer).post(NEW, data)

    assert response.status_code == 302
    evaluation = Evaluation.objects.get(department=district.a, kind=Evaluation.Kind.DEPARTMENT)
    assert (evaluation.total, evaluation.grade, evaluation.project_id) == (None, None, None)


def test_a_key_department_wide_evaluation_is_of_the_department_even_with_a_project_chosen(
    english, district, officer
):
    data = {
        "year": "2021",
        "kind": "key",
        "key_category": "department_wide",
        "department": district.b.pk,
        "project": district.projects["PB01"].pk,
    }

    assert as_(english, officer).post(NEW, data).status_code == 302
    evaluation = Evaluation.objects.get(key_category="department_wide")
    assert (evaluation.department, evaluation.project) == (district.b, None)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "key", "project": "PA02"}, "Choose the sub-category of the key evaluation."),
        ({"kind": "ex_ante"}, "Choose the project evaluated."),
        ({"kind": "department"}, "Choose the department evaluated."),
        ({"kind": "self", "project": "PA02"}, "Select a valid choice."),
        ({"kind": "ex_ante", "project": "PA02", "key_category": "livelihood"}, "Only a key evaluation"),
        ({"kind": "key", "key_category": "livelihood", "project": "PA01"}, "The project already has"),
        ({"kind": "ex_ante", "project": "PA02", "decision": "21"}, "Decision must lie between 0 and 20."),
    ],
)
def test_a_new_evaluation_with_bad_input_is_refused_with_a_message(english, district, officer, data, message):
    before = Evaluation.objects.count()
    if "project" in data:
        data = data | {"project": district.projects[data["project"]].pk}

    response = as_(english, officer).post(NEW, {"year": "2021"} | data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Evaluation.objects.count() == before


def test_the_pool_prefills_an_ex_ante_assessment_of_a_proposed_project(english, district, officer):
    proposed = ProjectFactory(
        unit=district.units["A01-01"], fiscal_year_id=2021, code="PN01", status=Project.Status.PROPOSED
    )

    response = as_(english, officer).get(NEW, {"kind": "ex_ante", "project": proposed.pk})

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<option value="{proposed.pk}" selected>' in html
    assert '<option value="ex_ante" selected>' in html
    data = {"year": "2021", "kind": "ex_ante", "project": proposed.pk}
    assert english.post(NEW, data).status_code == 302
    assert Evaluation.objects.filter(project=proposed, kind="ex_ante", status="draft").exists()


@pytest.mark.parametrize(("persona", "status"), [("head", 404), ("other_head", 404), ("admin", 200)])
def test_only_officers_open_the_new_evaluation_page(client, district, request, persona, status):
    user = request.getfixturevalue(persona)

    assert as_(client, user).get(NEW).status_code == status
    assert as_(client, user).post(NEW, {"year": "2021", "kind": "department"}).status_code in (status, 400)


def test_a_unit_filler_gets_404_on_the_new_evaluation_page(client, unit_filler):
    assert as_(client, unit_filler).get(NEW).status_code == 404


def test_anonymous_is_sent_to_login_from_the_evaluation_pages(client, draft):
    for url in (NEW, page(draft)):
        assert client.get(url)["Location"].startswith("/accounts/login/")
    response = client.post(step(draft), {"action": "finalise"})
    assert response["Location"].startswith("/accounts/login/")
    assert Evaluation.objects.get(pk=draft.pk).status == "draft"


# -- the page and editing ---------------------------------------------------------------------------------


def test_officer_saves_scores_of_a_draft(english, draft, officer):
    response = as_(english, officer).post(
        page(draft), SCORES | {"findings": "指标不够细化", "from_page": "1"}
    )

    draft.refresh_from_db()
    assert response.status_code == 302
    assert (draft.total, draft.grade, draft.findings) == (Decimal("86.50"), "good", "指标不够细化")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("decision", "20.01", "Decision must lie between 0 and 20."),
        ("benefit", "-1", "Benefit must lie between 0 and 30."),
        ("output", "abc", "Enter a number."),
    ],
)
def test_a_score_outside_its_maximum_is_refused_and_nothing_changes(
    english, draft, officer, field, value, message
):
    response = as_(english, officer).post(page(draft), SCORES | {field: value})

    assert response.status_code == 400
    assert message in response.content.decode()
    stored = Evaluation.objects.get(pk=draft.pk)
    assert (stored.decision, stored.process, stored.total) == (Decimal("18"), None, None)


def test_a_finalised_evaluation_is_read_only(english, district, officer):
    evaluation = finalised_key(district)
    as_(english, officer)

    assert "Enter the scores" not in english.get(page(evaluation)).content.decode()
    assert english.post(page(evaluation), SCORES).status_code == 409
    response = english.post(page(evaluation), SCORES | {"from_page": "1"}, follow=True)
    assert "read-only" in response.content.decode()
    assert Evaluation.objects.get(pk=evaluation.pk).total == Decimal("92.00")


@pytest.mark.parametrize("persona", ["head", "admin"])
def test_the_page_shows_the_evaluation_to_those_in_its_scope(english, district, request, persona):
    evaluation = finalised_key(district)

    response = as_(english, request.getfixturevalue(persona)).get(page(evaluation))

    html = response.content.decode()
    assert response.status_code == 200
    assert "PA01" in html and "某评价机构" in html and "92.00" in html
    # Finalised: read-only for both; the bureau (an admin) may reopen it.
    assert "Enter the scores" not in html
    assert ('value="reopen"' in html) == (persona == "admin")


def test_a_head_reads_but_cannot_edit_their_departments_evaluation(client, draft, head):
    assert "Enter the scores" not in as_(client, head).get(page(draft)).content.decode()
    assert client.post(page(draft), SCORES).status_code == 409
    assert Evaluation.objects.get(pk=draft.pk).total is None


def test_another_departments_head_gets_404(client, draft, other_head):
    assert as_(client, other_head).get(page(draft)).status_code == 404
    assert client.post(page(draft), SCORES).status_code == 404
    assert client.post(step(draft), {"action": "finalise"}).status_code == 404


def test_a_unit_filler_reads_their_units_evaluations_only(client, district, unit_filler, draft):
    department_wide = Evaluation.objects.create(fiscal_year_id=2021, kind="department", department=district.a)
    sibling = Evaluation.objects.get(project__code="PA09", kind="self")
    as_(client, unit_filler)

    assert client.get(page(draft)).status_code == 200
    assert client.post(page(draft), SCORES).status_code == 409
    assert client.post(step(draft), {"action": "finalise"}).status_code == 409
    for other in (department_wide, sibling):
        assert client.get(page(other)).status_code == 404
        assert client.post(step(other), {"action": "finalise"}).status_code == 404


def test_a_self_evaluation_page_is_read_only_even_for_an_officer(client, district, officer):
    evaluation = Evaluation.objects.get(project=district.projects["PA02"], kind="self")
    as_(client, officer)

    response = client.get(page(evaluation))

    assert response.status_code == 200
    assert 'href="/projects/2021/PA02/self-evaluation/"' in response.content.decode()
    assert client.post(step(evaluation), {"action": "reopen", "reason": "复核"}).status_code == 409
    assert Evaluation.objects.get(pk=evaluation.pk).status == "finalised"


# -- finalising and reopening ---------------------------------------------------------------------------


def test_finalising_needs_every_score_and_names_the_missing_ones(english, draft, officer):
    response = as_(english, officer).post(step(draft), {"action": "finalise"})

    assert response.status_code == 409
    assert response.content.decode() == "Finalising needs every score: process, output, benefit missing."
    assert Evaluation.objects.get(pk=draft.pk).status == "draft"


def test_the_pages_own_form_gets_the_refusal_as_a_message(english, draft, officer):
    response = as_(english, officer).post(step(draft), {"action": "finalise", "from_page": "1"}, follow=True)

    assert response.redirect_chain == [(page(draft), 302)]
    assert "Finalising needs every score" in response.content.decode()


def _pending_recomputes() -> list[PendingRecompute]:
    return [
        callback
        for _ids, callback, _robust in connection.run_on_commit
        if isinstance(callback, PendingRecompute)
    ]


def test_finalising_queues_the_coalesced_recompute_and_keeps_the_step(client, draft, officer, settings):
    settings.RECOMPUTE_ON_CHANGE = True
    Evaluation.objects.filter(pk=draft.pk).update(
        process=Decimal("17"), output=Decimal("26"), benefit=Decimal("25"), total=Decimal("86"), grade="good"
    )
    for earlier in _pending_recomputes():  # the fixtures' own: emptied, to watch the step
        earlier.years.clear()
        earlier.project_ids.clear()
    as_(client, officer)

    response = client.post(step(draft), {"action": "finalise", "from_page": "1"})

    assert response.status_code == 302
    assert Evaluation.objects.get(pk=draft.pk).status == "finalised"
    (pending,) = _pending_recomputes()  # one per transaction, coalesced
    assert pending.years == {2021}
    assert [(s.action, s.from_state, s.to_state) for s in timeline(draft)] == [
        ("finalise", "draft", "finalised")
    ]


def test_reopening_needs_a_reason(client, district, officer):
    evaluation = finalised_key(district)

    response = as_(client, officer).post(step(evaluation), {"action": "reopen", "reason": "  "})

    assert response.status_code == 409
    assert Evaluation.objects.get(pk=evaluation.pk).status == "finalised"
    assert not Transition.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"), [("head", 409), ("other_head", 404), ("third_head", 404), ("admin", 302)]
)
def test_only_the_bureau_finalises_and_reopens(client, district, request, persona, status):
    evaluation = finalised_key(district)

    response = as_(client, request.getfixturevalue(persona)).post(
        step(evaluation), {"action": "reopen", "reason": "复核"}
    )

    assert response.status_code == status
    expected = "draft" if status == 302 else "finalised"
    assert Evaluation.objects.get(pk=evaluation.pk).status == expected


def test_an_unknown_action_or_a_get_changes_nothing(client, draft, officer):
    as_(client, officer)

    assert client.post(step(draft), {"action": "approve"}).status_code == 409
    assert client.get(step(draft)).status_code == 405


def test_a_reopened_evaluation_leaves_the_leaderboard_until_finalised_again(client, district, officer):
    evaluation = finalised_key(district)

    def a01_score() -> Decimal:
        run = recompute_all(year=2021, as_of=AS_OF)
        return LeaderboardEntry.objects.get(run=run, department=district.a).score

    # PA01 key 92 on 120,000,000 and PA02 self 75 on 30,000,000: (92 × 120 + 75 × 30) ÷ 150 = 88.6
    assert a01_score() == Decimal("88.6000")
    as_(client, officer).post(step(evaluation), {"action": "reopen", "reason": "评分依据不足"})
    assert a01_score() == Decimal("75.0000")  # PA01 is not evaluated: PA02's 75 alone
    client.post(step(evaluation), {"action": "finalise"})
    assert a01_score() == Decimal("88.6000")
    assert [(s.action, s.reason) for s in timeline(evaluation)] == [
        ("reopen", "评分依据不足"),
        ("finalise", ""),
    ]


def test_the_evaluations_list_links_each_row_and_offers_officers_a_new_one(client, district, officer, head):
    evaluation = finalised_key(district)

    officers = as_(client, officer).get("/evaluations/", {"year": "2021"}).content.decode()
    heads = as_(client, head).get("/evaluations/", {"year": "2021"}).content.decode()

    assert f'href="{page(evaluation)}"' in officers and f'href="{page(evaluation)}"' in heads
    assert 'href="/evaluations/new/?year=2021"' in officers
    assert "/evaluations/new/" not in heads


def test_the_project_page_links_to_its_evaluations(client, district, officer):
    evaluation = finalised_key(district)

    html = as_(client, officer).get("/projects/2021/PA01/").content.decode()

    assert f'href="{page(evaluation)}"' in html
    assert f"/evaluations/new/?kind=key&amp;project={district.projects['PA01'].pk}" in html
