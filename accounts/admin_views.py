"""Admin screens for the second factor of other users, and the security trail as a Wagtail report.

Only superusers and holders of ``accounts.manage_second_factor`` reach the second-factor screen; others get
404, as for any object they have no business knowing about. Nobody but a superuser manages a superuser.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from wagtail.admin.ui.tables import Column, DateColumn, UserColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from . import services
from .models import EnrolmentGrant, SecurityEvent


def may_manage(admin, user):
    if not (admin.is_superuser or admin.has_perm("accounts.manage_second_factor")):
        return False
    return admin.is_superuser or not user.is_superuser


@never_cache
def second_factor(request, user_pk):
    user = get_object_or_404(get_user_model(), pk=user_pk)
    if not may_manage(request.user, user):
        raise Http404
    code = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "reset":
            services.reset_second_factor(user, request.user, request)
            messages.success(
                request,
                _("To-faktor for %(name)s er nullstilt. Brukeren har fått en ny oppsettlenke på e-post.")
                % {"name": user.get_username()},
            )
            return redirect("accounts_admin:second_factor", user.pk)
        if action == "code":
            _grant, raw = services.issue_grant(user, EnrolmentGrant.Channel.ADMIN, request, issued_by=request.user)
            code = services.format_code(raw)
    context = {
        "subject": user,
        "devices": services.authenticators(user),
        "backup_codes_left": services.backup_codes_left(user),
        "code": code,
        "events": SecurityEvent.objects.filter(user=user).select_related("actor")[:20],
        "header_title": _("To-faktor for %(name)s") % {"name": user.get_username()},
        "users_url": reverse("wagtailusers_users:index"),
    }
    return TemplateResponse(request, "accounts/admin/second_factor.html", context)


class SecurityTrailView(ReportView):
    """Sign-ins, failures, lockouts and second-factor changes, newest first."""

    page_title = gettext_lazy("Sikkerhetslogg")
    header_icon = "warning"
    index_url_name = "security_trail"
    index_results_url_name = "security_trail_results"
    permission_policy = ModelPermissionPolicy(SecurityEvent)
    any_permission_required = ["view_security_trail"]
    paginate_by = 100
    columns = [
        DateColumn("at", label=gettext_lazy("Tidspunkt"), accessor="at"),
        Column("kind", label=gettext_lazy("Hendelse"), accessor="get_kind_display"),
        UserColumn("user", label=gettext_lazy("Bruker")),
        Column("username", label=gettext_lazy("Brukernavn oppgitt")),
        UserColumn("actor", label=gettext_lazy("Utført av")),
        Column("ip_address", label=gettext_lazy("IP-adresse")),
        Column("detail", label=gettext_lazy("Detaljer")),
    ]
    list_export = ["at", "kind", "user", "username", "actor", "ip_address", "user_agent", "detail"]

    def get_filename(self):
        return f"sikkerhetslogg-{timezone.localdate():%Y-%m-%d}"

    def get_queryset(self):
        return SecurityEvent.objects.select_related("user", "actor").order_by("-at", "-pk")
