"""The payments import kind (SPEC §7), with the rule on reversals (红字冲销)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum

from finance.importing import cells
from finance.importing import messages as msg
from finance.importing.kinds import (
    Column,
    Kind,
    Resolved,
    max_length,
    money_column,
    problem,
    years_of,
)
from finance.importing.writing import filter_in
from finance.models import FiscalYear
from projects.importing.lookups import rows_of_known_projects
from projects.models import Payment, Project, first_date_below_zero


class Payments(Kind):
    name = "payments"
    order = 40
    model = Payment
    columns = (
        Column("voucher_no", "凭证号", cells.text(max_length(Payment, "voucher_no"))),
        Column("year", "年度", cells.year),
        Column("project_code", "项目编码", cells.text(max_length(Project, "code"))),
        Column(
            "paid_on",
            "支付日期",
            cells.date,
            note="须在该年度之内，晚于数据截止日的会提示 "
            "within the year; one after the as-of date gets a warning",
        ),
        money_column(
            "amount",
            "支付金额",
            negative=True,
            note="负数为红字冲销，截至任一日期项目支付合计不得为负 a negative amount is a reversal; "
            "a project's payments to any date never sum below zero",
        ),
    )
    key_fields = ("voucher_no",)
    key_columns = ("voucher_no",)
    with_history = True
    attr_columns = {"project_id": "project_code"}
    references = {"project_id": (Project, "code")}

    def resolve(self, rows):
        resolved = Resolved(context={"stored": {}})
        as_of = {year.year: year.as_of() for year in FiscalYear.objects.all()}
        for line, row, project in rows_of_known_projects(rows, resolved.problems):
            year, paid_on = row["year"], row["paid_on"]
            if paid_on.year != year:
                resolved.problems.append(
                    problem(line, "paid_on", msg.PAID_OUTSIDE_YEAR, date=paid_on.isoformat(), year=year)
                )
                continue
            if paid_on > as_of[year]:
                resolved.warnings.append(
                    problem(
                        line,
                        "paid_on",
                        msg.PAID_AFTER_AS_OF,
                        date=paid_on.isoformat(),
                        as_of=as_of[year].isoformat(),
                        year=year,
                    )
                )
            attrs = {
                "voucher_no": row["voucher_no"],
                "project_id": project[0],
                "paid_on": paid_on,
                "amount": row["amount"],
            }
            resolved.rows.append((line, row, attrs))
        return resolved

    def years_of_ids(self, ids):
        return years_of(Payment.objects.all(), "project__fiscal_year_id", ids)

    def export_values(self, *, user, year, department_id):
        rows = Payment.objects.visible_to(user)
        if year:
            rows = rows.filter(project__fiscal_year_id=year)
        if department_id:
            rows = rows.filter(project__department_id=department_id)
        return rows.order_by("voucher_no").values_list(
            "voucher_no", "project__fiscal_year_id", "project__code", "paid_on", "amount"
        )

    def check(self, line, row, attrs, instance, context):
        if instance is not None:
            # As stored, before the row's values replace it: for the checks across the file.
            context["stored"][line] = (instance.project_id, instance.paid_on, instance.amount)
        return []

    def check_file(self, rows, context):
        stored: dict[int, tuple[int, datetime.date, Decimal]] = context["stored"]
        moved = [
            (line, attrs, stored[line][0])
            for line, _row, attrs in rows
            if stored.get(line, (None,))[0] not in (None, attrs["project_id"])
        ]
        # Only a negative amount or a change to a stored payment can take a project's sum below zero
        # (the stored payments keep the rule already): only those projects' payments are read.
        checked = {attrs["project_id"] for line, _row, attrs in rows if attrs["amount"] < 0 or line in stored}
        below = self._below_zero(rows, stored, checked) if checked else []
        if not moved and not below:
            return []
        names = _project_names(
            {pk for _line, attrs, other in moved for pk in (attrs["project_id"], other)}
            | {pk for pk, *_rest in below}
        )
        problems = [
            problem(
                line,
                "voucher_no",
                msg.VOUCHER_OF_ANOTHER_PROJECT,
                voucher=attrs["voucher_no"],
                stored=names[other],
                given=names[attrs["project_id"]],
            )
            for line, attrs, other in moved
        ]
        problems += [
            problem(
                line,
                "amount",
                msg.BALANCE_BELOW_ZERO,
                project=names[project_id],
                total=f"{total:,.2f}",
                date=date.isoformat(),
            )
            for project_id, date, total, line in below
        ]
        return problems

    def _below_zero(self, rows, stored, checked: set[int]) -> list[tuple[int, datetime.date, Decimal, int]]:
        """(project, date, sum, line to blame) for each checked project whose payments, stored and in the
        file, would sum below zero up to some date: one aggregate query per few thousand projects."""
        totals: dict[int, dict[datetime.date, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        payments = Payment.objects.order_by().values("project_id", "paid_on").annotate(total=Sum("amount"))
        for queryset in filter_in(payments, "project_id", sorted(checked)):
            for row in queryset:
                totals[row["project_id"]][row["paid_on"]] += row["total"]
        for project_id, paid_on, amount in stored.values():
            if project_id in checked:
                totals[project_id][paid_on] -= amount  # replaced by the file's row
        lines: dict[int, list[tuple[datetime.date, int, Decimal]]] = defaultdict(list)
        for line, _row, attrs in rows:
            project_id = attrs["project_id"]
            if project_id in checked:
                totals[project_id][attrs["paid_on"]] += attrs["amount"]
                lines[project_id].append((attrs["paid_on"], line, attrs["amount"]))
        found = []
        for project_id in sorted(checked):
            below = first_date_below_zero(totals[project_id])
            if below is not None:
                date, total = below
                found.append((project_id, date, total, _line_to_blame(lines[project_id], stored, date)))
        return found


def _line_to_blame(lines: list[tuple[datetime.date, int, Decimal]], stored: dict, date: datetime.date) -> int:
    """The file's line that takes a project below zero on ``date``: its latest reversal up to that date,
    else its latest row up to it, else a row that moved a stored payment away from before it."""
    up_to = [(paid_on, amount < 0, line) for paid_on, line, amount in lines if paid_on <= date]
    reversals = [entry for entry in up_to if entry[1]]
    if reversals or up_to:
        return max(reversals or up_to, key=lambda entry: (entry[0], entry[2]))[2]
    moved = [line for _paid_on, line, _amount in lines if line in stored and stored[line][1] <= date]
    return min(moved) if moved else min(line for _paid_on, line, _amount in lines)


def _project_names(ids: set[int]) -> dict[int, str]:
    """Project id -> "PA1 学生资助 (2021)", for messages naming projects."""
    names = {}
    for queryset in filter_in(Project.objects.all(), "pk", sorted(ids)):
        for pk, code, name, year in queryset.values_list("pk", "code", "name", "fiscal_year_id"):
            names[pk] = f"{code} {name} ({year})"
    return names
