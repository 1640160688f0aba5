"""Admin screens to download a municipality's actor map as a spreadsheet, to import one, and to follow an import.

Anyone who may not use a screen gets 404, not 403: whether a municipality's page
exists at a given id is nobody's business but its own editors'.
"""

from django import forms
from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from core.uploads import check_upload_size

from .imports import can_import_into, can_see_job, enqueue_directory_import
from .models import ImportJob, MunicipalityPage
from .spreadsheet import HEADERS, SpreadsheetError, check_file, export_rows, to_csv, to_xlsx
from .text import norwegian_slug

# How often the job page reloads itself while an import runs (a <meta> refresh: no JavaScript needed).
JOB_REFRESH_SECONDS = 2

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
    if municipality is None:  # a health trust's map
        return f"aktorkart-{norwegian_slug(page.title)}-{timezone.localdate():%Y-%m-%d}.{extension}"
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
    """One spreadsheet file, checked for type, size and its first bytes; the rows are checked by the job."""

    file = forms.FileField(
        label=gettext_lazy("Regneark"),
        help_text=gettext_lazy("CSV (.csv) eller Excel (.xlsx), med kolonnene fra eksporten."),
        validators=[FileExtensionValidator(["csv", "xlsx"], message=gettext_lazy("Velg en .csv- eller .xlsx-fil."))],
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload_size(upload, settings.LKT_UPLOAD_MAX_BYTES)
        self.data_bytes = upload.read()
        try:
            check_file(self.data_bytes, upload.name)
        except SpreadsheetError as exc:
            raise forms.ValidationError(str(exc), code="unreadable") from exc
        return upload


class ImportView(WagtailAdminTemplateMixin, FormView):
    """Upload a file: it is stored as a background job and the browser goes to the job's page."""

    template_name = "directory/admin/import.html"
    form_class = ImportForm
    header_icon = "upload"

    def dispatch(self, request, page_id):
        if not can_import(request.user):
            raise Http404
        self.page = get_object_or_404(MunicipalityPage.objects.select_related("municipality"), pk=page_id)
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
            headers=HEADERS,
            max_mb=max(1, settings.LKT_UPLOAD_MAX_BYTES // (1024 * 1024)),
            action_url=reverse("directory_import", args=[self.page.pk]),
            export_url=reverse("directory_export", args=[self.page.pk]),
            recent_jobs=self.recent_jobs(),
            **kwargs,
        )

    def recent_jobs(self):
        jobs = self.page.import_jobs.select_related("started_by").defer("data")
        if not can_import_into(self.request.user, self.page):
            jobs = jobs.filter(started_by=self.request.user)
        return jobs[:5]

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        job = enqueue_directory_import(self.page, form.data_bytes, upload.name, self.request.user)
        return redirect("directory_import_job", job.pk)


class ImportJobView(WagtailAdminTemplateMixin, TemplateView):
    """One import's progress while it runs, then what it wrote or every error; reloads itself until done."""

    template_name = "directory/admin/import_job.html"
    header_icon = "upload"

    def dispatch(self, request, job_id):
        self.job = get_object_or_404(
            ImportJob.objects.select_related("municipality_page", "started_by").defer("data"), pk=job_id
        )
        if not can_see_job(request.user, self.job):
            raise Http404
        return super().dispatch(request, job_id)

    def get_page_title(self):
        return _("Import: %(filename)s") % {"filename": self.job.filename}

    def get_breadcrumbs_items(self):
        items = list(self.breadcrumbs_items)
        page = self.job.municipality_page
        if page is not None:
            items.append({"url": reverse("wagtailadmin_explore", args=[page.pk]), "label": page.title})
            items.append({"url": reverse("directory_import", args=[page.pk]), "label": _("Importer aktørkart")})
        return items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        job = self.job
        return super().get_context_data(
            job=job,
            refresh_seconds=None if job.finished else JOB_REFRESH_SECONDS,
            import_url=reverse("directory_import", args=[job.municipality_page_id]) if job.municipality_page_id else "",
            explore_url=(
                reverse("wagtailadmin_explore", args=[job.municipality_page_id]) if job.municipality_page_id else ""
            ),
            **kwargs,
        )

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        # The page changes by the second while the job runs, and may list contact details when done.
        response["Cache-Control"] = "private, no-store"
        return response


urlpatterns = [
    path("<int:page_id>/eksport/", ExportView.as_view(), name="directory_export"),
    path("<int:page_id>/import/", ImportView.as_view(), name="directory_import"),
    path("jobb/<int:job_id>/", ImportJobView.as_view(), name="directory_import_job"),
]
