"""The targets side of the indicators import (SPEC §7, §13): the goal and the template marks a file
brings, and the checks of the form on each project's indicators as they will be after the import.

A project's targets change when a row of the file creates an indicator or changes its direction, target,
unit or weight, or the file gives another goal or another template mark. Only those projects are checked,
refused while their targets are under review in the app, and given a new approved version on applying
(``target_versions``); a file that changes nothing of a project leaves its targets alone. Set-based: a
handful of queries for the whole file, whatever the number of projects."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef

from finance.importing.kinds import problem
from finance.importing.messages import Problem
from finance.importing.planning import OTHER_CHANGE_COUNT, OTHER_CHANGES
from finance.importing.writing import filter_in
from projects.importing import target_messages as tmsg
from projects.models import (
    DeclaredIndicator,
    Direction,
    Indicator,
    IndicatorTemplate,
    PerformanceTarget,
    TargetDeclaration,
)
from projects.targets import checks
from projects.targets.services import standards_of
from workflow.models import EDITABLE, State

#: The fields of an indicator that its targets are made of (the actual value and judgement are not).
TARGET_FIELDS = ("direction", "target_value", "measure_unit", "weight")
#: Context keys: project id -> (department id, category, code); projects a row's own check refused;
#: project id -> ``Outcome`` for each project whose targets change; the warnings list of the plan.
PROJECTS = "target_projects"
REFUSED = "target_refused_projects"
OUTCOMES = "target_outcomes"
WARNINGS = "target_warnings"

#: A template mark as the file writes it.
YES_NO = {True: "yes", False: "no"}
SYMBOLS = {Direction.AT_LEAST: "≥", Direction.AT_MOST: "≤", Direction.EQUAL: "="}


@dataclass
class Outcome:
    """What applying the file does to one project's targets."""

    goal: str
    goal_before: str | None  # None: no goal on record
    lines: list[int]
    from_template: dict[tuple[str, str, str], bool] = field(default_factory=dict)


def yes_no(value: str | None) -> bool | None:
    return None if value is None else value == "yes"


def lines_text(lines) -> str:
    return ", ".join(str(line) for line in sorted(lines))


def _by_project(queryset, project_ids: list[int]):
    for part in filter_in(queryset, "project_id", project_ids):
        yield from part


@dataclass
class OnRecord:
    """What is stored of the file's projects' targets, read once for the whole file."""

    indicators: dict[int, dict[tuple, dict]]  # project -> (level1, level2, name) -> target fields
    goals: dict[int, str]
    under_way: dict[int, tuple[int, str, bool]]  # project -> (version, state, has indicators)
    marks: dict[int, dict[tuple, bool]]  # project -> key -> from_template, in the version in force
    templates: dict[tuple[int, str], list]  # (department, category) -> its template's indicators


def on_record(project_ids: list[int], projects: dict) -> OnRecord:
    """Five queries (per 2,000 projects on SQLite), whatever the number of projects."""
    indicators: dict[int, dict[tuple, dict]] = defaultdict(dict)
    for values in _by_project(
        Indicator.objects.order_by("level1", "level2", "pk").values(
            "project_id", "level1", "level2", "name", *TARGET_FIELDS
        ),
        project_ids,
    ):
        indicators[values["project_id"]][(values["level1"], values["level2"], values["name"])] = values
    goals = dict(_by_project(PerformanceTarget.objects.values_list("project_id", "goal"), project_ids))
    declared = DeclaredIndicator.objects.filter(declaration=OuterRef("pk"))
    under_way = {
        project_id: (version, state, filled)
        for project_id, version, state, filled in _by_project(
            TargetDeclaration.objects.exclude(state=State.APPROVED)
            .annotate(filled=Exists(declared))
            .values_list("project_id", "version", "state", "filled"),
            project_ids,
        )
    }
    marks: dict[int, dict[tuple, bool]] = defaultdict(dict)
    in_force = TargetDeclaration.objects.filter(state=State.APPROVED, superseded_at__isnull=True)
    for versions in filter_in(in_force, "project_id", project_ids):
        for project_id, level1, level2, name, mark in DeclaredIndicator.objects.filter(
            declaration__in=versions.values("pk")
        ).values_list("declaration__project_id", "level1", "level2", "name", "from_template"):
            marks[project_id][(level1, level2, name)] = mark
    templates: dict[tuple[int, str], list] = defaultdict(list)
    wanted = {projects[pk][:2] for pk in project_ids}
    if wanted:
        for template in IndicatorTemplate.objects.filter(
            department_id__in={department for department, _category in wanted},
            category__in={category for _department, category in wanted},
        ).order_by("level1", "level2", "name"):
            templates[(template.department_id, template.category)].append(template)
    return OnRecord(indicators, goals, under_way, marks, templates)


def check_targets(rows: list[tuple[int, dict, dict]], context: dict) -> list[Problem]:
    """The file's problems with the targets of the projects it changes; adds the warnings to
    ``context[WARNINGS]``, the outcomes to ``context[OUTCOMES]`` and the goal and template-mark changes to
    the preview's changes."""
    problems: list[Problem] = []
    file_rows: dict[int, list[tuple[int, dict, dict]]] = defaultdict(list)
    for line, row, attrs in rows:
        file_rows[attrs["project_id"]].append((line, row, attrs))
    refused = context.get(REFUSED, set())
    project_ids = sorted(file_rows)
    projects = context.get(PROJECTS, {})
    record = on_record(project_ids, projects)
    stored, goals, under_way, marks, templates = (
        record.indicators,
        record.goals,
        record.under_way,
        record.marks,
        record.templates,
    )

    outcomes: dict[int, Outcome] = {}
    changes: list[dict] = []
    only_goal_or_marks = 0
    warnings: list[Problem] = context.setdefault(WARNINGS, [])
    for project_id in project_ids:
        given = file_rows[project_id]
        department_id, category, code = projects[project_id]
        lines = [line for line, _row, _attrs in given]
        template = templates.get((department_id, category), [])
        template_names = {checks.key(t.name) for t in template}
        found: list[Problem] = []

        goals_given: dict[str, list[int]] = defaultdict(list)
        for line, row, _attrs in given:
            if row.get("goal", "").strip():
                goals_given[row["goal"].strip()].append(line)
        if len(goals_given) > 1:
            conflicting = sorted(line for group in goals_given.values() for line in group)
            found.append(
                problem(
                    conflicting[0], "goal", tmsg.GOAL_CONFLICT, lines=lines_text(conflicting), project=code
                )
            )
        for line, row, attrs in given:
            if row.get("from_template") == "yes" and checks.key(attrs["name"]) not in template_names:
                found.append(problem(line, "from_template", tmsg.NOT_IN_TEMPLATE, name=attrs["name"]))

        before = stored.get(project_id, {})
        merged = {k: (0, values) for k, values in before.items()}
        mark_before = marks.get(project_id, {})
        mark_after = {k: mark_before.get(k, False) for k in before}
        rows_changed = False
        mark_changes = []
        for line, row, attrs in given:
            k = (attrs["level1"], attrs["level2"], attrs["name"])
            old = before.get(k)
            if old is None or any(old[name] != attrs[name] for name in TARGET_FIELDS):
                rows_changed = True
            merged[k] = (line, attrs)
            mark = yes_no(row.get("from_template"))
            previous = mark_before.get(k, False)
            mark_after[k] = previous if mark is None else mark
            if mark_after[k] != previous and old is not None:
                mark_changes.append((line, row, previous, mark_after[k]))
        goal_before = goals.get(project_id)
        goal = next(iter(goals_given), None) if len(goals_given) == 1 else None
        goal_changed = goal is not None and goal != (goal_before or "")
        if not (rows_changed or goal_changed or mark_changes or found):
            continue

        if project_id in under_way:
            version, state, filled = under_way[project_id]
            if state not in EDITABLE or filled:
                found.append(
                    problem(
                        lines[0],
                        "project_code",
                        tmsg.UNDER_REVIEW,
                        project=code,
                        version=version,
                        lines=lines_text(lines),
                    )
                )
        if project_id not in refused and not found:
            declared_rows = [
                checks.Row(
                    level1=values["level1"],
                    level2=values["level2"],
                    name=values["name"],
                    direction=values["direction"],
                    target_value=values["target_value"],
                    measure_unit=values["measure_unit"],
                    weight=values["weight"],
                    line=line,
                )
                for line, values in merged.values()
            ]
            result = checks.check(declared_rows, template=standards_of(template))
            found += _errors(result.errors, declared_rows, code, lines)
            warnings += _warnings(template, declared_rows, code, lines)
        problems += found
        if found:
            continue
        outcomes[project_id] = Outcome(
            goal=goal if goal is not None else (goal_before or ""),
            goal_before=goal_before,
            lines=lines,
            from_template=mark_after,
        )
        if not rows_changed:
            only_goal_or_marks += 1
        if goal_changed:
            changes.append(
                {
                    "line": lines[0],
                    "key": f"{given[0][1]['year']} / {code}",
                    "fields": [{"name": "goal", "column": "goal", "old": goal_before or "", "new": goal}],
                }
            )
        for line, row, old, new in mark_changes:
            changes.append(
                {
                    "line": line,
                    "key": " / ".join(
                        str(row[name]) for name in ("year", "project_code", "level1", "level2", "name")
                    ),
                    "fields": [
                        {
                            "name": "from_template",
                            "column": "from_template",
                            "old": YES_NO[old],
                            "new": YES_NO[new],
                        }
                    ],
                }
            )
    context[OUTCOMES] = outcomes
    # A project whose rows change nothing but whose goal or marks do counts as one change of the file.
    context[OTHER_CHANGE_COUNT] = only_goal_or_marks
    context[OTHER_CHANGES] = changes
    return problems


def _errors(findings, rows: list[checks.Row], code: str, lines: list[int]) -> list[Problem]:
    problems = []
    shown = lines_text(lines)
    for finding in findings:
        if finding.code == "weights":
            total = sum((row.weight for row in rows), Decimal(0))
            problems.append(
                problem(
                    lines[0],
                    "weight",
                    tmsg.WEIGHTS,
                    project=code,
                    lines=shown,
                    total=checks.number(total),
                    change=checks.number(checks.WEIGHT_TOTAL - total),
                )
            )
        elif finding.code == "quantitative":
            (line,) = finding.lines
            row = next(row for row in rows if row.line == line)
            message = (
                tmsg.NEEDS_TARGET_AND_UNIT
                if row.target_value is None and not row.measure_unit.strip()
                else tmsg.NEEDS_TARGET
                if row.target_value is None
                else tmsg.NEEDS_UNIT
            )
            column = "unit" if row.target_value is not None else "target"
            problems.append(problem(line or lines[0], column, message, name=row.name, project=code))
        elif finding.code in ("output", "benefit"):
            message = tmsg.NO_OUTPUT if finding.code == "output" else tmsg.NO_BENEFIT
            problems.append(problem(lines[0], "level1", message, project=code, lines=shown))
        elif finding.code == "duplicate":
            in_file = sorted(line for line in finding.lines if line)
            name = next(row.name for row in rows if row.line == finding.lines[0])
            problems.append(
                problem(
                    in_file[0] if in_file else lines[0],
                    "name",
                    tmsg.DUPLICATE_NAME,
                    project=code,
                    count=len(finding.lines),
                    name=checks.key(name),
                    lines=lines_text(in_file),
                )
            )
    return problems


def _warnings(template, rows: list[checks.Row], code: str, lines: list[int]) -> list[Problem]:
    """SPEC §13's warnings (the quota check does not apply in the import): a template indicator left
    out, a target weaker than the template's."""
    found = []
    declared = {checks.key(row.name): row for row in rows}
    for standard in template:
        row = declared.get(checks.key(standard.name))
        if row is None:
            found.append(
                problem(
                    lines[0],
                    "name",
                    tmsg.TEMPLATE_MISSING,
                    project=code,
                    name=standard.name,
                    level1=standard.level1,
                    level2=standard.level2,
                )
            )
        elif checks.weaker(standard.direction, row.target_value, standard.target_value):
            found.append(
                problem(
                    row.line or lines[0],
                    "target",
                    tmsg.WEAKER,
                    project=code,
                    name=row.name,
                    target=checks.number(row.target_value),
                    direction=SYMBOLS.get(standard.direction, ""),
                    standard=checks.number(standard.target_value),
                )
            )
    return found
