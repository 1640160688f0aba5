"""Second-factor pages: enrol an authenticator app after first login, and verify a code on every login."""

from base64 import b32encode
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp import user_has_device

from . import services
from .forms import TokenForm

THROTTLED_MESSAGE = gettext_lazy("For mange feil forsøk. Vent litt og prøv igjen med en ny kode.")


def _next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/admin/"


@never_cache
@login_required
def verify(request):
    if request.user.is_verified():
        return redirect(_next_url(request))
    if not user_has_device(request.user):
        return redirect(reverse("accounts:enrol") + "?" + urlencode({"next": _next_url(request)}))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        if services.all_throttled(request.user, token):
            form.add_error("token", THROTTLED_MESSAGE)
        else:
            device = services.verify(request.user, token)
            if device is not None:
                otp_login(request, device)
                return redirect(_next_url(request))
            form.add_error("token", _("Koden stemmer ikke, eller den er brukt før. Prøv igjen med en ny kode."))
    return render(request, "accounts/verify.html", {"form": form, "next": _next_url(request)})


@never_cache
@login_required
def enrol(request):
    if user_has_device(request.user) and not request.user.is_verified():
        # A second device may only be added from a verified session; never from a half login.
        return redirect(reverse("accounts:verify") + "?" + urlencode({"next": _next_url(request)}))
    device = services.pending_totp_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.is_throttled(device):
            form.add_error("token", THROTTLED_MESSAGE)
        else:
            codes = services.confirm_enrolment(device, form.cleaned_data["token"])
            if codes is not None:
                otp_login(request, device)
                # Shown once, in this response only: backup codes are never stored in the session.
                return render(request, "accounts/backup_codes.html", {"codes": codes, "next": _next_url(request)})
            form.add_error("token", _("Koden stemmer ikke. Sjekk at klokken på telefonen er riktig, og prøv igjen."))
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return render(
        request,
        "accounts/enrol.html",
        {
            "form": form,
            "qr_svg": image.to_string(encoding="unicode"),
            "secret": _base32_secret(device),
            "next": _next_url(request),
        },
    )


def _base32_secret(device):
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
