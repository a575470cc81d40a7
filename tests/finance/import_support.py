"""Shared pieces of the import and export tests: a small district, file builders and a database snapshot."""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from decimal import Decimal

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from finance.importing.applying import import_file
from finance.importing.kinds import KINDS
from finance.importing.messages import ImportRefused
from finance.models import (
    BudgetUnit,
    Department,
    DirectFundGrant,
    FiscalYear,
    FunctionClass,
    FundSource,
    ImportBatch,
    ImportedRow,
)
from performance.models import Evaluation
from projects.models import Indicator, Payment, Project
from tests.factories import (
    BudgetUnitFactory,
    DirectFundGrantFactory,
    EvaluationFactory,
    FiscalYearFactory,
    FunctionClassFactory,
    FundSourceFactory,
    IndicatorFactory,
    PaymentFactory,
    ProjectFactory,
)


def make_district(department_a: Department, department_b: Department) -> dict:
    """2020 and 2021; classes 205 and 208; two fund sources; a unit and a 2021 project per department."""
    FiscalYearFactory(year=2020)
    FiscalYearFactory(year=2021, is_current=True)
    FunctionClassFactory(code="205", name="教育", is_livelihood=True)
    FunctionClassFactory(code="208", name="社会保障和就业", is_livelihood=True)
    FundSourceFactory(code=FundSource.GENERAL_PUBLIC_BUDGET, name="一般公共预算")
    FundSourceFactory(code="gov_fund", name="政府性基金预算")
    DirectFundGrantFactory(code="ZD0001", name="直达资金一", fiscal_year=FiscalYear.objects.get(year=2021))
    unit_a = BudgetUnitFactory(code="UA1", name="第一小学", department=department_a)
    unit_b = BudgetUnitFactory(code="UB1", name="区医院", department=department_b)
    ProjectFactory(
        code="PA1",
        name="学生资助",
        unit=unit_a,
        fiscal_year=FiscalYear.objects.get(year=2021),
        budget=Decimal("1000000.00"),
    )
    ProjectFactory(
        code="PB1",
        name="医疗设备",
        unit=unit_b,
        fiscal_year=FiscalYear.objects.get(year=2021),
        budget=Decimal("2000000.00"),
    )
    return {"a": department_a, "b": department_b, "unit_a": unit_a, "unit_b": unit_b}


def project(code: str, year: int = 2021) -> Project:
    return Project.objects.get(code=code, fiscal_year_id=year)


def some_history(district) -> None:
    """A payment, an evaluation and an indicator on the district's projects, made by hand."""
    PaymentFactory(
        voucher_no="V0001",
        project=project("PA1"),
        amount=Decimal("100.00"),
        paid_on=datetime.date(2021, 3, 1),
    )
    EvaluationFactory(project=project("PA1"), fiscal_year=FiscalYear.objects.get(year=2021))
    IndicatorFactory(project=project("PA1"), level1="产出指标", level2="数量指标", name="资助人数")


def headers(kind: str, *optional: str) -> list[str]:
    """The English headers (column keys) of ``kind``'s columns a file must have, as the kind defines them,
    then those of the ``optional`` columns named."""
    columns = KINDS[kind].columns
    keys = [column.key for column in columns if not column.optional]
    known = {column.key for column in columns if column.optional}
    assert set(optional) <= known, f"{kind} has no optional column {set(optional) - known}"
    return keys + list(optional)


#: The headers of a payments file, which most import tests write.
PAYMENTS = headers("payments")


def upload(client, kind: str, name: str, data: bytes, **extra):
    """Post a file to the import page, as its form does."""
    return client.post(
        reverse("finance:import"), {"kind": kind, "file": SimpleUploadedFile(name, data)}, **extra
    )


def problems_of(kind: str, name: str, data: bytes, user) -> list[tuple[int | None, str, str]]:
    """(line, column, English message) of every problem; asserts that nothing was changed."""
    before = snapshot()
    with translation.override("en"):
        try:
            plan, batch = import_file(kind=kind, file_name=name, data=data, user=user)
        except ImportRefused as refused:
            found = [(p.line, p.column, p.text()) for p in refused.problems]
        else:
            assert batch is None
            found = [(p.line, p.column, p.text()) for p in plan.problems]
    assert found, "expected problems"
    assert snapshot() == before
    return found


def csv_bytes(rows: list[list], *, encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list], *, merge: str | None = None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def file_bytes(rows: list[list], fmt: str) -> tuple[str, bytes]:
    """(file name, content) of ``rows`` as CSV or XLSX."""
    return (f"data.{fmt}", csv_bytes(rows) if fmt == "csv" else xlsx_bytes(rows))


def with_stated_dimension(data: bytes, ref: str) -> bytes:
    """The workbook with its first sheet's <dimension> rewritten to ``ref`` (e.g. a million rows)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            content = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                content = re.sub(
                    rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>'.encode(), content
                )
            target.writestr(name, content)
    return output.getvalue()


def zip_bomb(unpacked_bytes: int) -> bytes:
    """A small .xlsx-looking zip whose one sheet unpacks to ``unpacked_bytes`` of zeros."""
    base = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["code", "name"], ["A", "B"]])))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for name in base.namelist():
            if name != "xl/worksheets/sheet1.xml":
                target.writestr(name, base.read(name))
        with target.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            chunk = b"0" * (1024 * 1024)
            for _ in range(unpacked_bytes // len(chunk) + 1):
                sheet.write(chunk)
    return output.getvalue()


DATA_MODELS = (
    Department,
    BudgetUnit,
    Project,
    Payment,
    Evaluation,
    Indicator,
    DirectFundGrant,
    FunctionClass,
)


def snapshot(*, with_lineage: bool = True) -> dict:
    """Every stored value of the district's tables (and, unless told not to, batches and history)."""
    state = {model.__name__: list(model._default_manager.order_by("pk").values()) for model in DATA_MODELS}
    if with_lineage:
        state["batches"] = list(ImportBatch.objects.order_by("pk").values())
        state["imported_rows"] = ImportedRow.objects.count()
        state["history"] = (Project.history.count(), Payment.history.count(), Evaluation.history.count())
    return state


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
    '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
    'main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def cell_xml(ref: str | None, text: str) -> str:
    """An inline-string cell at ``ref`` (or, without one, after the previous cell of its row)."""
    at = f' r="{ref}"' if ref else ""
    return f'<c{at} t="inlineStr"><is><t>{text}</t></is></c>'


def sheet_xml(rows: str, *, dimension: str | None = None) -> str:
    stated = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main">{stated}<sheetData>{rows}</sheetData></worksheet>'
    )


def hand_xlsx(sheet: str) -> bytes:
    """A workbook written by hand, zip and XML, around one sheet's XML: as small as a workbook gets."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr("[Content_Types].xml", _CONTENT_TYPES)
        target.writestr("_rels/.rels", _PACKAGE_RELS)
        target.writestr("xl/workbook.xml", _WORKBOOK)
        target.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        target.writestr("xl/worksheets/sheet1.xml", sheet)
    return output.getvalue()


def one_far_cell(ref: str) -> bytes:
    """The hostile workbook of issue 15: a header in A1:B1 and one cell at ``ref``, no <dimension>."""
    row = int(re.sub(r"[A-Z]", "", ref))
    return hand_xlsx(
        sheet_xml(
            f'<row r="1">{cell_xml("A1", "code")}{cell_xml("B1", "name")}</row>'
            f'<row r="{row}">{cell_xml(ref, "x")}</row>'
        )
    )
