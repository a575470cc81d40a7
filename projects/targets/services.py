"""Declaring a project's targets (SPEC §13): start a version (the first, or a revision of the one in
force), copy the department's template, save, check; approval puts the version in force."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.models import (
    DeclaredIndicator,
    Indicator,
    IndicatorTemplate,
    PerformanceTarget,
    Project,
    TargetDeclaration,
)
from projects.targets import checks
from workflow.models import EDITABLE, Action, State
from workflow.services import record_step


class DeclarationRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def versions(project: Project) -> list[TargetDeclaration]:
    """Every version of the project's targets, newest first."""
    return list(project.target_declarations.order_by("-version"))


def in_force(project: Project) -> TargetDeclaration | None:
    return project.target_declarations.filter(state=State.APPROVED, superseded_at__isnull=True).first()


def under_way(project: Project) -> TargetDeclaration | None:
    """The version being filled or reviewed (at most one), if any."""
    return project.target_declarations.exclude(state=State.APPROVED).first()


def template_of(project: Project):
    """The department's template for the project's category."""
    return IndicatorTemplate.objects.filter(
        department_id=project.department_id, category=project.category
    ).order_by("level1", "level2", "name")


def quota_budget(project: Project) -> Decimal:
    """What the quota check compares: the budget, or the request of a project still in the pool."""
    if project.status != Project.Status.APPROVED and project.requested_amount is not None:
        return project.requested_amount
    return project.budget


def rows_of(declaration: TargetDeclaration, indicators=None) -> list[checks.Row]:
    indicators = declaration.indicators.all() if indicators is None else indicators
    return [
        checks.Row(
            level1=indicator.level1,
            level2=indicator.level2,
            name=indicator.name,
            direction=indicator.direction,
            target_value=indicator.target_value,
            measure_unit=indicator.measure_unit,
            weight=indicator.weight,
            line=number,
            from_template=indicator.from_template,
        )
        for number, indicator in enumerate(indicators, start=1)
    ]


def standards_of(templates) -> list[checks.Standard]:
    return [
        checks.Standard(
            level1=t.level1,
            level2=t.level2,
            name=t.name,
            direction=t.direction,
            target_value=t.target_value,
            measure_unit=t.measure_unit,
            weight=t.weight,
        )
        for t in templates
    ]


def quota_of(declaration: TargetDeclaration, project: Project | None = None) -> checks.Quota | None:
    standard = declaration.quota_standard
    if standard is None or declaration.quantity is None:
        return None
    project = project or declaration.project
    return checks.Quota(
        budget=quota_budget(project),
        amount=standard.amount,
        quantity=declaration.quantity,
        standard_name=standard.name,
        measure_unit=standard.measure_unit,
    )


def checks_for(declaration: TargetDeclaration, indicators=None, template=None) -> checks.Checks:
    """The declaration's errors and warnings as saved (two or three queries)."""
    project = declaration.project
    template = template_of(project) if template is None else template
    return checks.check(
        rows_of(declaration, indicators),
        template=standards_of(template),
        quota=quota_of(declaration, project),
    )


def refusals(declaration: TargetDeclaration, action: str) -> list[str]:
    if action == Action.SUBMIT:
        found = checks_for(declaration)
        problems = [finding.message for finding in found.errors]
        if found.warnings and not declaration.explanation.strip():
            problems.append(
                _(
                    "Explain the warnings before submitting: the reviewers read why the targets depart "
                    "from them."
                )
            )
        if not declaration.goal.strip():
            problems.insert(0, _("Give the overall goal (年度总体目标)."))
        return problems
    if action == Action.REOPEN:
        if declaration.superseded_at is not None:
            return [_("A later version is in force; revise that one instead.")]
        if under_way(declaration.project) is not None:
            return [_("A revision of these targets is under way; return or approve it first.")]
    return []


def before_transition(declaration: TargetDeclaration, action: str) -> None:
    if action == Action.APPROVE:
        supersede(declaration)


def after_transition(declaration: TargetDeclaration, action: str, user) -> None:
    if action == Action.APPROVE:
        put_in_force(declaration)


def supersede(declaration: TargetDeclaration) -> None:
    """The version in force before ``declaration`` is kept, no longer in force."""
    TargetDeclaration.objects.filter(
        project_id=declaration.project_id, state=State.APPROVED, superseded_at__isnull=True
    ).exclude(pk=declaration.pk).update(superseded_at=timezone.now())


def put_in_force(declaration: TargetDeclaration) -> None:
    """The version becomes the one in force (the previous one was superseded just before, and kept): the
    project's goal and indicators become this version's. Indicators kept by name (level 1, level 2 and
    name) keep their reported values; those dropped go, new ones come. A few statements per project."""
    project_id = declaration.project_id
    supersede(declaration)
    PerformanceTarget.objects.update_or_create(project_id=project_id, defaults={"goal": declaration.goal})
    declared = list(declaration.indicators.all())
    wanted = {(row.level1, row.level2, row.name): row for row in declared}
    current = {
        (row.level1, row.level2, row.name): row for row in Indicator.objects.filter(project_id=project_id)
    }
    Indicator.objects.filter(pk__in=[row.pk for k, row in current.items() if k not in wanted]).delete()
    changed, created = [], []
    for k, row in wanted.items():
        values = {
            "direction": row.direction,
            "target_value": row.target_value,
            "measure_unit": row.measure_unit,
            "weight": row.weight,
        }
        if k in current:
            indicator = current[k]
            if any(getattr(indicator, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(indicator, name, value)
                changed.append(indicator)
        else:
            created.append(Indicator(project_id=project_id, level1=k[0], level2=k[1], name=k[2], **values))
    Indicator.objects.bulk_update(changed, ["direction", "target_value", "measure_unit", "weight"])
    Indicator.objects.bulk_create(created)


@transaction.atomic
def start(project: Project, *, user) -> TargetDeclaration:
    """The version under way, or a new one: a revision copies the version in force; a first version
    starts from what is on record (imported indicators and goal), else empty. Units only (the caller
    checks the scope)."""
    Project.objects.select_for_update().filter(pk=project.pk).first()
    current = under_way(project)
    if current is not None:
        return current
    base = in_force(project)
    version = (project.target_declarations.aggregate(top=Max("version"))["top"] or 0) + 1
    declaration = TargetDeclaration.objects.create(
        project=project,
        version=version,
        goal=base.goal
        if base
        else getattr(PerformanceTarget.objects.filter(project=project).first(), "goal", ""),
        quota_standard=base.quota_standard if base else None,
        quantity=base.quantity if base else None,
        created_by=user if user.is_authenticated else None,
        state_changed_at=timezone.now(),
    )
    if base is not None:
        source = [
            DeclaredIndicator(
                declaration=declaration,
                position=row.position,
                level1=row.level1,
                level2=row.level2,
                name=row.name,
                direction=row.direction,
                target_value=row.target_value,
                measure_unit=row.measure_unit,
                weight=row.weight,
                from_template=row.from_template,
            )
            for row in base.indicators.all()
        ]
    else:
        source = [
            DeclaredIndicator(
                declaration=declaration,
                position=position,
                level1=row.level1,
                level2=row.level2,
                name=row.name,
                direction=row.direction,
                target_value=row.target_value,
                measure_unit=row.measure_unit,
                weight=row.weight,
            )
            for position, row in enumerate(
                Indicator.objects.filter(project=project).order_by("level1", "level2", "pk"), start=1
            )
        ]
    DeclaredIndicator.objects.bulk_create(source)
    # The same in every language: the timeline shows it as stored.
    note = f"v{base.version} → v{declaration.version}" if base else ""
    record_step(declaration, action=Action.CREATE, from_state="", to_state=State.DRAFT, user=user, note=note)
    return declaration


@dataclass(frozen=True)
class Entry:
    """One indicator row as the form or the import gives it."""

    level1: str
    level2: str
    name: str
    direction: str
    target_value: Decimal | None
    measure_unit: str
    weight: Decimal
    from_template: bool = False


def editable(declaration: TargetDeclaration) -> None:
    if declaration.state not in EDITABLE:
        raise DeclarationRefused(
            _("These targets are under review or approved; they can no longer be changed.")
        )


@transaction.atomic
def save(
    declaration: TargetDeclaration,
    *,
    goal: str,
    quota_standard,
    quantity: Decimal | None,
    explanation: str,
    entries: list[Entry],
) -> TargetDeclaration:
    """Replace what the version says (drafts may fail the checks; submitting may not)."""
    editable(declaration)
    declaration.goal = goal
    declaration.quota_standard = quota_standard
    declaration.quantity = quantity
    declaration.explanation = explanation
    declaration.save(update_fields=["goal", "quota_standard", "quantity", "explanation"])
    declaration.indicators.all().delete()
    DeclaredIndicator.objects.bulk_create(
        DeclaredIndicator(
            declaration=declaration,
            position=position,
            level1=entry.level1,
            level2=entry.level2,
            name=entry.name,
            direction=entry.direction,
            target_value=entry.target_value,
            measure_unit=entry.measure_unit,
            weight=entry.weight,
            from_template=entry.from_template,
        )
        for position, entry in enumerate(entries, start=1)
    )
    return declaration


def template_entries(project: Project) -> list[Entry]:
    return [
        Entry(
            level1=t.level1,
            level2=t.level2,
            name=t.name,
            direction=t.direction,
            target_value=t.target_value,
            measure_unit=t.measure_unit,
            weight=t.weight,
            from_template=True,
        )
        for t in template_of(project)
    ]


@transaction.atomic
def copy_template(declaration: TargetDeclaration) -> int:
    """Put the department's template for the project's category in place of the indicators (one click,
    then the unit adjusts them); returns how many it copied. Refused when there is no template."""
    editable(declaration)
    entries = template_entries(declaration.project)
    if not entries:
        raise DeclarationRefused(
            _("The department has no template for this category yet; enter the indicators yourself.")
        )
    save(
        declaration,
        goal=declaration.goal,
        quota_standard=declaration.quota_standard,
        quantity=declaration.quantity,
        explanation=declaration.explanation,
        entries=entries,
    )
    return len(entries)
