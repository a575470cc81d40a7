"""SPEC §13 the target declaration page: who sees it, the unit declares from the template, the checks
are shown before submission, the submission is refused until they pass, two levels review it, and the
approved version is what the project's indicators then say."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from projects.models import Project, TargetDeclaration
from projects.targets import services
from tests.factories import make_head
from tests.projects.targets.support import GOOD_ROWS, TRANSITION, URL, form_data
from tests.reading import text as raw_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def text(response) -> str:
    return html.unescape(raw_text(response))


def as_user(client, user):
    client.force_login(user)
    return client


def declared(client, unit_user):
    as_user(client, unit_user).post(URL, {"do": "declare"})
    return TargetDeclaration.objects.get(project__code="PA01")


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# Who sees the page


def test_unit_of_the_project_sees_the_declare_button(client, project, unit_user):
    response = as_user(client, unit_user).get(URL)

    assert response.status_code == 200
    assert "Declare targets" in text(response)


def test_unit_declares_and_the_page_shows_the_form(client, project, template, unit_user):
    response = as_user(client, unit_user).post(URL, {"do": "declare"}, follow=True)

    assert TargetDeclaration.objects.filter(project=project, version=1, state="draft").count() == 1
    assert "Start from the department's template (2 indicators)" in text(response)
    assert 'name="row-0-name"' in response.content.decode()


def test_another_unit_of_the_department_gets_404(client, project, other_unit_user):
    assert as_user(client, other_unit_user).get(URL).status_code == 404
    assert client.post(URL, {"do": "declare"}).status_code == 404
    assert client.post(TRANSITION, {"action": "submit"}).status_code == 404
    assert not TargetDeclaration.objects.exists()


def test_head_reads_the_version_with_its_explanation_and_warnings(
    client, project, template, unit_user, head_user
):
    declaration = declared(client, unit_user)
    services.save(
        declaration,
        goal="目标",
        quota_standard=None,
        quantity=None,
        explanation="知晓率按上年实际确定。",
        entries=[
            services.Entry(
                "产出指标", "数量指标", "资助学生人数", "gte", Decimal("1000"), "人", Decimal("60")
            ),
            services.Entry(
                "效益指标", "社会效益指标", "资助政策知晓率", "gte", Decimal("90"), "%", Decimal("30")
            ),
        ],
    )

    response = as_user(client, head_user).get(URL)

    assert response.status_code == 200
    page = text(response)
    assert "知晓率按上年实际确定。" in page
    assert "the target 90 is weaker than the template's ≥ 95" in page
    assert 'name="row-0-name"' not in response.content.decode()  # read-only


def test_head_may_not_change_the_targets(client, project, unit_user, head_user):
    declaration = declared(client, unit_user)

    response = as_user(client, head_user).post(URL, form_data(), follow=True)

    assert "Only the project's unit changes its targets." in messages_of(response)
    assert not declaration.indicators.exists()


def test_another_departments_head_gets_404(client, project, department_b):
    other = make_head(department_b, "other_head")

    assert as_user(client, other).get(URL).status_code == 404
    assert client.post(TRANSITION, {"action": "forward"}).status_code == 404


def test_officer_reads_the_page(client, project, unit_user, officer_user):
    declared(client, unit_user)

    response = as_user(client, officer_user).get(URL)

    assert response.status_code == 200
    assert "Declare targets" not in text(response)


def test_anonymous_goes_to_the_login_page(client, project):
    for url in (URL, f"{URL}?version=1"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert client.post(TRANSITION, {"action": "submit"}).status_code == 302


def test_cancelled_project_has_no_targets_page(client, project, unit_user):
    Project.objects.filter(pk=project.pk).update(status=Project.Status.CANCELLED)

    assert as_user(client, unit_user).get(URL).status_code == 404
    assert client.post(TRANSITION, {"action": "submit"}).status_code == 404


def test_project_in_the_pool_declares_the_same_way(client, project, template, unit_user):
    Project.objects.filter(pk=project.pk).update(
        status=Project.Status.PROPOSED, requested_amount=Decimal("870000")
    )
    declared(client, unit_user)

    response = client.post(URL, form_data(then="submit"), follow=True)

    assert "Saved and submitted to your department." in messages_of(response)
    assert TargetDeclaration.objects.get().state == "submitted"


def test_unknown_version_is_404(client, project, unit_user):
    declared(client, unit_user)

    for asked in ("2", "abc", "-1", "1" * 30):
        assert client.get(URL, {"version": asked}).status_code == 404
    assert client.get(URL, {"version": "1"}).status_code == 200


# The template, the checks, saving and submitting


def test_template_copy_puts_the_templates_rows_in_place(client, project, template, unit_user):
    declaration = declared(client, unit_user)

    response = client.post(URL, {"do": "template"}, follow=True)

    assert "2 indicators copied from the department's template" in messages_of(response)[-1]
    assert list(declaration.indicators.values_list("name", "from_template")) == [
        ("资助学生人数", True),
        ("资助政策知晓率", True),
    ]
    assert "Replace the indicators with the department's template (2 indicators)" in text(response)


def test_without_a_template_the_page_says_so(client, project, unit_user):
    declared(client, unit_user)

    response = client.get(URL)
    assert "The department has no template for" in text(response)
    response = client.post(URL, {"do": "template"}, follow=True)
    assert "no template for this category" in messages_of(response)[-1]


def test_saving_shows_the_errors_and_the_rows_they_name(client, project, template, unit_user):
    declared(client, unit_user)
    rows = [
        ("产出指标", "数量指标", "资助学生人数", "gte", "1000", "人", "60"),
        ("产出指标", "数量指标", "资助学生人数", "gte", "", "人", "20"),
    ]

    response = client.post(URL, form_data(rows), follow=True)

    page = text(response)
    assert "Saved." in messages_of(response)[-1]
    assert "The weights add up to 80; they must add up to exactly 90" in page  # 60 + 20
    assert "Change them by 10" in page
    assert "Row 2, “资助学生人数”: a quantitative indicator needs a target value." in page
    assert "Add a benefit indicator" in page
    assert "Rows 1, 2 are all named “资助学生人数”" in page
    assert "The template's indicator “资助政策知晓率”" in page  # a warning
    assert response.content.decode().count('class="row-error"') == 2


def test_submit_is_refused_with_the_messages_then_accepted_after_the_fixes(
    client, project, template, unit_user
):
    declaration = declared(client, unit_user)
    short = [GOOD_ROWS[0][:6] + ("50",), GOOD_ROWS[1][:4] + ("90",) + GOOD_ROWS[1][5:]]

    response = client.post(URL, form_data(short, goal="", then="submit"), follow=True)

    message = messages_of(response)[-1]
    assert message.startswith("Saved, not submitted:")
    assert "Give the overall goal" in message
    assert "The weights add up to 80" in message  # 50 + 30
    assert "Explain the warnings before submitting" in message  # 90 % is weaker than the template's 95 %
    declaration.refresh_from_db()
    assert declaration.state == "draft"
    assert declaration.indicators.count() == 2  # saved, all the same

    fixed = [GOOD_ROWS[0], GOOD_ROWS[1][:4] + ("90",) + GOOD_ROWS[1][5:]]
    response = client.post(
        URL, form_data(fixed, explanation="知晓率按上年实际 88 % 确定。", then="submit"), follow=True
    )

    assert messages_of(response)[-1] == "Saved and submitted to your department."
    declaration.refresh_from_db()
    assert declaration.state == "submitted"
    assert 'name="row-0-name"' not in response.content.decode()  # no longer editable


def test_a_started_row_needs_its_fields_and_a_blank_row_is_ignored(client, project, unit_user):
    declaration = declared(client, unit_user)
    rows = [GOOD_ROWS[0], ("", "", "满意度", "", "", "", "")]

    response = client.post(URL, form_data(rows))

    assert response.status_code == 200
    assert "Nothing was saved" in messages_of(response)[-1]
    page = response.content.decode()
    assert page.count("Needed: this row has other fields filled in.") == 3  # level 1, direction, weight
    assert re.search(r'<select name="row-1-level1"[^>]*autofocus', page)  # the first field in error
    assert page.count("autofocus") == 1
    assert not declaration.indicators.exists()


def test_removed_rows_are_dropped(client, project, unit_user):
    declaration = declared(client, unit_user)
    client.post(URL, form_data())
    data = form_data(**{"row-INITIAL_FORMS": "2", "row-1-DELETE": "on"})

    client.post(URL, data)

    assert list(declaration.indicators.values_list("name", flat=True)) == ["资助学生人数"]


@pytest.mark.parametrize(
    "change",
    [
        {"row-0-weight": "abc"},
        {"row-0-weight": "1" + "0" * 20},
        {"row-0-weight": "91"},
        {"row-0-weight": "-1"},
        {"row-0-weight": "NaN"},
        {"row-0-target_value": "Infinity"},
        {"row-0-target_value": "1" + "0" * 20},
        {"row-0-target_value": "１２"},
        {"row-0-name": "长" * 101},
        {"row-0-level2": "长" * 51},
        {"row-0-measure_unit": "长" * 21},
        {"goal": "长" * 5001},
        {"explanation": "长" * 5001},
        {"row-0-level1": "其他指标"},
        {"row-0-direction": "gt"},
        {"quota_standard": "999999", "quantity": "1000"},
        {"quota_standard": "abc", "quantity": "1000"},
        {"quantity": "-5", "quota_standard": "{2021}"},
        {"quantity": "1" + "0" * 20, "quota_standard": "{2021}"},
        {"quota_standard": "{2020}", "quantity": "1000"},
        {"row-TOTAL_FORMS": "100000"},
    ],
)
def test_hostile_values_give_a_message_and_change_nothing(client, project, quotas, unit_user, change):
    declaration = declared(client, unit_user)
    client.post(URL, form_data())
    before = list(declaration.indicators.values_list("name", "weight", "target_value"))
    # "{2021}": the id of that year's quota standard.
    change = {
        key: str(quotas[int(value[1:-1])].pk) if value.startswith("{") else value
        for key, value in change.items()
    }

    response = client.post(URL, form_data(**change, then="submit"))

    assert response.status_code == 200
    assert "Nothing was saved" in messages_of(response)[-1]
    declaration.refresh_from_db()
    assert declaration.state == "draft"
    assert declaration.quota_standard is None
    assert list(declaration.indicators.values_list("name", "weight", "target_value")) == before


def test_quota_check_warns_with_both_figures(client, project, template, quotas, unit_user):
    declared(client, unit_user)

    response = client.post(URL, form_data(quota=str(quotas[2021].pk), quantity="900"), follow=True)

    # 900 pupils × 870 = 783,000; the budget 870,000 is 11.11 % more
    page = text(response)
    assert "The budget of 870,000.00 yuan is 11.11 % off the quota standard" in page
    assert "900 × 870 (生) = 783,000.00 yuan" in page


def test_a_non_page_transition_refused_is_409(client, project, unit_user, head_user):
    assert as_user(client, unit_user).post(TRANSITION, {"action": "submit"}).status_code == 409
    declared(client, unit_user)

    assert client.post(TRANSITION, {"action": "submit"}).status_code == 409  # no goal, no indicators
    response = client.post(TRANSITION, {"action": "submit", "from_page": "1"}, follow=True)
    assert "Give the overall goal" in messages_of(response)[-1]
    assert as_user(client, head_user).post(TRANSITION, {"action": "forward"}).status_code == 409
