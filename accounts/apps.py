from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Innlogging og to-faktor")

    def ready(self):
        from . import signals  # noqa: F401 - connects the security-trail receivers
