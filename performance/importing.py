"""The evaluations import kind (SPEC §7), registered with finance's framework in ``ready``."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext as _

from finance.importing import cells
from finance.importing import messages as msg
from finance.importing.kinds import (
    Column,
    Kind,
    Resolved,
    choice_column,
    chunks,
    lookup,
    max_length,
    plain_number,
    problem,
    year_ok,
    years_of,
)
from finance.importing.messages import Problem
from finance.importing.writing import filter_in
from finance.models import Department, FiscalYear, ImportedRow
from performance.models import Evaluation, SelfEvaluation
from projects.importing.lookups import project_lookup
from projects.models import Category, Project
from workflow.models import Action, State, Transition

#: Timeline steps written per INSERT.
STEP_BATCH = 1000


def _score() -> Callable:
    return cells.decimal(places=2, max_digits=5, maximum=Decimal(100))


#: A key evaluation's sub-category when the file leaves it out, by the evaluated project's category.
KEY_CATEGORY_BY_PROJECT_CATEGORY = {
    Category.LIVELIHOOD: Evaluation.KeyCategory.LIVELIHOOD,
    Category.DEVELOPMENT: Evaluation.KeyCategory.DEVELOPMENT_POLICY,
    Category.INVESTMENT: Evaluation.KeyCategory.INVESTMENT_EX_ANTE,
}
DIMENSIONS = ("decision", "process", "output", "benefit")


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else "—"


def _step_note(text: str) -> str:
    return text[: Transition._meta.get_field("note").max_length]


class Evaluations(Kind):
    name = "evaluations"
    order = 50
    model = Evaluation
    columns = (
        Column("year", "年度", cells.year),
        choice_column("kind", "评价类型", lambda: Evaluation.Kind.choices),
        Column("project_code", "项目编码", cells.text(max_length(Project, "code")), blank=True),
        Column("department_code", "部门编码", cells.text(max_length(Department, "code")), blank=True),
        Column("decision", "决策", _score(), blank=True, blank_value=None),
        Column("process", "过程", _score(), blank=True, blank_value=None),
        Column("output", "产出", _score(), blank=True, blank_value=None),
        Column("benefit", "效益", _score(), blank=True, blank_value=None),
        Column("evaluator", "评价机构", cells.text(max_length(Evaluation, "evaluator")), blank=True),
        choice_column("status", "状态", lambda: Evaluation.Status.choices),
        choice_column(
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
        projects = project_lookup(rows)
        departments = lookup(Department, "code", (row["department_code"] for _, row in rows), ("pk",))
        resolved = Resolved(context={"project_category": {}})
        for line, row in rows:
            problems: list[Problem] = []
            if not year_ok(line, row, years, problems):
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
                problems.append(problem(line, "project_code", msg.PROJECT_OR_DEPARTMENT))
            elif project_code:
                project = projects.get((row["year"], project_code))
                if project is None:
                    problems.append(
                        problem(
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
                        problem(line, "department_code", msg.UNKNOWN_DEPARTMENT, value=department_code)
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
        # Self-evaluations under review in the app (SPEC §12.3): one query for the whole file.
        project_ids = {
            attrs["project_id"] for _, _, attrs in resolved.rows if attrs["kind"] == Evaluation.Kind.SELF
        }
        resolved.context["self_in_review"] = set(
            SelfEvaluation.objects.filter(project_id__in=project_ids)
            .exclude(state=State.APPROVED)
            .values_list("project_id", flat=True)
        )
        return resolved

    def check(self, line, row, attrs, instance, context):
        problems = []
        kind = attrs["kind"]
        on_project = attrs["project_id"] is not None
        if kind in (Evaluation.Kind.SELF, Evaluation.Kind.EX_ANTE) and not on_project:
            label = str(Evaluation.Kind(kind).label)
            problems.append(problem(line, "project_code", msg.KIND_NEEDS_PROJECT, kind=label))
        if (
            kind == Evaluation.Kind.SELF
            and attrs["status"] == Evaluation.Status.FINALISED
            and attrs["project_id"] in context.get("self_in_review", ())
        ):
            # What counts is what the workflow approves: an import may not finalise around it.
            problems.append(problem(line, "status", msg.SELF_EVALUATION_IN_REVIEW))
        if kind == Evaluation.Kind.DEPARTMENT and on_project:
            problems.append(problem(line, "department_code", msg.KIND_NEEDS_DEPARTMENT))
        if kind != Evaluation.Kind.KEY:
            if attrs.get("key_category"):
                problems.append(problem(line, "key_category", msg.KEY_CATEGORY_ONLY_FOR_KEY))
        elif attrs.get("key_category"):
            if attrs["key_category"] == Evaluation.KeyCategory.DEPARTMENT_WIDE and on_project:
                problems.append(problem(line, "key_category", msg.DEPARTMENT_WIDE_NEEDS_DEPARTMENT))
        elif "key_category" in attrs or instance is None:
            # Not given: told from the target, as the bureau files its key evaluations.
            if not on_project:
                attrs["key_category"] = Evaluation.KeyCategory.DEPARTMENT_WIDE
            else:
                category = context["project_category"].get(attrs["project_id"])
                derived = KEY_CATEGORY_BY_PROJECT_CATEGORY.get(category)
                if derived is None:
                    problems.append(problem(line, "kind", msg.KEY_CATEGORY_NEEDED))
                else:
                    attrs["key_category"] = derived
        missing = [name for name in DIMENSIONS if attrs[name] is None]
        if missing and attrs["status"] == Evaluation.Status.FINALISED:
            problems.extend(problem(line, name, msg.FINALISED_NEEDS_SCORES) for name in missing)
        for name in DIMENSIONS:
            if attrs[name] is None:
                continue  # a draft's score not given yet (SPEC §12.2)
            maximum = (
                getattr(instance, f"{name}_max")
                if instance is not None
                else Evaluation._meta.get_field(f"{name}_max").default
            )
            if attrs[name] > maximum:
                problems.append(
                    problem(
                        line,
                        name,
                        msg.SCORE_ABOVE_MAXIMUM,
                        value=plain_number(row[name]),
                        maximum=plain_number(maximum),
                    )
                )
        return problems

    def finish(self, obj):
        obj.fill_total_and_grade()

    def after_import(self, *, batch, user, context=None):
        """SPEC §12.2: each imported row's status shows in its evaluation's timeline as "imported by …
        from file …, line …": two reads and one bulk insert for the whole batch."""
        rows = ImportedRow.objects.filter(batch=batch, model_label=self.model_label).values_list(
            "object_id", "line", "previous_values"
        )
        lines = {object_id: (line, previous or {}) for object_id, line, previous in rows}
        who = _person(user)
        content_type = ContentType.objects.get_for_model(Evaluation)
        steps = []
        written = Evaluation.objects.filter(import_batch_id=batch.pk).values_list(
            "pk", "status", "project__department_id", "project__unit_id", "department_id"
        )
        for pk, status, project_department_id, unit_id, department_id in written.iterator(
            chunk_size=STEP_BATCH
        ):
            line, previous = lines[pk]
            steps.append(
                Transition(
                    content_type=content_type,
                    object_id=pk,
                    department_id=project_department_id or department_id,
                    unit_id=unit_id,
                    action=Action.IMPORT,
                    from_state=previous.get("status", status if previous else ""),
                    to_state=status,
                    actor=user,
                    at=batch.imported_at,
                    note=_step_note(
                        _("imported by %(user)s from file %(file)s, line %(line)s")
                        % {"user": who, "file": batch.file_name, "line": line}
                    ),
                )
            )
        Transition.objects.bulk_create(steps, batch_size=STEP_BATCH)

    def after_rollback(self, *, batch, user, deleted, restored):
        """The rolled-back rows' timelines: those the batch created are gone with their steps; those it
        changed get a step back to the status they had before it."""
        content_type = ContentType.objects.get_for_model(Evaluation)
        for part in chunks(deleted, STEP_BATCH):
            Transition.objects.filter(content_type=content_type, object_id__in=part).delete()
        if not restored:
            return
        rolled_back = _("import of file %(file)s rolled back by %(user)s")
        note = _step_note(rolled_back % {"file": batch.file_name, "user": _person(user)})
        steps = []
        for part in chunks(restored, STEP_BATCH):
            rows = Evaluation.objects.filter(pk__in=part).values_list(
                "pk", "status", "project__department_id", "project__unit_id", "department_id"
            )
            steps += [
                Transition(
                    content_type=content_type,
                    object_id=pk,
                    department_id=project_department_id or department_id,
                    unit_id=unit_id,
                    action=Action.IMPORT,
                    to_state=status,
                    actor=user,
                    note=note,
                )
                for pk, status, project_department_id, unit_id, department_id in rows
            ]
        Transition.objects.bulk_create(steps, batch_size=STEP_BATCH)

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
        return years_of(Evaluation.objects.all(), "fiscal_year_id", ids)

    def export_values(self, *, user, year, department_id):
        rows = Evaluation.objects.visible_to(user)
        if year:
            rows = rows.filter(fiscal_year_id=year)
        if department_id:
            rows = rows.filter(Q(project__department_id=department_id) | Q(department_id=department_id))
        return rows.order_by("fiscal_year_id", "kind", "project__code", "department__code").values_list(
            "fiscal_year_id",
            "kind",
            "project__code",
            "department__code",
            "decision",
            "process",
            "output",
            "benefit",
            "evaluator",
            "status",
            "key_category",
            "evaluated_on",
        )
