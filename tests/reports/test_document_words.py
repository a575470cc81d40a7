"""How a brief numbers its sections, dates its figures and counts rectification items, in the words of
a bureau's document (SPEC §15): "一、", "2026年12月8日 12:10", and no "按期销号0项" or "其中逾期0项"."""

from __future__ import annotations

import datetime
import re
from types import SimpleNamespace

import pytest
from django.utils import translation

from performance.selectors.rectification import DistrictItems
from reports import numbers as n
from reports.briefs import Table
from reports.documents import HALF_WIDTH_CM, TEXT_WIDTH_CM, _column_widths
from reports.monitoring import bureau_rectification, department_rectification


@pytest.mark.parametrize(
    ("number", "chinese"),
    [
        (1, "一"),
        (9, "九"),
        (10, "十"),
        (11, "十一"),
        (12, "十二"),
        (20, "二十"),
        (21, "二十一"),
        (99, "九十九"),
    ],  # fmt: skip
)
def test_a_section_is_numbered_in_chinese_numerals(number, chinese):
    with translation.override("zh-hans"):
        assert n.heading_number(number) == chinese
        assert n.heading(number, "民生支出保障") == f"{chinese}、民生支出保障"
    with translation.override("en"):
        assert n.heading(number, "Livelihood spending") == f"{number}. Livelihood spending"


def test_beyond_99_the_digits_stay():
    with translation.override("zh-hans"):
        assert n.heading_number(100) == "100"


def test_when_the_figures_were_computed_reads_as_a_date_of_a_document():
    moment = datetime.datetime(2026, 12, 8, 9, 5)
    with translation.override("zh-hans"):
        assert n.moment(moment) == "2026年12月8日 09:05"
    with translation.override("en"):
        assert n.moment(moment) == "8 December 2026 09:05"


def sentence(opened: int, on_time: int, open_: int, overdue: int, language: str = "zh-hans") -> str:
    items = DistrictItems(opened=opened, closed_on_time=on_time, open=open_, overdue=overdue)
    with translation.override(language):
        section = bureau_rectification(SimpleNamespace(rectification=items))
        return section.heading, section.paragraphs[0]


@pytest.mark.parametrize(
    ("figures", "expected"),
    [
        ((11, 2, 8, 3), "全区已开立整改事项11项，已销号3项（其中按期销号2项），未销号8项（其中逾期3项）。"),
        ((5, 1, 2, 0), "全区已开立整改事项5项，已销号3项（其中按期销号1项），未销号2项（均未逾期）。"),
        ((4, 2, 2, 2), "全区已开立整改事项4项，已销号2项（均按期销号），未销号2项（均已逾期）。"),
        ((5, 0, 2, 1), "全区已开立整改事项5项，已销号3项（均未按期销号），未销号2项（其中逾期1项）。"),
        ((4, 3, 0, 0), "全区已开立整改事项4项，已全部销号（其中按期销号3项）。"),
        ((5, 0, 0, 0), "全区已开立整改事项5项，已全部销号（均未按期销号）。"),
        ((4, 4, 0, 0), "全区已开立整改事项4项，已全部销号（均按期销号）。"),
        ((3, 0, 3, 1), "全区已开立整改事项3项，均未销号，其中逾期1项。"),
        ((5, 0, 5, 0), "全区已开立整改事项5项，均未销号，均未逾期。"),
        ((3, 0, 3, 3), "全区已开立整改事项3项，均未销号，均已逾期。"),
    ],
)
def test_the_rectification_sentence_fits_its_figures(figures, expected):
    heading, text = sentence(*figures)
    assert heading == "绩效问题整改"
    assert text == expected
    assert re.search(r"(?<!\d)0项", text) is None  # a count of 0 is said in words


def test_the_rectification_sentence_in_english():
    heading, text = sentence(11, 2, 8, 3, language="en")
    assert heading == "Rectification"
    assert text == (
        "11 rectification items have been opened, 3 closed (2 of them by their deadline), 8 still open "
        "(3 of them overdue)."
    )
    assert sentence(5, 0, 5, 0, language="en")[1] == (
        "5 rectification items have been opened, none closed yet, none of them overdue."
    )


def test_without_items_the_section_is_left_out():
    items = DistrictItems(opened=0, closed_on_time=0, open=0, overdue=0)
    assert bureau_rectification(SimpleNamespace(rectification=items)) is None


def test_a_departments_open_items_without_overdue_ones_say_so():
    items = SimpleNamespace(open=2, overdue=0, rows=[])
    with translation.override("zh-hans"):
        section = department_rectification(SimpleNamespace(rectification=items))
    assert section.heading == "绩效问题整改"
    assert section.paragraphs == ["本部门未销号整改事项2项，均未逾期。"]


def test_a_word_tables_figures_keep_their_width_and_names_share_the_rest():
    table = Table(
        title="附表",
        head=["项目编码", "预算项目", "预算（万元）", "预警"],
        rows=[
            ["20211270073", "2021年区第二人民医院妇幼健康服务", "179.68", "严重、零支出"],
            ["20211270081", "2021年长安镇卫生院核酸检测基地建设", "12,117.01", "严重"],
        ],
        numeric=frozenset({2}),
    )
    widths = [width.cm for width in _column_widths(table)]
    assert sum(widths) == pytest.approx(TEXT_WIDTH_CM)
    # The code (11 digits), the figure (9 characters) and the flag (6 Chinese characters) whole:
    assert widths[0] >= 12 * HALF_WIDTH_CM and widths[2] >= 10 * HALF_WIDTH_CM
    assert widths[3] >= 13 * HALF_WIDTH_CM
    assert widths[1] == max(widths)  # the name takes what is left
