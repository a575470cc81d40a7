"""SPEC §12.1, §13 over HTTP: the head forwards, the officer approves and the project's indicators become
the approved version's; a revision (调整) leaves the version in force, and the indicators, untouched until
it is approved in turn; the page's query count does not grow with indicators or versions."""

from __future__ import annotations

from decimal import Decimal

import pytest

from projects.models import Indicator, PerformanceTarget, TargetDeclaration
from tests.factories import DeclaredIndicatorFactory, TargetDeclarationFactory
from tests.projects.targets.support import GOOD_ROWS, TRANSITION, URL, form_data
from workflow.models import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def submitted(client, unit_user, rows=GOOD_ROWS, goal="资助学生 1,000 人") -> None:
    client.force_login(unit_user)
    client.post(URL, {"do": "declare"})
    response = client.post(URL, form_data(rows, goal=goal, then="submit"), follow=True)
    assert [str(m) for m in response.context["messages"]][-1] == "Saved and submitted to your department."


def review(client, head_user, officer_user) -> None:
    client.force_login(head_user)
    assert client.post(TRANSITION, {"action": "forward", "from_page": "1"}).status_code == 302
    client.force_login(officer_user)
    assert client.post(TRANSITION, {"action": "approve", "from_page": "1"}).status_code == 302


def indicators(project) -> list[tuple]:
    return list(
        Indicator.objects.filter(project=project)
        .order_by("name")
        .values_list("level1", "name", "target_value", "weight")
    )


def test_head_forwards_officer_approves_and_the_indicators_mirror_it(
    client, project, template, unit_user, head_user, officer_user
):
    submitted(client, unit_user)
    client.force_login(head_user)
    page = client.get(URL).content.decode()
    assert 'value="forward"' in page and 'value="return"' in page

    review(client, head_user, officer_user)

    declaration = TargetDeclaration.objects.get()
    assert declaration.state == State.APPROVED and declaration.in_force
    assert PerformanceTarget.objects.get(project=project).goal == "资助学生 1,000 人"
    assert indicators(project) == [
        ("产出指标", "资助学生人数", Decimal("1000"), Decimal("60")),
        ("效益指标", "资助政策知晓率", Decimal("95"), Decimal("30")),
    ]
    client.force_login(unit_user)
    page = client.get(URL).content.decode()
    assert "Revise targets (调整)" in page
    assert "in force" in page


def test_officer_returns_with_a_reason_that_heads_the_page(
    client, project, template, unit_user, head_user, officer_user
):
    submitted(client, unit_user)
    client.force_login(head_user)
    client.post(TRANSITION, {"action": "forward", "from_page": "1"})
    client.force_login(officer_user)
    client.post(TRANSITION, {"action": "return", "reason": "知晓率目标偏低。", "from_page": "1"})

    client.force_login(unit_user)
    response = client.get(URL)

    assert "知晓率目标偏低。" in response.content.decode()
    assert 'name="row-0-name"' in response.content.decode()  # editable again


def test_revision_keeps_the_version_in_force_until_it_is_approved(
    client, project, template, unit_user, head_user, officer_user
):
    submitted(client, unit_user)
    review(client, head_user, officer_user)
    before = indicators(project)

    client.force_login(unit_user)
    response = client.post(URL, {"do": "declare"}, follow=True)
    assert "Revision v2 started" in [str(m) for m in response.context["messages"]][-1]
    page = response.content.decode()
    assert 'name="row-0-name" value="资助学生人数"' in page  # the revision starts from the version in force
    assert "version 1 is in force" in page
    revised = [("产出指标", "数量指标", "资助学生人数", "gte", "1200", "人", "60"), GOOD_ROWS[1]]
    submitted(client, unit_user, rows=revised)
    client.force_login(head_user)
    client.post(TRANSITION, {"action": "forward", "from_page": "1"})

    first, second = TargetDeclaration.objects.order_by("version")
    assert first.in_force and second.state == State.FORWARDED
    assert indicators(project) == before  # monitoring still measures against version 1
    client.force_login(officer_user)
    page = client.get(URL).content.decode()
    assert "version 1 is in force" in page
    assert "Compared with version 1 in force" in page
    assert "target ≥ 1,000 人 → ≥ 1,200 人" in page  # what the revision changes, for the reviewers
    assert ">unchanged<" in page  # the other row

    client.post(TRANSITION, {"action": "approve", "from_page": "1"})

    first.refresh_from_db()
    second.refresh_from_db()
    assert second.in_force and not first.in_force and first.superseded_at is not None
    assert indicators(project)[0] == ("产出指标", "资助学生人数", Decimal("1200"), Decimal("60"))
    response = client.get(URL, {"version": "1"})
    assert response.status_code == 200
    assert "superseded" in response.content.decode()


def _versions(project, count: int, rows: int) -> None:
    """``count`` versions (the older ones superseded, the newest a draft) of ``rows`` indicators each."""
    for version in range(1, count + 1):
        newest = version == count
        declaration = TargetDeclarationFactory(
            project=project,
            version=version,
            state=State.DRAFT if newest else State.APPROVED,
            superseded_at=None if newest or version == count - 1 else "2021-05-01T00:00:00Z",
        )
        for number in range(rows):
            DeclaredIndicatorFactory(declaration=declaration, name=f"指标{number}", weight=Decimal("1"))


#: Queries of the page: the session, the user, the groups, the scope (a unit's membership, a head's
#: department; none for an officer), the project, the versions, the
#: shown version's indicators, the template, the timeline, the to-do count, and for the unit's form
#: the quota standards of the year.
QUERIES = {"unit_user": 11, "head_user": 10, "officer_user": 9}


@pytest.mark.parametrize("persona", list(QUERIES))
@pytest.mark.parametrize("count,rows", [(1, 1), (5, 20)])
def test_the_page_makes_the_same_queries_whatever_its_size(
    client, project, template, quotas, persona, count, rows, request, django_assert_num_queries
):
    _versions(project, count, rows)
    client.force_login(request.getfixturevalue(persona))
    client.get(URL)  # the content types are cached once per process

    with django_assert_num_queries(QUERIES[persona]):
        response = client.get(URL)

    assert response.status_code == 200


def test_a_revision_that_changes_nothing_says_so_to_the_reviewers(
    client, project, template, unit_user, head_user, officer_user
):
    submitted(client, unit_user)
    review(client, head_user, officer_user)
    submitted(client, unit_user)  # the revision, as it started: the version in force

    client.force_login(head_user)
    page = client.get(URL).content.decode()

    assert "This revision changes nothing from version 1 in force." in page
    assert 'value="forward"' in page
