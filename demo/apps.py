from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo district and the benchmarks that need it: above the three layers (it may use all of
    them; none of them uses it)."""

    name = "demo"
    verbose_name = _("Demo district")
