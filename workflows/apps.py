from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    """The care-community process (samtykke, plan, godkjenning, evaluering) in Viewflow.

    Named ``workflows`` in the project's layout; in code that also touches Wagtail's moderation workflows, the
    care process is called the care process and Wagtail's are called moderation workflows.
    """

    name = "workflows"
    verbose_name = _("Pasientforløp")

    def ready(self):
        from . import signals  # noqa: F401
