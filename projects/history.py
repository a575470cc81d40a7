"""A project's change history (SPEC §6, officers only): who changed what and when, old → new."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from projects import extensions
from projects.models import IndicatorTemplate, Payment, Project, QuotaStandard

#: Entries of the project page's change history (project, its payments, what the apps above add).
HISTORY_SHOWN = 30
#: Entries of the standards library's recent changes (SPEC §13, officers only).
STANDARDS_HISTORY_SHOWN = 20


def _sources(project: Project) -> list[tuple]:
    own = [
        (gettext_lazy("Project"), project.history.all(), None),
        (gettext_lazy("Payment"), Payment.history.filter(project_id=project.pk), None),
    ]
    added = [
        (source.label, source.records(project), source.describe) for source in extensions.history_sources()
    ]
    return [
        (label, records.select_related("history_user").order_by("id", "history_date", "history_id"), describe)
        for label, records, describe in [*own, *added]
    ]


def change_history(project: Project) -> list[dict]:
    """The newest entries of the project's own records, its payments' and those of the sources the apps
    above register (``extensions.history_source``) — one query per source for the records and their
    users, the diffs worked out from consecutive records of the same row."""
    kinds = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
    entries = []
    for label, records, describe in _sources(project):
        previous = None
        for record in records:
            changes = []
            if previous is not None and previous.id == record.id and record.history_type == "~":
                delta = record.diff_against(previous)
                changes = [
                    {"field": _field_label(record, change.field), "old": change.old, "new": change.new}
                    for change in delta.changes
                ]
            entries.append(
                {
                    "when": record.history_date,
                    "who": record.history_user.username if record.history_user else _("import or system"),
                    "what": str(label),
                    "object": _object_label(record, describe),
                    "kind": kinds.get(record.history_type, record.history_type),
                    "changes": changes,
                }
            )
            previous = record
    entries.sort(key=lambda entry: entry["when"], reverse=True)
    return entries[:HISTORY_SHOWN]


def _field_label(record, field: str) -> str:
    try:
        return str(record.instance_type._meta.get_field(field).verbose_name)
    except Exception:  # noqa: BLE001 - a field removed since the record was written
        return field


def _object_label(record, describe) -> str:
    for attribute in ("voucher_no", "code"):
        value = getattr(record, attribute, None)
        if value:
            return str(value)
    if describe is not None:
        return describe(record)
    return str(record.id)


def standards_history() -> list[dict]:
    """The newest changes to the standards library (indicator templates and quota standards): who,
    when, which, what changed old → new. Two queries per model whatever the history's length: the
    newest records with their users, then every record of the same rows (for the diffs)."""
    kinds = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
    entries = []
    for label, model in (
        (_("Indicator template"), IndicatorTemplate),
        (_("Quota standard"), QuotaStandard),
    ):
        newest = list(
            model.history.select_related("history_user").order_by("-history_date", "-history_id")[
                :STANDARDS_HISTORY_SHOWN
            ]
        )
        # Always one query (a subquery of the same newest rows), however many of them are changes.
        newest_rows = model.history.order_by("-history_date", "-history_id").values("id")[
            :STANDARDS_HISTORY_SHOWN
        ]
        earlier: dict[int, list] = {}
        for record in model.history.filter(id__in=newest_rows).order_by("id", "history_date", "history_id"):
            earlier.setdefault(record.id, []).append(record)
        for record in newest:
            before = [r for r in earlier.get(record.id, []) if r.history_id < record.history_id]
            changes = []
            if record.history_type == "~" and before:
                changes = [
                    {"field": _field_label(record, change.field), "old": change.old, "new": change.new}
                    for change in record.diff_against(before[-1]).changes
                ]
            entries.append(
                {
                    "when": record.history_date,
                    "who": record.history_user.username if record.history_user else _("import or system"),
                    "what": str(label),
                    "object": record.name,
                    "kind": kinds.get(record.history_type, record.history_type),
                    "changes": changes,
                }
            )
    entries.sort(key=lambda entry: entry["when"], reverse=True)
    return entries[:STANDARDS_HISTORY_SHOWN]
