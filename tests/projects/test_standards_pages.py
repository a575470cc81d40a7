"""SPEC §13 the standards library (/standards/): indicator templates per department and category (heads
and unit fillers: their own department's) and the district's quota standards, searched, filtered,
exported; officers keep them in forms of their own, and see who changed what."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from projects.models import Category, Direction, IndicatorTemplate, QuotaStandard
from tests.district import fiscal_years
from tests.factories import BudgetUnitFactory, DepartmentFactory, UserFactory, make_unit_filler
from tests.reading import get, listed, nav_links, select_options, text
from tests.test_page_exports import read_csv, read_xlsx

pytestmark = pytest.mark.django_db

URL = "/standards/"
QUOTAS = "/standards/?show=quotas"


def template(
    department,
    name: str,
    *,
    category=Category.LIVELIHOOD,
    level1="产出指标",
    level2="数量指标",
    target="3000",
    unit="人",
    weight="20",
) -> IndicatorTemplate:
    return IndicatorTemplate.objects.create(
        department=department,
        category=category,
        level1=level1,
        level2=level2,
        name=name,
        direction=Direction.AT_LEAST,
        target_value=Decimal(target) if target else None,
        measure_unit=unit,
        weight=Decimal(weight),
    )


@pytest.fixture
def library(department_a, department_b):
    """A01: two livelihood templates and one development; B02: one. Quotas: two of 2021, one of 2020."""
    fiscal_years()
    template(department_a, "资助学生人数")
    template(
        department_a,
        "学生满意度",
        level1="满意度指标",
        level2="服务对象满意度",
        target="90",
        unit="%",
        weight="10",
    )
    template(department_a, "课后服务覆盖率", category=Category.DEVELOPMENT, target="95", unit="%")
    template(department_b, "设备完好率", level2="质量指标", target="95", unit="%")
    QuotaStandard.objects.create(
        fiscal_year_id=2021, name="生均公用经费(幼儿园)", measure_unit="元/生·年", amount=Decimal("870.00")
    )
    QuotaStandard.objects.create(
        fiscal_year_id=2021, name="村(社区)工作经费", measure_unit="元/村·年", amount=Decimal("50000.00")
    )
    QuotaStandard.objects.create(
        fiscal_year_id=2020, name="生均公用经费(幼儿园)", measure_unit="元/生·年", amount=Decimal("800.00")
    )


def names(response) -> list[str]:
    """The indicator column of the listed templates."""
    return [cells[4] for cells in listed(response, 0)]


# -- who sees what ---------------------------------------------------------------------------------


def test_officer_sees_every_departments_templates_with_their_columns(client, library, officer):
    response = get(client, officer, URL)

    assert response.status_code == 200
    assert [cells[:9] for cells in listed(response, 0)][:2] == [
        [
            "区教育体育局",
            "发展类政策",
            "产出指标",
            "数量指标",
            "课后服务覆盖率",
            "≥",
            "95",
            "%",
            "20",
        ],
        ["区教育体育局", "民生", "产出指标", "数量指标", "资助学生人数", "≥", "3,000", "人", "20"],
    ]
    assert sorted(names(response)) == sorted(["资助学生人数", "学生满意度", "课后服务覆盖率", "设备完好率"])
    assert "/standards/indicators/new/" in response.content.decode()


def test_admin_sees_every_template_too(client, library, admin):
    assert len(listed(get(client, admin, URL), 0)) == 4


def test_head_sees_only_their_departments_templates_and_no_edit_links(client, library, head):
    response = get(client, head, URL)

    assert sorted(names(response)) == sorted(["资助学生人数", "学生满意度", "课后服务覆盖率"])
    assert "/standards/indicators/" not in response.content.decode()
    assert select_options(response, "department") == ["区教育体育局"]  # their own, no other


def test_other_head_sees_their_own_department_only(client, library, other_head):
    assert names(get(client, other_head, URL)) == ["设备完好率"]


def test_head_asking_for_another_department_gets_an_empty_list(client, library, head):
    response = get(client, head, URL, department="B02")

    assert response.status_code == 200
    assert names(response) == []


def test_unit_filler_sees_their_departments_templates_only(client, library, department_a):
    filler = make_unit_filler(BudgetUnitFactory(department=department_a, code="A01-01"), "unit")

    assert sorted(names(get(client, filler, URL))) == sorted(["资助学生人数", "学生满意度", "课后服务覆盖率"])


@pytest.mark.parametrize("persona", ["officer", "head", "other_head"])
def test_every_reader_sees_every_quota_standard(client, library, request, persona):
    response = get(client, request.getfixturevalue(persona), URL, show="quotas")

    assert [cells[:4] for cells in listed(response, 0)] == [
        ["村(社区)工作经费", "元/村·年", "50,000.00", "2021"],
        ["生均公用经费(幼儿园)", "元/生·年", "870.00", "2021"],
        ["生均公用经费(幼儿园)", "元/生·年", "800.00", "2020"],
    ]


def test_anonymous_is_sent_to_login(client, library):
    response = get(client, None, URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_user_without_a_role_gets_404(client, library):
    assert get(client, UserFactory(username="nobody"), URL).status_code == 404


def test_only_officers_open_the_forms(client, library, head, department_a):
    quota = QuotaStandard.objects.first()
    own = IndicatorTemplate.objects.filter(department=department_a).first()
    filler = make_unit_filler(BudgetUnitFactory(department=department_a, code="A01-01"), "unit")
    for user in (head, filler):
        for url in (
            "/standards/quotas/new/",
            f"/standards/quotas/{quota.pk}/",
            f"/standards/indicators/{own.pk}/",
        ):
            assert get(client, user, url).status_code == 404, url


@pytest.mark.parametrize("persona", ["officer", "head"])
def test_nav_offers_the_standards_library(client, library, request, persona):
    assert URL in nav_links(get(client, request.getfixturevalue(persona), URL))


# -- search and filters --------------------------------------------------------------------------------


def test_search_covers_indicator_and_levels(client, library, officer):
    assert names(get(client, officer, URL, q="满意")) == ["学生满意度"]
    assert sorted(names(get(client, officer, URL, q="质量"))) == ["设备完好率"]


def test_filters_by_department_category_and_level1(client, library, officer):
    assert names(get(client, officer, URL, department="B02")) == ["设备完好率"]
    assert names(get(client, officer, URL, category="development")) == ["课后服务覆盖率"]
    assert sorted(names(get(client, officer, URL, level1="满意度指标"))) == ["学生满意度"]
    assert sorted(select_options(get(client, officer, URL), "level1")) == ["产出指标", "满意度指标"]


def test_quota_standards_search_and_year_filter(client, library, officer):
    by_year = get(client, officer, URL, show="quotas", year="2020")
    searched = get(client, officer, URL, show="quotas", q="村")

    assert [cells[2] for cells in listed(by_year, 0)] == ["800.00"]
    assert [cells[0] for cells in listed(searched, 0)] == ["村(社区)工作经费"]


def test_an_unknown_year_lists_nothing_rather_than_failing(client, library, officer):
    response = get(client, officer, URL, show="quotas", year="1999")

    assert response.status_code == 200
    assert listed(response, 0) == []


# -- export ---------------------------------------------------------------------------------------------


def test_head_exports_their_departments_templates_as_csv_and_xlsx(client, library, head):
    csv_rows = read_csv(get(client, head, URL, export="csv", sort="name"))
    xlsx_rows = read_xlsx(get(client, head, URL, export="xlsx", sort="name"))

    assert [row[4] for row in csv_rows[1:]] == sorted(["资助学生人数", "学生满意度", "课后服务覆盖率"])
    assert len(csv_rows[0]) == 9  # no edit column
    assert [row[4] for row in xlsx_rows[1:]] == [row[4] for row in csv_rows[1:]]
    assert "设备完好率" not in str(xlsx_rows)


def test_officer_exports_quota_standards_filtered(client, library, officer):
    rows_ = read_xlsx(get(client, officer, URL, show="quotas", year="2021", export="xlsx"))

    assert rows_[1:] == [
        ["村(社区)工作经费", "元/村·年", 50000, 2021],
        ["生均公用经费(幼儿园)", "元/生·年", 870, 2021],
    ]


# -- officers keep them, and their history --------------------------------------------------------------


def test_officer_adds_and_edits_a_quota_standard_and_the_history_shows_it(client, library, officer):
    client.force_login(officer)

    response = client.post(
        "/standards/quotas/new/",
        {"fiscal_year": "2021", "name": "生均公用经费(小学)", "measure_unit": "元/生·年", "amount": "650"},
    )
    assert response.status_code == 302
    quota = QuotaStandard.objects.get(name="生均公用经费(小学)")
    client.post(
        f"/standards/quotas/{quota.pk}/",
        {"fiscal_year": "2021", "name": "生均公用经费(小学)", "measure_unit": "元/生·年", "amount": "700"},
    )

    quota.refresh_from_db()
    assert quota.amount == Decimal("700.00")
    assert [record.history_user for record in quota.history.all()] == [officer, officer]
    page = text(get(client, officer, URL))
    assert "650.00 → 700.00" in page and "officer" in page


def test_officer_edits_and_deletes_a_template_with_history_kept(client, library, officer, department_a):
    own = IndicatorTemplate.objects.get(name="资助学生人数")
    client.force_login(officer)
    data = {
        "department": department_a.pk,
        "category": "livelihood",
        "level1": "产出指标",
        "level2": "数量指标",
        "name": "资助学生人数",
        "direction": "gte",
        "target_value": "3200",
        "measure_unit": "人",
        "weight": "20",
    }

    client.post(f"/standards/indicators/{own.pk}/", data)
    own.refresh_from_db()
    assert own.target_value == Decimal("3200")
    client.post(f"/standards/indicators/{own.pk}/", {"delete": "1"})

    assert not IndicatorTemplate.objects.filter(pk=own.pk).exists()
    assert [record.history_type for record in IndicatorTemplate.history.filter(id=own.pk)] == ["-", "~", "+"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount", "-1"),
        ("amount", "１２"),
        ("amount", "9" * 40),
        ("name", ""),
        ("fiscal_year", "1999"),
        ("name", "村(社区)工作经费"),
    ],  # the last: a name already standing in 2021
)
def test_bad_quota_input_gives_a_message_and_changes_nothing(client, library, officer, field, value):
    quota = QuotaStandard.objects.get(fiscal_year_id=2021, name="生均公用经费(幼儿园)")
    client.force_login(officer)
    data = {"fiscal_year": "2021", "name": quota.name, "measure_unit": "元/生·年", "amount": "900"} | {
        field: value
    }

    response = client.post(f"/standards/quotas/{quota.pk}/", data, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "Nothing was saved" in text(response)
    quota.refresh_from_db()
    assert quota.amount == Decimal("870.00")
    assert QuotaStandard.objects.count() == 3


def test_bad_template_weight_gives_a_message(client, library, officer, department_a):
    client.force_login(officer)
    data = {
        "department": department_a.pk,
        "category": "livelihood",
        "level1": "产出指标",
        "level2": "数量指标",
        "name": "新指标",
        "direction": "gte",
        "target_value": "1",
        "measure_unit": "人",
        "weight": "95",
    }

    response = client.post("/standards/indicators/new/", data, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert not IndicatorTemplate.objects.filter(name="新指标").exists()


# -- query budget ---------------------------------------------------------------------------------------

#: The session, the user, the user's groups, the head's department (heads: roles context processor),
#: the to-do count; then the filter choices (indicators: departments and levels; quotas: years), the
#: count and the page of rows; officers: the recent changes (two queries per model).
BUDGETS = {
    ("officer", "indicators"): 12,
    ("head", "indicators"): 9,
    ("officer", "quotas"): 11,
    ("head", "quotas"): 8,
}


@pytest.mark.parametrize("persona", ["officer", "head"])
@pytest.mark.parametrize("show", ["indicators", "quotas"])
def test_the_page_makes_the_same_queries_for_1_and_30_rows(
    client, department_a, officer, head, request, persona, show, django_assert_max_num_queries
):
    fiscal_years()
    user = request.getfixturevalue(persona)
    client.force_login(officer)

    def add(n: int) -> None:
        for i in range(n):
            number = IndicatorTemplate.objects.count() + QuotaStandard.objects.count() + i
            template(department_a, f"指标{number}", level1=f"一级{number % 3}")
            QuotaStandard.objects.create(
                fiscal_year_id=2021, name=f"定额{number}", measure_unit="元", amount=Decimal("1.00")
            )
            template(DepartmentFactory(), f"他部门指标{number}")

    def count() -> tuple[int, int]:
        client.force_login(user)
        with django_assert_max_num_queries(BUDGETS[persona, show]) as queries:
            response = client.get(URL, {"show": show})
        assert response.status_code == 200
        return len(queries), len(listed(response, 0))

    add(1)
    for standard in (IndicatorTemplate.objects.first(), QuotaStandard.objects.first()):
        standard.measure_unit = "个"
        standard.save()  # a change in each history, whose previous record the page reads
    one, shown_one = count()
    add(29)
    thirty, shown_thirty = count()

    assert one == thirty, (one, thirty)
    # An officer also sees the other department's template; a full page the second time.
    assert (shown_one, shown_thirty) == (2 if (persona, show) == ("officer", "indicators") else 1, 25)


def test_the_standards_tables_have_the_sites_table_look_and_export_links(client, officer):
    IndicatorTemplate.objects.create(
        department=DepartmentFactory(),
        category="livelihood",
        level1="产出指标",
        level2="数量指标",
        name="覆盖人数",
        direction="gte",
        target_value=1,
        measure_unit="人",
        weight=30,
    )
    client.force_login(officer)
    for url in ("/standards/", "/standards/?show=quotas"):
        html = client.get(url).content.decode()
        assert '<table class="table"' in html, url
        assert "export=csv" in html and "export=xlsx" in html, url


def test_a_target_longer_than_the_database_holds_is_refused_and_the_page_stays_up(
    client, library, officer, department_a
):
    client.force_login(officer)
    data = {
        "department": department_a.pk,
        "category": "livelihood",
        "level1": "产出指标",
        "level2": "数量指标",
        "name": "新指标",
        "direction": "gte",
        "target_value": "99999999999999.9999",  # 18 digits: SQLite would read back a float
        "measure_unit": "人",
        "weight": "30",
    }

    assert client.post("/standards/indicators/new/", data).status_code == 200
    assert not IndicatorTemplate.objects.filter(name="新指标").exists()
    assert client.get("/standards/").status_code == 200
