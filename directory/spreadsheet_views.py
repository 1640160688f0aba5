"""Admin screens to download a municipality's actor map as a spreadsheet and to import one.

Anyone who may not use a screen gets 404, not 403: whether a municipality's page
exists at a given id is nobody's business but its own editors'.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.validators import FileExtensionValidator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from core.uploads import check_upload_size

from .models import MunicipalityPage
from .spreadsheet import HEADERS, export_rows, to_csv, to_xlsx
from .spreadsheet_import import import_directory
from .text import norwegian_slug

FORMATS = {
    "csv": (to_csv, "text/csv; charset=utf-8"),
    "xlsx": (to_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


def can_export(user, page):
    return page.permissions_for_user(user).can_edit()


def can_import(user):
    return user.is_superuser or user.has_perm("directory.import_directory")


def export_filename(page, extension):
    """E.g. ``aktorkart-4624-bjornafjorden-2026-11-22.xlsx``: sortable, and safe in any file system."""
    municipality = page.municipality
    name = norwegian_slug(municipality.name)
    return f"aktorkart-{municipality.number}-{name}-{timezone.localdate():%Y-%m-%d}.{extension}"


class ExportView(View):
    """GET ?format=csv|xlsx: the published actor map as a file download."""

    def get(self, request, page_id):
        page = get_object_or_404(MunicipalityPage.objects.select_related("municipality"), pk=page_id)
        if not can_export(request.user, page):
            raise Http404
        extension = request.GET.get("format", "xlsx")
        if extension not in FORMATS:
            raise Http404
        writer, content_type = FORMATS[extension]
        response = HttpResponse(writer(export_rows(page)), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{export_filename(page, extension)}"'
        # The file holds contact details: lkt_site.middleware.NoStoreMiddleware keeps every cache from storing it.
        return response


class ImportForm(forms.Form):
    """One spreadsheet file, checked for type and size before anything reads its contents."""

    file = forms.FileField(
        label=gettext_lazy("Regneark"),
        help_text=gettext_lazy("CSV (.csv) eller Excel (.xlsx), med kolonnene fra eksporten."),
        validators=[FileExtensionValidator(["csv", "xlsx"], message=gettext_lazy("Velg en .csv- eller .xlsx-fil."))],
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload_size(upload, settings.LKT_UPLOAD_MAX_BYTES)
        return upload


class ImportView(WagtailAdminTemplateMixin, FormView):
    """Upload a file; show every row error and change nothing, or import it all and go to the explorer."""

    template_name = "directory/admin/import.html"
    form_class = ImportForm
    header_icon = "upload"

    def dispatch(self, request, page_id):
        if not can_import(request.user):
            raise Http404
        self.page = get_object_or_404(MunicipalityPage.objects.select_related("municipality"), pk=page_id)
        self.row_errors = []
        return super().dispatch(request, page_id)

    def get_page_title(self):
        return _("Importer aktørkart")

    def get_page_subtitle(self):
        return self.page.title

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("wagtailadmin_explore", args=[self.page.pk]), "label": self.page.title},
            {"url": "", "label": _("Importer aktørkart")},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            page=self.page,
            row_errors=self.row_errors,
            headers=HEADERS,
            max_mb=max(1, settings.LKT_UPLOAD_MAX_BYTES // (1024 * 1024)),
            action_url=reverse("directory_import", args=[self.page.pk]),
            export_url=reverse("directory_export", args=[self.page.pk]),
            **kwargs,
        )

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        result = import_directory(self.page, upload.read(), upload.name, self.request.user)
        if not result.ok:
            self.row_errors = result.errors
            messages.error(
                self.request, _("Filen ble ikke importert. Ingenting er endret. Rett feilene og prøv igjen.")
            )
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(self.request, _("Aktørkartet er importert: %(summary)s") % {"summary": result.summary()})
        for warning in result.warnings:
            messages.warning(self.request, warning)
        return redirect("wagtailadmin_explore", self.page.pk)


urlpatterns = [
    path("<int:page_id>/eksport/", ExportView.as_view(), name="directory_export"),
    path("<int:page_id>/import/", ImportView.as_view(), name="directory_import"),
]
