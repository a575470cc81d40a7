"""SPEC §15 on the demo district as of 2021-10-31: the brief carries the reference report's figures in
its words, as a page and as DOCX; the whole dashboard's workbook, the officer's and a head's."""

from __future__ import annotations

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from demo.seed import seed_demo
from demo.writer import wipe_district
from finance.models import Department
from finance.roles import department_code_of
from performance.models import RectificationItem
from performance.selectors.rectification import overdue_q
from performance.services import recompute_all
from tests.reading import download, get, text

pytestmark = pytest.mark.django_db

#: The reference report's sentences (SPEC §15), each as the brief writes it.
REFERENCE_SENTENCES = [
    "截至10月，全区民生支出88.5亿元，同比增长6.6%，占一般公共预算支出的比重达81.6%。",
    "截至10月，中央、省下达至我区的直达资金总量5.29亿元，支出金额4.33亿元，分配进度为100%，支出进度为81.9%。",
    "财政重点绩效评价24个项目，包含12件民生项目、3个发展类政策项目、3个重大政府投资前期评估、"
    "6个主管部门整体绩效评价，涉及资金达18.97亿元。",
    "共出具政府投资建设项目概预算审核意见书112份，送审金额21.59亿元，核减0.65亿元，核减率为3.01%。",
    "2021年预算安排农林水支出16.1亿元，同比增长16.8%。",
]
REFERENCE_FIGURES = [
    "88.5亿元", "6.6%", "81.6%", "5.29亿元", "4.33亿元", "100%", "81.9%", "24个项目", "12件民生项目",
    "3个发展类政策项目", "3个重大政府投资前期评估", "6个主管部门整体绩效评价", "18.97亿元", "112份",
    "21.59亿元", "0.65亿元", "3.01%",
]  # fmt: skip
AS_OF = {"year": "2021", "as_of": "2021-10-31"}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Seed and compute the demo district once for this module, as `seed_demo` serves it; remove it
    afterwards."""
    with django_db_blocker.unblock():
        result = seed_demo(password="demo-password-for-tests")
        recompute_all(year=2020, as_of=datetime.date(2020, 12, 31))
        recompute_all(year=2021, as_of=datetime.date(2021, 10, 31))
        yield result
        with transaction.atomic():
            wipe_district()
            get_user_model().objects.filter(username__in=["admin", "officer", "head", "unit"]).delete()


def user(name: str):
    return get_user_model().objects.get(username=name)


def test_the_brief_carries_the_reference_reports_figures_in_its_words(client, demo):
    page = text(get(client, user("officer"), "/reports/brief/", **AS_OF))

    for sentence in REFERENCE_SENTENCES:
        assert sentence in page
    for figure in REFERENCE_FIGURES:
        assert figure in page
    assert "位居榜首" in page and "排名末位" in page
    assert "纳入预警" in page
    assert "对2022年预算提出调整建议" in page


def test_the_brief_gives_the_monitoring_deviations_and_the_rectification_items(client, demo):
    page = text(get(client, user("officer"), "/reports/brief/", **AS_OF))

    # The July round's double deviations, and the items the overview counts.
    assert "7月末开展绩效运行监控" in page
    assert "“双偏差”项目9个，已督促相关部门即知即改。" in page
    assert "全区已开立整改事项11项，已销号3项（其中按期销号2项），未销号8项（其中逾期3项）。" in page


def test_the_docx_holds_the_same_paragraphs_and_tables_in_the_bureaus_fonts(client, demo):
    response = get(client, user("officer"), "/reports/brief/", format="docx", **AS_OF)
    assert response["Content-Disposition"] == 'attachment; filename="brief-2021-2021-10-31.docx"'

    document = Document(io.BytesIO(download(response)))

    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    assert paragraphs[0] == "2021年预算绩效管理工作情况"
    assert paragraphs[1] == "（截至2021年10月31日）"
    assert "一、民生支出保障" in paragraphs
    for sentence in REFERENCE_SENTENCES:
        assert any(sentence in paragraph for paragraph in paragraphs), sentence
    # The text ends with the bureau and the time its figures were computed; the tables follow it.
    appended = paragraphs.index("附表1：2021年增量绩效排行榜")
    assert paragraphs[appended - 1].startswith("区财政局 · 数据计算时间：")
    assert paragraphs[-1] == "附表2：分部门预警项目情况（截至2021年10月31日）"
    leaderboard, warnings = document.tables
    assert [cell.text for cell in leaderboard.rows[0].cells][1:3] == ["部门", "绩效得分（C）"]
    assert len(leaderboard.rows) == 1 + 64  # the header and every department
    assert warnings.rows[1].cells[0].text == "区教育体育局"

    def east_asian(paragraph) -> str:
        return paragraph.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia"))

    title, heading = document.paragraphs[0], document.paragraphs[2]
    body = next(p for p in document.paragraphs if p.text.startswith("截至10月，全区民生支出"))
    assert (east_asian(title), east_asian(heading), east_asian(body)) == (
        "方正小标宋简体",
        "黑体",
        "仿宋_GB2312",
    )
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)


def workbook_of(client, name: str):
    response = get(client, user(name), "/export/dashboard.xlsx", year="2021")
    assert response["Content-Disposition"].startswith('attachment; filename="dashboard-2021-10-31.xlsx"')
    return load_workbook(io.BytesIO(download(response)))


def column(sheet, heading: str) -> list:
    """The values of the column headed ``heading`` (the header is row 4, under the three stamps)."""
    head = [cell.value for cell in sheet[4]]
    index = head.index(heading)
    return [row[index] for row in sheet.iter_rows(min_row=5, values_only=True)]


def test_the_officers_workbook_has_a_sheet_per_table_each_stamped(client, demo):
    workbook = workbook_of(client, "officer")

    assert workbook.sheetnames == [
        "总览", "功能分类", "排行榜", "双偏差项目", "预警", "分部门预警", "绩效评价", "重点评价", "预算调整",
        "直达资金", "整改事项",
    ]  # fmt: skip
    for sheet in workbook.worksheets:
        assert [sheet["A1"].value, sheet["B1"].value] == ["预算年度", 2021], sheet.title
        assert [sheet["A2"].value, sheet["B2"].value] == ["截至日期", datetime.datetime(2021, 10, 31)]
        assert sheet["A3"].value == "计算时间" and isinstance(sheet["B3"].value, datetime.datetime)
        assert sheet.freeze_panes == "A5", sheet.title
        assert sheet.column_dimensions["A"].width >= 8
    overview = workbook["总览"]
    figures = {row[0]: row[1:] for row in overview.iter_rows(min_row=5, values_only=True)}
    assert figures["民生支出占比"][1] == pytest.approx(0.816)
    livelihood_row = next(row for row in overview.iter_rows(min_row=5) if row[0].value == "民生支出占比")
    assert livelihood_row[2].number_format == "0.0%"
    leaderboard = workbook["排行榜"]
    assert len(column(leaderboard, "部门")) == 64
    assert all(
        isinstance(value, (int, float)) for value in column(leaderboard, "绩效得分（C）") if value is not None
    )
    funds = workbook["直达资金"]
    assert sum(value for value in column(funds, "下达（万元）") if value) == pytest.approx(52900)
    # SPEC §14.1: the demo run's 9 double deviations, first among the warnings, the furthest first.
    double = workbook["双偏差项目"]
    completion = column(double, "预计目标完成度")
    assert len(completion) == 9 and completion == sorted(completion) and max(completion) < 0.9
    first = double[5][[cell.value for cell in double[4]].index("预计目标完成度")]
    assert first.number_format == "0.0%"
    # SPEC §14.2: the year's items, every one, with their deadlines as dates and the overdue flagged.
    items = workbook["整改事项"]
    expected = RectificationItem.objects.filter(fiscal_year_id=2021)
    assert sorted(column(items, "编号")) == sorted(expected.values_list("pk", flat=True))
    assert all(isinstance(value, datetime.datetime) for value in column(items, "截止日期"))
    assert column(items, "逾期").count("是") == expected.filter(overdue_q()).count() > 0


def test_a_heads_workbook_holds_only_what_the_head_may_see(client, demo):
    own = Department.objects.get(code=department_code_of(user("head"))).name
    workbook = workbook_of(client, "head")

    assert "直达资金" not in workbook.sheetnames  # the direct funds page is the officers'
    for title, heading in [("预警", "部门"), ("分部门预警", "部门"), ("绩效评价", "部门")]:
        departments = set(column(workbook[title], heading))
        assert departments == {own}, (title, departments)
    assert len(column(workbook["排行榜"], "部门")) == 64  # every department's rank is shared
    assert set(column(workbook["双偏差项目"], "部门")) <= {own}
    own_items = RectificationItem.objects.filter(fiscal_year_id=2021, department__name=own)
    assert own_items.exists()
    assert sorted(column(workbook["整改事项"], "编号")) == sorted(own_items.values_list("pk", flat=True))
    assert "部门" not in [cell.value for cell in workbook["整改事项"][4]]  # all of them the head's
