"""The demo district's projects: how many each department has, what each is, and their rows (with the
targets, indicators and the departments' indicator templates)."""

from __future__ import annotations

from demo import catalogue as cat
from demo.district.figures import CURRENT_YEAR, PREVIOUS_YEAR, PROJECTS_THIS_YEAR, Proj, money, split_total
from projects.models import Category


class ProjectSteps:
    """The ``DistrictBuilder`` steps that build the projects and write their rows."""

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

    def write_indicator_templates(self) -> None:
        """Every department keeps a template for every category (SPEC §8), also those it has no project
        in yet: a pool proposal of any category starts from one."""
        for dept in self.departments:
            for category in Category.values:
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
