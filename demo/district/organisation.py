"""The organisation of the demo district: departments, their budget units and the direct-fund grants."""

from __future__ import annotations

import datetime

from demo import catalogue as cat
from demo.district.figures import CURRENT_YEAR, PREVIOUS_YEAR, Dept, money, yi_to_fen


class OrganisationSteps:
    """The ``DistrictBuilder`` steps that build the organisation."""

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
