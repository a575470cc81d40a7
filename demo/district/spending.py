"""What the demo district's projects spent: the spending targets split over projects, then each
project's spending over its payments."""

from __future__ import annotations

import datetime

from demo import catalogue as cat
from demo.district.figures import (
    AS_OF,
    CURRENT_YEAR,
    DIRECT_FUNDS_SPENT,
    FEN_PER_YUAN,
    LIVELIHOOD_SPENT,
    LIVELIHOOD_SPENT_PREVIOUS,
    OTHER_GENERAL_SPENT,
    PREVIOUS_AS_OF,
    PREVIOUS_YEAR,
    Proj,
    money,
    split_total,
)


class SpendingSteps:
    """The ``DistrictBuilder`` steps that spend the budgets and write the payments."""

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
