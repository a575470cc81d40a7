"""SPEC §15 on the small district of tests/district.py: the brief's sentences from its figures, a
sentence left out without its data, growth by its sign, who may open what, bad parameters."""

from __future__ import annotations

import datetime
import io

import pytest
from docx import Document
from openpyxl import load_workbook

from performance.models import BudgetReview
from projects.models import Project
from tests.factories import FiscalYearFactory, make_unit_filler
from tests.performance.conftest import pay
from tests.reading import download, get, text

pytestmark = pytest.mark.django_db

BRIEF = "/reports/brief/"


def brief_text(client, officer, **params) -> str:
    response = get(client, officer, BRIEF, **params)
    assert response.status_code == 200
    return text(response)


def test_the_brief_writes_the_districts_figures_in_the_bureaus_words(client, district, officer):
    page = brief_text(client, officer)

    # Livelihood 10,500 万元 of the general budget's 11,400 万元 = 92.1 %; 8,400 万元 in 2020: +25.0 %.
    assert "截至10月，全区民生支出1.05亿元，同比增长25%，占一般公共预算支出的比重达92.1%。" in page
    # Grants 20,000 万元 received; 13,100 万元 spent = 65.5 %; 17,000 allocated = 85.0 %.
    assert (
        "截至10月，中央、省下达至我区的直达资金总量2亿元，支出金额1.31亿元，分配进度为85%，支出进度为65.5%。"
        in page
    )
    # PA01 (12,000 万元) and PB01 (5,000 万元), both key evaluations of livelihood projects.
    assert "财政重点绩效评价2个项目，包含2件民生项目，涉及资金达1.7亿元。" in page
    # One opinion: 1.00 亿元 submitted, 0.03 亿元 cut = 3.00 %.
    assert "共出具政府投资建设项目概预算审核意见书1份，送审金额1亿元，核减0.03亿元，核减率为3%。" in page
    # A01 88.60 (+8.60 on 80), B02 76.43 (−13.57 on 90), C03 new.
    assert "区教育体育局绩效得分88.6分，较上年提高8.6分，位居榜首" in page
    assert "区卫生健康委员会绩效得分76.43分，较上年下降13.57分，排名末位" in page
    assert "另有1个部门上年无绩效得分，暂不参与增量排名。" in page
    # 14,900 of 23,000 万元 = 64.8 % against 83.3 %: 18.5 points behind.
    assert "全区预算支出进度为64.8%，序时进度为83.3%，慢于序时进度18.5个百分点。" in page


def test_a_section_without_its_data_is_left_out_not_filled_with_zeros(client, district, officer):
    page = brief_text(client, officer)

    # The district has no function class 213 (agriculture, forestry and water).
    assert "农林水" not in page
    assert "0亿元" not in page


def test_a_district_without_reviews_leaves_the_review_sentence_out(client, district, officer):
    BudgetReview.objects.all().delete()
    district.recompute()

    page = brief_text(client, officer)

    assert "审核意见书" not in page
    assert "核减率" not in page
    assert "政府投资项目评审" not in page
    assert "全区民生支出1.05亿元" in page  # the rest is still written


def test_a_fall_on_the_same_period_reads_tongbi_xiajiang(client, district, officer):
    last_year = Project.objects.get(fiscal_year_id=2020, code="PA01")
    pay(last_year, "30000000.00", datetime.date(2020, 10, 1))
    district.recompute()

    page = brief_text(client, officer)

    # 10,500 万元 against 8,400 + 3,000 = 11,400 万元 in 2020: 10,500 / 11,400 − 1 = −7.89 %.
    assert "全区民生支出1.05亿元，同比下降7.9%，" in page
    assert "同比增长7.9%" not in page


def test_the_english_brief_says_the_same(client, district, officer):
    client.force_login(officer)
    response = client.get(BRIEF, HTTP_ACCEPT_LANGUAGE="en")
    page = text(response)

    assert "By the end of October, livelihood spending across the district reached CNY 105 million" in page
    assert "up 25% year on year, making up 92.1% of general public budget spending." in page
    assert "a cut rate of 3%." in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"year": "abc"}, "“abc”不是年度"),
        ({"as_of": "2021-13-40"}, "“2021-13-40”不是日期"),
        ({"year": "abc", "as_of": "2021-13-40", "format": "docx"}, "不是年度"),
        ({"year": "1999"}, "系统中没有1999预算年度"),
        ({"year": "2021", "as_of": "2020-10-31"}, "2020-10-31不在2021预算年度内"),
        ({"year": "2021", "as_of": "2021-09-30"}, "2021年度没有截至2021-09-30的重算"),
        ({"as_of": "x" * 5000}, "不是日期"),
    ],
)
def test_a_bad_year_or_date_gets_a_message_and_no_brief(client, district, officer, params, message):
    response = get(client, officer, BRIEF, **params)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert message in text(response)
    assert "全区民生支出" not in text(response)


def test_a_run_of_another_date_is_chosen_by_its_date(client, district, officer):
    page = brief_text(client, officer, year="2021", as_of="2021-10-31")

    assert "截至10月，全区民生支出1.05亿元" in page


def test_a_year_without_a_run_says_so(client, district, officer):
    FiscalYearFactory(year=2022)

    response = get(client, officer, BRIEF, year="2022")

    assert "2022年度尚无数据：该年度还没有完成的重算。" in text(response)


BRIEF_URLS = {
    "brief": "/reports/brief/",
    "brief_docx": "/reports/brief/?format=docx",
    "own": "/reports/department/A01/",
    "own_docx": "/reports/department/A01/?format=docx",
    "other": "/reports/department/B02/",
    "other_docx": "/reports/department/B02/?format=docx",
    "workbook": "/export/dashboard.xlsx",
}
#: Who opens what (200) and who gets 404: officers everything, a head their own department's brief and
#: their scoped workbook, a unit filler none of it.
OPENS = {
    "officer": {"brief", "brief_docx", "own", "own_docx", "other", "other_docx", "workbook"},
    "admin": {"brief", "brief_docx", "own", "own_docx", "other", "other_docx", "workbook"},
    "head": {"own", "own_docx", "workbook"},
    "other_head": {"other", "other_docx", "workbook"},
    "unit": set(),
}


@pytest.mark.parametrize("persona", list(OPENS))
@pytest.mark.parametrize("name", list(BRIEF_URLS))
def test_every_role_opens_what_it_may_and_gets_404_on_the_rest(client, district, request, persona, name):
    if persona == "unit":
        user = make_unit_filler(district.units["A01-01"], "unit")
    else:
        user = request.getfixturevalue(persona)

    response = get(client, user, BRIEF_URLS[name])

    assert response.status_code == (200 if name in OPENS[persona] else 404)


@pytest.mark.parametrize("name", list(BRIEF_URLS))
def test_anonymous_is_sent_to_the_login_page(client, district, name):
    response = client.get(BRIEF_URLS[name])

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_department_brief_gives_score_rank_weak_spots_warnings(client, district, head):
    page = text(get(client, head, "/reports/department/A01/"))

    # A01: 88.60 = (92 × 12,000 + 75 × 3,000) / 15,000, +8.60 on 80, first of 2 ranked, first of 3 scored.
    assert (
        "2021年，本部门绩效得分88.6分，等级为“良”，较上年提高8.6分，在参与增量排名的2个部门中位列第1位，得分排名第1位（共3个部门）。"
        in page
    )
    assert "绩效得分即已评价项目按预算加权的平均得分（88.6分）" in page
    assert "全部2个项目中已评价2个，覆盖部门预算的100%。" in page
    # PA02 校舍维修 (75) pulls the score down: 3,000 万元 × (88.60 − 75).
    assert "拉低部门得分最多的项目为校舍维修（75分）" in page
    # 10,500 of 15,000 万元 = 70.0 % against 83.3 %: PA02 serious.
    assert "本部门预算支出进度为70%，序时进度为83.3%，慢于序时进度13.3个百分点。" in page
    assert "严重预警1个" in page


def test_pages_with_dashboard_tables_link_the_workbook(client, district, officer, head):
    for url in ["/", "/leaderboard/", "/progress/", "/evaluations/", "/adjustments/", "/direct-funds/"]:
        response = get(client, officer, url)
        assert 'href="/export/dashboard.xlsx?year=2021"' in response.content.decode(), url
    # The rectification items are the year's in the workbook; their page lists every year's and links
    # the current year's workbook.
    for user in (officer, head):
        items = get(client, user, "/rectification/").content.decode()
        assert 'href="/export/dashboard.xlsx?year=2021"' in items
    department = get(client, head, "/departments/A01/").content.decode()
    assert 'href="/export/dashboard.xlsx?year=2021"' in department
    assert 'href="/reports/department/A01/?year=2021"' in department


def test_before_the_first_recompute_the_items_page_links_no_workbook(client, officer):
    FiscalYearFactory(year=2021, is_current=True)
    items = get(client, officer, "/rectification/").content.decode()
    assert "dashboard.xlsx" not in items  # it would answer 404 without figures


def test_the_workbook_escapes_text_that_a_spreadsheet_would_run(client, district, officer):
    district.c.name = '=HYPERLINK("http://x","点击")'
    district.c.save()

    response = get(client, officer, "/export/dashboard.xlsx")
    workbook = load_workbook(io.BytesIO(download(response)))

    names = [row[2] for row in workbook["排行榜"].iter_rows(min_row=5, values_only=True)]
    assert '\'=HYPERLINK("http://x","点击")' in names
    assert not any(str(name).startswith("=") for name in names)


def test_the_department_brief_downloads_as_word_with_its_tables(client, district, head):
    response = get(client, head, "/reports/department/A01/", format="docx")
    document = Document(io.BytesIO(download(response)))

    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    assert paragraphs[0] == "区教育体育局2021年预算绩效情况"
    assert "一、绩效得分与排名" in paragraphs
    assert any("拉低部门得分最多的项目为校舍维修（75分）" in text for text in paragraphs)
    # The warned projects (PA02) and the proposals for 2022.
    assert [cell.text for cell in document.tables[0].rows[1].cells][:2] == ["PA02", "校舍维修"]


def test_an_app_without_any_year_says_so(client, officer):
    response = get(client, officer, BRIEF)

    assert response.status_code == 200
    assert "系统中尚无预算年度，请先导入数据。" in text(response)
