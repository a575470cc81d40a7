"""SPEC §9 for the briefs and the workbook: the same queries with 1 and with 30 departments' worth of
rows, at most 15, for an officer and for a head (the rows of the district of tests/test_query_budgets)."""

from __future__ import annotations

import pytest

from tests.test_query_budgets import MAX_QUERIES, Grower

pytestmark = pytest.mark.django_db

#: Every report makes the session, the user, the user's groups and the head's department; the pages
#: also the to-do count of the header; the brief then the fiscal years, the run (with its figures),
#: the run's dates and one query per section's data (figures, agriculture's class, key evaluations,
#: leaderboard, district, warnings by department, adjustments and their actions); a department's brief
#: its department, the page state (years, run), its line, snapshot, weak projects, warned projects,
#: district profile, effect, actions, proposals; the workbook the page state (the run with its figures)
#: and one query per sheet.
URLS = {
    "officer": [
        "/reports/brief/",
        "/reports/brief/?format=docx",
        "/reports/department/A01/",
        "/reports/department/A01/?format=docx",
        "/export/dashboard.xlsx",
    ],
    "head": ["/reports/department/A01/", "/reports/department/A01/?format=docx", "/export/dashboard.xlsx"],
}


def measure(client, user, urls, django_assert_max_num_queries) -> dict[str, int]:
    counts = {}
    client.force_login(user)
    for url in urls:
        with django_assert_max_num_queries(MAX_QUERIES) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        if response.streaming:
            b"".join(response.streaming_content)
        counts[url] = len(queries)
    return counts


@pytest.mark.parametrize("persona", list(URLS))
def test_each_report_makes_the_same_queries_for_1_and_30_departments(
    client, department_a, request, persona, django_assert_max_num_queries
):
    user = request.getfixturevalue(persona)
    grower = Grower(department_a)

    one = measure(client, user, URLS[persona], django_assert_max_num_queries)
    grower.grow(29)
    thirty = measure(client, user, URLS[persona], django_assert_max_num_queries)

    assert thirty == one
