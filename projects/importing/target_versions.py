"""Applying the targets side of the indicators import (SPEC §7, §13), and rolling it back.

Each project whose targets the file changes gets them as an approved version in force: a new version
that supersedes the one in force, or the empty draft a targets round left (taken over), built from the
project's indicators as written and the file's goal and template marks, with an ``import`` step in its
timeline. The version carries the batch and what it replaced (``before_import``), so that rolling the
batch back puts the previous version in force again. Set-based: a few statements per file."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from finance.importing.kinds import chunks
from finance.importing.messages import ImportRefused, Problem
from finance.importing.storing import json_value
from finance.importing.writing import filter_in
from projects.importing import target_messages as tmsg
from projects.importing.targets import OUTCOMES, Outcome, lines_text
from projects.models import DeclaredIndicator, Indicator, PerformanceTarget, Project, TargetDeclaration
from workflow.models import Action, State, Transition

#: Rows per bulk statement.
BATCH = 1000


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else "—"


def _note(text: str) -> str:
    return text[: Transition._meta.get_field("note").max_length]


def put_imported_targets_in_force(*, batch, user, context: dict) -> None:
    """Each project whose targets the batch changed gets its approved version in force."""
    outcomes: dict[int, Outcome] = context.get(OUTCOMES) or {}
    if not outcomes:
        return
    project_ids = sorted(outcomes)
    now = batch.imported_at
    in_force: dict[int, TargetDeclaration] = {}
    drafts: dict[int, TargetDeclaration] = {}
    top: dict[int, int] = {}
    for part in filter_in(TargetDeclaration.objects.all(), "project_id", project_ids):
        for declaration in part:
            pid = declaration.project_id
            top[pid] = max(top.get(pid, 0), declaration.version)
            if declaration.in_force:
                in_force[pid] = declaration
            elif declaration.state != State.APPROVED:
                drafts[pid] = declaration  # empty: check_targets refused the others
    # Superseded as of the batch: its rollback finds them by that moment.
    for part in chunks([in_force[pid].pk for pid in project_ids if pid in in_force]):
        TargetDeclaration.objects.filter(pk__in=part).update(superseded_at=now)

    taken_over, created, states_before = [], [], {}
    for pid in project_ids:
        outcome, base = outcomes[pid], in_force.get(pid)
        draft = drafts.get(pid)
        before = {"goal_on_record": outcome.goal_before}
        if draft is not None:
            states_before[pid] = draft.state
            draft.before_import = {
                **before,
                "state": draft.state,
                "goal": draft.goal,
                "state_changed_at": json_value(draft.state_changed_at),
            }
            draft.state, draft.goal, draft.import_batch_id, draft.state_changed_at = (
                State.APPROVED,
                outcome.goal,
                batch.pk,
                now,
            )
            taken_over.append(draft)
            continue
        created.append(
            TargetDeclaration(
                project_id=pid,
                version=top.get(pid, 0) + 1,
                state=State.APPROVED,
                state_changed_at=now,
                goal=outcome.goal,
                quota_standard_id=base.quota_standard_id if base else None,
                quantity=base.quantity if base else None,
                explanation=base.explanation if base else "",
                created_at=now,
                created_by=user,
                import_batch_id=batch.pk,
                before_import=before,
            )
        )
    TargetDeclaration.objects.bulk_update(
        taken_over, ["state", "goal", "import_batch", "state_changed_at", "before_import"], batch_size=BATCH
    )
    TargetDeclaration.objects.bulk_create(created, batch_size=BATCH)
    versions = {d.project_id: d for d in [*taken_over, *created]}

    indicators, positions = [], defaultdict(int)
    for part in filter_in(Indicator.objects.order_by("level1", "level2", "pk"), "project_id", project_ids):
        for row in part:
            positions[row.project_id] += 1
            position = positions[row.project_id]
            marks = outcomes[row.project_id].from_template
            indicators.append(
                DeclaredIndicator(
                    declaration=versions[row.project_id],
                    position=position,
                    level1=row.level1,
                    level2=row.level2,
                    name=row.name,
                    direction=row.direction,
                    target_value=row.target_value,
                    measure_unit=row.measure_unit,
                    weight=row.weight,
                    from_template=marks.get((row.level1, row.level2, row.name), False),
                )
            )
    DeclaredIndicator.objects.bulk_create(indicators, batch_size=BATCH)

    goals = {}
    for part in filter_in(PerformanceTarget.objects.all(), "project_id", project_ids):
        goals.update((target.project_id, target) for target in part)
    changed_goals, new_goals = [], []
    for pid in project_ids:
        outcome, target = outcomes[pid], goals.get(pid)
        if target is None:
            if outcome.goal:
                new_goals.append(PerformanceTarget(project_id=pid, goal=outcome.goal))
        elif target.goal != outcome.goal:
            target.goal = outcome.goal
            changed_goals.append(target)
    PerformanceTarget.objects.bulk_update(changed_goals, ["goal"], batch_size=BATCH)
    PerformanceTarget.objects.bulk_create(new_goals, batch_size=BATCH)
    _import_steps(batch, user, versions, outcomes, states_before)


def _import_steps(batch, user, versions: dict, outcomes: dict, states_before: dict) -> None:
    """An ``import`` step in each version's timeline: "imported by … from file …, line …"."""
    owners = _owners(list(versions))
    content_type = ContentType.objects.get_for_model(TargetDeclaration)
    who = _person(user)
    steps = []
    for pid, version in versions.items():
        department_id, unit_id = owners[pid]
        steps.append(
            Transition(
                content_type=content_type,
                object_id=version.pk,
                department_id=department_id,
                unit_id=unit_id,
                action=Action.IMPORT,
                from_state=states_before.get(pid, ""),
                to_state=State.APPROVED,
                actor=user,
                at=batch.imported_at,
                note=_note(
                    _("imported by %(user)s from file %(file)s, line %(line)s")
                    % {"user": who, "file": batch.file_name, "line": lines_text(outcomes[pid].lines)}
                ),
            )
        )
    Transition.objects.bulk_create(steps, batch_size=BATCH)


def roll_back_imported_targets(*, batch, user) -> None:
    """Undo what ``put_imported_targets_in_force`` did for ``batch``: the versions it created go (with
    their timelines), the drafts it took over are drafts again, the versions it superseded are in force
    again and the goals on record are as before. Refused when a version it put in force has since been
    superseded or revised in the app."""
    put = TargetDeclaration.objects.filter(import_batch_id=batch.pk)
    versions = list(put.only("pk", "project_id", "version", "state", "superseded_at", "before_import"))
    if not versions:
        return
    project_ids = sorted({version.project_id for version in versions})
    _refuse_changed_since(put, project_ids)
    content_type = ContentType.objects.get_for_model(TargetDeclaration)
    created = [v.pk for v in versions if "state" not in (v.before_import or {})]
    drafts = [v for v in versions if "state" in (v.before_import or {})]
    for part in chunks(created):
        Transition.objects.filter(content_type=content_type, object_id__in=part).delete()
        TargetDeclaration.objects.filter(pk__in=part).delete()
    changed_at = TargetDeclaration._meta.get_field("state_changed_at")
    for draft in drafts:
        before = draft.before_import
        draft.state, draft.goal = before["state"], before["goal"]
        draft.state_changed_at = changed_at.to_python(before["state_changed_at"])
        draft.import_batch_id, draft.before_import = None, None
    for part in chunks([d.pk for d in drafts]):
        DeclaredIndicator.objects.filter(declaration_id__in=part).delete()
    TargetDeclaration.objects.bulk_update(
        drafts, ["state", "goal", "state_changed_at", "import_batch", "before_import"], batch_size=BATCH
    )
    for part in chunks(project_ids):
        TargetDeclaration.objects.filter(project_id__in=part, superseded_at=batch.imported_at).update(
            superseded_at=None
        )
    _restore_goals(versions)
    owners = _owners([d.project_id for d in drafts])
    rolled_back = _("import of file %(file)s rolled back by %(user)s")
    note = _note(rolled_back % {"file": batch.file_name, "user": _person(user)})
    Transition.objects.bulk_create(
        (
            Transition(
                content_type=content_type,
                object_id=d.pk,
                department_id=owners[d.project_id][0],
                unit_id=owners[d.project_id][1],
                action=Action.IMPORT,
                from_state=State.APPROVED,
                to_state=d.state,
                actor=user,
                note=note,
            )
            for d in drafts
        ),
        batch_size=BATCH,
    )


def _restore_goals(versions: list[TargetDeclaration]) -> None:
    """The goals on record as before the import: none where there was none."""
    before = {v.project_id: (v.before_import or {}).get("goal_on_record") for v in versions}
    targets = []
    for part in filter_in(PerformanceTarget.objects.all(), "project_id", sorted(before)):
        targets += part
    gone = [t.pk for t in targets if before[t.project_id] is None]
    kept = [t for t in targets if before[t.project_id] is not None and t.goal != before[t.project_id]]
    for target in kept:
        target.goal = before[target.project_id]
    for part in chunks(gone):
        PerformanceTarget.objects.filter(pk__in=part).delete()
    PerformanceTarget.objects.bulk_update(kept, ["goal"], batch_size=BATCH)


def _owners(project_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Project id -> (department id, unit id), for timeline steps."""
    owners = {}
    for part in filter_in(Project.objects.all(), "pk", sorted(set(project_ids))):
        owners.update(
            (pk, (department, unit))
            for pk, department, unit in part.values_list("pk", "department_id", "unit_id")
        )
    return owners


def _refuse_changed_since(put, project_ids: list[int]) -> None:
    """Refused when a version the batch put in force is no longer in force, or its project has a later
    version (a revision under way): the app has moved on from what the import set."""
    changed = set(
        put.exclude(state=State.APPROVED, superseded_at__isnull=True).values_list("project_id", flat=True)
    )
    ours = dict(put.values_list("project_id", "version"))
    for part in filter_in(TargetDeclaration.objects.all(), "project_id", project_ids):
        for project_id, version in part.values_list("project_id", "version"):
            if version > ours[project_id]:
                changed.add(project_id)
    if changed:
        example = Project.objects.filter(pk=min(changed)).values_list("code", flat=True).first()
        raise ImportRefused(
            [Problem(tmsg.ROLLBACK_TARGETS_CHANGED, {"count": str(len(changed)), "project": str(example)})]
        )
