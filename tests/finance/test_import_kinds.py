"""Each kind of file imports from XLSX and CSV, with English or Chinese headers; a re-import is a no-op."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from finance.importing.applying import import_file
from finance.models import BudgetUnit, Department, FundSource, ImportedRow
from performance.models import Evaluation
from projects.models import Indicator, Payment
from tests.finance.import_support import file_bytes, headers, project, snapshot, some_history

pytestmark = pytest.mark.django_db


FORMATS = ["csv", "xlsx"]


#: Per kind: the file's rows (English headers) and (created, updated, unchanged).
FILES = {
    "departments": (
        [headers("departments"), ["A01", "区教育体育局"], ["C03", "区民政局"]],
        (1, 0, 1),
    ),
    "units": (
        [headers("units"), ["UA1", "第一小学", "B02"], ["UA2", "第二小学", "A01"]],
        (1, 1, 0),
    ),
    "projects": (
        [
            headers("projects"),
            [2021, "PA1", "学生资助", "UA1", "205", "一般公共预算", "民生", "1,200,000.50"],
            [2021, "PA2", "校舍维修", "UA1", "208", "gov_fund", "development", 300000],
            [2021, "PB1", "医疗设备", "UB1", "205", "general", "livelihood", "2000000"],
        ],
        (1, 1, 1),
    ),
    "payments": (
        [
            headers("payments"),
            ["V0001", 2021, "PA1", datetime.date(2021, 3, 1), "100.00"],
            ["V0002", 2021, "PB1", "2021/4/5", 250.5],
        ],
        (1, 0, 1),
    ),
    "evaluations": (
        [
            headers("evaluations"),
            [2021, "self", "PA1", "", 18, 17, 26, 25, "", "finalised"],
            [2021, "key", "PB1", "", 15, 16, "25.5", "24.5", "某评价机构", "已定稿"],
            [2021, "部门整体评价", "", "A01", 18, 18, 27, 27, "", "draft"],
        ],
        (2, 0, 1),
    ),
    "indicators": (
        [
            headers("indicators"),
            [2021, "PA1", "产出指标", "数量指标", "资助人数", "≥", 100, "人", 30, 120],
            # Complete sets (SPEC §13): an output and a benefit indicator, weights summing to 90.
            [2021, "PA1", "效益指标", "社会效益指标", "资助覆盖率", "≥", 95, "%", 60, ""],
            [2021, "PB1", "满意度指标", "服务对象满意度指标", "患者满意度", "定性", "", "", 10, ""],
            [2021, "PB1", "产出指标", "数量指标", "设备台数", "≥", 5, "台", 40, ""],
            [2021, "PB1", "效益指标", "社会效益指标", "诊疗人次", "≥", 1000, "人次", 40, ""],
        ],
        (4, 1, 0),
    ),
}


def check_stored(kind: str) -> None:
    """The values the file of ``kind`` in FILES leaves in the database."""
    if kind == "departments":
        assert Department.objects.get(code="C03").name == "区民政局"
    elif kind == "units":
        assert BudgetUnit.objects.get(code="UA1").department.code == "B02"
        assert BudgetUnit.objects.get(code="UA2").department.code == "A01"
        # A unit that moves takes its projects along, as BudgetUnit.save does one by one.
        assert project("PA1").department.code == "B02"
    elif kind == "projects":
        assert project("PA1").budget == Decimal("1200000.50")
        new = project("PA2")
        assert (new.name, new.unit.code, new.department.code) == ("校舍维修", "UA1", "A01")
        assert (new.function_class.code, new.fund_source.code, new.category) == (
            "208",
            "gov_fund",
            "development",
        )
        assert new.budget == Decimal("300000.00")
        assert new.status == "approved"
    elif kind == "payments":
        payment = Payment.objects.get(voucher_no="V0002")
        assert (payment.project.code, payment.paid_on, payment.amount) == (
            "PB1",
            datetime.date(2021, 4, 5),
            Decimal("250.50"),
        )
    elif kind == "evaluations":
        key = Evaluation.objects.get(kind="key", project=project("PB1"))
        assert key.total == Decimal("81.00")  # 15 + 16 + 25.5 + 24.5
        assert (key.grade, key.key_category, key.status, key.evaluator) == (
            "good",
            "livelihood",  # told from PB1's category
            "finalised",
            "某评价机构",
        )
        department_wide = Evaluation.objects.get(kind="department", department__code="A01")
        assert (department_wide.total, department_wide.grade) == (Decimal("90.00"), "excellent")
    elif kind == "indicators":
        assert Indicator.objects.get(name="资助人数").actual_value == Decimal("120.0000")
        satisfaction = Indicator.objects.get(name="患者满意度")
        assert (satisfaction.direction, satisfaction.target_value, satisfaction.weight) == (
            "qualitative",
            None,
            Decimal("10.00"),
        )


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", list(FILES))
def test_each_kind_imports_from_csv_and_xlsx(bare_district, officer, kind, fmt):
    some_history(bare_district)
    rows, (created, updated, unchanged) = FILES[kind]
    name, data = file_bytes(rows, fmt)

    plan, batch = import_file(kind=kind, file_name=name, data=data, user=officer)

    assert plan.problems == []
    assert (len(plan.creates), len(plan.updates), plan.unchanged) == (created, updated, unchanged)
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (created, updated, unchanged)
    assert (batch.kind, batch.imported_by, batch.file_name) == (kind, officer, name)
    check_stored(kind)
    # Every row the batch created or changed carries it and traces to its line in the file.
    lineage = list(ImportedRow.objects.filter(batch=batch).order_by("line").values_list("line", "action"))
    assert len(lineage) == created + updated
    model = plan.kind.model
    for row in ImportedRow.objects.filter(batch=batch):
        assert model._default_manager.get(pk=row.object_id).import_batch_id == batch.pk


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", list(FILES))
def test_importing_the_same_file_again_changes_nothing(bare_district, officer, kind, fmt):
    some_history(bare_district)
    rows, (created, updated, unchanged) = FILES[kind]
    name, data = file_bytes(rows, fmt)
    import_file(kind=kind, file_name=name, data=data, user=officer)
    before = snapshot()

    plan, batch = import_file(kind=kind, file_name=name, data=data, user=officer)

    assert batch is None
    assert (len(plan.creates), len(plan.updates), plan.unchanged) == (0, 0, created + updated + unchanged)
    assert snapshot() == before


def test_projects_and_payments_imports_appear_in_the_change_history(bare_district, officer):
    rows, _counts = FILES["payments"]
    some_history(bare_district)
    name, data = file_bytes(rows, "csv")

    _plan, batch = import_file(kind="payments", file_name=name, data=data, user=officer)

    record = Payment.history.get(voucher_no="V0002")
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        "+",
        officer,
        "import: data.csv",
    )
    _plan, _batch = import_file(
        kind="payments",
        file_name="again.csv",
        data=data.replace(b"250.5", b"260"),
        user=officer,
    )
    changed = Payment.history.filter(voucher_no="V0002").order_by("-history_id").first()
    assert (changed.history_type, changed.amount, changed.history_user) == ("~", Decimal("260.00"), officer)
    assert changed.prev_record.amount == Decimal("250.50")


def test_a_gbk_csv_with_chinese_headers_imports(bare_district, officer):
    text = (
        "年度,项目编码,项目名称,单位编码,功能分类编码,资金来源,项目类别,预算金额\n"
        "2021,PA9,义务教育营养餐,UA1,205,一般公共预算,民生,880000\n"
    )

    plan, batch = import_file(kind="projects", file_name="项目.csv", data=text.encode("gbk"), user=officer)

    assert plan.problems == []
    assert batch.created_count == 1
    assert project("PA9").name == "义务教育营养餐"
    assert plan.headers["name"] == "项目名称"


@pytest.mark.parametrize(
    "encoding,prefix",
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("gb18030", b""), ("utf-16", b"")],
    ids=["utf-8", "utf-8-bom", "gb18030", "utf-16"],
)
def test_csv_encodings_are_detected(bare_district, officer, encoding, prefix):
    text = "部门编码,部门名称\nC05,区退役军人事务局\n"

    plan, batch = import_file(
        kind="departments", file_name="d.csv", data=prefix + text.encode(encoding), user=officer
    )

    assert plan.problems == []
    assert Department.objects.get(code="C05").name == "区退役军人事务局"


def test_a_project_import_can_name_its_grant_and_status(bare_district, officer):
    rows = [
        headers("projects", "grant_code", "status"),
        [2021, "PZ1", "直达项目", "UA1", "205", "一般公共预算", "民生", "500000", "ZD0001", "储备（项目库）"],
    ]
    name, data = file_bytes(rows, "csv")

    plan, _batch = import_file(kind="projects", file_name=name, data=data, user=officer)

    assert plan.problems == []
    new = project("PZ1")
    assert (new.grant.code, new.status) == ("ZD0001", "proposed")
    assert FundSource.objects.get(pk=new.fund_source_id).code == "general"


def _pending_recomputes() -> list:
    from django.db import connection

    from performance.services.coalescing import PendingRecompute

    return [
        callback
        for _ids, callback, _robust in connection.run_on_commit
        if isinstance(callback, PendingRecompute)
    ]


def test_one_import_asks_for_one_recompute_per_year_not_one_per_row(bare_district, officer):
    # The district's factories already queued the transaction's one recompute; empty it to watch the import.
    (pending,) = _pending_recomputes()
    pending.years.clear()
    pending.project_ids.clear()
    rows = [headers("payments")] + [[f"V{n:04d}", 2021, "PA1", "2021-05-01", "10"] for n in range(200)]
    name, data = file_bytes(rows, "csv")

    _plan, batch = import_file(kind="payments", file_name=name, data=data, user=officer)

    assert batch.created_count == 200
    assert _pending_recomputes() == [pending]
    assert (pending.years, pending.project_ids) == ({2021}, set())


def test_a_large_file_writes_the_same_rows_and_history_by_plain_inserts(bare_district, officer, settings):
    # From IMPORT_PLAIN_INSERT_THRESHOLD rows on, new rows go in by COPY/executemany, not the ORM.
    settings.IMPORT_PLAIN_INSERT_THRESHOLD = 2
    rows = [headers("payments")] + [[f"V{n:04d}", 2021, "PB1", "2021-05-01", f"{n}.25"] for n in range(1, 4)]
    name, data = file_bytes(rows, "csv")

    _plan, batch = import_file(kind="payments", file_name=name, data=data, user=officer)

    stored = list(
        Payment.objects.order_by("voucher_no").values_list("voucher_no", "amount", "import_batch_id")
    )
    assert stored == [(f"V000{n}", Decimal(f"{n}.25"), batch.pk) for n in range(1, 4)]
    # The database keeps the cents the recompute adds up, for rows written by COPY too.
    cents = Payment.objects.order_by("voucher_no").values_list("amount_cents", flat=True)
    assert list(cents) == [125, 225, 325]
    history = Payment.history.order_by("voucher_no")
    assert [(h.voucher_no, h.history_type, h.history_user_id, h.amount) for h in history] == [
        (f"V000{n}", "+", officer.pk, Decimal(f"{n}.25")) for n in range(1, 4)
    ]
    lines = dict(ImportedRow.objects.filter(batch=batch).values_list("object_id", "line"))
    assert {Payment.objects.get(pk=pk).voucher_no: line for pk, line in lines.items()} == {
        "V0001": 2,
        "V0002": 3,
        "V0003": 4,
    }


def test_a_file_with_extra_columns_imports_and_names_them(bare_district, officer):
    name, data = file_bytes([["code", "name", "备注"], ["C07", "区审计局", "新设"]], "csv")

    plan, _batch = import_file(kind="departments", file_name=name, data=data, user=officer)

    assert plan.problems == []
    assert plan.ignored_columns == ["备注"]


def test_a_stored_row_traces_to_the_file_and_line_it_came_from(bare_district, officer):
    from finance.importing.lineage import lineage_for_objects, lineage_of

    header = headers("payments")
    _plan, first = import_file(
        kind="payments",
        file_name="march.csv",
        data=file_bytes([header, ["V0100", 2021, "PA1", "2021-03-01", "1"]], "csv")[1],
        user=officer,
    )
    _plan, second = import_file(
        kind="payments",
        file_name="april.csv",
        data=file_bytes(
            [header, ["V0200", 2021, "PB1", "2021-04-01", "2"], ["V0100", 2021, "PA1", "2021-03-01", "3"]],
            "csv",
        )[1],
        user=officer,
    )
    payment = Payment.objects.get(voucher_no="V0100")

    assert [(row.batch.file_name, row.line, row.action) for row in lineage_of(payment)] == [
        ("april.csv", 3, "updated"),
        ("march.csv", 2, "created"),
    ]
    latest = lineage_for_objects(Payment, [payment.pk])
    assert (latest[payment.pk].batch, latest[payment.pk].line) == (second, 3)
    assert first.pk < second.pk


def test_full_width_digits_signs_and_points_are_read_as_numbers_years_and_dates(bare_district, officer):
    name, data = file_bytes(
        [
            headers("payments"),
            ["V0009", "２０２１", "PA1", "２０２１－０３－０２", "１，２３４．５６"],
            ["V0010", "2021年", "PA1", "2021年3月3日", " +1,000,000 "],
        ],
        "csv",
    )

    plan, batch = import_file(kind="payments", file_name=name, data=data, user=officer)

    assert plan.problems == [] and batch is not None
    assert list(
        Payment.objects.filter(voucher_no__in=["V0009", "V0010"]).values_list("paid_on", "amount")
    ) == [
        (datetime.date(2021, 3, 2), Decimal("1234.56")),
        (datetime.date(2021, 3, 3), Decimal("1000000.00")),
    ]
