"""Wagtail hooks for the spreadsheet export and import: admin URLs, buttons on a municipality, the audit action."""

from django.urls import include, path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.models import Page

from .models import MunicipalityPage
from .spreadsheet_import import IMPORT_ACTION
from .spreadsheet_views import can_export, can_import, urlpatterns


@hooks.register("register_admin_urls")
def register_spreadsheet_urls():
    return [path("aktorkart/", include(urlpatterns))]


@hooks.register("register_log_actions")
def register_import_action(actions):
    actions.register_action(IMPORT_ACTION, _("Aktørkart importert"), _("Aktørkartet ble importert fra regneark"))


class ExportButton(PageMenuItem):
    """«Eksporter aktørkart» on a municipality, for everyone who may edit it."""

    label = _("Eksporter aktørkart")
    icon_name = "download"

    @property
    def url(self):
        return f"{reverse('directory_export', args=[self.page.pk])}?{urlencode({'format': 'xlsx'})}"

    def is_shown(self, user):
        return issubclass(self.page.specific_class or Page, MunicipalityPage) and can_export(user, self.page)


class ImportButton(PageMenuItem):
    """«Importer aktørkart» on a municipality, for national administrators only."""

    label = _("Importer aktørkart")
    icon_name = "upload"

    @property
    def url(self):
        return reverse("directory_import", args=[self.page.pk])

    def is_shown(self, user):
        return issubclass(self.page.specific_class or Page, MunicipalityPage) and can_import(user)


@hooks.register("register_page_header_buttons")
def spreadsheet_header_buttons(page, user, view_name, next_url=None):
    yield ExportButton(page=page, priority=80)
    yield ImportButton(page=page, priority=81)


@hooks.register("register_page_listing_more_buttons")
def spreadsheet_listing_buttons(page, user, next_url=None):
    yield ExportButton(page=page, priority=80)
    yield ImportButton(page=page, priority=81)
