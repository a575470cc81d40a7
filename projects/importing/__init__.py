"""The projects layer's import kinds (SPEC §7), registered with finance's framework in ``ready``."""

from __future__ import annotations


def kinds() -> tuple:
    from projects.importing.indicators import Indicators
    from projects.importing.payments import Payments
    from projects.importing.projects import Projects

    return (Projects(), Payments(), Indicators())
