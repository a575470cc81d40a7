from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projects and standards")

    def ready(self) -> None:
        from finance.importing.kinds import register
        from projects import signals
        from projects.importing import kinds
        from projects.targets import todo

        register(*kinds())
        signals.connect()
        todo.register()
