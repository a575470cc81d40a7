"""The project pages' extension points (projects/extensions.py): what performance registers in its
``ready``, registered once however often it registers."""

from __future__ import annotations

import pytest

from performance import projects as performance_projects
from projects import extensions
from projects.filters import ProjectFilter
from projects.tables import ProjectTable


def test_performance_adds_its_columns_after_the_budget_and_its_filters_last():
    assert list(ProjectTable([]).columns.names()) == [
        "code",
        "name",
        "department",
        "unit",
        "budget",
        "snapshot_spent",
        "snapshot_spending_progress",
        "snapshot_gap_pp",
        "snapshot_warning_level",
        "grade",
    ]
    assert list(ProjectFilter(queryset=None).filters)[-2:] == ["warning_level", "grade"]


def test_performance_fills_the_project_page_slots():
    assert extensions.slots() == {
        "header": [
            "performance/_status.html",
            "performance/_project_cycle.html",
            "performance/_project_monitoring.html",
            "performance/_self_evaluation_workbook_link.html",
        ],
        "cards": ["performance/_project_cards.html"],
        "charts": ["performance/_project_charts.html"],
        "sections": ["performance/_project_evaluations.html", "performance/_pool_project.html"],
    }


def test_ready_twice_registers_nothing_twice():
    before = (extensions.slots(), [name for name, _column in extensions.columns()])
    performance_projects.register()
    assert (extensions.slots(), [name for name, _column in extensions.columns()]) == before
    assert len(extensions.history_sources()) == 1


def test_a_section_names_a_slot_of_the_page():
    with pytest.raises(ValueError, match="No slot"):
        extensions.detail_section("footer", "x.html")
