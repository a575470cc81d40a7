import sqlite3

from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _

#: The recompute's SQL uses FULL JOIN (SQLite 3.39) and UPDATE … FROM (3.33).
SQLITE_MINIMUM = (3, 39)


class PerformanceConfig(AppConfig):
    name = "performance"
    verbose_name = _("Performance")

    def ready(self) -> None:
        from finance.importing.kinds import register
        from performance import monitoring_todo, pool_todo, projects, rectification_todo, signals, todo
        from performance.importing import Evaluations
        from performance.models import Evaluation, ItemState
        from workflow.models import OTHER_STATE_LABELS

        register(Evaluations())
        # An evaluation's timeline names its own states (SPEC §12.2).
        OTHER_STATE_LABELS.setdefault(Evaluation.Status.FINALISED.value, Evaluation.Status.FINALISED.label)
        # A rectification item's timeline names its states (SPEC §14.2).
        for state in ItemState:
            OTHER_STATE_LABELS.setdefault(state.value, state.label)
        projects.register()
        todo.register()
        pool_todo.register()
        monitoring_todo.register()
        rectification_todo.register()
        signals.connect()
        _remember_table_signatures()
        checks.register(check_sqlite_version, checks.Tags.database)


def check_sqlite_version(app_configs=None, databases=None, **kwargs) -> list[checks.CheckMessage]:
    """Refuse an SQLite too old for the recompute's SQL, before the first run fails on it."""
    from django.db import connections

    if not any(connections[alias].vendor == "sqlite" for alias in databases or ()):
        return []
    if sqlite3.sqlite_version_info >= SQLITE_MINIMUM:
        return []
    return [
        checks.Error(
            f"SQLite {sqlite3.sqlite_version} is too old for the recompute: it needs "
            f"{'.'.join(map(str, SQLITE_MINIMUM))} or newer (FULL JOIN).",
            hint="Use a Python built with a newer SQLite, or PostgreSQL.",
            id="performance.E001",
        )
    ]


def _remember_table_signatures() -> None:
    """django-tables2 asks ``inspect.signature`` which arguments a column's ``render`` takes for every
    cell it renders: a third of a 64-row leaderboard's time. A function's signature never changes,
    so it is worked out once per function (the cache holds functions, a bounded set)."""
    from django_tables2 import utils

    original = utils.signature
    if getattr(original, "remembers", False):
        return
    known: dict = {}

    def signature(fn):
        key = (getattr(fn, "__func__", fn), hasattr(fn, "__self__"))
        try:
            return known[key]
        except (KeyError, TypeError):
            result = original(fn)
            try:
                known[key] = result
            except TypeError:  # an unhashable callable: not remembered
                pass
            return result

    signature.remembers = True
    utils.signature = signature
