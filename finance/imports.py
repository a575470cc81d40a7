"""The organisation's import kinds (SPEC §7): departments and units."""

from __future__ import annotations

from finance.importing import cells
from finance.importing import messages as msg
from finance.importing.kinds import Column, Kind, Resolved, chunks, lookup, max_length, problem
from finance.models import BudgetUnit, Department
from finance.signals import units_moved


class Departments(Kind):
    name = "departments"
    order = 10
    model = Department
    columns = (
        Column("code", "部门编码", cells.text(max_length(Department, "code"))),
        Column("name", "部门名称", cells.text(max_length(Department, "name"))),
    )
    key_fields = ("code",)
    key_columns = ("code",)

    def resolve(self, rows):
        return Resolved(rows=[(line, row, {"code": row["code"], "name": row["name"]}) for line, row in rows])

    def export_values(self, *, user, year, department_id):
        rows = Department.objects.visible_to(user)
        if department_id:
            rows = rows.filter(pk=department_id)
        return rows.order_by("code").values_list("code", "name")


class Units(Kind):
    name = "units"
    order = 20
    model = BudgetUnit
    columns = (
        Column("code", "单位编码", cells.text(max_length(BudgetUnit, "code"))),
        Column("name", "单位名称", cells.text(max_length(BudgetUnit, "name"))),
        Column("department_code", "部门编码", cells.text(max_length(Department, "code"))),
    )
    key_fields = ("code",)
    key_columns = ("code",)
    attr_columns = {"department_id": "department_code"}
    references = {"department_id": (Department, "code")}

    def resolve(self, rows):
        departments = lookup(Department, "code", (row["department_code"] for _, row in rows), ("pk",))
        resolved = Resolved()
        for line, row in rows:
            department_id = departments.get(row["department_code"])
            if department_id is None:
                resolved.problems.append(
                    problem(line, "department_code", msg.UNKNOWN_DEPARTMENT, value=row["department_code"])
                )
                continue
            resolved.rows.append(
                (line, row, {"code": row["code"], "name": row["name"], "department_id": department_id})
            )
        return resolved

    def moved_ids(self, updated):
        return [obj.pk for obj, previous in updated if "department_id" in previous]

    def after_write(self, moved):
        # What hangs off a unit (its projects carry its department) follows it: the layers above listen.
        for part in chunks(moved):
            units_moved.send(sender=BudgetUnit, unit_ids=part)

    def export_values(self, *, user, year, department_id):
        rows = BudgetUnit.objects.visible_to(user)
        if department_id:
            rows = rows.filter(department_id=department_id)
        return rows.order_by("code").values_list("code", "name", "department__code")


KINDS = (Departments(), Units())
