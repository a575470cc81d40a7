"""What the self-evaluation download tests share: the school's texts and the workbook readers."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from tests.reading import download

GOAL = "资助家庭经济困难学生，保障其顺利完成学业。"
ACHIEVED = "全年资助学生120人，满意度81%。"
REASON = "宣传不足，下年加强政策宣传。"
HOSTILE_REASON = '=HYPERLINK("http://x")'


def workbook(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(download(response)))


def indicator_row(sheet, name: str) -> list:
    """The values A–I of the indicator row named ``name``."""
    (row,) = [row for row in sheet.iter_rows(min_row=10, values_only=True) if row[3] == name]
    return list(row)
