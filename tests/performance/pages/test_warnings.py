"""SPEC §6 warnings (/progress/) and the warnings cards (issue 14 item 4): every department listed,
paged; overspent projects never wear a green "normal"; zero spending said in words."""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings

from tests.district import AS_OF, _project
from tests.factories import BudgetUnitFactory, DepartmentFactory
from tests.performance.conftest import pay
from tests.reading import get, tables, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowded_warnings(district):
    """22 more departments, each with one unpaid (serious, zero-spending) project: 24 departments
    with a warning, more than one page of 20."""
    with override_settings(RECOMPUTE_ON_CHANGE=False):
        for n in range(22):
            unit = BudgetUnitFactory(
                department=DepartmentFactory(code=f"X{n:02d}", name=f"区测试部门{n:02d}")
            )
            _project(
                unit,
                f"PX{n:02d}",
                "未支出项目",
                "1000000.00",
                function_class=district.projects["PC01"].function_class,
                fund_source=district.projects["PC01"].fund_source,
            )
    district.recompute()
    return district


def test_every_department_with_a_warning_is_listed_over_pages(client, crowded_warnings, officer):
    first = get(client, officer, "/progress/")
    second = get(client, officer, "/progress/", **{"d-page": "2"})

    shown = [cells[0] for _class, cells in tables(first)[0]] + [
        cells[0] for _class, cells in tables(second)[0]
    ]
    assert len(shown) == 24 == len(set(shown))  # 22 + B02 + A01, none cut off
    assert "24" in text(first).split("按部门")[1][:80]  # the row count says how many there are


def test_departments_table_sorts_by_a_column(client, crowded_warnings, officer):
    response = get(client, officer, "/progress/", **{"d-sort": "-department_name"})
    names = [cells[0] for _class, cells in tables(response)[0]]

    assert names[0] == "区测试部门21" and names == sorted(names, reverse=True)


@pytest.fixture
def overspent(district):
    """PC01 paid 1,200 万元 of its 1,000 万元 budget: overspent, its progress (120 %) ahead of time."""
    with override_settings(RECOMPUTE_ON_CHANGE=False):
        pay(district.projects["PC01"], "3000000.00", datetime.date(2021, 9, 1))
    district.recompute()
    return district


def test_an_overspent_project_never_wears_a_green_normal_badge(client, overspent, officer):
    response = get(client, officer, "/progress/")
    html = response.content.decode()
    (row,) = [cells for _class, cells in tables(response)[-1] if cells[1] == "PC01"]

    assert row[7:10] == ["超预算支出", "", "超预算支出"]  # warning, zero spending, overspent
    assert "正常" not in row[7]
    assert 'class="badge warning-normal"' not in html

    # Its own lines elsewhere: the projects list, its department (card, unit, project) and its page.
    for url, params in (
        ("/projects/", {"q": "PC01"}),
        ("/departments/C03/", {}),
        ("/projects/2021/PC01/", {}),
    ):
        page = get(client, officer, url, **params)
        assert 'class="badge warning-normal"' not in page.content.decode(), url
        assert "超预算支出" in text(page), url


def test_zero_spending_is_said_in_words_not_as_a_zero(client, district, officer):
    response = get(client, officer, "/progress/", flag="zero_spending")
    (row,) = [cells for _class, cells in tables(response)[-1]]

    assert row[8] == "零支出"
    assert AS_OF.year == 2021


@pytest.mark.parametrize("per_page", ["-5", "0", "²", "100000"])
def test_a_department_page_size_that_is_no_page_size_still_shows_the_departments(
    client, crowded_warnings, officer, per_page
):
    response = get(client, officer, "/progress/", **{"d-per_page": per_page})

    assert response.status_code == 200
    assert 0 < len(tables(response)[0]) <= 200  # TABLE_MAX_PER_PAGE caps what one page shows
