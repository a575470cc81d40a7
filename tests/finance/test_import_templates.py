"""The import templates each kind offers for download: headers the importer reads back, and notes that
say what each column holds (amounts in 元)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

pytestmark = pytest.mark.django_db

KINDS = ["departments", "units", "projects", "payments", "evaluations", "indicators"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("kind", KINDS)
def test_templates_carry_headers_the_importer_reads(client, district, officer, kind, fmt, language):
    client.force_login(officer)

    response = client.get(reverse("finance:import_template", args=[kind, fmt]), {"headers": language})

    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    if fmt == "csv":
        assert data.startswith(b"\xef\xbb\xbf")
        header = data.decode("utf-8-sig").splitlines()[0].split(",")
    else:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        header = workbook.get_sheet_by_index(0).to_python()[0]
        assert workbook.sheet_names[1] == "说明 Notes"
    from finance.importing.kinds import KINDS as SPECS
    from finance.importing.planning import map_header

    mapping, _headers, ignored = map_header(SPECS[kind], header, 1)
    assert ignored == [] and len(mapping) == len(SPECS[kind].columns)
    if language == "zh":
        assert header[0] == SPECS[kind].columns[0].zh


@pytest.mark.parametrize(
    "kind,language,amount_header",
    [
        ("projects", "zh", "预算金额（元）"),
        ("projects", "en", "budget (yuan)"),
        ("payments", "zh", "支付金额（元）"),
        ("payments", "en", "amount (yuan)"),
    ],
)
def test_templates_and_their_notes_say_amounts_are_in_yuan(
    client, district, officer, kind, language, amount_header
):
    client.force_login(officer)

    csv_template = b"".join(
        client.get(
            reverse("finance:import_template", args=[kind, "csv"]), {"headers": language}
        ).streaming_content
    )
    xlsx_template = client.get(reverse("finance:import_template", args=[kind, "xlsx"]), {"headers": language})

    assert amount_header in csv_template.decode("utf-8-sig").splitlines()[0].split(",")
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(xlsx_template.streaming_content)))
    assert amount_header in workbook.get_sheet_by_index(0).to_python()[0]
    notes = workbook.get_sheet_by_index(1).to_python()
    # Each column's line: Chinese header, English header, required, values.
    (amount_note,) = [line for line in notes if amount_header in line]
    assert "单位：元（不是万元）" in amount_note[3] and "in yuan (元, not 万元)" in amount_note[3]
    assert [
        "金额单位为元；页面以万元、亿元显示。",
        "Amounts are in yuan (元); the pages show them in 万元 and 亿元.",
    ] in [line[:2] for line in notes]


def test_the_indicators_template_explains_the_goal_and_template_columns(client, district, officer):
    """SPEC §13: the indicators import brings the goal and marks the rows that come from the template."""
    client.force_login(officer)

    response = client.get(reverse("finance:import_template", args=["indicators", "xlsx"]), {"headers": "zh"})

    workbook = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.get_sheet_by_index(0).to_python()[0][-2:] == ["年度总体目标", "来自模板"]
    notes = {line[0]: line for line in workbook.get_sheet_by_index(1).to_python()}
    assert "blank keeps the goal on record" in notes["年度总体目标"][3]
    assert notes["来自模板"][3].startswith("yes = 是; no = 否")
    assert "blank is no" in notes["来自模板"][3]
