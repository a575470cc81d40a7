from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "finance"
    verbose_name = _("Organisation and money")

    def ready(self) -> None:
        from finance.importing.kinds import register
        from finance.imports import KINDS

        register(*KINDS)
