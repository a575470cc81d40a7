"""What performance adds to the workflow's to-do lists and timelines (SPEC §12.1, §12.4), registered by
``PerformanceConfig.ready``: the pool proposals waiting for an officer's decision, and the labels of a
pool project's states on its timeline."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from performance.selectors.pool import awaiting_decision
from projects.models import Project
from projects.tables import project_url
from workflow import todo
from workflow.models import OTHER_STATE_LABELS


def proposal_rows(projects, limit: int) -> list[todo.TodoRow]:
    return [
        todo.TodoRow(
            title=f"{project.code} {project.name}",
            subtitle=f"{project.department.name} · {project.unit.name}",
            state_label=str(project.get_status_display()),
            url=project_url(project),
        )
        for project in projects[:limit]
    ]


def register() -> None:
    todo.register(
        todo.Source(
            key="pool",
            label=_("Project pool: proposals to approve or refuse"),
            waiting=awaiting_decision,
            rows=proposal_rows,
        )
    )
    # "approved" is a submission's state too, with its own label; the pool's other two are added here.
    for status in (Project.Status.PROPOSED, Project.Status.CANCELLED):
        OTHER_STATE_LABELS.setdefault(status.value, status.label)
