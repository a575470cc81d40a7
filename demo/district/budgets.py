"""The demo district's project budgets, in the order the totals need: grant-funded projects, then the
key evaluations' fixed budgets, then every function class split over the rest, and last the six
departments of the department-wide key evaluations, whose funds make exactly 18.97 亿."""

from __future__ import annotations

from decimal import Decimal

from demo import catalogue as cat
from demo.district.figures import (
    CURRENT_YEAR,
    FEN_PER_WAN,
    FEN_PER_YI,
    KEY_FUNDS_INVOLVED,
    Dept,
    split_total,
)


class BudgetSteps:
    """The ``DistrictBuilder`` steps that give every project its budget."""

    def fix_grant_budgets(self) -> None:
        rng = self.rng
        for grant_id, fen, function in self.grants:
            candidates = [
                p
                for p in self.projects[CURRENT_YEAR]
                if p.function == function and p.category == "livelihood" and self.eligible(p)
            ]
            chosen = rng.sample(candidates, min(7, len(candidates)))
            for project, budget in zip(
                chosen, split_total(fen, [rng.uniform(0.5, 2) for _ in chosen]), strict=True
            ):
                project.budget, project.fixed, project.grant_id, project.fund = (
                    budget,
                    True,
                    grant_id,
                    cat.TRANSFER,
                )

    def fix_key_project_budgets(self) -> None:
        rng = self.rng
        budgets = iter(cat.KEY_PROJECT_BUDGETS_WAN)
        wanted = [
            ("livelihood", "livelihood"),
            ("development_policy", "development"),
            ("investment_ex_ante", "investment"),
        ]
        used_departments: set[int] = set()
        for key_category, project_category in wanted:
            candidates = [
                p for p in self.projects[CURRENT_YEAR] if p.category == project_category and self.eligible(p)
            ]
            rng.shuffle(candidates)
            # Spread the key evaluations over departments, as the bureau does.
            candidates.sort(key=lambda p: p.dept.index in used_departments)
            wanted_count, budget = cat.KEY_EVALUATIONS[key_category], None
            for project in candidates:
                if wanted_count == 0:
                    break
                if budget is None:
                    budget = next(budgets) * FEN_PER_WAN
                if not self.class_has_room(project.function, budget):
                    continue  # the class's other projects would be left a negative remainder
                project.budget = budget
                project.fixed, project.key_category, project.fund = True, key_category, cat.GENERAL
                used_departments.add(project.dept.index)
                wanted_count, budget = wanted_count - 1, None

    def class_has_room(self, function: str, budget: int) -> bool:
        """Fixed budgets may take at most half of a class's current-year total, so that the free
        projects of the class share a positive remainder (SPEC §8: every copy of a scaled seed)."""
        total = int(Decimal(cat.CLASS_BUDGET_YI[function]) * FEN_PER_YI)
        fixed = sum(p.budget for p in self.projects[CURRENT_YEAR] if p.function == function and p.fixed)
        return fixed + budget <= total // 2

    def split_class_budgets(self, year: int, *, agriculture: int) -> None:
        rng = self.rng
        factor = Decimal(1) if year == CURRENT_YEAR else Decimal(cat.PREVIOUS_YEAR_FACTOR)
        for function, total_yi in cat.CLASS_BUDGET_YI.items():
            total = (
                agriculture
                if function == cat.AGRICULTURE_CLASS
                else int(Decimal(total_yi) * factor * FEN_PER_YI)
            )
            projects = [p for p in self.projects[year] if p.function == function]
            free = [p for p in projects if not p.fixed]
            remaining = total - sum(p.budget for p in projects if p.fixed)
            if not free:
                continue
            weights = [rng.lognormvariate(0, 0.9) + 0.05 for _ in free]
            for project, budget in zip(free, split_total(remaining, weights), strict=True):
                project.budget = budget

    def choose_department_wide_evaluations(self) -> None:
        """Six departments whose budgets, with the 18 key projects', make exactly 18.97 亿."""
        budget = {d.index: 0 for d in self.departments}
        for p in self.projects[CURRENT_YEAR]:
            budget[p.dept.index] += p.budget
        key_departments = {p.dept.index for p in self.projects[CURRENT_YEAR] if p.key_category}
        key_projects_total = sum(p.budget for p in self.projects[CURRENT_YEAR] if p.key_category)
        target = KEY_FUNDS_INVOLVED - key_projects_total
        candidates = sorted(
            (
                d
                for d in self.departments
                if d.index not in key_departments
                and not d.is_new
                and cat.DEPARTMENTS[d.index][0] not in cat.TIED_DEPARTMENTS
                and cat.DEPARTMENTS[d.index][0] not in cat.LOW_COVERAGE_DEPARTMENTS
            ),
            key=lambda d: budget[d.index],
        )
        best: tuple[int, list[Dept]] | None = None
        for start in range(len(candidates) - 4):
            five = candidates[start : start + 5]
            rest = target - sum(budget[d.index] for d in five)
            fits = [d for d in candidates if d not in five and budget[d.index] <= rest]
            if fits:
                sixth = max(fits, key=lambda d: budget[d.index])
                gap = rest - budget[sixth.index]
                if best is None or gap < best[0]:
                    best = (gap, [*five, sixth])
        assert best is not None, "no six departments fit the key evaluations' funds"
        gap, chosen = best
        # The largest non-农林水 project of the chosen departments takes the gap.
        taker = max(
            (
                p
                for p in self.projects[CURRENT_YEAR]
                if p.dept in chosen and p.function != cat.AGRICULTURE_CLASS and not p.fixed
            ),
            key=lambda p: p.budget,
        )
        taker.budget += gap
        self.department_wide = chosen
