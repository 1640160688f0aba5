"""Second-factor pages: verify a code on every login, enrol with a grant, and manage one's own devices."""

from base64 import b32encode
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device

from . import services, trail
from .forms import ConfirmDeviceForm, EnrolmentCodeForm, PasswordForm, TokenForm
from .models import SecurityEvent

Kind = SecurityEvent.Kind
THROTTLED_MESSAGE = gettext_lazy("For mange feil forsøk. Vent litt og prøv igjen med en ny kode.")
WRONG_PASSWORD = gettext_lazy("Passordet stemmer ikke.")


def _next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("wagtailadmin_home")


def _with_next(url_name, request):
    return reverse(url_name) + "?" + urlencode({"next": _next_url(request)})


def _verified_login(request, device):
    """Mark the session as verified by this device under a new session key, so a key seen before is worthless."""
    otp_login(request, device)
    request.session.cycle_key()
    trail.record(Kind.OTP_VERIFIED, request, user=request.user)


@never_cache
@login_required
def verify(request):
    if request.user.is_verified():
        return redirect(_next_url(request))
    if not user_has_device(request.user):
        return redirect(_with_next("accounts:enrol", request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        if services.all_throttled(request.user, token):
            form.add_error("token", THROTTLED_MESSAGE)
            trail.record(Kind.OTP_FAILED, request, user=request.user, detail=_("sperret"))
        else:
            device = services.verify(request.user, token)
            if device is not None:
                _verified_login(request, device)
                return redirect(_next_url(request))
            form.add_error("token", _("Koden stemmer ikke, eller den er brukt før. Prøv igjen med en ny kode."))
            trail.record(Kind.OTP_FAILED, request, user=request.user)
    return render(request, "accounts/verify.html", {"form": form, "next": _next_url(request)})


def enrolment_link(request, code):
    """The e-mailed link: keep its code in the session and move it out of the address bar before anything else."""
    request.session[services.SESSION_PENDING_CODE] = services.normalise_code(code)
    return redirect("accounts:enrol")


@never_cache
@login_required
def enrol(request):
    user = request.user
    if user_has_device(user) and not user.is_verified():
        # A further device is added only from a verified session, never from a half login.
        return redirect(_with_next("accounts:verify", request))
    pending_code = request.session.pop(services.SESSION_PENDING_CODE, None)
    if pending_code:
        _take_grant(request, pending_code, _("Lenken er ugyldig, allerede brukt eller utløpt. Be om en ny."))
    grant = services.open_attempt(request.session.get(services.SESSION_GRANT), user)
    if grant is None:
        request.session.pop(services.SESSION_GRANT, None)
        if user.is_verified():
            return redirect("accounts:devices")
        return _ask_for_grant(request)
    return _confirm_device(request, grant)


def _take_grant(request, code, refused_message):
    grant = services.redeem(request.user, code, request)
    if grant is None:
        messages.error(request, refused_message)
        return None
    request.session[services.SESSION_GRANT] = grant.pk
    return grant


def _ask_for_grant(request):
    """A password alone attaches nothing: a code from an administrator, or a link to the registered address."""
    code_form = EnrolmentCodeForm(request.POST if request.POST.get("action") == "code" else None)
    if request.method == "POST":
        if request.POST.get("action") == "send":
            try:
                sent = services.send_enrolment_link(request.user, request)
            except services.TooSoon:
                messages.info(request, _("Vi sendte deg en lenke for et øyeblikk siden. Sjekk e-posten din."))
            else:
                if sent:
                    messages.success(
                        request, _("Vi har sendt en lenke til %(address)s.") % {"address": _masked(request.user)}
                    )
            return redirect(_with_next("accounts:enrol", request))
        if code_form.is_valid():
            refused = _("Koden er ugyldig, allerede brukt eller utløpt.")
            if _take_grant(request, code_form.cleaned_data["code"], refused) is not None:
                return redirect(_with_next("accounts:enrol", request))
    context = {"code_form": code_form, "masked_email": _masked(request.user), "next": _next_url(request)}
    return render(request, "accounts/enrol_grant.html", context)


def _masked(user):
    """k***@example.com: enough for the user to recognise their address, not enough to learn it."""
    local, _at, domain = (user.email or "").partition("@")
    return f"{local[:1]}***@{domain}" if domain else ""


def _confirm_device(request, grant):
    device = grant.device
    form = ConfirmDeviceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.is_throttled(device):
            form.add_error("token", THROTTLED_MESSAGE)
        else:
            confirmed = services.confirm_enrolment(
                grant, form.cleaned_data["token"], form.cleaned_data["name"], request
            )
            if confirmed is not None:
                device, codes = confirmed
                request.session.pop(services.SESSION_GRANT, None)
                _verified_login(request, device)
                # Shown once, in this response only: backup codes are never stored in the session.
                return render(request, "accounts/backup_codes.html", {"codes": codes, "next": _next_url(request)})
            form.add_error("token", _("Koden stemmer ikke. Sjekk at klokken på telefonen er riktig, og prøv igjen."))
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    context = {
        "form": form,
        "qr_svg": image.to_string(encoding="unicode"),
        "secret": _base32_secret(device),
        "next": _next_url(request),
    }
    return render(request, "accounts/enrol.html", context)


def _base32_secret(device):
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


# --- the user's own devices ---------------------------------------------------------------------------------------


def _verified_only(view):
    @login_required
    def wrapper(request, *args, **kwargs):
        if not request.user.is_verified():
            return redirect(_with_next("accounts:verify", request))
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return never_cache(wrapper)


@_verified_only
def devices(request, password_form=None, failed_action=""):
    """The user's authenticators (name, added, last used) and backup codes, with what they may change."""
    context = {
        "devices": services.authenticators(request.user),
        "backup_codes_left": services.backup_codes_left(request.user),
        "password_form": password_form or PasswordForm(),
        "failed_action": failed_action,
        "events": SecurityEvent.objects.filter(user=request.user)[:10],
    }
    return render(request, "accounts/devices.html", context)


def _password_or_page(request, action):
    """The password form bound to the POST, or None with the devices page rendered again with the error."""
    form = PasswordForm(request.POST)
    if form.is_valid() and services.password_confirmed(request, form.cleaned_data["password"]):
        return None
    if form.is_valid():
        form.add_error("password", WRONG_PASSWORD)
    return devices(request, password_form=form, failed_action=action)


@require_POST
@_verified_only
def add_device(request):
    refused = _password_or_page(request, "add")
    if refused is not None:
        return refused
    grant = services.grant_after_password(request.user, request)
    request.session[services.SESSION_GRANT] = grant.pk
    return redirect(reverse("accounts:enrol") + "?" + urlencode({"next": reverse("accounts:devices")}))


@require_POST
@_verified_only
def remove_device(request, device_pk):
    device = get_object_or_404(services.authenticators(request.user), pk=device_pk)
    refused = _password_or_page(request, f"remove-{device.pk}")
    if refused is not None:
        return refused
    try:
        services.remove_device(request.user, device, request)
    except services.LastDevice:
        messages.error(request, _("Du kan ikke fjerne den siste enheten. Legg til en ny enhet først."))
    else:
        messages.success(request, _("Enheten «%(name)s» er fjernet.") % {"name": device.name})
    return redirect("accounts:devices")


@require_POST
@_verified_only
def renew_backup_codes(request):
    refused = _password_or_page(request, "backup")
    if refused is not None:
        return refused
    codes = services.renew_backup_codes(request.user, request)
    return render(request, "accounts/backup_codes.html", {"codes": codes, "next": reverse("accounts:devices")})
