"""SPEC §12.4 the project pool: a unit proposes a project for next year (/pool/new/), the bureau assesses
it ex ante and approves it into the budget or refuses it (/projects/<year>/<code>/transition/), and the
pool page (/pool/) lists the proposals each role may see."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import override_settings

from performance.models import Evaluation
from projects.models import Project
from projects.services import propose_project
from tests.performance.conftest import evaluate
from tests.reading import get, listed, text
from workflow.services import timeline

pytestmark = pytest.mark.django_db

FORM = {
    "name": "智慧课堂建设",
    "category": "livelihood",
    "requested_amount": "2500000.00",
    "goal": "建成智慧教室20间，师生满意度不低于90%。",
}


def proposal(district, unit_code: str = "A01-01", name: str = "智慧课堂建设", amount: str = "2500000.00"):
    """A proposal of the unit for 2022 (the year after the current 2021), as its filler would make it."""
    pa01 = district.projects["PA01"]
    with override_settings(RECOMPUTE_ON_CHANGE=False):
        return propose_project(
            user=None,
            unit=district.units[unit_code],
            name=name,
            function_class=pa01.function_class,
            fund_source=pa01.fund_source,
            category="livelihood",
            requested_amount=Decimal(amount),
            goal="目标",
        )


def assess(project, total: str, status: str = Evaluation.Status.FINALISED):
    return evaluate(project, total, kind=Evaluation.Kind.EX_ANTE, year=2022, status=status)


def transition_url(project) -> str:
    return f"/projects/{project.fiscal_year_id}/{project.code}/transition/"


def post(client, user, url: str, data: dict):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.post(url, data)


# -- proposing -------------------------------------------------------------------------------------


def test_unit_filler_proposes_a_project_for_next_year_with_a_generated_code(client, unit_filler, district):
    pa01 = district.projects["PA01"]
    data = FORM | {"function_class": pa01.function_class_id, "fund_source": pa01.fund_source_id}

    first = post(client, unit_filler, "/pool/new/", data)
    second = post(client, unit_filler, "/pool/new/", data | {"name": "课后服务"})

    project = Project.objects.get(code="CB20220001")
    assert first["Location"] == "/projects/2022/CB20220001/"
    assert second["Location"] == "/projects/2022/CB20220002/"
    assert (project.fiscal_year_id, project.status) == (2022, "proposed")
    assert project.unit_id == district.units["A01-01"].pk
    # The request is kept apart; the budget stays 0 until the bureau approves an amount.
    assert (project.requested_amount, project.budget) == (Decimal("2500000.00"), Decimal("0.00"))
    assert project.performance_target.goal == FORM["goal"]
    assert [(step.action, step.to_state, step.actor) for step in timeline(project)] == [
        ("create", "proposed", unit_filler)
    ]


@pytest.mark.parametrize("amount", ["-5", "0", "abc", "9" * 20, "1.234", "NaN", "²"])
def test_a_bad_requested_amount_is_a_message_and_nothing_is_proposed(client, unit_filler, district, amount):
    pa01 = district.projects["PA01"]
    data = FORM | {"function_class": pa01.function_class_id, "fund_source": pa01.fund_source_id}

    response = post(client, unit_filler, "/pool/new/", data | {"requested_amount": amount})

    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    assert not Project.objects.filter(fiscal_year_id=2022).exists()


@pytest.mark.parametrize("persona", ["officer", "head", "admin"])
def test_only_a_unit_filler_opens_the_proposal_form(client, district, request, persona):
    assert get(client, request.getfixturevalue(persona), "/pool/new/").status_code == 404


def test_the_proposal_form_is_in_the_navigation_of_a_unit_filler(client, unit_filler):
    response = get(client, unit_filler, "/pool/")

    assert 'href="/pool/new/"' in response.content.decode()
    assert 'href="/pool/"' in response.content.decode()


# -- approving and refusing ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "status", "approved"),
    [
        ("60", Evaluation.Status.FINALISED, True),  # 中, the lowest grade let in
        ("91", Evaluation.Status.FINALISED, True),  # 优
        ("59.99", Evaluation.Status.FINALISED, False),  # 差
        ("85", Evaluation.Status.DRAFT, False),  # not finalised
        (None, None, False),  # never assessed
    ],
    ids=["fair", "excellent", "poor", "draft", "none"],
)
def test_approval_needs_a_finalised_ex_ante_assessment_graded_fair_or_better(
    client, district, officer, total, status, approved
):
    project = proposal(district)
    if total is not None:
        assess(project, total, status)

    response = post(
        client, officer, transition_url(project), {"action": "approve", "approved_budget": "2000000"}
    )

    project.refresh_from_db()
    if approved:
        assert response.status_code == 302
        assert (project.status, project.budget) == ("approved", Decimal("2000000.00"))
        assert [step.action for step in timeline(project)] == ["create", "approve"]
    else:
        assert response.status_code == 409
        assert response.content.decode().startswith("未批准")  # "Not approved." and the reason
        assert (project.status, project.budget) == ("proposed", Decimal("0.00"))
        assert [step.action for step in timeline(project)] == ["create"]


def test_the_refusal_of_an_approval_shows_on_the_projects_page(client, district, officer):
    project = proposal(district)
    assess(project, "50")

    response = post(
        client,
        officer,
        transition_url(project),
        {"action": "approve", "approved_budget": "2000000", "from_page": "1"},
    )
    page = client.get(response["Location"])

    assert response["Location"] == f"/projects/2022/{project.code}/"
    assert "差" in text(page) and "中" in text(page)  # graded poor; fair or better needed
    assert Project.objects.get(pk=project.pk).status == "proposed"


def test_officer_refuses_a_proposal_with_a_reason_shown_on_its_timeline(client, district, officer):
    project = proposal(district)

    without = post(client, officer, transition_url(project), {"action": "refuse"})
    refused = post(client, officer, transition_url(project), {"action": "refuse", "reason": "与现有项目重复"})

    project.refresh_from_db()
    assert without.status_code == 409
    assert refused.status_code == 302
    assert (project.status, project.refusal_reason) == ("cancelled", "与现有项目重复")
    assert project.budget == Decimal("0.00")
    page = text(get(client, officer, f"/projects/2022/{project.code}/"))
    assert "与现有项目重复" in page and "储备（项目库） → 已取消" in page


@pytest.mark.parametrize("amount", ["-1", "abc", "9" * 20, "1e400", "", "１２", "NaN", "12.345"])
def test_a_bad_approved_amount_is_a_message_and_changes_nothing(client, district, officer, amount):
    project = proposal(district)
    assess(project, "80")

    response = post(
        client, officer, transition_url(project), {"action": "approve", "approved_budget": amount}
    )

    project.refresh_from_db()
    assert response.status_code == 409
    assert "批准金额" in response.content.decode()  # names the approved amount
    assert (project.status, project.budget) == ("proposed", Decimal("0.00"))
    assert len(timeline(project)) == 1


@pytest.mark.parametrize(
    ("persona", "unit_code", "expected"),
    [
        ("officer", "A01-01", 302),
        ("admin", "A01-01", 302),
        ("head", "A01-01", 409),  # their department's project: seen, not theirs to decide
        ("other_head", "A01-01", 404),
        ("unit_filler", "A01-01", 409),  # their own unit's proposal
        ("unit_filler", "A01-02", 404),  # a sibling unit's
        ("anonymous", "A01-01", 302),  # to the login page
    ],
)
def test_only_officers_approve_and_others_get_409_in_scope_or_404_outside(
    client, district, unit_filler, request, persona, unit_code, expected
):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    project = proposal(district, unit_code)
    assess(project, "75")

    response = post(client, user, transition_url(project), {"action": "approve", "approved_budget": "100"})

    assert response.status_code == expected
    if persona == "anonymous":
        assert response["Location"].startswith("/accounts/login/")
    project.refresh_from_db()
    assert project.status == ("approved" if expected == 302 and user is not None else "proposed")


def test_a_decided_project_cannot_be_decided_again(client, district, officer):
    project = proposal(district)
    assess(project, "75")
    post(client, officer, transition_url(project), {"action": "refuse", "reason": "预算紧张"})

    again = post(client, officer, transition_url(project), {"action": "approve", "approved_budget": "100"})

    assert again.status_code == 409
    assert Project.objects.get(pk=project.pk).status == "cancelled"


def test_a_budget_project_from_an_import_takes_no_pool_transition(client, district, officer):
    response = post(client, officer, "/projects/2021/PA01/transition/", {"action": "refuse", "reason": "x"})

    assert response.status_code == 409
    assert Project.objects.get(fiscal_year_id=2021, code="PA01").status == "approved"


# -- the pool page ----------------------------------------------------------------------------------


@pytest.fixture
def pool(district, unit_filler):
    """Proposals for 2022: CB20220001 of A01-01 (finalised 82 良), CB20220002 of A01-02 (a draft),
    CB20220003 of B02-01 (none), CB20220004 of A01-01 approved at 150 万元 after a 中, and CB20220005 of
    B02-01 refused."""
    first = proposal(district, "A01-01", "智慧课堂", "2000000")
    assess(first, "82")
    assess(proposal(district, "A01-02", "教师研修", "1000000"), "70", Evaluation.Status.DRAFT)
    proposal(district, "B02-01", "健康档案", "3000000")
    approved = proposal(district, "A01-01", "校园安全", "1800000")
    assess(approved, "65")
    refused = proposal(district, "B02-01", "医疗设备更新", "5000000")
    with override_settings(RECOMPUTE_ON_CHANGE=False):
        from performance.services.pool import decide_proposal
        from tests.factories import make_officer

        decider = make_officer("decider")
        decide_proposal(approved, user=decider, action="approve", approved_budget="1500000")
        decide_proposal(refused, user=decider, action="refuse", reason="重复")


def codes(response) -> list[str]:
    return [cells[0] for cells in listed(response)]


def test_officer_sees_every_proposal_with_amounts_assessment_and_status(client, pool, officer):
    response = get(client, officer, "/pool/")

    # Code, name, year, unit, department; requested and approved (万元), assessment, status.
    first = listed(response)[0]
    assert first[:5] == ["CB20220001", "智慧课堂", "2022", "区第一中学", "区教育体育局"]
    assert [[cells[0], *cells[5:9]] for cells in listed(response)] == [
        ["CB20220001", "200.00", "—", "已定稿 · 良 (82.00)", "储备（项目库）"],
        ["CB20220002", "100.00", "—", "草稿", "储备（项目库）"],
        ["CB20220003", "300.00", "—", "无事前评估", "储备（项目库）"],
        ["CB20220004", "180.00", "150.00", "已定稿 · 中 (65.00)", "已纳入预算"],  # approved at 1,500,000 元
        ["CB20220005", "500.00", "—", "无事前评估", "已取消"],
    ]
    # The one proposal never assessed and still open offers the officer its assessment.
    assert response.content.decode().count("/evaluations/new/?kind=ex_ante&amp;project=") == 1


def test_head_sees_their_departments_proposals_and_unit_filler_their_units(client, pool, head, unit_filler):
    assert codes(get(client, head, "/pool/")) == ["CB20220001", "CB20220002", "CB20220004"]
    assert codes(get(client, unit_filler, "/pool/")) == ["CB20220001", "CB20220004"]
    assert "/evaluations/new/" not in get(client, head, "/pool/").content.decode()


def test_other_head_gets_404_on_another_departments_proposal(client, pool, other_head):
    project = Project.objects.get(code="CB20220001")
    assert get(client, other_head, f"/projects/2022/{project.code}/").status_code == 404


def test_pool_filters_by_status_and_exports(client, pool, officer):
    proposed = codes(get(client, officer, "/pool/", status="proposed"))
    assert proposed == ["CB20220001", "CB20220002", "CB20220003"]
    export = get(client, officer, "/pool/", status="approved", export="csv")
    lines = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 2 and lines[1].startswith("CB20220004,校园安全,2022,")
    assert ",180.00,150.00," in lines[1]


def test_officers_to_do_list_names_the_proposals_awaiting_a_decision(client, pool, officer, head):
    officer_page = text(get(client, officer, "/todo/"))
    assert all(code in officer_page for code in ("CB20220001", "CB20220002", "CB20220003"))
    assert "CB20220004" not in officer_page and "CB20220005" not in officer_page
    assert "CB20220001" not in text(get(client, head, "/todo/"))


def test_only_the_approved_proposal_is_on_the_project_list_of_its_year(client, pool, officer):
    listed_2022 = listed(get(client, officer, "/projects/", year="2022"))

    assert [cells[:5] for cells in listed_2022] == [
        ["CB20220004", "校园安全", "区教育体育局", "区第一中学", "150.00"]
    ]


@pytest.mark.parametrize("url", ["/pool/", "/pool/new/"])
def test_pool_pages_make_the_same_queries_for_1_and_30_proposals(
    client, district, unit_filler, officer, url, django_assert_max_num_queries
):
    client.force_login(unit_filler if url == "/pool/new/" else officer)
    proposal(district)
    # The session, the user, the groups, the membership (roles), the to-do count; then the pool's
    # page: the filter's departments, the count, the page of rows (each with its assessment); the
    # form's: the unit, the current year, the function classes and the fund sources.
    with django_assert_max_num_queries(12) as one:
        assert client.get(url).status_code == 200
    for n in range(29):
        project = proposal(district, ("A01-01", "B02-01")[n % 2], f"项目{n}")
        if n % 3:
            assess(project, str(50 + n), (Evaluation.Status.FINALISED, Evaluation.Status.DRAFT)[n % 2])
    with django_assert_max_num_queries(12) as thirty:
        assert client.get(url).status_code == 200

    assert len(thirty) == len(one)


def test_an_imported_proposal_is_in_the_pool_and_is_approved_like_any_other(client, district, officer):
    pa01 = district.projects["PA01"]
    imported = Project.objects.create(
        fiscal_year_id=2021,
        code="PA77",
        name="导入的储备项目",
        unit=pa01.unit,
        function_class=pa01.function_class,
        fund_source=pa01.fund_source,
        category="livelihood",
        budget=Decimal("700000.00"),
        status=Project.Status.PROPOSED,
    )
    evaluate(imported, "88", kind=Evaluation.Kind.EX_ANTE)

    assert [cells[0] for cells in listed(get(client, officer, "/pool/"))] == ["PA77"]
    response = post(
        client, officer, transition_url(imported), {"action": "approve", "approved_budget": "650000"}
    )

    imported.refresh_from_db()
    assert response.status_code == 302
    assert (imported.status, imported.budget) == ("approved", Decimal("650000.00"))
