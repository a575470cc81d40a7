"""Exports: in the import format, scoped to the user, formula-safe, and they import back to the same data."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finance.exporting import export_rows, header, render_csv, render_xlsx
from finance.importing.applying import import_file
from finance.importing.cells import FORMULA_STARTS
from finance.importing.kinds import KINDS
from finance.importing.messages import ImportRefused
from finance.models import BudgetUnit, Department, FiscalYear, FunctionClass, FundSource
from performance.models import Evaluation
from projects.models import Category, Direction, Indicator, Payment, Project
from tests.factories import BudgetUnitFactory, DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

ORDER = ["departments", "units", "projects", "payments", "evaluations", "indicators"]


def download(client, kind: str, fmt: str, **query) -> list[list]:
    response = client.get(reverse("finance:export", args=[kind, fmt]), query)
    assert response.status_code == 200, response.status_code
    data = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "csv":
        assert data.startswith(b"\xef\xbb\xbf")
        return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


# -- scoping ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", ORDER)
def test_a_head_exports_only_their_own_department(client, district, head, kind, fmt):
    Evaluation.objects.create(
        fiscal_year_id=2021,
        kind="department",
        department=district["b"],
        decision=1,
        process=1,
        output=1,
        benefit=1,
    )
    client.force_login(head)

    rows = download(client, kind, fmt, headers="en")

    assert rows[0] == header(KINDS[kind], "en")
    assert len(rows) > 1  # department A's own rows
    assert not {"B02", "UB1", "PB1"} & {cell for row in rows for cell in row}


@pytest.mark.parametrize("kind", ORDER)
def test_a_head_asking_for_another_departments_rows_gets_404(client, district, head, kind):
    client.force_login(head)

    assert client.get(reverse("finance:export", args=[kind, "csv"]), {"department": "B02"}).status_code == 404
    assert client.get(reverse("finance:export", args=[kind, "csv"]), {"department": "A01"}).status_code == 200


def test_other_head_gets_404_for_department_a(client, district, other_head):
    client.force_login(other_head)

    assert (
        client.get(reverse("finance:export", args=["payments", "xlsx"]), {"department": "A01"}).status_code
        == 404
    )


def test_an_officer_exports_every_department_and_can_filter(client, district, officer):
    client.force_login(officer)

    everything = download(client, "projects", "csv", headers="en")
    only_b = download(client, "projects", "csv", headers="en", department="B02", year="2021")

    assert [row[1] for row in everything[1:]] == ["PA1", "PB1"]
    assert [row[1] for row in only_b[1:]] == ["PB1"]
    assert client.get(reverse("finance:export", args=["projects", "csv"]), {"year": "x"}).status_code == 404


def test_a_user_without_a_department_gets_404_and_anonymous_logs_in(client, district):
    assert client.get(reverse("finance:export", args=["payments", "csv"])).status_code == 302
    client.force_login(UserFactory(username="nobody"))
    assert client.get(reverse("finance:export", args=["payments", "csv"])).status_code == 404


def test_the_export_page_lists_only_the_users_departments(client, district, head):
    client.force_login(head)

    html = client.get(reverse("finance:export_index")).content.decode()

    assert "A01" in html and "B02" not in html


# -- format -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_no_cell_starts_a_formula(client, officer, fmt, db):
    department = DepartmentFactory(code="-D1", name='=HYPERLINK("http://x","y")')
    BudgetUnitFactory(code="@U1", name="+1 单位", department=department)
    BudgetUnitFactory(code="U2", name="\t制表符开头", department=department)
    client.force_login(officer)

    rows = download(client, "units", fmt)

    cells = [cell for row in rows for cell in row if isinstance(cell, str)]
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    assert ["'@U1", "+1 单位", "'-D1"] not in rows
    assert ["'@U1", "'+1 单位", "'-D1"] in rows
    assert ["U2", "'\t制表符开头", "'-D1"] in rows


def test_chinese_headers_and_labels_by_the_users_language(client, district, officer):
    client.force_login(officer)

    rows = download(client, "projects", "csv", headers="zh")

    assert rows[0][:3] == ["年度", "项目编码", "项目名称"]
    assert rows[1][5:7] == ["一般公共预算", "民生"]
    english = download(client, "projects", "csv", headers="en")
    assert english[1][5:7] == ["general", "livelihood"]


# -- round trip -------------------------------------------------------------------------------------


def natural_state() -> dict:
    """The stored data by natural keys (ids differ after a re-import into an empty database)."""
    return {
        "departments": dict(Department.objects.values_list("code", "name")),
        "units": {
            u.code: (u.name, u.department.code) for u in BudgetUnit.objects.select_related("department")
        },
        "projects": {
            (p.fiscal_year_id, p.code): (
                p.name,
                p.unit.code,
                p.department.code,
                p.function_class.code,
                p.fund_source.code,
                p.category,
                p.budget,
                p.grant_id,
                p.status,
            )
            for p in Project.objects.select_related("unit", "department", "function_class", "fund_source")
        },
        "payments": {
            p.voucher_no: (p.project.fiscal_year_id, p.project.code, p.paid_on, p.amount)
            for p in Payment.objects.select_related("project")
        },
        "evaluations": {
            (
                e.fiscal_year_id,
                e.kind,
                e.project.code if e.project else "",
                e.department.code if e.department else "",
            ): (
                e.decision,
                e.process,
                e.output,
                e.benefit,
                e.total,
                e.grade,
                e.evaluator,
                e.status,
                e.key_category,
                e.evaluated_on,
            )
            for e in Evaluation.objects.select_related("project", "department")
        },
        "indicators": {
            (i.project.fiscal_year_id, i.project.code, i.level1, i.level2, i.name): (
                i.direction,
                i.target_value,
                i.measure_unit,
                i.weight,
                i.actual_value,
                i.judgement,
            )
            for i in Indicator.objects.select_related("project")
        },
    }


def export_file(kind: str, fmt: str, language: str, user) -> bytes:
    head = header(KINDS[kind], language)
    rows = export_rows(kind, user=user, language=language)
    if fmt == "csv":
        return b"".join(render_csv(head, rows))
    return render_xlsx(head, rows, title=kind).read()


def wipe() -> None:
    for model in (Indicator, Evaluation, Payment, Project, BudgetUnit, Department):
        model._default_manager.all().delete()


WORD = st.text(
    alphabet=st.characters(categories=("L", "N", "P", "S", "Zs"), exclude_characters="\x00"),
    min_size=1,
    max_size=12,
).filter(lambda text: text == text.strip())
TEXT = st.one_of(
    WORD, st.builds(str.__add__, st.sampled_from(["=", "+", "-", "@", "'", "'=", "''", "'-"]), WORD)
)
CODE = st.from_regex(r"[-=@+]?[A-Z][A-Z0-9]{0,5}", fullmatch=True)
MONEY = st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2)
DAY = st.dates(datetime.date(2021, 1, 1), datetime.date(2021, 12, 31))


def score(maximum: int):
    return st.decimals(min_value=0, max_value=maximum, places=2)


@st.composite
def districts(draw) -> dict:
    """A random small district: departments, units, projects with payments, evaluations and indicators."""
    department_codes = draw(st.lists(CODE, min_size=1, max_size=3, unique=True))
    unit_codes = draw(st.lists(CODE, min_size=1, max_size=4, unique=True))
    project_codes = draw(st.lists(CODE, min_size=1, max_size=4, unique=True))
    vouchers = draw(st.lists(CODE, max_size=6, unique=True))
    return {
        "departments": [(code, draw(TEXT)) for code in department_codes],
        "units": [(code, draw(TEXT), draw(st.sampled_from(department_codes))) for code in unit_codes],
        "projects": [
            (
                code,
                draw(TEXT),
                draw(st.sampled_from(unit_codes)),
                draw(st.sampled_from(["205", "208"])),
                draw(st.sampled_from([FundSource.GENERAL_PUBLIC_BUDGET, "gov_fund"])),
                draw(st.sampled_from(Category.values)),
                draw(MONEY),
                draw(st.sampled_from(Project.Status.values)),
            )
            for code in project_codes
        ],
        "payments": [
            (voucher, draw(st.sampled_from(project_codes)), draw(DAY), draw(MONEY)) for voucher in vouchers
        ],
        "self_evaluations": [
            (
                code,
                draw(score(20)),
                draw(score(20)),
                draw(score(30)),
                draw(score(30)),
                draw(TEXT),
                draw(st.sampled_from(Evaluation.Status.values)),
                draw(st.none() | DAY),
            )
            for code in draw(st.lists(st.sampled_from(project_codes), unique=True))
        ],
        "key_evaluations": [
            (
                code,
                draw(st.sampled_from(["livelihood", "development_policy", "investment_ex_ante"])),
                draw(score(20)),
            )
            for code in draw(st.lists(st.sampled_from(project_codes), unique=True))
        ],
        "department_evaluations": [
            (code, draw(score(20)), draw(score(30)))
            for code in draw(st.lists(st.sampled_from(department_codes), unique=True))
        ],
        "indicators": [
            row
            for code in draw(st.lists(st.sampled_from(project_codes), unique=True, max_size=3))
            for row in draw(indicator_set(code))
        ],
    }


@st.composite
def indicator_set(draw, code: str) -> list[tuple]:
    """A project's indicators as SPEC §13 lets them be imported: an output and a benefit indicator whose
    weights sum to 90, a third of any level weighing 0, names of their own, and a target and a unit for
    each quantitative one."""
    name = draw(TEXT)
    output = draw(st.decimals(min_value=0, max_value=90, places=2))
    rows = []
    for level1, title, weight in (
        ("产出指标", name, output),
        ("效益指标", f"效益·{name}", 90 - output),
        (draw(WORD), f"其他·{name}", Decimal(0)),
    ):
        direction = draw(st.sampled_from(Direction.values))
        rows.append(
            (
                code,
                level1,
                title,
                direction,
                draw(st.decimals(min_value=-99999999, max_value=99999999, places=4)),
                draw(st.text(alphabet="人次元%个", min_size=direction != "qualitative", max_size=3)),
                weight,
                draw(st.none() | st.decimals(min_value=-99999999, max_value=99999999, places=4)),
                draw(st.none() | st.decimals(min_value=0, max_value=1, places=4)),
            )
        )
    return rows


def store(district: dict) -> None:
    year = FiscalYear.objects.get(year=2021)
    departments = {
        code: Department.objects.create(code=code, name=name) for code, name in district["departments"]
    }
    units = {
        code: BudgetUnit.objects.create(code=code, name=name, department=departments[department])
        for code, name, department in district["units"]
    }
    projects = {}
    for code, name, unit, function, source, category, budget, status in district["projects"]:
        projects[code] = Project.objects.create(
            fiscal_year=year,
            code=code,
            name=name,
            unit=units[unit],
            function_class=FunctionClass.objects.get(code=function),
            fund_source=FundSource.objects.get(code=source),
            category=category,
            budget=budget,
            status=status,
        )
    for voucher, project, day, amount in district["payments"]:
        Payment.objects.create(voucher_no=voucher, project=projects[project], paid_on=day, amount=amount)
    for code, decision, process, output, benefit, evaluator, status, day in district["self_evaluations"]:
        Evaluation.objects.create(
            fiscal_year=year, kind="self", project=projects[code], decision=decision, process=process,
            output=output, benefit=benefit, evaluator=evaluator, status=status, evaluated_on=day,
        )  # fmt: skip
    for code, category, decision in district["key_evaluations"]:
        Evaluation.objects.create(
            fiscal_year=year, kind="key", key_category=category, project=projects[code],
            decision=decision, process=decision, output=decision, benefit=decision,
        )  # fmt: skip
    for code, decision, output in district["department_evaluations"]:
        Evaluation.objects.create(
            fiscal_year=year, kind="department", department=departments[code],
            decision=decision, process=decision, output=output, benefit=output, status="finalised",
        )  # fmt: skip
    seen = set()
    for code, level1, name, direction, target, unit, weight, actual, judgement in district["indicators"]:
        if (code, level1, name) in seen:
            continue
        seen.add((code, level1, name))
        Indicator.objects.create(
            project=projects[code], level1=level1, level2="二级", name=name, direction=direction,
            target_value=None if direction == "qualitative" else target, measure_unit=unit, weight=weight,
            actual_value=actual, judgement=judgement,
        )  # fmt: skip


@pytest.fixture
def base(db):
    FiscalYear.objects.create(year=2021, is_current=True)
    FunctionClass.objects.create(code="205", name="教育", is_livelihood=True)
    FunctionClass.objects.create(code="208", name="社会保障和就业", is_livelihood=True)
    FundSource.objects.create(code=FundSource.GENERAL_PUBLIC_BUDGET, name="一般公共预算")
    FundSource.objects.create(code="gov_fund", name="政府性基金预算")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    district=districts(),
    fmt=st.sampled_from(["csv", "xlsx"]),
    language=st.sampled_from(["zh", "en"]),
)
def test_exported_files_import_back_to_the_same_data(base, officer, district, fmt, language):
    with transaction.atomic():
        store(district)
        stored = natural_state()
        files = {kind: export_file(kind, fmt, language, officer) for kind in ORDER if stored[kind]}
        # A kind with no rows exports a header only, which the importer refuses as a file without rows.
        for kind in set(ORDER) - set(files):
            with pytest.raises(ImportRefused):
                import_file(kind=kind, file_name="x.csv", data=export_file(kind, fmt, language, officer))

        # Into the same database: nothing to change.
        for kind, data in files.items():
            plan, batch = import_file(kind=kind, file_name=f"{kind}.{fmt}", data=data, user=officer)
            assert plan.problems == [], (kind, [p.text() for p in plan.problems])
            assert batch is None, kind
        # Into an empty one: the same data.
        wipe()
        for kind, data in files.items():
            plan, _batch = import_file(kind=kind, file_name=f"{kind}.{fmt}", data=data, user=officer)
            assert plan.problems == [], (kind, [p.text() for p in plan.problems])
        assert natural_state() == stored
        transaction.set_rollback(True)
