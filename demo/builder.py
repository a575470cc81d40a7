"""The synthetic demo district of SPEC §8, built deterministically from a seed.

Amounts are handled as integer fen (分) so that group totals land exactly: each total is split over
its rows in proportion to random weights and the largest row takes the rounding remainder. The
order of the steps matters, because some rows are fixed before others are derived from them:

1. grant-funded projects get the grant's amount (allocation 100 %);
2. the 18 project-level key evaluations get fixed budgets;
3. every function class's budget is split over its remaining projects (农林水 lands exactly);
4. six departments are chosen for the department-wide key evaluations, and one of their non-农林水
   projects takes the remainder so that the funds involved are exactly 18.97 亿;
5. spending targets (livelihood, other general-public-budget, direct funds) are split over projects,
   then each project's spending over its payments.

The steps live in ``demo.district``, one module per thing they build; this class holds the state they
share (the random generator, whose draws must come in this order, the ids and the rows).
"""

from __future__ import annotations

import datetime
import random

from demo import catalogue as cat
from demo.district.budgets import BudgetSteps
from demo.district.evaluations import EvaluationSteps
from demo.district.figures import (
    AGRICULTURE_BUDGET_PREVIOUS,
    CURRENT_YEAR,
    PREVIOUS_YEAR,
    Dept,
    Proj,
    yi_to_fen,
)
from demo.district.organisation import OrganisationSteps
from demo.district.projects import ProjectSteps
from demo.district.spending import SpendingSteps


class DistrictBuilder(OrganisationSteps, ProjectSteps, BudgetSteps, SpendingSteps, EvaluationSteps):
    """Builds one copy (replica) of the district as plain rows keyed by field attname."""

    def __init__(self, *, seed: int, replica: int, ids: dict[str, int]) -> None:
        self.rng = random.Random(f"demo-district-{seed}-{replica}")
        self.replica = replica
        self.ids = ids  # next id per table, shared across replicas
        self.rows: dict[str, list[dict]] = {}
        self.departments: list[Dept] = []
        self.projects: dict[int, list[Proj]] = {CURRENT_YEAR: [], PREVIOUS_YEAR: []}
        self._days: dict[tuple[datetime.date, datetime.date], list[str]] = {}

    def next_id(self, table: str) -> int:
        value = self.ids.get(table, 1)
        self.ids[table] = value + 1
        return value

    def add(self, table: str, row: dict) -> dict:
        self.rows.setdefault(table, []).append(row)
        return row

    def code(self, base: str) -> str:
        return base if self.replica == 0 else f"R{self.replica:03d}{base}"

    def build(self, *, function_class_ids: dict[str, int], fund_source_ids: dict[str, int]) -> None:
        self.function_class_ids = function_class_ids
        self.fund_source_ids = fund_source_ids
        self.build_departments()
        self.build_grants()
        for year in (CURRENT_YEAR, PREVIOUS_YEAR):
            self.build_projects(year)
        self.fix_grant_budgets()
        self.fix_key_project_budgets()
        self.split_class_budgets(
            CURRENT_YEAR, agriculture=yi_to_fen(cat.CLASS_BUDGET_YI[cat.AGRICULTURE_CLASS])
        )
        self.split_class_budgets(PREVIOUS_YEAR, agriculture=AGRICULTURE_BUDGET_PREVIOUS)
        self.choose_department_wide_evaluations()
        self.spend(CURRENT_YEAR)
        self.spend(PREVIOUS_YEAR)
        for year in (CURRENT_YEAR, PREVIOUS_YEAR):
            self.write_projects(year)
            self.write_payments(year)
            self.write_indicators(year)
            self.write_evaluations(year)
        self.write_indicator_templates()
        self.write_budget_reviews()
