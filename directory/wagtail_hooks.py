from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_isolation, dashboard, spreadsheet_hooks  # noqa: F401 - register the isolation and import/export hooks
from .admin_views import (
    ActorPageViewSet,
    ConfirmBulkAction,
    CoverageReportView,
    OverdueReportView,
    SpecialistCoverageReportView,
)
from .models import ActorPage, ActorType
from .services import CONFIRM_ACTION


class ActorTypeViewSet(SnippetViewSet):
    model = ActorType
    icon = "group"
    menu_label = _("Aktørtyper")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "level", "lkt_role", "required", "legal_basis"]
    list_filter = ["level", "required"]
    search_fields = ["name", "description"]


register_snippet(ActorTypeViewSet)
hooks.register("register_bulk_action", ConfirmBulkAction)


@hooks.register("register_log_actions")
def register_confirm_action(actions):
    actions.register_action(CONFIRM_ACTION, _("Bekreftet uendret"), _("Opplysningene ble bekreftet uendret"))


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path("rapporter/forfalt/", OverdueReportView.as_view(), name="directory_overdue"),
        path(
            "rapporter/forfalt/resultater/",
            OverdueReportView.as_view(results_only=True),
            name="directory_overdue_results",
        ),
        path("rapporter/aktorkart/", CoverageReportView.as_view(), name="directory_coverage"),
        path(
            "rapporter/aktorkart/resultater/",
            CoverageReportView.as_view(results_only=True),
            name="directory_coverage_results",
        ),
        path("rapporter/opptaksomrader/", SpecialistCoverageReportView.as_view(), name="directory_catchments"),
        path(
            "rapporter/opptaksomrader/resultater/",
            SpecialistCoverageReportView.as_view(results_only=True),
            name="directory_catchments_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def overdue_menu_item():
    return MenuItem(_("Forfalt bekreftelse"), reverse("directory_overdue"), icon_name="time", order=10)


@hooks.register("register_reports_menu_item")
def coverage_menu_item():
    return MenuItem(_("Status for aktørkart"), reverse("directory_coverage"), icon_name="list-ul", order=11)


@hooks.register("register_reports_menu_item")
def catchments_menu_item():
    return MenuItem(
        _("Spesialisthelsetjenesten per kommune"), reverse("directory_catchments"), icon_name="site", order=12
    )


class ConfirmButton(PageMenuItem):
    """«Bekreft uendret» on an actor page: one click, through Wagtail's bulk-action confirmation screen."""

    label = _("Bekreft uendret")
    icon_name = "tick"

    @property
    def url(self):
        url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", ConfirmBulkAction.action_type))
        query = {"id": self.page.pk}
        if self.next_url:
            query["next"] = self.next_url
        return f"{url}?{urlencode(query)}"

    def is_shown(self, user):
        return (
            self.page.specific_class is ActorPage and self.page.live and self.page.permissions_for_user(user).can_edit()
        )


@hooks.register("register_page_listing_more_buttons")
def confirm_listing_button(page, user, next_url=None):
    yield ConfirmButton(page=page, next_url=next_url, priority=3)


@hooks.register("register_page_header_buttons")
def confirm_header_button(page, user, view_name, next_url=None):
    yield ConfirmButton(page=page, next_url=next_url, priority=12)


@hooks.register("construct_homepage_panels")
def add_municipality_panel(request, panels):
    panel = dashboard.panel_for(request)
    if panel is not None:
        panels.insert(0, panel)


@hooks.register("insert_global_admin_css")
def directory_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("directory/admin.css"))


@hooks.register("register_admin_viewset")
def register_actor_page_viewset():
    return ActorPageViewSet("actor_pages")
