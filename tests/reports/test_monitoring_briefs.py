"""SPEC §15 with §14 on the small district of tests/district.py: the briefs' monitoring and
rectification paragraphs from a run with a monitoring round and from the items, left out without them;
the DOCX carries them."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone
from docx import Document

from performance.models import ItemSource, ItemState, RectificationItem
from tests.performance.pages.test_monitoring_figures_pages import deviations, july  # noqa: F401
from tests.reading import download, get, text

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def item(district, *, department, project, state=ItemState.OPEN, deadline_days=30, closed_days=None):
    closed_at = None
    if closed_days is not None:
        closed_at = timezone.now() + datetime.timedelta(days=closed_days)
    return RectificationItem.objects.create(
        department=department,
        project=district.projects[project] if project else None,
        fiscal_year_id=2021,
        source=ItemSource.WARNING if project else ItemSource.WEAK_SPOT,
        problem=f"整改问题{project or department.code}",
        requirement="按期整改",
        deadline=TODAY + datetime.timedelta(days=deadline_days),
        state=state,
        closed_at=closed_at,
        answered_at=closed_at,
    )


@pytest.fixture
def items(district):
    """A01: one closed by its deadline, one open past it; B02: one open in time. 3 opened, 1 closed on
    time, 2 open, 1 overdue."""
    item(district, department=district.a, project="PA02", state=ItemState.CLOSED, closed_days=0)
    item(district, department=district.a, project="PA01", deadline_days=-5)
    item(district, department=district.b, project=None)
    return district


def test_the_brief_gives_the_runs_monitoring_deviations(client, deviations, officer):  # noqa: F811
    page = text(get(client, officer, "/reports/brief/"))

    # DDA1 and DDB1: approved reports expecting 2/3 of their targets, nothing paid by 31 July.
    assert (
        "7月末开展绩效运行监控，2个项目报送监控情况，其中预计完不成绩效目标的2个、支出进度严重滞后的2个，"
        "“双偏差”项目2个，已督促相关部门即知即改。" in page
    )


def test_a_run_without_a_monitoring_round_leaves_the_monitoring_paragraph_out(client, district, officer):
    page = text(get(client, officer, "/reports/brief/"))

    assert "绩效运行监控" not in page and "双偏差" not in page


def test_the_brief_counts_the_rectification_items(client, items, officer):
    page = text(get(client, officer, "/reports/brief/"))

    assert "全区已开立整改事项3项，已销号1项（均按期销号），未销号2项（其中逾期1项）。" in page


def test_without_items_the_rectification_paragraph_is_left_out(client, district, officer):
    page = text(get(client, officer, "/reports/brief/"))

    assert "整改事项" not in page and "销号" not in page


def test_the_docx_carries_both_paragraphs(client, deviations, items, officer):  # noqa: F811
    response = get(client, officer, "/reports/brief/", format="docx")
    paragraphs = [p.text for p in Document(io.BytesIO(download(response))).paragraphs]

    assert any("“双偏差”项目2个" in p for p in paragraphs)
    assert any("全区已开立整改事项3项" in p for p in paragraphs)


def test_the_department_brief_gives_its_deviations_and_its_open_items(client, deviations, items, head):  # noqa: F811
    page = text(get(client, head, "/reports/department/A01/"))

    # A01's own: DDA1 only; its open item (PA01, overdue), not the closed one nor B02's.
    assert (
        "本部门1个项目报送监控情况，其中预计完不成绩效目标的1个、支出进度严重滞后的1个，“双偏差”项目1个。"
        in page
    )
    assert "DDA1" in page and "DDB1" not in page
    assert "本部门未销号整改事项1项，其中逾期1项。" in page
    assert "整改问题PA01" in page
    assert "整改问题PA02" not in page and "整改问题B02" not in page


def test_a_department_without_open_items_or_a_round_leaves_both_out(client, district, head):
    page = text(get(client, head, "/reports/department/A01/"))

    assert "监控情况" not in page and "整改事项" not in page
