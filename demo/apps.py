"""The dev-only demo app: ``load_demo`` and the fictional data it loads."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "demo"
    verbose_name = _("Demoinnhold (bare for utvikling)")
