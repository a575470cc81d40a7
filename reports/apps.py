from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The bureau's brief, the department briefs and the whole-dashboard workbook (SPEC §15): written
    from what the performance layer computes, used by nothing below it."""

    name = "reports"
    verbose_name = _("Reports")
    default_auto_field = "django.db.models.BigAutoField"
