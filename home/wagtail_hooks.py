from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from core.moderation import ReportingWorkflowActionView, SerializedWorkflowEditView

from .admin_views import PathwayReviewReportView
from .models import PathwayModule, PathwayPage


class PathwayModuleViewSet(SnippetViewSet):
    model = PathwayModule
    icon = "snippet"
    menu_label = _("Forløpsmoduler")
    menu_order = 220
    add_to_admin_menu = True
    list_display = ["title", "live"]
    search_fields = ["title"]


register_snippet(PathwayModuleViewSet)


@hooks.register("register_admin_urls")
def register_pathway_report_urls():
    return [
        path("rapporter/forlop-revisjon/", PathwayReviewReportView.as_view(), name="pathway_reviews"),
        path(
            "rapporter/forlop-revisjon/resultater/",
            PathwayReviewReportView.as_view(results_only=True),
            name="pathway_reviews_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def pathway_review_menu_item():
    return MenuItem(_("Forløp som skal revideres"), reverse("pathway_reviews"), icon_name="calendar-alt", order=12)


class PathwayPageViewSet(PageViewSet):
    """Pathways as Wagtail's pages are, except that «Godkjenn» says whether the pathway is now public or has gone
    on to the publishing step."""

    model = PathwayPage
    workflow_action_view_class = ReportingWorkflowActionView
    edit_view_class = SerializedWorkflowEditView


@hooks.register("register_admin_viewset")
def register_pathway_page_viewset():
    return PathwayPageViewSet("pathway_pages")
