"""SPEC §6 projects: the filterable list (/projects/) and a project's page (/projects/<year>/<code>/)
with its figures, payments chart, evaluations, lineage and (officers only) change history."""

from __future__ import annotations

import pytest

from finance.importing.applying import import_file
from finance.models import FunctionClass, FundSource
from performance.models import Evaluation
from tests.factories import IndicatorFactory
from tests.finance.import_support import csv_bytes, headers
from tests.performance.conftest import evaluate
from tests.reading import cards, figure_of, get, rows, select_options, text

pytestmark = pytest.mark.django_db


def codes(response) -> list[str]:
    """The codes of the listed projects (an empty list has one row: "nothing to show")."""
    return [cells[0] for cells in rows(response) if len(cells) > 1]


# -- the list -----------------------------------------------------------------------------------------


def test_officer_lists_every_project_of_the_year_with_its_figures(client, district, officer):
    response = get(client, officer, "/projects/")

    assert [cells[:8] for cells in rows(response)] == [
        ["PA01", "学生资助", "区教育体育局", "区第一中学", "12,000.00", "9,600.00", "80.0%", "-3.3"],
        ["PA02", "校舍维修", "区教育体育局", "区第一中学", "3,000.00", "900.00", "30.0%", "-53.3"],
        ["PB01", "医疗设备", "区卫生健康委员会", "区人民医院", "5,000.00", "3,500.00", "70.0%", "-13.3"],
        ["PB02", "公共卫生服务", "区卫生健康委员会", "区人民医院", "2,000.00", "0.00", "0.0%", "-83.3"],
        [
            "PC01",
            "政务信息化",
            "区政务服务数据管理局",
            "区政务数据中心",
            "1,000.00",
            "900.00",
            "90.0%",
            "+6.7",
        ],
    ]


def test_head_lists_only_their_departments_projects(client, district, head):
    assert codes(get(client, head, "/projects/")) == ["PA01", "PA02"]


def test_the_list_of_last_year_shows_last_years_projects(client, district, officer):
    # 2020 has no run: the projects are listed without computed figures.
    response = get(client, officer, "/projects/", year="2020")

    assert [cells[:6] for cells in rows(response)] == [
        ["PA01", "学生资助", "区教育体育局", "区第一中学", "10,000.00", "—"],
        ["PB01", "医疗设备", "区卫生健康委员会", "区人民医院", "4,000.00", "—"],
    ]


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("department", "B02", ["PB01", "PB02"]),
        ("function_class", "205", ["PA01", "PA02"]),
        ("fund_source", "gov_fund", ["PB01"]),
        ("category", "operating", ["PB02", "PC01"]),
        ("warning_level", "serious", ["PA02", "PB02"]),  # −53.3 and −83.3 pp
        ("warning_level", "attention", ["PB01"]),  # −13.3 pp
        ("grade", "fair", ["PA02", "PC01"]),  # 75 and 70
        ("grade", "excellent", ["PA01"]),  # 92
        ("q", "医疗", ["PB01"]),
        ("q", "pa0", ["PA01", "PA02"]),  # codes too, whatever the case
    ],
)
def test_projects_list_filters(client, district, officer, field, value, expected):
    lookups = {
        "department": lambda code: code,  # the department filter takes the department's code
        "function_class": lambda code: FunctionClass.objects.get(code=code).pk,
        "fund_source": lambda code: FundSource.objects.get(code=code).pk,
    }
    param = lookups[field](value) if field in lookups else value

    response = get(client, officer, "/projects/", **{field: param})

    assert codes(response) == expected


def test_the_list_shows_the_grade_that_counts_for_each_project(client, district, officer):
    response = get(client, officer, "/projects/")

    # Key evaluations of PA01 (92) and PB01 (85); self-evaluations of PA02 (75), PB02 (55), PC01 (70).
    assert {cells[0]: cells[9] for cells in rows(response)} == {
        "PA01": "优",
        "PA02": "中",
        "PB01": "良",
        "PB02": "差",
        "PC01": "中",
    }


def test_the_list_sorts_by_grade_best_first(client, district, officer):
    best_first = ["PA01", "PB01", "PA02", "PC01", "PB02"]  # 优, 良, 中 (by code), 差

    assert codes(get(client, officer, "/projects/", sort="grade")) == best_first
    worst_first = ["PB02", "PA02", "PC01", "PB01", "PA01"]  # ties stay in code order
    assert codes(get(client, officer, "/projects/", sort="-grade")) == worst_first


def test_a_grade_filter_matched_by_another_evaluation_shows_that_grade_too(client, district, officer):
    evaluate(district.projects["PA01"], "85", kind=Evaluation.Kind.SELF)  # 良 beside the key 优

    response = get(client, officer, "/projects/", grade="good")

    # The key evaluation's 优 counts for PA01; its self-evaluation's 良 is why the filter lists it.
    assert {cells[0]: cells[9] for cells in rows(response)} == {"PA01": "优 自评：良", "PB01": "良"}


def test_filters_combine_with_the_year(client, district, officer):
    response = get(client, officer, "/projects/", year="2020", q="医疗")

    assert [cells[:5] for cells in rows(response)] == [
        ["PB01", "医疗设备", "区卫生健康委员会", "区人民医院", "4,000.00"]
    ]


def test_heads_department_filter_offers_only_their_department(client, district, head, officer):
    assert select_options(get(client, head, "/projects/"), "department") == ["区教育体育局"]
    assert select_options(get(client, officer, "/projects/"), "department") == [
        "区教育体育局",
        "区卫生健康委员会",
        "区政务服务数据管理局",
    ]


def test_head_filtering_by_another_department_gets_no_rows(client, district, head):
    response = get(client, head, "/projects/", department=district.b.code)

    assert response.status_code == 200
    assert codes(response) == []
    assert "PB01" not in text(response) and "医疗设备" not in text(response)


# -- a project's page ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["officer", "head"])
def test_project_page_shows_budget_spending_and_progress(client, district, request, persona):
    response = get(client, request.getfixturevalue(persona), "/projects/2021/PA01/")

    assert response.status_code == 200
    # Budget 12,000 万元; spent 4,000 + 5,600 = 9,600 万元 to 31 October (not November's 100);
    # 9,600 / 12,000 = 80.0 % against 83.3 %.
    assert cards(response) == [["12,000.00"], ["9,600.00"], ["80.0%", "83.3%"]]
    html = response.content.decode()
    assert 'class="badge warning-normal"' in html  # 80.0 − 83.3 = −3.3 pp
    page = text(response)
    for fact in (
        "区教育体育局",
        "区第一中学 (A01-01)",
        "205 教育",
        "一般公共预算",
        "ZD0001 义务教育直达资金",
    ):
        assert fact in page
    # The key evaluation: decision 20, process 12, output 30, benefit 30 = 92.00, 优.
    (evaluation,) = rows(response, index=1)
    assert evaluation[1:6] == ["20.00", "12.00", "30.00", "30.00", "92.00"]
    assert evaluation[-1] == "某评价机构"
    assert 'class="badge grade-excellent"' in html


def test_project_payments_chart_is_cumulative_by_month_in_wan_yuan(client, district, head):
    bars, line = figure_of(get(client, head, "/projects/2021/PA01/"), "bar")["data"]

    assert bars["y"] == [0, 0, 4000, 4000, 4000, 4000, 4000, 4000, 9600, 9600]
    # Budget × time progress in October: 12,000 × 0.8329 = 9,994.8 万元.
    assert line["y"][-1] == pytest.approx(9994.8)


def test_a_project_with_no_spending_is_flagged_zero_spending(client, district, other_head):
    response = get(client, other_head, "/projects/2021/PB02/")

    assert cards(response) == [["2,000.00"], ["0.00"], ["0.0%", "83.3%"]]
    # Lagging by 83.3 pp (serious) and nothing paid after the first quarter (zero spending).
    assert response.content.decode().count('class="badge warning-serious"') == 2


def test_project_page_lists_its_indicators(client, district, head):
    IndicatorFactory(
        project=district.projects["PA01"],
        name="受资助学生人数",
        target_value=1200,
        actual_value=1150,
        measure_unit="人",
        weight=30,
    )

    (indicator,) = rows(get(client, head, "/projects/2021/PA01/"), index=0)

    assert indicator[2] == "受资助学生人数"
    assert indicator[4:] == ["1200 人", "1150 人", "30"]


def test_last_years_project_opens_with_its_own_budget(client, district, head):
    response = get(client, head, "/projects/2020/PA01/")

    assert response.status_code == 200
    assert cards(response) == [["10,000.00"]]  # no run for 2020: no spending figures


def test_unknown_project_is_404(client, district, officer):
    assert get(client, officer, "/projects/2021/NOPE/").status_code == 404
    assert get(client, officer, "/projects/2019/PA01/").status_code == 404


def test_head_gets_404_on_another_departments_project(client, district, head):
    assert get(client, head, "/projects/2021/PB01/").status_code == 404
    assert get(client, head, "/projects/2020/PB01/").status_code == 404


# -- lineage and change history -----------------------------------------------------------------------


@pytest.fixture
def imported(district, officer):
    """PA01's budget raised from 12,000 to 12,500 万元 by an officer's import, line 2 of its file."""
    data = csv_bytes(
        [
            headers("projects", "grant_code"),
            [2021, "PA01", "学生资助", "A01-01", "205", "一般公共预算", "民生", "125000000", "ZD0001"],
        ]
    )
    plan, batch = import_file(kind="projects", file_name="projects-2021.csv", data=data, user=officer)
    assert plan.problems == [] and batch is not None
    return batch


def test_project_page_shows_where_its_figures_came_from_after_an_import(client, imported, officer):
    response = get(client, officer, "/projects/2021/PA01/")

    # Imported by the officer, from line 2 of projects-2021.csv (line 1 is the header).
    (line,) = rows(response, index=2)
    assert (line[1], line[2], line[3]) == ("officer", "projects-2021.csv", "2")
    assert f'href="/import/batches/{imported.pk}/"' in response.content.decode()


def test_head_sees_the_lineage_without_a_link_to_the_import_batch(client, imported, head):
    response = get(client, head, "/projects/2021/PA01/")

    assert "projects-2021.csv" in text(response)
    assert "/import/batches/" not in response.content.decode()


def test_officer_sees_the_change_history_with_old_and_new_values(client, imported, officer):
    page = text(get(client, officer, "/projects/2021/PA01/"))

    assert "120000000.00 → 125000000.00" in page


def test_head_sees_no_change_history(client, imported, head):
    response = get(client, head, "/projects/2021/PA01/")

    assert "→ 125000000.00" not in text(response)
    # Indicators, evaluations and lineage: three tables, no fourth for the history.
    assert len(rows(response, index=2)) == 1
    with pytest.raises(IndexError):
        rows(response, index=3)


def test_change_history_records_an_evaluation_finalised_by_hand(client, district, officer):
    evaluation = Evaluation.objects.get(project=district.projects["PA02"])
    evaluation.evaluator = "区财政局绩效科"
    evaluation.save()

    page = text(get(client, officer, "/projects/2021/PA02/"))

    assert "区财政局绩效科" in page
    assert "— → 区财政局绩效科" in page


@pytest.fixture
def paid_by_import(district, officer):
    """Two payments to PA01 imported from payments-2021.csv, lines 2 and 4 (line 3 pays PB01)."""
    data = csv_bytes(
        [
            headers("payments"),
            ["IMP-001", 2021, "PA01", "2021-10-08", "250000.00"],
            ["IMP-002", 2021, "PB01", "2021-10-08", "100000.00"],
            ["IMP-003", 2021, "PA01", "2021-10-09", "50000.00"],
        ]
    )
    plan, batch = import_file(kind="payments", file_name="payments-2021.csv", data=data, user=officer)
    assert plan.problems == [] and batch is not None
    return batch


def test_project_page_traces_its_figures_to_the_imported_payments(client, paid_by_import, officer):
    response = get(client, officer, "/projects/2021/PA01/")

    assert "没有导入文件修改过此项目" not in text(response)
    # One line per batch and kind of row: lines 2 to 4 of the payments file, two payments created.
    (line,) = rows(response, index=2)
    assert line[1:] == ["officer", "payments-2021.csv", "2–4", "支付记录（2 条）", "新增"]
    assert f'href="/import/batches/{paid_by_import.pk}/"' in response.content.decode()


def test_project_page_lists_the_projects_own_import_and_its_payments_import(
    client, imported, paid_by_import, officer
):
    response = get(client, officer, "/projects/2021/PA01/")

    files = [line[2] for line in rows(response, index=2)]
    assert files == ["payments-2021.csv", "projects-2021.csv"]  # latest first


def test_lineage_is_one_query_however_many_batches_wrote_the_projects_rows(
    client, district, officer, django_assert_max_num_queries
):
    def import_payment(n: int) -> None:
        data = csv_bytes(
            [
                headers("payments"),
                [f"IMP-{n:03d}", 2021, "PA01", "2021-10-08", "1000.00"],
            ]
        )
        import_file(kind="payments", file_name=f"payments-{n}.csv", data=data, user=officer)

    import_payment(1)
    client.force_login(officer)
    with django_assert_max_num_queries(100) as one:
        client.get("/projects/2021/PA01/")
    for n in range(2, 6):
        import_payment(n)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get("/projects/2021/PA01/")
    assert len(rows(response, index=2)) == 5
