"""The second factor in the Wagtail admin: the user's own devices, administrators' resets and the security trail."""

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import ListingButton

from . import admin_views
from .models import SecurityEvent

TRAIL_KEEPS_USER = _("%(name)s står i en revisjonslogg og kan ikke slettes. Gjør brukeren inaktiv i stedet.")


@hooks.register("register_admin_urls")
def register_account_admin_urls():
    urls = [
        path("<int:user_pk>/", admin_views.second_factor, name="second_factor"),
    ]
    return [
        path("to-faktor/", include((urls, "accounts_admin"), namespace="accounts_admin")),
        path("rapporter/sikkerhetslogg/", admin_views.SecurityTrailView.as_view(), name="security_trail"),
        path(
            "rapporter/sikkerhetslogg/resultater/",
            admin_views.SecurityTrailView.as_view(results_only=True),
            name="security_trail_results",
        ),
    ]


class DevicesMenuItem:
    """«To-faktor: enhetene dine» among the actions of the user's own account page."""

    label = _("To-faktor: enhetene dine")
    help_text = _("Se, legg til og fjern autentiseringsapper, og lag nye reservekoder.")

    @property
    def url(self):
        return reverse("accounts:devices")


@hooks.register("register_account_menu_item")
def devices_menu_item(request):
    return DevicesMenuItem()


class SecurityTrailMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("accounts.view_security_trail")


@hooks.register("register_reports_menu_item")
def security_trail_menu_item():
    return SecurityTrailMenuItem(_("Sikkerhetslogg"), reverse("security_trail"), icon_name="warning", order=20)


@hooks.register("register_user_listing_buttons")
def second_factor_button(user, request_user):
    if admin_views.may_manage(request_user, user):
        yield ListingButton(
            _("To-faktor"),
            reverse("accounts_admin:second_factor", args=[user.pk]),
            icon_name="key",
            priority=30,
        )


@hooks.register("before_delete_user")
def keep_users_in_the_trail(request, user):
    """A user who appears in the security trail is deactivated, never deleted: the trail keeps who it was."""
    if SecurityEvent.objects.filter(Q(user=user) | Q(actor=user)).exists():
        message = _("%(name)s står i en revisjonslogg og kan ikke slettes. Gjør brukeren inaktiv i stedet.")
        messages.error(request, message % {"name": user.get_username()})
        return redirect("wagtailusers_users:edit", user.pk)
    return None
