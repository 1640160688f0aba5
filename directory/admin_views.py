"""Admin screens for keeping the directory current: the overdue report, the coverage report and «Bekreft»."""

import django_filters
from django.db.models import Count, Q
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn, UserColumn
from wagtail.admin.views.pages.bulk_actions.page_bulk_action import PageBulkAction
from wagtail.admin.views.pages.listing import ExplorableIndexView
from wagtail.admin.views.reports import ReportView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.permission_policies.pages import PagePermissionPolicy

from core.moderation import ReportingWorkflowActionView, SerializedWorkflowEditView

from .admin_isolation import IsolatedPageBulkAction
from .catchments import specialist_coverage, specialist_types
from .models import ActorPage, ActorType, HealthTrustPage, Municipality, MunicipalityPage
from .services import confirm_unchanged


def editable_municipalities(user):
    """Municipality pages in the subtrees this user may edit."""
    editable = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
    return MunicipalityPage.objects.filter(pk__in=editable.values("pk"))


class OverdueFilterSet(WagtailFilterSet):
    municipality = django_filters.ModelChoiceFilter(
        label=_("Kommune"), queryset=lambda request: editable_municipalities(request.user).order_by("title")
    )

    class Meta:
        model = ActorPage
        fields = ["municipality"]


class OverdueReportView(ReportView):
    """Actors whose data has not been confirmed within their municipality's review interval."""

    page_title = _("Forfalt bekreftelse")
    header_icon = "time"
    index_url_name = "directory_overdue"
    index_results_url_name = "directory_overdue_results"
    filterset_class = OverdueFilterSet
    any_permission_required = ["add", "change", "publish"]
    permission_policy = PagePermissionPolicy()
    model = ActorPage
    paginate_by = 100
    columns = [
        TitleColumn("title", label=_("Aktør"), url_name="wagtailadmin_pages:edit"),
        Column("municipality", label=_("Kommune"), accessor="municipality.title"),
        DateColumn("confirmed_at", label=_("Sist bekreftet"), accessor="last_confirmed_at"),
        UserColumn("confirmed_by", label=_("Bekreftet av"), accessor="confirmation.confirmed_by"),
        DateColumn("due", label=_("Forfalt"), accessor=lambda page: page.confirmation_due()),
    ]
    list_export = ["title", "municipality.title", "last_confirmed_at", "confirmation_due"]
    export_headings = {
        "title": _("Aktør"),
        "municipality.title": _("Kommune"),
        "last_confirmed_at": _("Sist bekreftet"),
        "confirmation_due": _("Forfalt"),
    }

    def get_filename(self):
        return f"forfalte-aktorer-{timezone.localdate():%Y-%m-%d}"

    def get_queryset(self):
        return (
            ActorPage.objects.live()
            .filter(municipality__in=editable_municipalities(self.request.user))
            .overdue()
            .select_related("municipality", "confirmation__confirmed_by")
            .order_by("municipality__title", "title")
        )


class CoverageReportView(ReportView):
    """Per municipality: how many actors, how many overdue, and which required actor types are not covered."""

    page_title = _("Status for aktørkart")
    header_icon = "list-ul"
    index_url_name = "directory_coverage"
    index_results_url_name = "directory_coverage_results"
    any_permission_required = ["add", "change", "publish"]
    permission_policy = PagePermissionPolicy()
    model = MunicipalityPage
    paginate_by = 400
    columns = [
        TitleColumn("title", label=_("Kommune"), url_name="wagtailadmin_explore"),
        Column("actor_count", label=_("Aktører")),
        Column("overdue_count", label=_("Forfalt bekreftelse")),
        Column("missing_names", label=_("Påkrevde aktørtyper som mangler")),
        Column("review_interval_months", label=_("Intervall (mnd.)")),
    ]
    list_export = ["title", "actor_count", "overdue_count", "missing_names", "review_interval_months"]

    def get_filename(self):
        return f"aktorkart-status-{timezone.localdate():%Y-%m-%d}"

    def get_queryset(self):
        return editable_municipalities(self.request.user).select_related("municipality").order_by("title")

    def decorate_paginated_queryset(self, object_list):
        pages = list(object_list)
        ids = [p.pk for p in pages]
        # order_by() drops the tree ordering, which would otherwise split the GROUP BY per page.
        live = ActorPage.objects.live().filter(municipality_id__in=ids).order_by()
        counts = dict(live.values_list("municipality").annotate(n=Count("pk")).values_list("municipality", "n"))
        overdue = dict(
            live.overdue().values_list("municipality").annotate(n=Count("pk")).values_list("municipality", "n")
        )
        covered = set(
            ActorType.objects.filter(actor_pages__in=live, live=True)
            .filter(Q(required=True) | ~Q(lkt_role=""))
            .values_list("actor_pages__municipality", "pk")
            .distinct()
        )
        # A municipality's map is measured against the required types, a health trust's against the
        # specialist types every municipality needs a unit for.
        required = list(ActorType.objects.filter(live=True, required=True))
        specialist = list(specialist_types())
        trusts = set(HealthTrustPage.objects.filter(pk__in=ids).values_list("pk", flat=True))
        for page in pages:
            page.actor_count = counts.get(page.pk, 0)
            page.overdue_count = overdue.get(page.pk, 0)
            expected = specialist if page.pk in trusts else required
            page.missing_names = ", ".join(t.name for t in expected if (page.pk, t.pk) not in covered) or "–"
        return pages


class ConfirmBulkAction(IsolatedPageBulkAction, PageBulkAction):
    """«Bekreft uendret»: confirm that one or many actors' published data is still correct."""

    display_name = _("Bekreft uendret")
    action_type = "confirm"
    aria_label = _("Bekreft at opplysningene for de valgte aktørene fortsatt stemmer")
    template_name = "directory/admin/confirm_bulk.html"
    action_priority = 5

    def check_perm(self, page):
        specific = page.specific_deferred
        return isinstance(specific, ActorPage) and page.live and page.permissions_for_user(self.request.user).can_edit()

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        confirmed = confirm_unchanged([page.specific for page in objects], user)
        return len(confirmed), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d aktør er bekreftet uendret.", "%(count)d aktører er bekreftet uendret.", num_parent_objects
        ) % {"count": num_parent_objects}


class ConfirmColumn(Column):
    """«Bekreft uendret» on a row: a POST to the same bulk action as the page menus, back to the list it was in."""

    cell_template_name = "directory/admin/confirm_cell.html"

    def __init__(self, name="confirm", **kwargs):
        kwargs.setdefault("label", _("Handling"))
        super().__init__(name, **kwargs)

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        back = request.get_full_path() if request is not None else reverse("wagtailadmin_home")
        if request is not None and back.startswith(reverse("directory_overdue_results")):
            back = reverse("directory_overdue")
        url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", ConfirmBulkAction.action_type))
        context.update(
            confirm_url=f"{url}?{urlencode({'id': instance.pk, 'next': back})}",
            csrf_token=get_token(request) if request is not None else "",
        )
        return context


OverdueReportView.columns = [*OverdueReportView.columns, ConfirmColumn()]


class ActorListingView(ExplorableIndexView):
    """The explorer's listing of an actor map: Wagtail's columns and «Sist bekreftet», in one query more."""

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("confirmation")


class ActorPageViewSet(PageViewSet):
    """Used by Wagtail's explorer for the children of a municipality page (only actor pages live there)."""

    model = ActorPage
    index_view_class = ActorListingView
    workflow_action_view_class = ReportingWorkflowActionView
    edit_view_class = SerializedWorkflowEditView
    columns = [
        *ExplorableIndexView.base_columns,
        DateColumn("last_confirmed_at", label=_("Sist bekreftet"), accessor="last_confirmed_at", width="12%"),
    ]


def visible_catchment_municipalities(user):
    """Municipalities whose specialist coverage a user may review: all for national administrators, otherwise
    their own municipalities' and those in the catchment areas of the trusts they edit."""
    if user.is_superuser or user.has_perm("directory.manage_municipalities"):
        return Municipality.objects.all()
    pages = editable_municipalities(user)
    trusts = HealthTrustPage.objects.filter(pk__in=pages.values("pk"))
    return Municipality.objects.filter(
        Q(page__in=pages)
        | Q(health_trusts__in=trusts)
        | Q(postal_codes__health_trusts__in=trusts)
        | Q(postal_codes__served_by_actors__municipality__in=trusts)
        | Q(served_by_actors__municipality__in=trusts)
    ).distinct()


class SpecialistCoverageReportView(ReportView):
    """Per municipality: the health trusts whose catchment covers it, and the specialist actor types (required
    ones and the two specialist LKT roles) no unit serves there, or serves only part of it."""

    page_title = _("Spesialisthelsetjenesten per kommune")
    header_icon = "site"
    index_url_name = "directory_catchments"
    index_results_url_name = "directory_catchments_results"
    any_permission_required = ["add", "change", "publish"]
    permission_policy = PagePermissionPolicy()
    model = Municipality
    paginate_by = 400
    columns = [
        Column("name", label=_("Kommune")),
        Column("number", label=_("Kommunenummer")),
        Column("trust_names", label=_("Helseforetak")),
        Column("missing_names", label=_("Ingen enhet for")),
        Column("partly_names", label=_("Bare deler av kommunen har enhet for")),
    ]
    list_export = ["name", "number", "trust_names", "missing_names", "partly_names"]
    export_headings = {
        "name": _("Kommune"),
        "number": _("Kommunenummer"),
        "trust_names": _("Helseforetak"),
        "missing_names": _("Ingen enhet for"),
        "partly_names": _("Bare deler av kommunen har enhet for"),
    }

    def get_filename(self):
        return f"spesialisthelsetjenesten-per-kommune-{timezone.localdate():%Y-%m-%d}"

    def get_queryset(self):
        return visible_catchment_municipalities(self.request.user).order_by("name", "number")

    def decorate_paginated_queryset(self, object_list):
        municipalities = list(object_list)
        coverage = specialist_coverage(m.number for m in municipalities)
        for municipality in municipalities:
            found = coverage[municipality.number]
            municipality.trust_names = ", ".join(found.trusts) or "–"
            municipality.missing_names = ", ".join(t.name for t in found.missing) or "–"
            municipality.partly_names = ", ".join(t.name for t in found.partly) or "–"
        return municipalities
