"""The projects import kind (SPEC §7)."""

from __future__ import annotations

from collections import defaultdict

from finance.importing import cells
from finance.importing import messages as msg
from finance.importing.kinds import (
    Column,
    Kind,
    Resolved,
    choice_column,
    lookup,
    max_length,
    money_column,
    problem,
    year_ok,
    years_of,
)
from finance.importing.writing import filter_in
from finance.models import BudgetUnit, Department, DirectFundGrant, FiscalYear, FunctionClass, FundSource
from projects.models import Category, Project


def _fund_sources() -> dict[str, int]:
    found = {}
    for pk, code, name in FundSource.objects.values_list("pk", "code", "name"):
        found[code.casefold()] = pk
        found[name.casefold()] = pk
    return found


class Projects(Kind):
    name = "projects"
    order = 30
    model = Project
    columns = (
        Column("year", "年度", cells.year),
        Column("code", "项目编码", cells.text(max_length(Project, "code"))),
        Column("name", "项目名称", cells.text(max_length(Project, "name"))),
        Column("unit_code", "单位编码", cells.text(max_length(BudgetUnit, "code"))),
        Column("function_code", "功能分类编码", cells.text(max_length(FunctionClass, "code"))),
        Column("fund_source", "资金来源", cells.text(max_length(FundSource, "name"))),
        choice_column("category", "项目类别", lambda: Category.choices),
        money_column("budget", "预算金额"),
        Column(
            "grant_code",
            "直达资金编码",
            cells.text(max_length(DirectFundGrant, "code")),
            blank=True,
            optional=True,
        ),
        choice_column(
            "status",
            "项目状态",
            lambda: Project.Status.choices,
            blank=True,
            optional=True,
            blank_value=Project.Status.APPROVED,
        ),
    )
    key_fields = ("fiscal_year_id", "code")
    key_columns = ("year", "code")
    with_history = True
    attr_columns = {
        "fiscal_year_id": "year",
        "unit_id": "unit_code",
        "function_class_id": "function_code",
        "fund_source_id": "fund_source",
        "grant_id": "grant_code",
    }
    references = {
        "unit_id": (BudgetUnit, "code"),
        "department_id": (Department, "code"),
        "function_class_id": (FunctionClass, "code"),
        "fund_source_id": (FundSource, "name"),
        "grant_id": (DirectFundGrant, "code"),
    }

    def resolve(self, rows):
        years = set(FiscalYear.objects.values_list("year", flat=True))
        units = lookup(BudgetUnit, "code", (row["unit_code"] for _, row in rows), ("pk", "department_id"))
        classes = dict(FunctionClass.objects.values_list("code", "pk"))
        sources = _fund_sources()
        grants = lookup(
            DirectFundGrant, "code", (row.get("grant_code") for _, row in rows), ("pk", "fiscal_year_id")
        )
        resolved = Resolved()
        for line, row in rows:
            problems = []
            known_year = year_ok(line, row, years, problems)
            unit = units.get(row["unit_code"])
            if unit is None:
                problems.append(problem(line, "unit_code", msg.UNKNOWN_UNIT, value=row["unit_code"]))
            function_class_id = classes.get(row["function_code"])
            if function_class_id is None:
                problems.append(
                    problem(line, "function_code", msg.UNKNOWN_FUNCTION_CLASS, value=row["function_code"])
                )
            fund_source_id = sources.get(row["fund_source"].casefold())
            if fund_source_id is None:
                problems.append(
                    problem(line, "fund_source", msg.UNKNOWN_FUND_SOURCE, value=row["fund_source"])
                )
            attrs = {
                "fiscal_year_id": row["year"],
                "code": row["code"],
                "name": row["name"],
                "unit_id": unit[0] if unit else None,
                "department_id": unit[1] if unit else None,
                "function_class_id": function_class_id,
                "fund_source_id": fund_source_id,
                "category": row["category"],
                "budget": row["budget"],
            }
            if "grant_code" in row:
                attrs["grant_id"] = None
                if row["grant_code"]:
                    grant = grants.get(row["grant_code"])
                    if grant is None:
                        problems.append(
                            problem(
                                line,
                                "grant_code",
                                msg.UNKNOWN_GRANT,
                                value=row["grant_code"],
                                year=row["year"],
                            )
                        )
                    elif known_year and grant[1] != row["year"]:
                        problems.append(
                            problem(line, "grant_code", msg.WRONG_YEAR_GRANT, value=row["grant_code"])
                        )
                    else:
                        attrs["grant_id"] = grant[0]
            if "status" in row:
                attrs["status"] = row["status"]
            if problems:
                resolved.problems.extend(problems)
            else:
                resolved.rows.append((line, row, attrs))
        return resolved

    def _existing_composite(self, attrs_list):
        by_year: dict[int, set[str]] = defaultdict(set)
        for attrs in attrs_list:
            by_year[attrs["fiscal_year_id"]].add(attrs["code"])
        found = {}
        for year, codes in by_year.items():
            for queryset in filter_in(Project.objects.filter(fiscal_year_id=year), "code", sorted(codes)):
                for obj in queryset:
                    found[self.key_of(obj)] = obj
        return found

    def years_of_ids(self, ids):
        return years_of(Project.objects.all(), "fiscal_year_id", ids)

    def export_values(self, *, user, year, department_id):
        rows = Project.objects.visible_to(user)
        if year:
            rows = rows.filter(fiscal_year_id=year)
        if department_id:
            rows = rows.filter(department_id=department_id)
        return rows.order_by("fiscal_year_id", "code").values_list(
            "fiscal_year_id",
            "code",
            "name",
            "unit__code",
            "function_class__code",
            "fund_source__code",
            "category",
            "budget",
            "grant__code",
            "status",
        )

    def export_labels(self, language):
        # Fund sources are read by code or name; the Chinese file shows the name.
        if language != "zh":
            return {}
        return {"fund_source": dict(FundSource.objects.values_list("code", "name"))}
