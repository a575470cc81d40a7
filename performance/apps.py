from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerformanceConfig(AppConfig):
    name = "performance"
    verbose_name = _("Performance")

    def ready(self) -> None:
        from performance import signals

        signals.connect()
        _remember_table_signatures()


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
