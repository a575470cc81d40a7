"""What applying a plan and rolling a batch back both do to the database.

Bulk updates through django-simple-history's helper, change-history rows written as it writes them,
values made JSON for the lineage rows, one recompute asked for when the transaction commits, and the
refusal shown for a rule only the database knows.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db import IntegrityError, models
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from finance.importing import messages as msg
from finance.importing.kinds import Kind
from finance.importing.messages import ImportRefused, Problem
from finance.importing.writing import insert_rows
from finance.models import ImportBatch
from finance.signals import years_changed

#: Rows per bulk statement.
WRITE_BATCH = 1000
#: Rows per round of plain inserts.
INSERT_BATCH = 10_000


def json_value(value):
    """A value as the lineage rows and the preview keep it in JSON: decimals and dates as text."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


def request_recompute(years: Iterable[int]) -> None:
    """Ask for one recompute of the years an import changed, queued when the transaction commits
    (coalesced with any other change of the same transaction: one run per year, not one per row)."""
    years_changed.send(sender=ImportBatch, years=sorted(set(years)))


def bulk_update(kind: Kind, objs: list[models.Model], fields: list[str], *, user, reason: str) -> None:
    names = [kind.model._meta.get_field(name).name if name.endswith("_id") else name for name in fields]
    if kind.with_history:
        bulk_update_with_history(objs, kind.model, names, default_user=user, default_change_reason=reason)
    else:
        kind.model._default_manager.bulk_update(objs, names)


def history_rows(history, rows: list[list], *, history_type: str, user, reason: str) -> None:
    """Change-history rows as django-simple-history writes them, from the tracked fields' values."""
    tracked = [f.attname for f in history.tracked_fields]
    extra = [timezone.now(), user.pk if user else None, reason, history_type]
    names = [*tracked, "history_date", "history_user_id", "history_change_reason", "history_type"]
    insert_rows(history, names, (row + extra for row in rows))


def refused_by_database(exc: IntegrityError) -> ImportRefused:
    """The refusal to show for a rule only the database knows (or a row changed since validation)."""
    return ImportRefused([Problem(msg.DATABASE_REFUSED, {"detail": str(exc).splitlines()[0][:300]})])
