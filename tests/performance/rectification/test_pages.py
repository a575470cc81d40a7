"""SPEC §14.2 on the pages: the list (filters, export, scope), opening an item from a warning, a weak
spot, an inflated self-evaluation, an evaluation's findings or a double deviation (prefilled, linking
back), the counts on the leaderboard, the overview and the department page, and the query budgets."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from performance.models import Evaluation, ItemSource, RectificationItem
from performance.services.rectification import answer_item, close_item, open_item
from tests.reading import download, get, text
from workflow.models import Round

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def make_item(
    district, officer, *, department=None, project="PA02", deadline_days=30, source=ItemSource.WARNING
):
    return open_item(
        RectificationItem(
            department=department or district.a,
            project=district.projects[project] if project else None,
            fiscal_year_id=2021,
            source=source,
            problem=f"problem of {project or 'the department'}",
            requirement="fix it",
            deadline=TODAY + datetime.timedelta(days=deadline_days),
        ),
        user=officer,
    )


def overdue(item, days=1):
    """Moved past its deadline (a deadline in the past cannot be given through the form)."""
    RectificationItem.objects.filter(pk=item.pk).update(deadline=TODAY - datetime.timedelta(days=days))


def rows_of(response, heading: str) -> list[list[str]]:
    """The body rows (whatever their class: overdue rows are marked) of the table headed ``heading``."""
    for table in re.findall(r"<table.*?</table>", response.content.decode(), re.S):
        if heading in table:
            body = re.split(r"<tbody[^>]*>", table, maxsplit=1)[1]
            return [
                [
                    re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip()
                    for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
                ]
                for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
            ]
    raise AssertionError(f"no table with {heading!r}")


def post(client, user, url, data):
    client.logout()
    client.force_login(user)
    return client.post(url, data)


# -- the list ---------------------------------------------------------------------------------------------


def test_the_list_shows_each_role_the_items_in_its_scope(client, district, officer, head, other_head):
    mine = make_item(district, officer)
    theirs = make_item(district, officer, department=district.b, project="PB02")

    def numbers(user):
        return {row[0] for row in rows_of(get(client, user, "/rectification/"), "Problem")}

    assert numbers(officer) == {str(mine.pk), str(theirs.pk)}
    assert numbers(head) == {str(mine.pk)}
    assert numbers(other_head) == {str(theirs.pk)}


def test_the_list_filters_by_state_department_and_overdue(client, district, officer, head):
    late = make_item(district, officer)
    overdue(late)
    answered = make_item(district, officer, project="PA01")
    answer_item(answered, user=head, measures="m", evidence="")
    other = make_item(district, officer, department=district.b, project="PB02")

    def numbers(**params):
        return {row[0] for row in rows_of(get(client, officer, "/rectification/", **params), "Problem")}

    assert numbers(overdue="1") == {str(late.pk)}
    assert numbers(overdue="0") == {str(answered.pk), str(other.pk)}
    assert numbers(state="answered") == {str(answered.pk)}
    assert numbers(department="B02") == {str(other.pk)}
    assert numbers(q="PB02") == {str(other.pk)}


def test_the_list_exports_its_filtered_rows(client, district, officer):
    make_item(district, officer)
    make_item(district, officer, department=district.b, project="PB02")

    csv = download(get(client, officer, "/rectification/", export="csv", department="A01")).decode(
        "utf-8-sig"
    )

    lines = csv.strip().splitlines()
    assert len(lines) == 2
    assert "problem of PA02" in lines[1]


def test_an_overdue_item_is_flagged_on_the_list_and_its_page(client, district, officer):
    item = make_item(district, officer)
    overdue(item)

    assert "overdue" in text(get(client, officer, "/rectification/"))
    assert 'id="item-overdue"' in get(client, officer, f"/rectification/{item.pk}/").content.decode()


def test_an_item_due_today_is_not_flagged(client, district, officer):
    item = make_item(district, officer, deadline_days=0)

    assert 'id="item-overdue"' not in get(client, officer, f"/rectification/{item.pk}/").content.decode()


# -- opening an item from what it follows -----------------------------------------------------------------


def test_the_warnings_page_links_each_row_to_a_new_item_for_officers_only(client, district, officer, head):
    pa02 = district.projects["PA02"]
    link = f"/rectification/new/?source=warning&amp;project={pa02.pk}&amp;year=2021"

    assert link in get(client, officer, "/progress/").content.decode()
    assert "/rectification/new/" not in get(client, head, "/progress/").content.decode()


def test_an_item_opened_from_a_warning_is_prefilled_and_links_back(client, district, officer):
    pa02 = district.projects["PA02"]
    form = get(client, officer, "/rectification/new/", source="warning", project=pa02.pk, year=2021)
    assert form.status_code == 200
    assert "30.0%" in text(form) and "83.3%" in text(form)  # PA02: 900 spent of 3,000 as of 31 October

    response = post(
        client,
        officer,
        "/rectification/new/",
        {
            "source": "warning",
            "project": pa02.pk,
            "year": 2021,
            "problem": form.context["form"].initial["problem"],
            "requirement": "Pay the contractors.",
            "deadline": (TODAY + datetime.timedelta(days=14)).isoformat(),
        },
    )

    item = RectificationItem.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/rectification/{item.pk}/"
    assert (item.department, item.project, item.source, item.state) == (district.a, pa02, "warning", "open")
    page = get(client, officer, f"/rectification/{item.pk}/").content.decode()
    assert f'href="/progress/?year=2021&amp;q={pa02.code}"' in page


def test_the_department_pages_weak_spots_open_items(client, district, officer, head):
    page = get(client, officer, "/departments/A01/").content.decode()
    assert "/rectification/new/?source=weak_spot&amp;department=A01&amp;year=2021" in page
    assert "/rectification/new/" not in get(client, head, "/departments/A01/").content.decode()

    form = get(client, officer, "/rectification/new/", source="weak_spot", department="A01", year=2021)
    assert form.status_code == 200
    assert "区教育体育局" in text(form)


def test_an_item_from_an_evaluations_findings_takes_them_as_its_problem(client, district, officer):
    evaluation = Evaluation.objects.get(project=district.projects["PA01"], kind="key")
    Evaluation.objects.filter(pk=evaluation.pk).update(findings="绩效目标不够细化")

    page = get(client, officer, f"/evaluations/{evaluation.pk}/").content.decode()
    assert f"/rectification/new/?source=evaluation_finding&amp;evaluation={evaluation.pk}" in page
    form = get(client, officer, "/rectification/new/", source="evaluation_finding", evaluation=evaluation.pk)
    assert form.context["form"].initial["problem"] == "绩效目标不够细化"
    assert f'href="/evaluations/{evaluation.pk}/"' in form.content.decode()


def test_an_item_from_an_inflated_self_evaluation_links_to_the_self_evaluation(client, district, officer):
    pa02 = district.projects["PA02"]
    form = get(client, officer, "/rectification/new/", source="inflated_self_evaluation", project=pa02.pk)

    assert form.status_code == 200
    assert "/projects/2021/PA02/self-evaluation/" in form.content.decode()


def test_an_item_from_a_double_deviation_links_to_the_projects_monitoring_report(client, district, officer):
    round_ = Round.objects.create(
        kind=Round.Kind.MONITORING, fiscal_year_id=2021, as_of=datetime.date(2021, 7, 31), deadline=TODAY
    )
    pa02 = district.projects["PA02"]
    form = get(
        client, officer, "/rectification/new/", source="double_deviation", project=pa02.pk, round=round_.pk
    )

    assert form.status_code == 200
    assert "2021-07-31" in text(form)
    assert f"/projects/2021/PA02/monitoring/{round_.pk}/" in form.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"source": "warning"},
        {"source": "warning", "project": "999999"},
        {"source": "nonsense", "project": "1"},
        {"source": "evaluation_finding", "evaluation": "abc"},
        {"source": "double_deviation", "project": "1", "round": "999"},
        {"source": "weak_spot", "department": "ZZ99"},
    ],
)
def test_a_link_naming_nothing_usable_is_a_message_and_opens_nothing(client, district, officer, params):
    response = get(client, officer, "/rectification/new/", **params)

    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    params |= {"problem": "p", "requirement": "r", "deadline": TODAY.isoformat()}
    assert post(client, officer, "/rectification/new/", params).status_code == 400
    assert RectificationItem.objects.count() == 0


@pytest.mark.parametrize("deadline", ["2020-01-01", "3000-01-01", "not a date", ""])
def test_a_deadline_in_the_past_far_away_or_unreadable_is_refused(client, district, officer, deadline):
    data = {
        "source": "warning",
        "project": district.projects["PA02"].pk,
        "problem": "p",
        "requirement": "r",
        "deadline": deadline,
    }

    assert post(client, officer, "/rectification/new/", data).status_code == 400
    assert RectificationItem.objects.count() == 0


# -- counts beside the rank, on the overview and on the department page -----------------------------------


def test_the_leaderboard_shows_each_departments_open_and_overdue_items(client, district, officer, head):
    make_item(district, officer)
    overdue(make_item(district, officer, project="PA01"))
    closed = make_item(district, officer, project="PA01")
    answer_item(closed, user=head, measures="m", evidence="")
    close_item(closed, user=officer)
    make_item(district, officer, department=district.b, project="PB02")

    for user in (officer, head):
        rows = {
            row[2]: row for row in rows_of(get(client, user, "/leaderboard/"), "Open rectification items")
        }
        # A01: 3 items, 1 closed → 2 open, 1 of them overdue; B02: 1 open; C03: none.
        assert rows["区教育体育局"][7:9] == ["2", "1"]
        assert rows["区卫生健康委员会"][7:9] == ["1", "0"]
        assert rows["区政务服务数据管理局"][7:9] == ["0", "0"]


def test_the_overview_shows_the_districts_items_opened_closed_on_time_and_overdue(
    client, district, officer, head
):
    make_item(district, officer)
    overdue(make_item(district, officer, project="PA01"))
    on_time = make_item(district, officer, project="PA01")
    answer_item(on_time, user=head, measures="m", evidence="")
    close_item(on_time, user=officer)
    late = make_item(district, officer, project="PA01")
    answer_item(late, user=head, measures="m", evidence="")
    close_item(late, user=officer)
    overdue(late)  # closed today, after a deadline of yesterday: closed, not on time

    card = text(get(client, officer, "/")).split("Rectification items", 1)[1][:120]

    # 4 opened; 1 closed by its deadline; 2 not closed, 1 of them overdue (the one closed late is not
    # overdue any more, nor closed on time).
    assert "4 opened, 1 closed on time, 2 open 1 overdue" in card


def test_the_department_page_lists_its_items_with_counts(client, district, officer, head, other_head):
    late = make_item(district, officer)
    overdue(late)
    make_item(district, officer, project="PA01")
    make_item(district, officer, department=district.b, project="PB02")

    page = get(client, head, "/departments/A01/")
    listed = rows_of(page, "Deadline")

    assert [row[0] for row in listed] == [str(late.pk), str(late.pk + 1)]
    assert "2 open, 1 overdue" in text(page)
    assert get(client, other_head, "/departments/A01/").status_code == 404


# -- query budgets ----------------------------------------------------------------------------------------


def grow(district, officer, head, n):
    for index in range(n):
        item = make_item(district, officer, project=("PA01", "PA02")[index % 2])
        if index % 3 == 0:
            answer_item(item, user=head, measures="m", evidence="")
        if index % 5 == 0:
            overdue(item)


@pytest.mark.parametrize(
    ("url", "budget"),
    [
        ("/rectification/", 11),  # the page's 7 + filter choices, count, page of rows, (none left)
        ("/rectification/?export=csv", 10),
        ("/leaderboard/", 9),  # the counts ride in the leaderboard rows' own query
        ("/departments/A01/", 15),  # + the department's items with their counts, one query
        ("/", 15),  # + the district's items, one aggregate
    ],
)
def test_pages_make_the_same_queries_for_1_and_30_items(
    client, district, officer, head, url, budget, django_assert_max_num_queries
):
    grow(district, officer, head, 1)
    client.force_login(officer)
    with django_assert_max_num_queries(budget):
        assert client.get(url).status_code == 200
    grow(district, officer, head, 29)
    with django_assert_max_num_queries(budget):
        assert client.get(url).status_code == 200


def test_the_items_page_makes_the_same_queries_with_1_and_5_files_and_many_steps(
    client, district, officer, head, django_assert_max_num_queries
):
    from tests.performance.rectification.conftest import PDF, upload

    item = make_item(district, officer)
    answer_item(item, user=head, measures="m", evidence="", uploads=[upload("a.pdf", PDF)])
    client.force_login(head)
    with django_assert_max_num_queries(12) as few:
        client.get(f"/rectification/{item.pk}/")
    from performance.services.rectification import send_back_item

    send_back_item(item, user=officer, reason="more")
    answer_item(
        item, user=head, measures="m", evidence="", uploads=[upload(f"{n}.pdf", PDF) for n in range(4)]
    )
    with django_assert_max_num_queries(12) as many:
        client.get(f"/rectification/{item.pk}/")
    assert len(few.captured_queries) == len(many.captured_queries)
