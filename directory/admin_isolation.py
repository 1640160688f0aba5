"""Municipality isolation in the Wagtail admin: nobody sees another subtree's unpublished titles.

Wagtail keeps the explorer, the admin page search, the admin API and most reports to the pages a user may
explore, but some admin screens name any page in the tree: the page chooser (browse, search and the «choose
a parent» mode of move and copy), the move confirmation for any destination id, the copy, choose-parent and
bulk-move forms shown again with any posted parent, bulk-action confirmations for any ``?id=``, the page
types usage report (the last edited page of each type, wherever it is) and the site history (log entries
keep the title a page had then). On top of that almost every admin screen names a page by
``get_admin_display_title()``, which is its *draft* title, so an unpublished change to a public page shows
through wherever the page itself may be shown.

For every user but superusers and national administrators (who keep seeing everything) two rules hold:

1. **Hidden pages.** A page that is not live, outside the subtrees where the user holds a page permission and
   not an ancestor of one, does not exist for them: choosers, reports and bulk actions leave it out, and any
   admin URL or form that names it answers 404 (need-to-know: not even its existence).
2. **Live titles.** Every other page outside those subtrees is shown by its live title: it is public anyway,
   its unpublished changes are not.

The middleware sets who is looking for the duration of each admin request; the rest reads it from there.
"""

from contextvars import ContextVar

from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.signals import post_init
from django.dispatch import receiver
from django.http import Http404
from django.shortcuts import get_list_or_404
from django.urls import path, reverse
from django.utils.functional import cached_property
from wagtail import hooks
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.chooser import BrowseView, page_models_from_string
from wagtail.admin.views.pages.bulk_actions import (
    DeleteBulkAction,
    MoveBulkAction,
    PublishBulkAction,
    UnpublishBulkAction,
)
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.models import GroupPagePermission, Page, PageLogEntry

from core.digits import parse_ids

from .groups import NATIONAL_ADMINS

_viewer = ContextVar("lkt_admin_viewer", default=None)


class Viewer:
    """The user an admin request is for, and which pages are hidden from them or shown by their live title."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def sees_everything(self):
        return self.user.is_superuser or self.user.groups.filter(name=NATIONAL_ADMINS).exists()

    @cached_property
    def permitted_paths(self):
        # values_list, not the permission policy's cached pages: building Page instances here would
        # re-enter the post_init receiver below while this property is still being computed.
        paths = GroupPagePermission.objects.filter(group__user=self.user).values_list("page__path", flat=True)
        return tuple(sorted(set(paths)))

    @cached_property
    def ancestor_paths(self):
        """The pages above each permitted subtree, which the user passes through to reach it."""
        step = Page.steplen
        return tuple(sorted({p[:end] for p in self.permitted_paths for end in range(step, len(p), step)}))

    def is_permitted(self, page_path):
        return page_path.startswith(self.permitted_paths)

    def permitted(self, prefix=""):
        """A filter for the pages in the permitted subtrees (``prefix`` to reach the page from another model)."""
        condition = Q(**{f"{prefix}pk__in": []})  # nothing, for a user without page permissions
        for permitted in self.permitted_paths:
            condition |= Q(**{f"{prefix}path__startswith": permitted})
        return condition

    def shown(self):
        """A filter for the pages this user may see (the search backend can apply it: live and path are indexed)."""
        condition = Q(live=True)
        if self.ancestor_paths:
            condition |= Q(path__in=self.ancestor_paths)
        for permitted in self.permitted_paths:
            condition |= Q(path__startswith=permitted)
        return condition

    def visible(self, pages):
        return pages.filter(self.shown())

    def is_hidden(self, page):
        return not (page.live or self.is_permitted(page.path) or page.path in self.ancestor_paths)


def current_viewer():
    """Who the current admin request is for, or None where nothing is to be hidden."""
    viewer = _viewer.get()
    if viewer is None or viewer.sees_everything:
        return None
    return viewer


def _admin_prefix():
    return reverse("wagtailadmin_home")


# The URL keyword arguments that name a page, in the page views, the explorer and the chooser.
PAGE_ID_KWARGS = ("page_id", "parent_page_id", "page_to_move_id", "destination_id", "pk")
PAGE_URL_NAMESPACE = "wagtailadmin_pages"
PAGE_URL_NAMES = {"wagtailadmin_explore", "wagtailadmin_explore_results", "wagtailadmin_choose_page_child"}
# Form fields and query parameters naming a page that the response names in turn (a form shown again
# with its errors shows the parent page posted in it).
PAGE_ID_PARAMETERS = {
    "wagtailadmin_pages:copy": ("new_parent_page",),
    "wagtailadmin_pages:choose_parent": ("parent_page",),
    "wagtailadmin_choose_page_chosen_multiple": ("id",),
    "wagtail_bulk_action": ("chooser",),
}


class AdminIsolationMiddleware:
    """Sets who an admin request is for, and answers 404 where its URL, form or query names a hidden page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not request.path_info.startswith(_admin_prefix()):
            return self.get_response(request)
        token = _viewer.set(Viewer(user))
        try:
            return self.get_response(request)
        finally:
            _viewer.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        viewer = current_viewer()
        match = request.resolver_match
        if viewer is None or match is None:
            return None
        ids = []
        if match.namespace == PAGE_URL_NAMESPACE or match.view_name in PAGE_URL_NAMES:
            ids += [view_kwargs[name] for name in PAGE_ID_KWARGS if name in view_kwargs]
        for name in PAGE_ID_PARAMETERS.get(match.view_name, ()):
            ids += request.GET.getlist(name)
            if request.method == "POST":
                ids += request.POST.getlist(name)
        ids = parse_ids(str(value) for value in ids)
        if ids and Page.objects.filter(pk__in=ids).exclude(viewer.shown()).exists():
            raise Http404
        return None


@receiver(post_init, dispatch_uid="lkt_admin_live_titles")
def show_live_title(sender, instance, **kwargs):
    """A page outside the viewer's subtrees is named by its live title: its draft title is set to it on loading.

    Wagtail's admin names pages by ``get_admin_display_title()`` (the draft title) in templates, messages,
    breadcrumbs, the admin API and the link chooser, on specific and plain ``Page`` instances alike, with no
    hook; every instance passes through here. The user has no permission on such a page, so nothing in the
    request saves it.
    """
    viewer = _viewer.get()
    if viewer is None or not isinstance(instance, Page):
        return
    fields = instance.__dict__
    # A page loaded without these (``only()``/``defer()``) cannot be judged without a query of its own.
    if not fields.get("path") or "live" not in fields or "title" not in fields:
        return
    if fields["live"] and not viewer.sees_everything and not viewer.is_permitted(fields["path"]):
        instance.draft_title = fields["title"]


@hooks.register("construct_page_chooser_queryset")
def hide_pages_in_chooser(pages, request):
    viewer = current_viewer()
    return pages if viewer is None else viewer.visible(pages)


class IsolatedPageBulkAction:
    """Bulk actions on pages: the ids of hidden pages are treated as if no such page existed."""

    @classmethod
    def get_queryset(cls, model, object_ids):
        pages = model._default_manager.all()
        viewer = current_viewer()
        if viewer is not None:
            pages = viewer.visible(pages)
        return get_list_or_404(pages, pk__in=object_ids)


class IsolatedDeleteBulkAction(IsolatedPageBulkAction, DeleteBulkAction):
    pass


class IsolatedMoveBulkAction(IsolatedPageBulkAction, MoveBulkAction):
    pass


class IsolatedPublishBulkAction(IsolatedPageBulkAction, PublishBulkAction):
    pass


class IsolatedUnpublishBulkAction(IsolatedPageBulkAction, UnpublishBulkAction):
    pass


# After Wagtail's own (order 0), so these replace them in the registry under the same action names.
for _action in (
    IsolatedDeleteBulkAction,
    IsolatedMoveBulkAction,
    IsolatedPublishBulkAction,
    IsolatedUnpublishBulkAction,
):
    hooks.register("register_bulk_action", _action, order=1)


class IsolatedBrowseView(BrowseView):
    """The page chooser's first screen for given page types opens at their common ancestor among visible pages.

    Wagtail takes the common ancestor of all pages of the types, which is a hidden page when they all lie
    under one; it is the one page of this screen that the chooser hook does not reach.
    """

    def get(self, request, parent_page_id=None):
        viewer = current_viewer()
        page_type = request.GET.get("page_type")
        if viewer is None or parent_page_id is not None or not page_type:
            return super().get(request, parent_page_id)
        try:
            desired_classes = page_models_from_string(page_type)
        except (ValueError, LookupError) as e:
            raise Http404 from e
        if desired_classes == (Page,):
            return super().get(request, parent_page_id)
        pages = viewer.visible(Page.objects.type(*desired_classes))
        try:
            parent = pages.first_common_ancestor()
        except Page.DoesNotExist:
            parent = Page.get_first_root_node()
        while viewer.is_hidden(parent):
            parent = parent.get_parent()
        return super().get(request, parent.pk)


class IsolatedPageTypesUsageReportView(PageTypesUsageReportView):
    """The last edited page of each type is the last edited one the user may see."""

    def get_queryset(self):
        queryset = super().get_queryset()
        viewer = current_viewer()
        if viewer is None:
            return queryset
        latest = viewer.visible(Page.objects.filter(content_type=OuterRef("pk")))
        language_code = self.filters.form.cleaned_data.get("page_locale")
        site_root_path = self.filters.form.cleaned_data.get("site")
        if language_code:
            latest = latest.filter(locale__language_code=language_code)
        if site_root_path:
            latest = latest.filter(path__startswith=site_root_path)
        latest = latest.order_by(F("latest_revision_created_at").desc(nulls_last=True), "title", "-pk")
        # Replaces Wagtail's annotation of the same name, which looks at every page.
        return queryset.annotate(last_edited_page_id=Subquery(latest.values("pk")[:1]))


class IsolatedLogEntriesView(LogEntriesView):
    """Site history: page log entries of the user's own subtrees only.

    An entry's label is the page's title when it was written, a draft title for an edit; Wagtail shows the
    entries of every page the user may explore, which includes the pages above their subtrees.
    """

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        viewer = current_viewer()
        if viewer is not None and queryset.model is PageLogEntry:
            queryset = queryset.filter(viewer.permitted("page__"))
        return queryset


# Included ahead of Wagtail's admin URLs (lkt_site/urls.py), so these paths reach the views above;
# unnamed, as reversing Wagtail's names gives the same paths.
admin_urlpatterns = [
    path("choose-page/", require_admin_access(IsolatedBrowseView.as_view())),
    path("reports/page-types-usage/", require_admin_access(IsolatedPageTypesUsageReportView.as_view())),
    path(
        "reports/page-types-usage/results/",
        require_admin_access(IsolatedPageTypesUsageReportView.as_view(results_only=True)),
    ),
    path("reports/site-history/", require_admin_access(IsolatedLogEntriesView.as_view())),
    path("reports/site-history/results/", require_admin_access(IsolatedLogEntriesView.as_view(results_only=True))),
]
