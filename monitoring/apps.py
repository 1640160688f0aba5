from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    """Self-monitoring (egenmåling) with green/yellow/red trigger zones agreed in the plan for cooperation."""

    name = "monitoring"
    verbose_name = _("Egenmåling")

    def ready(self):
        from workflows import plan_sections

        from . import signals  # noqa: F401 - connects the receivers
        from .plan_section import MonitoringSection

        plan_sections.register(MonitoringSection())
