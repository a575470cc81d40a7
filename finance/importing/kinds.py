"""The framework of import kinds (SPEC §7): a kind's columns in English and Chinese, how a row's
references are looked up (once per file, never per row), its natural key, the rules a row must follow,
and the rows an export of the kind gives.

The framework knows no app's models beyond the organisation's: each app registers its own kinds in its
``AppConfig.ready`` with ``register`` (finance: departments and units; projects: projects, payments and
indicators; performance: evaluations). ``KINDS`` is the registry, in the order the pages list them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models

from finance.importing import cells
from finance.importing import messages as msg
from finance.importing.messages import CellError, Problem
from finance.importing.writing import filter_in
from finance.models import FiscalYear

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


def max_length(model: type[models.Model], name: str) -> int:
    return model._meta.get_field(name).max_length


def choice_column(key: str, zh: str, options: Callable, *, aliases: dict | None = None, **kwargs) -> Column:
    return Column(key, zh, cells.choice(options, aliases=aliases), choices=options, **kwargs)


def money_column(key: str, zh: str, *, negative: bool = False, note: str = "") -> Column:
    """A column of amounts in 元, with 2 decimals; negative only where ``negative`` says so."""
    parse = cells.decimal(places=2, max_digits=16, minimum=None if negative else Decimal(0))
    return Column(key, zh, parse, unit="元", note=note)


class Kind:
    """Base of the import kinds; each subclass says how its rows become rows of ``model``."""

    name: str
    #: Where the kind stands in lists of kinds (pages, the command's choices).
    order: int
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

    def after_import(self, *, batch, user, context: dict | None = None) -> None:
        """Work that follows the batch's writes, inside its transaction (e.g. a step in each written
        record's timeline); set-based, never a query per row. ``context`` is what ``resolve`` and
        ``check_file`` worked out."""

    def after_rollback(self, *, batch, user, deleted: list[int], restored: list[int]) -> None:
        """Work that follows rolling back the batch (``deleted`` rows it had created, ``restored`` rows
        it had changed), inside the rollback's transaction; set-based."""

    def moved_ids(self, updated: Iterable[tuple[models.Model, dict]]) -> list[int]:
        return []

    def export_values(self, *, user, year: int | None, department_id: int | None) -> models.QuerySet:
        """The rows ``user`` may see (``visible_to``), narrowed to a year and a department, as value
        tuples in the order of ``columns`` (choices still as codes)."""
        raise NotImplementedError

    def export_labels(self, language: str) -> dict[str, dict]:
        """Column key -> {stored value: what the file shows}, beyond the choices' labels."""
        return {}


def lookup(model, field_name: str, codes: Iterable[str], values: tuple[str, ...]) -> dict:
    found = {}
    codes = sorted({code for code in codes if code})
    for queryset in filter_in(model._default_manager.all(), field_name, codes):
        for row in queryset.values_list(field_name, *values):
            found[row[0]] = row[1] if len(values) == 1 else row[1:]
    return found


def years_of(queryset: models.QuerySet, year_path: str, ids: list[int]) -> set[int]:
    years: set[int] = set()
    for part in filter_in(queryset, "pk", ids):
        years.update(part.order_by().values_list(year_path, flat=True).distinct())
    return years


def plain_number(number: Decimal) -> str:
    """30.00 -> "30", 17.50 -> "17.5"."""
    return format(number.normalize(), "f")


def problem(line: int, column: str, message: str, **params) -> Problem:
    return Problem(message, {k: str(v) for k, v in params.items()}, line=line, column=column)


def year_ok(line: int, row: dict, years: set[int], problems: list[Problem]) -> bool:
    if row["year"] not in years:
        problems.append(problem(line, "year", msg.UNKNOWN_YEAR, value=row["year"]))
        return False
    return True


KINDS: dict[str, Kind] = {}


def register(*kinds: Kind) -> None:
    """Add kinds to the registry (an app's ``ready``), keeping it in the kinds' ``order``."""
    for kind in kinds:
        KINDS[kind.name] = kind
    ordered = sorted(KINDS.values(), key=lambda kind: kind.order)
    KINDS.clear()
    KINDS.update((kind.name, kind) for kind in ordered)


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
