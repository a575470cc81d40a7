"""Rectification items (SPEC §14.2): opened by the bureau, answered by the department's head with
evidence, closed or sent back by the bureau; every step kept in the item's timeline.

Each step checks who takes it on the item as stored (locked), then changes it, all or nothing; a step
that is not allowed raises ``TransitionRefused`` and changes nothing (out of scope: ``not_found``).
Evidence files are checked before anything is written, and a file written for a step that then fails
is removed again, so no file is left on disk without its row.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from finance.scoping import scope_of
from performance.models import ANSWERABLE, ItemState, RectificationFile, RectificationItem
from performance.services.evidence import CheckedFile, check_upload, max_files
from workflow.models import Action
from workflow.rules import Role, role_on
from workflow.services import MAX_REASON, TransitionRefused, record_step

#: The longest problem, requirement, measures or evidence text kept.
MAX_TEXT = 4000


def role_of(item: RectificationItem, user) -> Role | None:
    """The role ``user`` holds on ``item``: the bureau, its department (the head), its project's unit."""
    return role_on(scope_of(user), *item.owner_ids())


def steps_for(item: RectificationItem, *, user) -> list[str]:
    """The officer's steps on ``item`` now (the buttons of its page): close or send back an answer."""
    if item.state == ItemState.ANSWERED and role_of(item, user) == Role.OFFICER:
        return [Action.CLOSE, Action.SEND_BACK]
    return []


def may_answer(item: RectificationItem, *, user) -> bool:
    """Only the department's head answers, while the item is open or sent back."""
    return item.state in ANSWERABLE and role_of(item, user) == Role.HEAD


@transaction.atomic
def open_item(item: RectificationItem, *, user) -> RectificationItem:
    """Store the new ``item`` (checked by its form: its department matches what it links to) as open,
    with its ``open`` step. Only the bureau opens items."""
    if role_of(item, user) != Role.OFFICER:
        raise TransitionRefused(_("Only the bureau opens rectification items."))
    item.state = ItemState.OPEN
    item.opened_by = user
    item.opened_at = timezone.now()
    item.full_clean()
    item.save()
    record_step(item, action=Action.OPEN, from_state="", to_state=item.state, user=user)
    return item


def answer_item(
    item: RectificationItem,
    *,
    user,
    measures: str,
    evidence: str,
    uploads: Sequence[UploadedFile] = (),
    remove_file_ids: Sequence[int] = (),
) -> RectificationItem:
    """The head's answer: measures taken and evidence text, files added (each checked by content) and
    files removed, at most ``RECTIFICATION_MAX_FILES`` in all; the item becomes answered."""
    measures, evidence = (measures or "").strip(), (evidence or "").strip()
    if not measures:
        raise TransitionRefused(_("Say which measures were taken."))
    if len(measures) > MAX_TEXT or len(evidence) > MAX_TEXT:
        raise TransitionRefused(_("A text is longer than %(n)s characters.") % {"n": MAX_TEXT})
    checked = _checked(uploads)
    stored: list[RectificationFile] = []
    try:
        with transaction.atomic():
            locked = _locked(item, user)
            if role_of(locked, user) != Role.HEAD:
                raise TransitionRefused(_("Only the department's head answers its rectification items."))
            if locked.state not in ANSWERABLE:
                raise TransitionRefused(
                    _("An item that is “%(state)s” cannot be answered.")
                    % {"state": locked.get_state_display()}
                )
            kept = list(locked.files.all())
            removed = [file for file in kept if file.pk in set(remove_file_ids)]
            if len(kept) - len(removed) + len(checked) > max_files():
                raise TransitionRefused(
                    _("An item takes at most %(n)s files; it has %(kept)s, and %(new)s more were sent.")
                    % {"n": max_files(), "kept": len(kept) - len(removed), "new": len(checked)}
                )
            for upload in checked:
                stored.append(_store(locked, upload, user))
            from_state = locked.state
            locked.measures, locked.evidence = measures, evidence
            locked.state = ItemState.ANSWERED
            locked.answered_at = timezone.now()
            locked.save(update_fields=["measures", "evidence", "state", "answered_at"])
            RectificationFile.objects.filter(pk__in=[file.pk for file in removed]).delete()
            note = _files_note(added=[file.name for file in stored], removed=[file.name for file in removed])
            record_step(
                locked,
                action=Action.ANSWER,
                from_state=from_state,
                to_state=locked.state,
                user=user,
                note=note,
            )
            # The removed files leave the disk only once their rows are gone for good.
            names = [file.file.name for file in removed]
            transaction.on_commit(lambda: _delete_from_disk(names))
    except BaseException:
        _delete_from_disk([file.file.name for file in stored])
        raise
    return locked


@transaction.atomic
def close_item(item: RectificationItem, *, user) -> RectificationItem:
    """The bureau accepts the answer: answered → closed."""
    locked = _bureau_step(item, user, Action.CLOSE)
    locked.state = ItemState.CLOSED
    locked.closed_at = timezone.now()
    locked.save(update_fields=["state", "closed_at"])
    record_step(locked, action=Action.CLOSE, from_state=ItemState.ANSWERED, to_state=locked.state, user=user)
    return locked


@transaction.atomic
def send_back_item(item: RectificationItem, *, user, reason: str) -> RectificationItem:
    """The bureau does not accept the answer: answered → sent back, with the reason (required)."""
    reason = (reason or "").strip()
    if not reason:
        raise TransitionRefused(_("Give a reason to send the item back."))
    if len(reason) > MAX_REASON:
        raise TransitionRefused(_("The reason is longer than %(n)s characters.") % {"n": MAX_REASON})
    locked = _bureau_step(item, user, Action.SEND_BACK)
    locked.state = ItemState.SENT_BACK
    locked.sent_back_reason = reason
    locked.save(update_fields=["state", "sent_back_reason"])
    record_step(
        locked,
        action=Action.SEND_BACK,
        from_state=ItemState.ANSWERED,
        to_state=locked.state,
        user=user,
        reason=reason,
    )
    return locked


def take_step(item: RectificationItem, *, user, action: str, reason: str = "") -> RectificationItem:
    """Close or send back ``item`` (the officer's buttons); anything else is refused."""
    if action == Action.CLOSE:
        return close_item(item, user=user)
    if action == Action.SEND_BACK:
        return send_back_item(item, user=user, reason=reason)
    raise TransitionRefused(
        _("“%(action)s” is not a step of a rectification item.") % {"action": action[:50]}
    )


def _bureau_step(item: RectificationItem, user, action: str) -> RectificationItem:
    locked = _locked(item, user)
    if role_of(locked, user) != Role.OFFICER:
        raise TransitionRefused(_("Only the bureau closes or sends back rectification items."))
    if locked.state != ItemState.ANSWERED:
        raise TransitionRefused(
            _(
                "An item that is “%(state)s” cannot be given “%(action)s”: "
                "it waits for the department's answer."
            )
            % {"state": locked.get_state_display(), "action": Action(action).label}
        )
    return locked


def _locked(item: RectificationItem, user) -> RectificationItem:
    """``item`` as stored, locked; ``not_found`` when ``user`` holds no role on it."""
    locked = (
        RectificationItem.objects.select_for_update(of=("self",))
        .select_related("project")
        .filter(pk=item.pk)
        .first()
    )
    if locked is None or role_of(locked, user) is None:
        raise TransitionRefused(_("This item is not in your scope."), not_found=True)
    return locked


def _checked(uploads: Sequence[UploadedFile]) -> list[CheckedFile]:
    """Every upload checked before anything is stored: all pass, or the first refusal is raised."""
    if len(uploads) > max_files():
        raise TransitionRefused(_("An item takes at most %(n)s files.") % {"n": max_files()})
    checked = []
    for upload in uploads:
        try:
            checked.append(check_upload(upload))
        except ValueError as refusal:
            raise TransitionRefused(str(refusal)) from None
    return checked


def _store(item: RectificationItem, upload: CheckedFile, user) -> RectificationFile:
    evidence = RectificationFile(
        item=item, name=upload.name, content_type=upload.content_type, size=upload.size, uploaded_by=user
    )
    evidence.file.save(upload.name, upload.upload, save=False)
    evidence.save()
    return evidence


def _delete_from_disk(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        if name:
            default_storage.delete(name)


def _files_note(*, added: list[str], removed: list[str]) -> str:
    parts = []
    if added:
        parts.append(_("files added: %(names)s") % {"names": ", ".join(added)})
    if removed:
        parts.append(_("files removed: %(names)s") % {"names": ", ".join(removed)})
    return "; ".join(parts)


def default_deadline(today: datetime.date | None = None) -> datetime.date:
    """A month from today: what a new item's form proposes."""
    return (today or timezone.localdate()) + datetime.timedelta(days=30)
