from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    """Viewflow processes for the care community (samtykke, plan, godkjenning, evaluering).

    The processes arrive with the care-community issue; the app is installed now so
    that the staff URL prefix and two-factor rules cover it from the start.
    """

    name = "workflows"
    verbose_name = _("Prosesser")
