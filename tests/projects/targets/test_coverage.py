"""SPEC §13 coverage of the framework (/standards/coverage/): the classification "follows the template
without warnings" decided in SQL agrees with ``checks_for(...).warnings`` at every edge; each role sees
what is theirs (officers every department and the district total, heads and unit fillers their own
department); the export carries the total; the queries stay the same as projects grow."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from projects.models import Direction, IndicatorTemplate, Project
from projects.targets.coverage import follows_template
from projects.targets.services import checks_for
from tests.factories import BudgetUnitFactory, DepartmentFactory, ProjectFactory
from tests.projects.targets.conftest import declare
from tests.reading import download, get, rows, text
from workflow.models import State

pytestmark = pytest.mark.django_db

#: 3,000 pupils × 870 元 = 2,610,000 元.
EXPECTED = Decimal("2610000.00")
OUTPUT = ("产出指标", "数量指标")
BENEFIT = ("效益指标", "社会效益指标")


def rows_with(
    pupils=Decimal("3000"), satisfaction=Decimal("90"), *, satisfaction_name="家长满意度", drop=False
):
    """Indicators summing to 90 points, against A01's livelihood template (受助学生人数 ≥ 3,000 人,
    家长满意度 ≥ 90 %)."""
    found = [
        (*OUTPUT, "受助学生人数", Direction.AT_LEAST, pupils, "人", Decimal("40")),
        (*OUTPUT, "覆盖学校数", Direction.AT_LEAST, Decimal("12"), "所", Decimal("20")),
    ]
    if not drop:
        found.append((*BENEFIT, satisfaction_name, Direction.AT_LEAST, satisfaction, "%", Decimal("30")))
    else:
        found.append((*BENEFIT, "社会影响", Direction.QUALITATIVE, None, "", Decimal("30")))
    return found


@pytest.fixture
def edges(school, department_a):
    """A01-01 projects, each with a version in force at one edge of one check (and the budget 2,610,000
    元 unless the quota is the edge). Development projects meet a "≤ 100 元" template."""
    IndicatorTemplate.objects.create(
        department=department_a, category="development", level1="成本指标", level2="经济成本指标",
        name="生均成本", direction=Direction.AT_MOST, target_value=Decimal("100"), measure_unit="元",
        weight=Decimal("10"),
    )  # fmt: skip
    quota = school["quota"]
    unit = school["first"]

    def project(code, budget=EXPECTED, category="livelihood"):
        return ProjectFactory(unit=unit, fiscal_year_id=2021, code=code, budget=budget, category=category)

    def quota_case(code, budget, quantity=Decimal("3000")):
        return declare(project(code, budget), rows_with(), quota_standard=quota, quantity=quantity)

    def cost(code, value):
        rows = rows_with()
        rows[1] = ("成本指标", "经济成本指标", "生均成本", Direction.AT_MOST, value, "元", Decimal("20"))
        return declare(project(code, category="development"), rows)

    cases = {
        "at the template": declare(project("E01"), rows_with()),
        "just weaker (≥)": declare(project("E02"), rows_with(pupils=Decimal("2999.99"))),
        "just stronger (≥)": declare(project("E03"), rows_with(pupils=Decimal("3000.01"))),
        "weaker satisfaction": declare(project("E04"), rows_with(satisfaction=Decimal("89.9"))),
        "template indicator missing": declare(project("E05"), rows_with(drop=True)),
        "name with spaces around": declare(project("E06"), rows_with(satisfaction_name="  家长满意度 ")),
        "quota exact": quota_case("E07", EXPECTED),
        "quota off 4.99 % over": quota_case("E08", Decimal("2740239.00")),  # 2,610,000 × 1.0499
        "quota off 5.01 % over": quota_case("E09", Decimal("2740761.00")),  # 2,610,000 × 1.0501
        "quota off 4.99 % under": quota_case("E10", Decimal("2479761.00")),  # 2,610,000 × 0.9501
        "quota off 5.01 % under": quota_case("E11", Decimal("2479239.00")),  # 2,610,000 × 0.9499
        "quota of no pupils": quota_case("E12", EXPECTED, quantity=Decimal("0")),
        "at the template (≤)": cost("E13", Decimal("100")),
        "just weaker (≤)": cost("E14", Decimal("100.01")),
        "just stronger (≤)": cost("E15", Decimal("99.99")),
        "≤ template, target left empty": cost("E16", None),
    }
    # A weaker revision under way leaves the version in force (at the template) what counts.
    in_force = declare(project("E17"), rows_with())
    declare(in_force.project, rows_with(pupils=Decimal("1")), version=2, state=State.SUBMITTED)
    cases["weaker revision under way"] = in_force
    return cases


def test_the_coverage_agrees_with_the_checks_at_every_edge(edges):
    classified = {}
    for case, declaration in edges.items():
        follows = Project.objects.filter(follows_template(), pk=declaration.project_id).exists()
        warned = bool(checks_for(declaration).warnings)
        classified[case] = follows
        assert follows is not warned, (case, [w.code for w in checks_for(declaration).warnings])

    assert classified == {
        "at the template": True,
        "just weaker (≥)": False,
        "just stronger (≥)": True,
        "weaker satisfaction": False,
        "template indicator missing": False,
        "name with spaces around": True,
        "quota exact": True,
        "quota off 4.99 % over": True,
        "quota off 5.01 % over": False,
        "quota off 4.99 % under": True,
        "quota off 5.01 % under": False,
        "quota of no pupils": False,
        "at the template (≤)": True,
        "just weaker (≤)": False,
        "just stronger (≤)": True,
        "≤ template, target left empty": True,
        "weaker revision under way": True,
    }


def test_the_district_total_adds_up_the_departments(client, officer, edges):
    table = rows(get(client, officer, "/standards/coverage/", year="2021"))

    # A01: PA01, PA02, PA09 and the 17 edge projects; 19 with targets (not PA02), of which 12 follow:
    # PA01 and PA09 (at the template, quota exact) and the 10 edge cases above that follow. B02: PB01
    # (no template for its category, no quota).
    assert table == [
        ["A01", "区教育体育局", "2", "20", "19", "12", "1", "95.0%"],
        ["B02", "区卫生健康委员会", "1", "1", "1", "1", "0", "100.0%"],
        ["", "全区合计", "3", "21", "20", "13", "1", "95.2%"],  # 20 / 21
    ]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("officer", [["A01", "2", "3"], ["B02", "1", "1"], ["", "3", "4"]]),
        ("admin", [["A01", "2", "3"], ["B02", "1", "1"], ["", "3", "4"]]),
        ("head", [["A01", "2", "3"], ["", "2", "3"]]),
        ("filler", [["A01", "2", "3"], ["", "2", "3"]]),  # their whole department, both units
        ("other_head", [["B02", "1", "1"], ["", "1", "1"]]),
    ],
)
def test_each_role_sees_its_own_departments(client, request, school, filler, persona, expected):
    response = get(client, request.getfixturevalue(persona), "/standards/coverage/")

    assert response.status_code == 200
    assert [[row[0], row[2], row[3]] for row in rows(response)] == expected


def test_the_total_of_a_head_is_their_departments(client, head, school):
    table = rows(get(client, head, "/standards/coverage/"))

    assert table[-1][1] == "本部门合计"


def test_without_a_role_or_signed_out_there_is_no_coverage(client, school, nobody):
    assert get(client, nobody, "/standards/coverage/").status_code == 404
    client.logout()
    assert client.get("/standards/coverage/").status_code == 302


@pytest.mark.parametrize("year", ["abc", "1999", "²⁰²¹", "<script>"])
def test_a_year_the_app_does_not_hold_shows_the_current_one_saying_so(client, officer, school, year):
    client.force_login(officer)
    client.cookies["django_language"] = "en"

    response = client.get("/standards/coverage/", {"year": year})

    assert response.status_code == 200
    assert "showing 2021" in text(response)
    assert "<script>" not in response.content.decode()


def test_the_export_carries_the_total(client, officer, school):
    data = download(get(client, officer, "/standards/coverage/", export="csv")).decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(data)))
    book = load_workbook(io.BytesIO(download(get(client, officer, "/standards/coverage/", export="xlsx"))))
    sheet_rows = list(book.active.iter_rows(values_only=True))

    assert lines[-1] == ["", "全区合计", "3", "4", "3", "3", "1", "75.0%"]
    assert sheet_rows[-1][1:7] == ("全区合计", 3, 4, 3, 3, 1)
    assert sheet_rows[-1][7] == Decimal("0.75") or sheet_rows[-1][7] == 0.75


def test_the_standards_page_links_the_coverage(client, head, school):
    assert 'href="/standards/coverage/"' in get(client, head, "/standards/").content.decode()


def test_the_coverage_makes_the_same_queries_for_few_and_many_projects(
    client, officer, school, django_assert_max_num_queries
):
    """The session, the user, the user's groups, the head's department and the to-do count (the
    header), the fiscal years, the departments, the grouped counts; a bound of 12 for both sizes."""

    def measure() -> int:
        client.force_login(officer)
        with django_assert_max_num_queries(12) as queries:
            assert client.get("/standards/coverage/").status_code == 200
        return len(queries)

    few = measure()
    for n in range(6):
        department = DepartmentFactory(code=f"D{n:02d}", name=f"部门{n}")
        unit = BudgetUnitFactory(department=department, code=f"D{n:02d}-01")
        for _m in range(3):
            declare(ProjectFactory(unit=unit, fiscal_year_id=2021), rows_with())
    many = measure()

    assert many == few
