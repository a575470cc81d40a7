"""Reads of the evaluation pages (SPEC §12.2): one evaluation, and what a new one may be of."""

from __future__ import annotations

from django.db.models import QuerySet

from finance.models import Department
from performance.models import Evaluation
from projects.models import Project


def evaluation_detail(*, user) -> QuerySet[Evaluation]:
    """The evaluations ``user`` may see, each with its project, unit and department (one query)."""
    return Evaluation.objects.visible_to(user).select_related(
        "project", "project__unit", "project__department", "department"
    )


def evaluable_projects(*, user, year: int | None) -> QuerySet[Project]:
    """The projects of ``year`` ``user`` may see that an evaluation may be of: those in the budget and
    those proposed for the pool (an ex-ante assessment), not cancelled ones."""
    return (
        Project.objects.visible_to(user)
        .filter(fiscal_year_id=year)
        .exclude(status=Project.Status.CANCELLED)
        .order_by("code")
    )


def evaluable_departments(*, user) -> QuerySet[Department]:
    """The departments ``user`` may see, by code."""
    return Department.objects.visible_to(user).order_by("code")


def visible_project(*, user, pk: int) -> Project | None:
    """The project ``pk`` if ``user`` may see it and it is not cancelled, else None."""
    return Project.objects.visible_to(user).exclude(status=Project.Status.CANCELLED).filter(pk=pk).first()
