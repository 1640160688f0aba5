"""The pathway review report: pathways whose next review date has passed or falls within a month."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn, UserColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies.pages import PagePermissionPolicy

from .models import PathwayPage

DUE_SOON = timedelta(days=30)


def pathways_due_for_review(today=None):
    today = today or timezone.localdate()
    return PathwayPage.objects.live().filter(next_review__lte=today + DUE_SOON).order_by("next_review")


class PathwayReviewReportView(ReportView):
    page_title = _("Forløp som skal revideres")
    header_icon = "calendar-alt"
    index_url_name = "pathway_reviews"
    index_results_url_name = "pathway_reviews_results"
    any_permission_required = ["add", "change", "publish"]
    permission_policy = PagePermissionPolicy()
    model = PathwayPage
    columns = [
        TitleColumn("title", label=_("Forløp"), url_name="wagtailadmin_pages:edit"),
        Column("version", label=_("Versjon")),
        DateColumn("next_review", label=_("Neste revisjon")),
        Column("status", label=_("Status"), accessor=lambda p: _("Forfalt") if p.review_overdue else _("Snart")),
        UserColumn("content_owner", label=_("Faglig eier")),
    ]
    list_export = ["title", "version", "next_review", "content_owner"]

    def get_filename(self):
        return f"forlop-revisjon-{timezone.localdate():%Y-%m-%d}"

    def get_queryset(self):
        editable = self.permission_policy.instances_user_has_permission_for(self.request.user, "change")
        return pathways_due_for_review().filter(pk__in=editable.values("pk")).select_related("content_owner")
