"""The indicators import kind (SPEC §7)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.db.models import Case, CharField, Exists, OuterRef, Subquery, TextField, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from finance.importing import cells
from finance.importing import messages as msg
from finance.importing.kinds import (
    Column,
    Kind,
    Resolved,
    choice_column,
    max_length,
    problem,
    years_of,
)
from finance.importing.writing import filter_in
from finance.models import FIGURE_DIGITS
from projects.importing import target_versions, targets
from projects.importing.lookups import rows_of_known_projects
from projects.models import DeclaredIndicator, Direction, Indicator, PerformanceTarget, Project
from workflow.models import State

#: What the from_template column holds (是 / 否 in Chinese files).
YES_NO = (("yes", _("yes")), ("no", _("no")))
#: The longest goal a file may give (the form's goal is free text; a file's cell is kept sensible).
GOAL_LENGTH = 2000


def _indicator_value(**bounds) -> Callable:
    return cells.decimal(places=4, max_digits=FIGURE_DIGITS, minimum=None, **bounds)


class Indicators(Kind):
    name = "indicators"
    order = 60
    model = Indicator
    columns = (
        Column("year", "年度", cells.year),
        Column("project_code", "项目编码", cells.text(max_length(Project, "code"))),
        Column("level1", "一级指标", cells.text(max_length(Indicator, "level1"))),
        Column("level2", "二级指标", cells.text(max_length(Indicator, "level2"))),
        Column("name", "三级指标", cells.text(max_length(Indicator, "name"))),
        choice_column(
            "direction",
            "方向",
            lambda: Direction.choices,
            aliases={">=": "gte", "<=": "lte", "==": "eq", "＞＝": "gte", "＜＝": "lte", "＝": "eq"},
        ),
        Column("target", "目标值", _indicator_value(), blank=True, blank_value=None),
        Column("unit", "计量单位", cells.text(max_length(Indicator, "measure_unit")), blank=True),
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
        # SPEC §13: the project's overall goal (blank: kept) and whether the row comes from the template.
        Column(
            "goal",
            "年度总体目标",
            cells.text(GOAL_LENGTH),
            blank=True,
            optional=True,
            note="项目的年度总体目标，同一项目各行相同或留空；留空则保持原目标 the project's overall goal: "
            "the same on each of its lines, or blank; blank keeps the goal on record",
        ),
        choice_column(
            "from_template",
            "来自模板",
            lambda: YES_NO,
            aliases={"是": "yes", "否": "no", "1": "yes", "0": "no", "true": "yes", "false": "no"},
            blank=True,
            optional=True,
            blank_value="no",
            note="是否来自本部门该类项目的指标模板，留空为否 whether the indicator comes from the "
            "department's template for the project's category; blank is no",
        ),
    )
    key_fields = ("project_id", "level1", "level2", "name")
    key_columns = ("year", "project_code", "level1", "level2", "name")
    attr_columns = {"target_value": "target", "measure_unit": "unit", "actual_value": "actual"}

    def resolve(self, rows):
        resolved = Resolved()
        projects = resolved.context[targets.PROJECTS] = {}
        resolved.context[targets.WARNINGS] = resolved.warnings
        for line, row, project in rows_of_known_projects(rows, resolved.problems):
            projects[project[0]] = (project[1], project[2], row["project_code"])
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
            # The project's indicators are incomplete: its other checks would only repeat this one.
            context.setdefault(targets.REFUSED, set()).add(attrs["project_id"])
            return [problem(line, "target", msg.TARGET_NEEDED)]
        return []

    def check_file(self, rows, context):
        return targets.check_targets(rows, context)

    def after_import(self, *, batch, user, context=None):
        target_versions.put_imported_targets_in_force(batch=batch, user=user, context=context or {})

    def after_rollback(self, *, batch, user, deleted, restored):
        target_versions.roll_back_imported_targets(batch=batch, user=user)

    def _existing_composite(self, attrs_list):
        project_ids = sorted({attrs["project_id"] for attrs in attrs_list})
        found = {}
        for queryset in filter_in(Indicator.objects.all(), "project_id", project_ids):
            for obj in queryset:
                found[self.key_of(obj)] = obj
        return found

    def years_of_ids(self, ids):
        return years_of(Indicator.objects.all(), "project__fiscal_year_id", ids)

    def export_values(self, *, user, year, department_id):
        rows = Indicator.objects.visible_to(user)
        if year:
            rows = rows.filter(project__fiscal_year_id=year)
        if department_id:
            rows = rows.filter(project__department_id=department_id)
        marked = DeclaredIndicator.objects.filter(
            declaration__project_id=OuterRef("project_id"),
            declaration__state=State.APPROVED,
            declaration__superseded_at__isnull=True,
            level1=OuterRef("level1"),
            level2=OuterRef("level2"),
            name=OuterRef("name"),
            from_template=True,
        )
        rows = rows.annotate(
            goal=Coalesce(
                Subquery(PerformanceTarget.objects.filter(project_id=OuterRef("project_id")).values("goal")),
                Value(""),
                output_field=TextField(),
            ),
            marked=Case(
                When(Exists(marked), then=Value("yes")), default=Value("no"), output_field=CharField()
            ),
        )
        return rows.order_by(
            "project__fiscal_year_id", "project__code", "level1", "level2", "name"
        ).values_list(
            "project__fiscal_year_id",
            "project__code",
            "level1",
            "level2",
            "name",
            "direction",
            "target_value",
            "measure_unit",
            "weight",
            "actual_value",
            "judgement",
            "goal",
            "marked",
        )
