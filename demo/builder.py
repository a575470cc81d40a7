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
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from demo import catalogue as cat

FEN_PER_YUAN = 100
FEN_PER_WAN = 10_000 * FEN_PER_YUAN
FEN_PER_YI = 100_000_000 * FEN_PER_YUAN

CURRENT_YEAR = 2021
PREVIOUS_YEAR = 2020
AS_OF = datetime.date(2021, 10, 31)
PREVIOUS_AS_OF = datetime.date(2020, 10, 31)
PROJECTS_THIS_YEAR = 3876

# Targets of SPEC §8, in fen.
LIVELIHOOD_SPENT = 885 * FEN_PER_YI // 10  # 88.5 亿
OTHER_GENERAL_SPENT = 1995 * FEN_PER_YI // 100  # 19.95 亿: 88.5 / (88.5 + 19.95) = 81.6 %
LIVELIHOOD_SPENT_PREVIOUS = 8302 * FEN_PER_YI // 100  # 83.02 亿: 88.5 / 83.02 − 1 = +6.6 %
AGRICULTURE_BUDGET_PREVIOUS = 1378 * FEN_PER_YI // 100  # 13.78 亿: 16.1 / 13.78 − 1 = +16.8 %
DIRECT_FUNDS_SPENT = 433 * FEN_PER_YI // 100  # 4.33 亿 of 5.29 亿 = 81.9 %
KEY_FUNDS_INVOLVED = 1897 * FEN_PER_YI // 100  # 18.97 亿
REVIEWS = 112
REVIEWS_SUBMITTED = 2159 * FEN_PER_YI // 100  # 21.59 亿
REVIEWS_CUT = 65 * FEN_PER_YI // 100  # 0.65 亿: 0.65 / 21.59 = 3.01 %


def yi_to_fen(value: str) -> int:
    return int(Decimal(value) * FEN_PER_YI)


def money(fen: int) -> str:
    """Fen as the decimal string a DecimalField(16, 2) stores."""
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100}.{fen % 100:02d}"


def split_total(total: int, weights: list[float]) -> list[int]:
    """Split an integer total in proportion to weights; the largest weight takes the remainder."""
    weight_sum = sum(weights)
    parts = [int(total * w / weight_sum) for w in weights]
    parts[max(range(len(weights)), key=weights.__getitem__)] += total - sum(parts)
    return parts


@dataclass(eq=False)
class Dept:
    id: int
    index: int
    code: str
    name: str
    functions: tuple[str, ...]
    weight: float
    unit_ids: list[int] = field(default_factory=list)
    quality: dict[int, float] = field(default_factory=dict)  # year -> mean score
    weak_dimension: int = 0
    is_new: bool = False


@dataclass(eq=False)
class Proj:
    id: int
    year: int
    code: str
    name: str
    item: str
    unit_id: int
    dept: Dept
    function: str
    fund: str
    category: str
    budget: int = 0
    fixed: bool = False  # budget set before the class split
    grant_id: int | None = None
    key_category: str = ""
    spent: int = 0  # to the as-of date
    spent_later: int = 0  # after the as-of date (previous year only)
    progress_factor: float = 0.0


class DistrictBuilder:
    """Builds one copy (replica) of the district as plain rows keyed by field attname."""

    def __init__(self, *, seed: int, replica: int, ids: dict[str, int]) -> None:
        self.rng = random.Random(f"demo-district-{seed}-{replica}")
        self.replica = replica
        self.ids = ids  # next id per table, shared across replicas
        self.rows: dict[str, list[dict]] = {}
        self.departments: list[Dept] = []
        self.projects: dict[int, list[Proj]] = {CURRENT_YEAR: [], PREVIOUS_YEAR: []}
        self._days: dict[tuple[datetime.date, datetime.date], list[str]] = {}

    # -- helpers -------------------------------------------------------------------------------
    def next_id(self, table: str) -> int:
        value = self.ids.get(table, 1)
        self.ids[table] = value + 1
        return value

    def add(self, table: str, row: dict) -> dict:
        self.rows.setdefault(table, []).append(row)
        return row

    def code(self, base: str) -> str:
        return base if self.replica == 0 else f"R{self.replica:03d}{base}"

    # -- organisation ----------------------------------------------------------------------------
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

    def build_departments(self) -> None:
        rng = self.rng
        for index, (name, functions, weight, unit_count) in enumerate(cat.DEPARTMENTS):
            dept = Dept(
                id=self.next_id("department"),
                index=index,
                code=self.code(f"{101 + index}"),
                name=name if self.replica == 0 else f"{name}（副本{self.replica}）",
                functions=functions,
                weight=weight,
                is_new=name in cat.NEW_DEPARTMENTS,
            )
            dept.quality = {CURRENT_YEAR: rng.uniform(72, 92)}
            dept.quality[PREVIOUS_YEAR] = dept.quality[CURRENT_YEAR] - rng.uniform(-4, 7)
            dept.weak_dimension = rng.randrange(4)
            self.departments.append(dept)
            self.add("department", {"id": dept.id, "code": dept.code, "name": dept.name})
            names = self.unit_names(dept, unit_count)
            for number, unit_name in enumerate(names, start=1):
                unit_id = self.next_id("unit")
                dept.unit_ids.append(unit_id)
                self.add(
                    "unit",
                    {
                        "id": unit_id,
                        "code": f"{dept.code}{number:03d}",
                        "name": unit_name,
                        "department_id": dept.id,
                    },
                )

    def unit_names(self, dept: Dept, count: int) -> list[str]:
        own = f"{cat.DEPARTMENTS[dept.index][0]}（本级）"
        pool = cat.UNIT_NAMES.get(cat.DEPARTMENTS[dept.index][0])
        base = cat.DEPARTMENTS[dept.index][0].removesuffix("人民政府").removesuffix("办事处")
        if pool is None:
            pool = [f"{base}{suffix}" for suffix in cat.GENERIC_UNIT_SUFFIXES]
        names = [own, *pool[: count - 1]]
        return [n if self.replica == 0 else f"{n}（副本{self.replica}）" for n in names]

    def build_grants(self) -> None:
        self.grants: list[tuple[int, int, str]] = []  # (id, fen, function class)
        for number, (name, level, amount_yi, function) in enumerate(cat.DIRECT_FUND_GRANTS, start=1):
            grant_id = self.next_id("grant")
            fen = yi_to_fen(amount_yi)
            self.grants.append((grant_id, fen, function))
            self.add(
                "grant",
                {
                    "id": grant_id,
                    "fiscal_year_id": CURRENT_YEAR,
                    "code": self.code(f"ZD{CURRENT_YEAR}{number:03d}"),
                    "name": name,
                    "source_level": level,
                    "amount": money(fen),
                    "received_on": datetime.date(CURRENT_YEAR, 1 + number, 10).isoformat(),
                },
            )

    # -- projects --------------------------------------------------------------------------------
    def project_counts(self, year: int) -> list[int]:
        depts = [d for d in self.departments if year == CURRENT_YEAR or not d.is_new]
        total = PROJECTS_THIS_YEAR if year == CURRENT_YEAR else round(PROJECTS_THIS_YEAR * 0.96)
        weights = [d.weight for d in depts]
        counts = split_total(total - sum(len(d.unit_ids) for d in depts), weights)
        result = [0] * len(self.departments)
        for dept, extra in zip(depts, counts, strict=True):
            result[dept.index] = len(dept.unit_ids) + extra
        return result

    def build_projects(self, year: int) -> None:
        rng = self.rng
        for dept, count in zip(self.departments, self.project_counts(year), strict=True):
            for number in range(1, count + 1):
                # Every unit has at least one project; the rest go to units at random.
                unit_id = (
                    dept.unit_ids[number - 1] if number <= len(dept.unit_ids) else rng.choice(dept.unit_ids)
                )
                if rng.random() < 0.75 or len(dept.functions) == 1:
                    function = dept.functions[0]
                else:
                    function = rng.choice(dept.functions[1:])
                item, category = rng.choice(cat.PROJECT_ITEMS[function])
                fund = cat.GENERAL
                if rng.random() < cat.GOVERNMENT_FUND_SHARE.get(function, 0.0):
                    fund = cat.GOVERNMENT_FUND
                elif category == "development" and rng.random() < 0.08:
                    fund = cat.STATE_CAPITAL
                elif rng.random() < 0.03:
                    fund = cat.TRANSFER
                unit_name = self.rows["unit"][unit_id - self.rows["unit"][0]["id"]]["name"].removesuffix(
                    "（本级）"
                )
                project = Proj(
                    id=self.next_id("project"),
                    year=year,
                    code=f"{year}{dept.code}{number:04d}",
                    name=f"{year}年{unit_name}{item}",
                    item=item,
                    unit_id=unit_id,
                    dept=dept,
                    function=function,
                    fund=fund,
                    category=category,
                )
                self.projects[year].append(project)

    def eligible(self, project: Proj) -> bool:
        """Free to be chosen for a fixed role: not in a department with a role of its own."""
        name = cat.DEPARTMENTS[project.dept.index][0]
        return not (
            project.fixed
            or project.dept.is_new
            or name in cat.TIED_DEPARTMENTS
            or name in cat.LOW_COVERAGE_DEPARTMENTS
        )

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

    # -- spending --------------------------------------------------------------------------------
    def spend(self, year: int) -> None:
        rng = self.rng
        livelihood = {code for code, _, is_livelihood in cat.FUNCTION_CLASSES if is_livelihood}
        for p in self.projects[year]:
            roll = rng.random()
            if roll < 0.02 and not p.fixed:
                p.progress_factor = 0.0  # nothing paid yet
            elif roll < 0.03:
                p.progress_factor = rng.uniform(1.04, 1.12)  # overspent
            elif roll < 0.13:
                p.progress_factor = rng.uniform(0.3, 0.62)  # lagging
            else:
                p.progress_factor = rng.uniform(0.74, 0.98)
        groups: list[tuple[list[Proj], int]] = []
        general = [p for p in self.projects[year] if p.fund == cat.GENERAL]
        if year == CURRENT_YEAR:
            groups.append(([p for p in general if p.function in livelihood], LIVELIHOOD_SPENT))
            groups.append(([p for p in general if p.function not in livelihood], OTHER_GENERAL_SPENT))
            groups.append(([p for p in self.projects[year] if p.grant_id], DIRECT_FUNDS_SPENT))
        else:
            groups.append(([p for p in general if p.function in livelihood], LIVELIHOOD_SPENT_PREVIOUS))
        in_groups = {p.id for projects, _ in groups for p in projects}
        for projects, total in groups:
            weights = [p.budget * p.progress_factor for p in projects]
            for project, spent in zip(projects, split_total(total, weights), strict=True):
                project.spent = spent
        for p in self.projects[year]:
            if p.id not in in_groups:
                p.spent = int(p.budget * p.progress_factor * 0.85)
            if year == PREVIOUS_YEAR:
                p.spent_later = max(0, min(p.budget - p.spent, int(p.budget * rng.uniform(0.05, 0.2))))

    # -- rows ------------------------------------------------------------------------------------
    def write_projects(self, year: int) -> None:
        for p in self.projects[year]:
            self.add(
                "project",
                {
                    "id": p.id,
                    "fiscal_year_id": year,
                    "code": p.code,
                    "name": p.name,
                    "unit_id": p.unit_id,
                    "department_id": p.dept.id,
                    "function_class_id": self.function_class_ids[p.function],
                    "fund_source_id": self.fund_source_ids[p.fund],
                    "category": p.category,
                    "budget": money(p.budget),
                    "grant_id": p.grant_id,
                    "status": "approved",
                },
            )
            self.add(
                "target",
                {
                    "id": self.next_id("target"),
                    "project_id": p.id,
                    "goal": f"{p.item}：按期完成年度任务，资金使用合规高效，服务对象满意度不低于90%。",
                },
            )

    def payment_dates(self, count: int, start: datetime.date, end: datetime.date) -> list[str]:
        days = self.day_strings(start, end)
        return sorted(days[self.rng.randrange(len(days))] for _ in range(count))

    def day_strings(self, start: datetime.date, end: datetime.date) -> list[str]:
        key = (start, end)
        if key not in self._days:
            self._days[key] = [
                (start + datetime.timedelta(days=n)).isoformat() for n in range((end - start).days + 1)
            ]
        return self._days[key]

    def payments_for(self, p: Proj, total: int, count: int, start: datetime.date, end: datetime.date) -> None:
        if total <= 0:
            return
        count = max(1, min(count, total // (1000 * FEN_PER_YUAN)))
        uniform = self.rng.uniform
        amounts = split_total(total, [uniform(0.3, 1.7) for _ in range(count)])
        rows = self.rows.setdefault("payment", [])
        first = self.ids.get("payment", 1)
        self.ids["payment"] = first + count
        prefix = self.code(f"PZ{p.year}")
        # Plain dicts built in one comprehension: this is the seed's hottest loop (millions at scale 100).
        rows.extend(
            {
                "id": number,
                "voucher_no": f"{prefix}{number:08d}",
                "project_id": p.id,
                "paid_on": paid_on,
                "amount": money(amount),
            }
            for number, amount, paid_on in zip(
                range(first, first + count), amounts, self.payment_dates(count, start, end), strict=True
            )
        )

    def write_payments(self, year: int) -> None:
        rng = self.rng
        for p in self.projects[year]:
            if year == CURRENT_YEAR:
                self.payments_for(p, p.spent, rng.randint(8, 21), datetime.date(year, 1, 8), AS_OF)
            else:
                self.payments_for(p, p.spent, rng.randint(8, 19), datetime.date(year, 1, 8), PREVIOUS_AS_OF)
                self.payments_for(
                    p,
                    p.spent_later,
                    rng.randint(1, 3),
                    datetime.date(year, 11, 1),
                    datetime.date(year, 12, 28),
                )

    def write_indicators(self, year: int) -> None:
        rng = self.rng
        for p in self.projects[year]:
            known = year == PREVIOUS_YEAR or rng.random() < 0.8
            for level1, level2, name, direction, unit, weight in cat.INDICATORS:
                row = {
                    "id": self.next_id("indicator"),
                    "project_id": p.id,
                    "level1": level1,
                    "level2": level2,
                    "name": name,
                    "direction": direction,
                    "measure_unit": unit,
                    "weight": f"{weight}.00",
                    "target_value": None,
                    "actual_value": None,
                    "judgement": None,
                }
                if direction == "qualitative":
                    row["judgement"] = f"{rng.uniform(0.6, 1.0):.2f}" if known else None
                else:
                    target = {
                        "服务覆盖人次": rng.randrange(200, 20000, 10),
                        "单位服务成本": rng.randrange(50, 5000, 5),
                        "服务对象满意度": 90,
                    }[name]
                    row["target_value"] = f"{target}.0000"
                    if known and name == "服务对象满意度":
                        row["actual_value"] = f"{rng.uniform(80, 99):.4f}"
                    elif known:
                        spread = (0.85, 1.2) if direction == "lte" else (0.7, 1.12)
                        row["actual_value"] = f"{target * rng.uniform(*spread):.4f}"
                self.add("indicator", row)

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
        from performance.models import grade_for

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

    def write_indicator_templates(self) -> None:
        for dept in self.departments:
            categories = sorted({p.category for p in self.projects[CURRENT_YEAR] if p.dept is dept})
            for category in categories:
                for level1, level2, name, direction, unit, weight in cat.INDICATORS:
                    self.add(
                        "template",
                        {
                            "id": self.next_id("template"),
                            "department_id": dept.id,
                            "category": category,
                            "level1": level1,
                            "level2": level2,
                            "name": name,
                            "direction": direction,
                            "target_value": "90.0000" if name == "服务对象满意度" else None,
                            "measure_unit": unit,
                            "weight": f"{weight}.00",
                        },
                    )

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
