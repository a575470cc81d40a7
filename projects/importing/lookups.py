"""Looking up the projects an import file names, once per file."""

from __future__ import annotations

from collections import defaultdict

from finance.importing import messages as msg
from finance.importing.kinds import (
    problem,
    year_ok,
)
from finance.importing.messages import Problem
from finance.importing.writing import filter_in
from finance.models import FiscalYear
from projects.models import Project


def project_lookup(rows: list[tuple[int, dict]]) -> dict[tuple[int, str], tuple[int, int, str]]:
    """(year, project code) -> (project id, department id, category) for the codes in the file."""
    by_year: dict[int, set[str]] = defaultdict(set)
    for _line, row in rows:
        if row.get("project_code"):
            by_year[row["year"]].add(row["project_code"])
    found = {}
    for year, codes in by_year.items():
        for queryset in filter_in(Project.objects.filter(fiscal_year_id=year), "code", sorted(codes)):
            for code, pk, department_id, category in queryset.values_list(
                "code", "pk", "department_id", "category"
            ):
                found[(year, code)] = (pk, department_id, category)
    return found


def rows_of_known_projects(rows: list[tuple[int, dict]], problems: list[Problem]):
    """(line, row, project) for each row whose year and (year, project code) exist; a problem for
    each of the others. ``project`` is ``_project_lookup``'s (id, department id, category)."""
    years = set(FiscalYear.objects.values_list("year", flat=True))
    projects = project_lookup(rows)
    for line, row in rows:
        if not year_ok(line, row, years, problems):
            continue
        project = projects.get((row["year"], row["project_code"]))
        if project is None:
            problems.append(
                problem(
                    line, "project_code", msg.UNKNOWN_PROJECT, value=row["project_code"], year=row["year"]
                )
            )
            continue
        yield line, row, project
