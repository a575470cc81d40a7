"""Reading the environment for ``config/settings.py``: one ``environ.Env`` and the readers that refuse
a malformed value with ``ImproperlyConfigured`` (the app stops at start, never runs on a guess)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import environ
from django.core.exceptions import ImproperlyConfigured

env = environ.Env()


def envbool(name: str, default: bool) -> bool:
    """Read a boolean; refuse anything but the usual spellings."""
    raw = env.str(name, default="")
    if raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def envint(name: str, default: int, *, minimum: int = 0) -> int:
    """Read a whole number of at least ``minimum``; refuse anything else."""
    raw = env.str(name, default="").strip()
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from exc
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}")
    return value


def envdecimal(name: str, default: str) -> Decimal:
    """Read a decimal threshold; refuse what is not a number."""
    raw = env.str(name, default=default)
    try:
        return Decimal(raw)
    except InvalidOperation as exc:
        raise ImproperlyConfigured(f"{name} must be a decimal number, got {raw!r}") from exc
