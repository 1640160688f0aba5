from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Aktørkart")

    def ready(self):
        from . import signals  # noqa: F401 - receivers connect once the app registry is ready
