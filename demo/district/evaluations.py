"""The demo district's evaluations (self, key, ex-ante and department-wide) and budget reviews."""

from __future__ import annotations

import datetime
from decimal import Decimal

from demo import catalogue as cat
from demo.district.figures import (
    AS_OF,
    CURRENT_YEAR,
    FEN_PER_WAN,
    FEN_PER_YI,
    PREVIOUS_YEAR,
    REVIEWS,
    REVIEWS_CUT,
    REVIEWS_SUBMITTED,
    Dept,
    Proj,
    money,
    split_total,
)
from performance.models import grade_for


class EvaluationSteps:
    """The ``DistrictBuilder`` steps that write the evaluations and the budget reviews."""

    def dimension_scores(self, dept: Dept, year: int, *, shift: float = 0.0) -> tuple[int, int, int, int]:
        """Four dimension scores in tenths of a point around the department's quality."""
        rng = self.rng
        base = dept.quality[year] + shift + rng.gauss(0, 4)
        scores = []
        for number, maximum in enumerate((20, 20, 30, 30)):
            fraction = base / 100 + rng.gauss(0, 0.04) - (0.12 if number == dept.weak_dimension else 0)
            scores.append(round(maximum * 10 * min(1.0, max(0.2, fraction))))
        return tuple(scores)

    def evaluation_row(
        self,
        *,
        year: int,
        kind: str,
        scores: tuple[int, ...],
        project: Proj | None = None,
        dept: Dept | None = None,
        key_category: str = "",
        status: str = "finalised",
        evaluator: str = "",
    ) -> dict:
        decision, process, output, benefit = (Decimal(s) / 10 for s in scores)
        total = decision + process + output + benefit
        return self.add(
            "evaluation",
            {
                "id": self.next_id("evaluation"),
                "fiscal_year_id": year,
                "kind": kind,
                "key_category": key_category,
                "project_id": project.id if project else None,
                "department_id": dept.id if dept else None,
                "decision": str(decision),
                "process": str(process),
                "output": str(output),
                "benefit": str(benefit),
                "decision_max": "20.00",
                "process_max": "20.00",
                "output_max": "30.00",
                "benefit_max": "30.00",
                "total": str(total),
                "grade": grade_for(total).value,
                "status": status,
                "evaluator": evaluator,
                "evaluated_on": datetime.date(year, 12, 20).isoformat()
                if year == PREVIOUS_YEAR
                else datetime.date(year, 9, 30).isoformat(),
            },
        )

    def write_evaluations(self, year: int) -> None:
        rng = self.rng
        inflated = 0
        low_coverage_evaluated = self.low_coverage_sample(year)
        for p in self.projects[year]:
            name = cat.DEPARTMENTS[p.dept.index][0]
            if name in cat.TIED_DEPARTMENTS:
                scores = cat.TIED_DEPARTMENTS[name][0 if year == CURRENT_YEAR else 1]
                self.evaluation_row(year=year, kind="self", project=p, scores=tuple(s * 10 for s in scores))
                continue
            if name in cat.LOW_COVERAGE_DEPARTMENTS:
                evaluated = p.id in low_coverage_evaluated
            else:
                evaluated = rng.random() < 0.88
            if p.key_category and year == CURRENT_YEAR:
                key_scores = self.dimension_scores(p.dept, year, shift=-4)
                self.evaluation_row(
                    year=year,
                    kind="key",
                    project=p,
                    key_category=p.key_category,
                    scores=key_scores,
                    evaluator=rng.choice(cat.EVALUATORS),
                )
                if inflated < 3:
                    # A unit that grades itself 优 where the bureau found far less: the self-score check.
                    inflated += 1
                    key_row = self.rows["evaluation"][-1]
                    self.rows["evaluation"].pop()
                    self.ids["evaluation"] -= 1
                    self.evaluation_row(
                        year=year,
                        kind="key",
                        project=p,
                        key_category=p.key_category,
                        scores=(140, 130, 200, 190),
                        evaluator=key_row["evaluator"],
                    )
                    self.evaluation_row(year=year, kind="self", project=p, scores=(195, 190, 280, 275))
                    continue
                evaluated = True
            if evaluated:
                status = "finalised" if rng.random() < 0.96 else rng.choice(["draft", "submitted"])
                self.evaluation_row(
                    year=year,
                    kind="self",
                    project=p,
                    scores=self.dimension_scores(p.dept, year),
                    status=status,
                )
            if p.category == "investment" and rng.random() < 0.1:
                self.evaluation_row(
                    year=year, kind="ex_ante", project=p, scores=self.dimension_scores(p.dept, year, shift=2)
                )
        for dept in self.departments:
            name = cat.DEPARTMENTS[dept.index][0]
            if name in cat.TIED_DEPARTMENTS or (dept.is_new and year == PREVIOUS_YEAR):
                continue
            if year == CURRENT_YEAR and dept in self.department_wide:
                self.evaluation_row(
                    year=year,
                    kind="key",
                    dept=dept,
                    key_category="department_wide",
                    scores=self.dimension_scores(dept, year, shift=-3),
                    evaluator=rng.choice(cat.EVALUATORS),
                )
            elif rng.random() < 0.5:
                self.evaluation_row(
                    year=year, kind="department", dept=dept, scores=self.dimension_scores(dept, year)
                )
        if year == PREVIOUS_YEAR:
            # Last year's key evaluations: a handful of projects and departments.
            candidates = [p for p in self.projects[year] if self.eligible(p) and p.budget > 500 * FEN_PER_WAN]
            for p in rng.sample(candidates, min(10, len(candidates))):
                self.evaluation_row(
                    year=year,
                    kind="key",
                    project=p,
                    key_category="livelihood"
                    if p.category == "livelihood"
                    else "development_policy"
                    if p.category == "development"
                    else "investment_ex_ante",
                    scores=self.dimension_scores(p.dept, year, shift=-4),
                    evaluator=rng.choice(cat.EVALUATORS),
                )

    def low_coverage_sample(self, year: int) -> set[int]:
        """Projects of the low-coverage departments that are evaluated: the smallest, to about 15 %."""
        chosen: set[int] = set()
        for dept in self.departments:
            if cat.DEPARTMENTS[dept.index][0] not in cat.LOW_COVERAGE_DEPARTMENTS:
                continue
            projects = sorted((p for p in self.projects[year] if p.dept is dept), key=lambda p: p.budget)
            budget = sum(p.budget for p in projects)
            covered = 0
            for p in projects:
                if covered and covered + p.budget > budget * 0.15:
                    break
                chosen.add(p.id)
                covered += p.budget
        return chosen

    def write_budget_reviews(self) -> None:
        rng = self.rng
        plans = [
            (CURRENT_YEAR, REVIEWS, REVIEWS_SUBMITTED, REVIEWS_CUT, AS_OF),
            (
                PREVIOUS_YEAR,
                97,
                1834 * FEN_PER_YI // 100,
                58 * FEN_PER_YI // 100,
                datetime.date(2020, 12, 25),
            ),
        ]
        investment = [p for p in self.projects[CURRENT_YEAR] if p.category == "investment"]
        for year, count, submitted_total, cut_total, last_day in plans:
            submitted = split_total(submitted_total, [rng.lognormvariate(0, 0.8) + 0.1 for _ in range(count)])
            cuts = split_total(cut_total, [s * rng.uniform(0.005, 0.06) for s in submitted])
            dates = self.payment_dates(count, datetime.date(year, 1, 15), last_day)
            for number, (amount, cut, reviewed_on) in enumerate(
                zip(submitted, cuts, dates, strict=True), start=1
            ):
                linked = rng.choice(investment) if year == CURRENT_YEAR and rng.random() < 0.3 else None
                self.add(
                    "review",
                    {
                        "id": self.next_id("review"),
                        "opinion_no": self.code(f"审{year}-{number:03d}"),
                        "project_name": linked.name
                        if linked
                        else f"{rng.choice(['道路', '桥梁', '学校', '医院', '河道', '管网', '公园'])}"
                        f"{rng.choice(['新建', '改建', '扩建', '维修'])}工程{number}",
                        "project_id": linked.id if linked else None,
                        "reviewed_on": reviewed_on,
                        "submitted_amount": money(amount),
                        "approved_amount": money(amount - cut),
                    },
                )
