"""Wagtail's bulk-action dispatcher (``/admin/bulk/<app>/<model>/<action>/``) with the selection checked first.

Every bulk action – «Bekreft uendret» (``directory.admin_views.ConfirmBulkAction``) as well as Wagtail's own
publish, unpublish, move and delete – hands the ``id`` parameters straight to ``pk__in`` and ``childOf`` to
``Page.objects.get``: ``?id=abc`` or an unknown ``childOf`` was a server error. This view sits on the same path
ahead of Wagtail's (``lkt_site/urls.py``), refuses a selection that is no list of ids with a Norwegian 400 page
and an unknown parent with 404, and otherwise hands over to Wagtail unchanged.
"""

from django.apps import apps
from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.bulk_action import index as wagtail_bulk_action
from wagtail.models import Page

from .digits import parse_id
from .errors import UnreadableInput


@never_cache
@require_admin_access
def bulk_action(request, app_label, model_name, action):
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        raise Http404 from None
    if isinstance(model._meta.pk, models.IntegerField):
        ids = request.GET.getlist("id")
        if any(value != "all" and parse_id(value) is None for value in ids):
            raise UnreadableInput(
                _("Utvalget inneholder noe som ikke er et gyldig nummer. Gå tilbake til listen og velg på nytt."),
                where="id",
            )
    child_of = request.GET.get("childOf")
    if child_of is not None:
        parent = parse_id(child_of)
        if parent is None:
            raise UnreadableInput(_("Adressen peker ikke på en gyldig side. Gå tilbake til listen."), where="childOf")
        if issubclass(model, Page) and not Page.objects.filter(pk=parent).exists():
            raise Http404
    return wagtail_bulk_action(request, app_label, model_name, action)
