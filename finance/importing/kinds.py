"""The six kinds of import file (SPEC §7): their columns in English and Chinese, how a row's references
are looked up (once per file, never per row), its natural key, and the rules a row must follow.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.db.models import OuterRef, Subquery, Sum

from finance.importing import cells
from finance.importing import messages as msg
from finance.importing.messages import CellError, Problem
from finance.importing.writing import filter_in
from finance.models import (
    BudgetUnit,
    Department,
    DirectFundGrant,
    FiscalYear,
    FunctionClass,
    FundSource,
    Payment,
    first_date_below_zero,
)
from performance.models import Evaluation
from projects.models import Category, Direction, Indicator, Project

#: Rows per IN (...) list when looking references or existing rows up.
CHUNK = 2000


def chunks(values: list, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


@dataclass(frozen=True)
class Column:
    """One column of an import file: its English header (the key), Chinese header and parser."""

    key: str
    zh: str
    parse: Callable
    blank: bool = False  # the cell may be empty
    optional: bool = False  # the column may be left out of the file
    blank_value: object = ""
    #: For a column of codes: () -> [(code, label)], for exports and the template's notes.
    choices: Callable | None = None
    #: The unit of a column of amounts ("元"): its headers say it, and a header naming another is refused.
    unit: str = ""
    #: What the template's notes say of the values, beyond their unit and choices.
    note: str = ""

    def header(self, language: str) -> str:
        """The header in Chinese ("zh") or English ("en") with its unit: 预算金额（元）, budget (yuan)."""
        if language == "zh":
            return f"{self.zh}（{self.unit}）" if self.unit else self.zh
        return f"{self.key} ({UNIT_NAMES[self.unit]})" if self.unit else self.key


#: The English name of each unit a column can be in.
UNIT_NAMES = {"元": "yuan"}


@dataclass
class Resolved:
    """Rows turned into model attributes, with what the kind's checks need to know about them."""

    rows: list[tuple[int, dict, dict]] = field(default_factory=list)  # (line, parsed row, attrs)
    problems: list[Problem] = field(default_factory=list)
    #: Worth a look before applying, but no reason to refuse the file.
    warnings: list[Problem] = field(default_factory=list)
    context: dict = field(default_factory=dict)


def _max_length(model: type[models.Model], name: str) -> int:
    return model._meta.get_field(name).max_length


def _choice_column(key: str, zh: str, options: Callable, *, aliases: dict | None = None, **kwargs) -> Column:
    return Column(key, zh, cells.choice(options, aliases=aliases), choices=options, **kwargs)


def _money_column(key: str, zh: str, *, negative: bool = False, note: str = "") -> Column:
    """A column of amounts in 元, with 2 decimals; negative only where ``negative`` says so."""
    parse = cells.decimal(places=2, max_digits=16, minimum=None if negative else Decimal(0))
    return Column(key, zh, parse, unit="元", note=note)


class Kind:
    """Base of the six kinds; each subclass says how its rows become rows of ``model``."""

    name: str
    model: type[models.Model]
    columns: tuple[Column, ...]
    #: Attribute names that identify a row in the database (the natural key).
    key_fields: tuple[str, ...]
    #: Column keys that identify a row in the file, for messages.
    key_columns: tuple[str, ...]
    #: Attributes computed from others on write (compared and written, never read from the file).
    derived_fields: tuple[str, ...] = ()
    #: Writes go through django-simple-history's bulk helpers so imports show in the change history.
    with_history: bool = False
    #: Attribute -> the column it is read from, where their names differ (for the preview's changes).
    attr_columns: dict[str, str] = {}
    #: Attribute holding a reference -> (model, field) whose value names the referenced row in a preview.
    references: dict[str, tuple[type[models.Model], str]] = {}

    @property
    def model_label(self) -> str:
        return self.model._meta.label_lower

    def resolve(self, rows: list[tuple[int, dict]]) -> Resolved:
        raise NotImplementedError

    def existing(self, attrs_list: list[dict]) -> dict[tuple, models.Model]:
        """The rows already stored under the natural keys of ``attrs_list``, by key."""
        found: dict[tuple, models.Model] = {}
        if len(self.key_fields) == 1:
            (name,) = self.key_fields
            values = sorted({attrs[name] for attrs in attrs_list})
            for queryset in filter_in(self.model._default_manager.all(), name, values):
                for obj in queryset:
                    found[self.key_of(obj)] = obj
        else:
            found.update(self._existing_composite(attrs_list))
        return found

    def _existing_composite(self, attrs_list: list[dict]) -> dict[tuple, models.Model]:
        raise NotImplementedError

    def key_of(self, obj_or_attrs) -> tuple:
        if isinstance(obj_or_attrs, dict):
            return tuple(obj_or_attrs[name] for name in self.key_fields)
        return tuple(getattr(obj_or_attrs, name) for name in self.key_fields)

    def key_text(self, row: dict) -> str:
        return " / ".join(str(row.get(key, "")) for key in self.key_columns)

    def check(self, line: int, row: dict, attrs: dict, instance, context: dict) -> list[Problem]:
        """Rules across the row's cells (and the stored row it updates); may complete ``attrs``."""
        return []

    def check_file(self, rows: list[tuple[int, dict, dict]], context: dict) -> list[Problem]:
        """Rules across the file's rows and the stored ones, after each row passed ``check``:
        ``rows`` are (line, parsed row, attrs); set-based, never a query per row."""
        return []

    def column_of(self, name: str) -> str:
        """The file's column an attribute is read from ("" for one computed on write)."""
        name = self.attr_columns.get(name, name)
        return name if any(column.key == name for column in self.columns) else ""

    def finish(self, obj: models.Model) -> None:
        """Set the derived fields of ``obj`` before it is compared and written."""

    def build(self, attrs: dict) -> models.Model:
        obj = self.model(**attrs)
        self.finish(obj)
        return obj

    def values_for_create(self, attrs: dict) -> dict:
        """Every column's value of a new row (defaults, the file's values, derived fields), by attname."""
        if self.derived_fields:
            obj = self.build(attrs)
            return {f.attname: getattr(obj, f.attname) for f in self.model._meta.concrete_fields}
        defaults = self.__dict__.get("_defaults")
        if defaults is None:
            # Only constant defaults are cached; none of the imported models has a callable one.
            defaults = {
                f.attname: f.get_default() for f in self.model._meta.concrete_fields if not f.primary_key
            }
            self._defaults = defaults
        return {**defaults, **attrs}

    def years(self, attrs: dict, row: dict) -> set[int]:
        """The fiscal years whose figures this row changes."""
        return {row["year"]} if "year" in row else set()

    def years_of_ids(self, ids: list[int]) -> set[int]:
        """The fiscal years of stored rows (for a rollback)."""
        return set(FiscalYear.objects.values_list("year", flat=True))

    def after_write(self, moved: list[int]) -> None:
        """Work that follows a bulk write of ``moved`` rows whose references changed."""

    def moved_ids(self, updated: Iterable[tuple[models.Model, dict]]) -> list[int]:
        return []


def _lookup(model, field_name: str, codes: Iterable[str], values: tuple[str, ...]) -> dict:
    found = {}
    codes = sorted({code for code in codes if code})
    for queryset in filter_in(model._default_manager.all(), field_name, codes):
        for row in queryset.values_list(field_name, *values):
            found[row[0]] = row[1] if len(values) == 1 else row[1:]
    return found


def _years_of(queryset: models.QuerySet, year_path: str, ids: list[int]) -> set[int]:
    years: set[int] = set()
    for part in filter_in(queryset, "pk", ids):
        years.update(part.order_by().values_list(year_path, flat=True).distinct())
    return years


def _problem(line: int, column: str, message: str, **params) -> Problem:
    return Problem(message, {k: str(v) for k, v in params.items()}, line=line, column=column)


def _year_ok(line: int, row: dict, years: set[int], problems: list[Problem]) -> bool:
    if row["year"] not in years:
        problems.append(_problem(line, "year", msg.UNKNOWN_YEAR, value=row["year"]))
        return False
    return True


def _project_lookup(rows: list[tuple[int, dict]]) -> dict[tuple[int, str], tuple[int, int, str]]:
    """(year, project code) -> (project id, department id, category) for the codes in the file."""
    by_year: dict[int, set[str]] = defaultdict(set)
    for _line, row in rows:
        if row.get("project_code"):
            by_year[row["year"]].add(row["project_code"])
    found = {}
    for year, codes in by_year.items():
        for queryset in filter_in(Project.objects.filter(fiscal_year_id=year), "code", sorted(codes)):
            for code, pk, department_id, category in queryset.values_list(
                "code", "pk", "department_id", "category"
            ):
                found[(year, code)] = (pk, department_id, category)
    return found


def _rows_of_known_projects(rows: list[tuple[int, dict]], problems: list[Problem]):
    """(line, row, project) for each row whose year and (year, project code) exist; a problem for
    each of the others. ``project`` is ``_project_lookup``'s (id, department id, category)."""
    years = set(FiscalYear.objects.values_list("year", flat=True))
    projects = _project_lookup(rows)
    for line, row in rows:
        if not _year_ok(line, row, years, problems):
            continue
        project = projects.get((row["year"], row["project_code"]))
        if project is None:
            problems.append(
                _problem(
                    line, "project_code", msg.UNKNOWN_PROJECT, value=row["project_code"], year=row["year"]
                )
            )
            continue
        yield line, row, project


class Departments(Kind):
    name = "departments"
    model = Department
    columns = (
        Column("code", "部门编码", cells.text(_max_length(Department, "code"))),
        Column("name", "部门名称", cells.text(_max_length(Department, "name"))),
    )
    key_fields = ("code",)
    key_columns = ("code",)

    def resolve(self, rows):
        return Resolved(rows=[(line, row, {"code": row["code"], "name": row["name"]}) for line, row in rows])


class Units(Kind):
    name = "units"
    model = BudgetUnit
    columns = (
        Column("code", "单位编码", cells.text(_max_length(BudgetUnit, "code"))),
        Column("name", "单位名称", cells.text(_max_length(BudgetUnit, "name"))),
        Column("department_code", "部门编码", cells.text(_max_length(Department, "code"))),
    )
    key_fields = ("code",)
    key_columns = ("code",)
    attr_columns = {"department_id": "department_code"}
    references = {"department_id": (Department, "code")}

    def resolve(self, rows):
        departments = _lookup(Department, "code", (row["department_code"] for _, row in rows), ("pk",))
        resolved = Resolved()
        for line, row in rows:
            department_id = departments.get(row["department_code"])
            if department_id is None:
                resolved.problems.append(
                    _problem(line, "department_code", msg.UNKNOWN_DEPARTMENT, value=row["department_code"])
                )
                continue
            resolved.rows.append(
                (line, row, {"code": row["code"], "name": row["name"], "department_id": department_id})
            )
        return resolved

    def moved_ids(self, updated):
        return [obj.pk for obj, previous in updated if "department_id" in previous]

    def after_write(self, moved):
        # Projects carry their unit's department (Project.save does it one by one; here it is one UPDATE).
        for part in chunks(moved):
            Project.objects.filter(unit_id__in=part).update(
                department_id=Subquery(
                    BudgetUnit.objects.filter(pk=OuterRef("unit_id")).values("department_id")[:1]
                )
            )


def _fund_sources() -> dict[str, int]:
    found = {}
    for pk, code, name in FundSource.objects.values_list("pk", "code", "name"):
        found[code.casefold()] = pk
        found[name.casefold()] = pk
    return found


class Projects(Kind):
    name = "projects"
    model = Project
    columns = (
        Column("year", "年度", cells.year),
        Column("code", "项目编码", cells.text(_max_length(Project, "code"))),
        Column("name", "项目名称", cells.text(_max_length(Project, "name"))),
        Column("unit_code", "单位编码", cells.text(_max_length(BudgetUnit, "code"))),
        Column("function_code", "功能分类编码", cells.text(_max_length(FunctionClass, "code"))),
        Column("fund_source", "资金来源", cells.text(_max_length(FundSource, "name"))),
        _choice_column("category", "项目类别", lambda: Category.choices),
        _money_column("budget", "预算金额"),
        Column(
            "grant_code",
            "直达资金编码",
            cells.text(_max_length(DirectFundGrant, "code")),
            blank=True,
            optional=True,
        ),
        _choice_column(
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
        units = _lookup(BudgetUnit, "code", (row["unit_code"] for _, row in rows), ("pk", "department_id"))
        classes = dict(FunctionClass.objects.values_list("code", "pk"))
        sources = _fund_sources()
        grants = _lookup(
            DirectFundGrant, "code", (row.get("grant_code") for _, row in rows), ("pk", "fiscal_year_id")
        )
        resolved = Resolved()
        for line, row in rows:
            problems = []
            year_ok = _year_ok(line, row, years, problems)
            unit = units.get(row["unit_code"])
            if unit is None:
                problems.append(_problem(line, "unit_code", msg.UNKNOWN_UNIT, value=row["unit_code"]))
            function_class_id = classes.get(row["function_code"])
            if function_class_id is None:
                problems.append(
                    _problem(line, "function_code", msg.UNKNOWN_FUNCTION_CLASS, value=row["function_code"])
                )
            fund_source_id = sources.get(row["fund_source"].casefold())
            if fund_source_id is None:
                problems.append(
                    _problem(line, "fund_source", msg.UNKNOWN_FUND_SOURCE, value=row["fund_source"])
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
                            _problem(
                                line,
                                "grant_code",
                                msg.UNKNOWN_GRANT,
                                value=row["grant_code"],
                                year=row["year"],
                            )
                        )
                    elif year_ok and grant[1] != row["year"]:
                        problems.append(
                            _problem(line, "grant_code", msg.WRONG_YEAR_GRANT, value=row["grant_code"])
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
        return _years_of(Project.objects.all(), "fiscal_year_id", ids)


class Payments(Kind):
    name = "payments"
    model = Payment
    columns = (
        Column("voucher_no", "凭证号", cells.text(_max_length(Payment, "voucher_no"))),
        Column("year", "年度", cells.year),
        Column("project_code", "项目编码", cells.text(_max_length(Project, "code"))),
        Column(
            "paid_on",
            "支付日期",
            cells.date,
            note="须在该年度之内，晚于数据截止日的会提示 "
            "within the year; one after the as-of date gets a warning",
        ),
        _money_column(
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
        for line, row, project in _rows_of_known_projects(rows, resolved.problems):
            year, paid_on = row["year"], row["paid_on"]
            if paid_on.year != year:
                resolved.problems.append(
                    _problem(line, "paid_on", msg.PAID_OUTSIDE_YEAR, date=paid_on.isoformat(), year=year)
                )
                continue
            if paid_on > as_of[year]:
                resolved.warnings.append(
                    _problem(
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
        return _years_of(Payment.objects.all(), "project__fiscal_year_id", ids)

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
            _problem(
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
            _problem(
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


def _score() -> Callable:
    return cells.decimal(places=2, max_digits=5, maximum=Decimal(100))


#: A key evaluation's sub-category when the file leaves it out, by the evaluated project's category.
KEY_CATEGORY_BY_PROJECT_CATEGORY = {
    Category.LIVELIHOOD: Evaluation.KeyCategory.LIVELIHOOD,
    Category.DEVELOPMENT: Evaluation.KeyCategory.DEVELOPMENT_POLICY,
    Category.INVESTMENT: Evaluation.KeyCategory.INVESTMENT_EX_ANTE,
}
DIMENSIONS = ("decision", "process", "output", "benefit")


class Evaluations(Kind):
    name = "evaluations"
    model = Evaluation
    columns = (
        Column("year", "年度", cells.year),
        _choice_column("kind", "评价类型", lambda: Evaluation.Kind.choices),
        Column("project_code", "项目编码", cells.text(_max_length(Project, "code")), blank=True),
        Column("department_code", "部门编码", cells.text(_max_length(Department, "code")), blank=True),
        Column("decision", "决策", _score()),
        Column("process", "过程", _score()),
        Column("output", "产出", _score()),
        Column("benefit", "效益", _score()),
        Column("evaluator", "评价机构", cells.text(_max_length(Evaluation, "evaluator")), blank=True),
        _choice_column("status", "状态", lambda: Evaluation.Status.choices),
        _choice_column(
            "key_category", "重点评价类别", lambda: Evaluation.KeyCategory.choices, blank=True, optional=True
        ),
        Column("evaluated_on", "评价日期", cells.date, blank=True, optional=True, blank_value=None),
    )
    key_fields = ("fiscal_year_id", "kind", "project_id", "department_id")
    key_columns = ("year", "kind", "project_code", "department_code")
    derived_fields = ("total", "grade")
    with_history = True

    def resolve(self, rows):
        years = set(FiscalYear.objects.values_list("year", flat=True))
        projects = _project_lookup(rows)
        departments = _lookup(Department, "code", (row["department_code"] for _, row in rows), ("pk",))
        resolved = Resolved(context={"project_category": {}})
        for line, row in rows:
            problems: list[Problem] = []
            if not _year_ok(line, row, years, problems):
                resolved.problems.extend(problems)
                continue
            project_code, department_code = row["project_code"], row["department_code"]
            attrs = {
                "fiscal_year_id": row["year"],
                "kind": row["kind"],
                "project_id": None,
                "department_id": None,
            }
            if bool(project_code) == bool(department_code):
                problems.append(_problem(line, "project_code", msg.PROJECT_OR_DEPARTMENT))
            elif project_code:
                project = projects.get((row["year"], project_code))
                if project is None:
                    problems.append(
                        _problem(
                            line, "project_code", msg.UNKNOWN_PROJECT, value=project_code, year=row["year"]
                        )
                    )
                else:
                    attrs["project_id"] = project[0]
                    resolved.context["project_category"][project[0]] = project[2]
            else:
                attrs["department_id"] = departments.get(department_code)
                if attrs["department_id"] is None:
                    problems.append(
                        _problem(line, "department_code", msg.UNKNOWN_DEPARTMENT, value=department_code)
                    )
            for name in (*DIMENSIONS, "evaluator", "status"):
                attrs[name] = row[name]
            for name in ("key_category", "evaluated_on"):
                if name in row:
                    attrs[name] = row[name]
            if problems:
                resolved.problems.extend(problems)
            else:
                resolved.rows.append((line, row, attrs))
        return resolved

    def check(self, line, row, attrs, instance, context):
        problems = []
        kind = attrs["kind"]
        on_project = attrs["project_id"] is not None
        if kind in (Evaluation.Kind.SELF, Evaluation.Kind.EX_ANTE) and not on_project:
            label = str(Evaluation.Kind(kind).label)
            problems.append(_problem(line, "project_code", msg.KIND_NEEDS_PROJECT, kind=label))
        if kind == Evaluation.Kind.DEPARTMENT and on_project:
            problems.append(_problem(line, "department_code", msg.KIND_NEEDS_DEPARTMENT))
        if kind != Evaluation.Kind.KEY:
            if attrs.get("key_category"):
                problems.append(_problem(line, "key_category", msg.KEY_CATEGORY_ONLY_FOR_KEY))
        elif attrs.get("key_category"):
            if attrs["key_category"] == Evaluation.KeyCategory.DEPARTMENT_WIDE and on_project:
                problems.append(_problem(line, "key_category", msg.DEPARTMENT_WIDE_NEEDS_DEPARTMENT))
        elif "key_category" in attrs or instance is None:
            # Not given: told from the target, as the bureau files its key evaluations.
            if not on_project:
                attrs["key_category"] = Evaluation.KeyCategory.DEPARTMENT_WIDE
            else:
                category = context["project_category"].get(attrs["project_id"])
                derived = KEY_CATEGORY_BY_PROJECT_CATEGORY.get(category)
                if derived is None:
                    problems.append(_problem(line, "kind", msg.KEY_CATEGORY_NEEDED))
                else:
                    attrs["key_category"] = derived
        for name in DIMENSIONS:
            maximum = (
                getattr(instance, f"{name}_max")
                if instance is not None
                else Evaluation._meta.get_field(f"{name}_max").default
            )
            if attrs[name] > maximum:
                problems.append(
                    _problem(
                        line, name, msg.SCORE_ABOVE_MAXIMUM, value=_plain(row[name]), maximum=_plain(maximum)
                    )
                )
        return problems

    def finish(self, obj):
        obj.fill_total_and_grade()

    def _existing_composite(self, attrs_list):
        years = sorted({attrs["fiscal_year_id"] for attrs in attrs_list})
        project_ids = sorted({attrs["project_id"] for attrs in attrs_list if attrs["project_id"]})
        department_ids = sorted({attrs["department_id"] for attrs in attrs_list if attrs["department_id"]})
        found = {}
        for field_name, ids in (("project_id", project_ids), ("department_id", department_ids)):
            for queryset in filter_in(Evaluation.objects.filter(fiscal_year_id__in=years), field_name, ids):
                for obj in queryset:
                    found[self.key_of(obj)] = obj
        return found

    def years(self, attrs, row):
        return {attrs["fiscal_year_id"]}

    def years_of_ids(self, ids):
        return _years_of(Evaluation.objects.all(), "fiscal_year_id", ids)


def _plain(number: Decimal) -> str:
    """30.00 -> "30", 17.50 -> "17.5"."""
    return format(number.normalize(), "f")


def _indicator_value(**bounds) -> Callable:
    return cells.decimal(places=4, max_digits=18, minimum=None, **bounds)


class Indicators(Kind):
    name = "indicators"
    model = Indicator
    columns = (
        Column("year", "年度", cells.year),
        Column("project_code", "项目编码", cells.text(_max_length(Project, "code"))),
        Column("level1", "一级指标", cells.text(_max_length(Indicator, "level1"))),
        Column("level2", "二级指标", cells.text(_max_length(Indicator, "level2"))),
        Column("name", "三级指标", cells.text(_max_length(Indicator, "name"))),
        _choice_column(
            "direction",
            "方向",
            lambda: Direction.choices,
            aliases={">=": "gte", "<=": "lte", "==": "eq", "＞＝": "gte", "＜＝": "lte", "＝": "eq"},
        ),
        Column("target", "目标值", _indicator_value(), blank=True, blank_value=None),
        Column("unit", "计量单位", cells.text(_max_length(Indicator, "measure_unit")), blank=True),
        Column("weight", "分值", cells.decimal(places=2, max_digits=6, maximum=Decimal(90))),
        Column("actual", "实际值", _indicator_value(), blank=True, blank_value=None),
        Column(
            "judgement",
            "定性完成度",
            cells.decimal(places=4, max_digits=5, maximum=Decimal(1)),
            blank=True,
            optional=True,
            blank_value=None,
        ),
    )
    key_fields = ("project_id", "level1", "level2", "name")
    key_columns = ("year", "project_code", "level1", "level2", "name")
    attr_columns = {"target_value": "target", "measure_unit": "unit", "actual_value": "actual"}

    def resolve(self, rows):
        resolved = Resolved()
        for line, row, project in _rows_of_known_projects(rows, resolved.problems):
            attrs = {
                "project_id": project[0],
                "level1": row["level1"],
                "level2": row["level2"],
                "name": row["name"],
                "direction": row["direction"],
                "target_value": row["target"],
                "measure_unit": row["unit"],
                "weight": row["weight"],
                "actual_value": row["actual"],
            }
            if "judgement" in row:
                attrs["judgement"] = row["judgement"]
            resolved.rows.append((line, row, attrs))
        return resolved

    def check(self, line, row, attrs, instance, context):
        if attrs["direction"] != Direction.QUALITATIVE and attrs["target_value"] is None:
            return [_problem(line, "target", msg.TARGET_NEEDED)]
        return []

    def _existing_composite(self, attrs_list):
        project_ids = sorted({attrs["project_id"] for attrs in attrs_list})
        found = {}
        for queryset in filter_in(Indicator.objects.all(), "project_id", project_ids):
            for obj in queryset:
                found[self.key_of(obj)] = obj
        return found

    def years_of_ids(self, ids):
        return _years_of(Indicator.objects.all(), "project__fiscal_year_id", ids)


KINDS: dict[str, Kind] = {
    kind.name: kind for kind in (Departments(), Units(), Projects(), Payments(), Evaluations(), Indicators())
}


def kind_for(name: str) -> Kind:
    return KINDS[name]


def row_parser(kind: Kind, mapping: dict[str, int]) -> Callable[[int, list], tuple[dict, list[Problem]]]:
    """A function from a row's cells to its parsed values and problems (with line and column key)."""
    present = [(column.key, mapping[column.key], column) for column in kind.columns if column.key in mapping]

    def parse(line: int, raw: list) -> tuple[dict, list[Problem]]:
        row: dict = {}
        problems: list[Problem] = []
        width = len(raw)
        for key, index, column in present:
            cell = raw[index] if index < width else None
            if cell is None or cell == "" or (isinstance(cell, str) and not cell.strip()):
                if column.blank:
                    row[key] = column.blank_value
                else:
                    problems.append(Problem(msg.REQUIRED, line=line, column=key))
                continue
            try:
                row[key] = column.parse(cell)
            except CellError as error:
                problems.append(error.problem.at(line=line, column=key))
        return row, problems

    return parse
