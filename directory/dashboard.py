"""The editor's day on the Wagtail dashboard: their own municipality's actor map at a glance.

For each municipality the user may edit (at most :data:`MAX_MUNICIPALITIES`; a national administrator with all of
them gets the reports instead): the actors whose confirmation is overdue, each with «Bekreft uendret» right there
(a POST to the same Wagtail bulk action as everywhere else, back to the dashboard), the pages waiting for review,
and the latest changes from Wagtail's own audit log. A fixed number of queries per municipality.
"""

from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.http import urlencode
from wagtail.admin.ui.components import Component
from wagtail.models import Page, PageLogEntry, WorkflowState

from .admin_views import ConfirmBulkAction, editable_municipalities
from .models import ActorPage

MAX_MUNICIPALITIES = 3
ROWS = 8


def confirm_url(page, next_url):
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", ConfirmBulkAction.action_type))
    return f"{url}?{urlencode({'id': page.pk, 'next': next_url})}"


class MunicipalityPanel(Component):
    name = "aktorkart_kommune"
    order = 60
    template_name = "directory/admin/dashboard_panel.html"

    def __init__(self, request, municipalities):
        self.request = request
        self.municipalities = municipalities

    def get_context_data(self, parent_context):
        home = reverse("wagtailadmin_home")
        blocks = []
        for municipality in self.municipalities:
            overdue = list(
                ActorPage.objects.live()
                .filter(municipality=municipality)
                .overdue()
                .select_related("confirmation")
                .order_by("title")[: ROWS + 1]
            )
            subtree = Page.objects.descendant_of(municipality, inclusive=True)
            waiting = list(
                WorkflowState.objects.active()
                .filter(
                    base_content_type__model="page",
                    object_id__in=[str(pk) for pk in subtree.values_list("pk", flat=True)],
                )
                .select_related("requested_by", "current_task_state__task")
                .order_by("-created_at")[:ROWS]
            )
            titles = dict(subtree.values_list("pk", "title"))
            changes = list(
                PageLogEntry.objects.filter(page__in=subtree)
                .exclude(action__startswith="wagtail.workflow")
                .select_related("user", "page")
                .order_by("-timestamp", "-pk")[:ROWS]
            )
            blocks.append(
                {
                    "municipality": municipality,
                    "overdue": [
                        {"page": page, "confirm_url": confirm_url(page, home), "due": page.confirmation_due()}
                        for page in overdue[:ROWS]
                    ],
                    "more_overdue": len(overdue) > ROWS,
                    "waiting": [
                        {"state": state, "title": titles.get(int(state.object_id), ""), "pk": int(state.object_id)}
                        for state in waiting
                    ],
                    "changes": changes,
                }
            )
        return {
            "blocks": blocks,
            "csrf_token": get_token(self.request),
            "overdue_url": reverse("directory_overdue"),
        }


def panel_for(request):
    municipalities = list(editable_municipalities(request.user).order_by("title")[: MAX_MUNICIPALITIES + 1])
    if not municipalities or len(municipalities) > MAX_MUNICIPALITIES:
        return None
    return MunicipalityPanel(request, municipalities)
