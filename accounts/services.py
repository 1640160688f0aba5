"""Second factors: enrolment by grant, verification, device changes and resets – each one in the security trail.

A password alone never attaches a second factor. The first device needs an enrolment grant that reached the
user another way (a link to their registered e-mail address, or a code from an administrator); a further device
or new backup codes need the password again in a session already verified by a second factor. Every change is
e-mailed to the user, so a change they did not make does not go unnoticed.
"""

import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import trail
from .models import EnrolmentGrant, SecurityEvent, hash_code

Kind = SecurityEvent.Kind
Channel = EnrolmentGrant.Channel

BACKUP_CODE_COUNT = 10
BACKUP_DEVICE_NAME = "Reservekoder"
DEFAULT_DEVICE_NAME = "Autentiseringsapp"
# Letters and digits that cannot be mistaken for each other when read out or typed (no I, L, O, U, 0, 1).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
CODE_LENGTH = 16
GRANT_LIFETIME = timedelta(hours=24)
# A password thief can press «send me a link»; the user's mailbox gets at most one such e-mail per interval.
EMAIL_INTERVAL = timedelta(minutes=5)
SESSION_GRANT = "lkt_enrolment_grant"
SESSION_PENDING_CODE = "lkt_enrolment_code"
# ASCII only: str.isdigit() and \d also accept digits such as «²» that int() and the OTP check do not.
SIX_DIGITS = re.compile(r"[0-9]{6}")


class TooSoon(Exception):
    """An enrolment link was sent to this user a moment ago."""


class LastDevice(Exception):
    """Removing this device would leave the account without a second factor."""


# --- codes -------------------------------------------------------------------------------------------------------


def new_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code):
    """ABCD-EFGH-JKMN-PQRS: easier to read out and type."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise_code(text):
    return "".join(ch for ch in str(text).upper() if ch.isalnum())


# --- e-mail ------------------------------------------------------------------------------------------------------


def _absolute(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def notify(user, subject, template, **context):
    """E-mail the user about a change to their sign-in; never a code that would let someone else in."""
    if not user.email:
        return
    body = render_to_string(template, {"user": user, "devices_url": _absolute(reverse("accounts:devices")), **context})
    recipient = user.email
    transaction.on_commit(lambda: send_mail(subject, body, None, [recipient], fail_silently=True))


# --- grants ------------------------------------------------------------------------------------------------------


def _discard_open_grants(user):
    """Revoke the user's grants still open and delete their half-enrolled devices: only the newest grant counts."""
    now = timezone.now()
    stale = EnrolmentGrant.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True)
    TOTPDevice.objects.filter(enrolment_grant__in=stale, confirmed=False).delete()
    stale.update(revoked_at=now)


def issue_grant(user, channel, request=None, issued_by=None):
    """A new enrolment grant and its code (returned once; only its hash is stored)."""
    code = new_code()
    with transaction.atomic():
        _discard_open_grants(user)
        grant = EnrolmentGrant.objects.create(
            user=user,
            channel=channel,
            code_hash=hash_code(code),
            issued_by=issued_by,
            expires_at=timezone.now() + GRANT_LIFETIME,
        )
        trail.record(Kind.ENROLMENT_ISSUED, request, user=user, actor=issued_by, detail=channel)
    return grant, code


def send_enrolment_link(user, request=None):
    """E-mail the user a single-use link to set up their first authenticator; refuses a second within minutes."""
    if not user.email:
        return False
    recent = EnrolmentGrant.objects.filter(
        user=user, channel=Channel.EMAIL, created_at__gt=timezone.now() - EMAIL_INTERVAL
    )
    if recent.exists():
        raise TooSoon
    _grant, code = issue_grant(user, Channel.EMAIL, request)
    notify(
        user,
        _("Sett opp to-faktor-innlogging i LKT"),
        "accounts/email/enrolment_link.txt",
        link=_absolute(reverse("accounts:enrolment_link", args=[code])),
        hours=int(GRANT_LIFETIME.total_seconds() // 3600),
    )
    return True


@transaction.atomic
def redeem(user, code, request=None):
    """Take a grant into use for this user, with its own fresh authenticator secret; None if it is not valid.

    A grant is redeemed once: whoever presents the same code later – in another session or after the user
    finished – gets nothing.
    """
    grant = (
        EnrolmentGrant.objects.select_for_update()
        .usable()
        .filter(code_hash=hash_code(normalise_code(code)), redeemed_at__isnull=True)
        .first()
    )
    if grant is None or grant.user_id != user.pk:
        trail.record(Kind.ENROLMENT_REFUSED, request, user=user)
        return None
    grant.redeemed_at = timezone.now()
    grant.device = TOTPDevice.objects.create(user=user, name=DEFAULT_DEVICE_NAME, confirmed=False)
    grant.save(update_fields=["redeemed_at", "device"])
    trail.record(Kind.ENROLMENT_REDEEMED, request, user=user, detail=grant.channel)
    return grant


def grant_after_password(user, request):
    """A verified user who re-entered their password may add a device: a grant redeemed at once."""
    _grant, code = issue_grant(user, Channel.REAUTHENTICATED, request, issued_by=user)
    return redeem(user, code, request)


def open_attempt(grant_pk, user):
    """The enrolment attempt a session holds, if it is still open."""
    if grant_pk is None:
        return None
    grant = EnrolmentGrant.objects.filter(pk=grant_pk, user=user).select_related("device").first()
    if grant is None or not grant.is_open or grant.device is None or grant.device.confirmed:
        return None
    return grant


@transaction.atomic
def confirm_enrolment(grant, token, name, request=None):
    """Confirm the attempt's device with its first code and issue fresh backup codes; None if the code is wrong."""
    device = TOTPDevice.objects.select_for_update().get(pk=grant.device_id)
    if not device.verify_token(token):
        trail.record(Kind.OTP_FAILED, request, user=grant.user, detail=_("ved oppsett"))
        return None
    device.confirmed = True
    device.name = name or DEFAULT_DEVICE_NAME
    device.save(update_fields=["confirmed", "name"])
    grant.used_at = timezone.now()
    grant.save(update_fields=["used_at"])
    codes = _replace_backup_codes(grant.user)
    trail.record(Kind.DEVICE_ADDED, request, user=grant.user, detail=device.name)
    notify(
        grant.user,
        _("En ny enhet for to-faktor er lagt til på kontoen din i LKT"),
        "accounts/email/device_added.txt",
        device=device,
    )
    return device, codes


# --- backup codes and devices ------------------------------------------------------------------------------------


def _replace_backup_codes(user):
    static, _created = StaticDevice.objects.get_or_create(user=user, name=BACKUP_DEVICE_NAME)
    static.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    return codes


@transaction.atomic
def renew_backup_codes(user, request=None):
    codes = _replace_backup_codes(user)
    trail.record(Kind.BACKUP_CODES_RENEWED, request, user=user)
    notify(user, _("Du har fått nye reservekoder i LKT"), "accounts/email/backup_codes_renewed.txt")
    return codes


def authenticators(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("created_at", "pk")


def backup_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def remove_device(user, device, request=None):
    """Remove one of the user's own authenticators; the last one stays (an administrator can reset instead)."""
    if not authenticators(user).exclude(pk=device.pk).exists():
        raise LastDevice
    name = device.name
    device.delete()
    trail.record(Kind.DEVICE_REMOVED, request, user=user, detail=name)
    notify(
        user,
        _("En enhet for to-faktor er fjernet fra kontoen din i LKT"),
        "accounts/email/device_removed.txt",
        device_name=name,
    )


@transaction.atomic
def reset_second_factor(user, admin, request=None):
    """An administrator's reset: every device and open grant goes, and the user gets a new link by e-mail."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    EnrolmentGrant.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    trail.record(Kind.SECOND_FACTOR_RESET, request, user=user, actor=admin)
    notify(user, _("To-faktor-innloggingen din i LKT er nullstilt"), "accounts/email/second_factor_reset.txt")
    if user.email:
        send_enrolment_link(user, request)


def password_confirmed(request, password):
    """The signed-in user's password, checked again through the authentication backends (and their throttling)."""
    user = request.user
    again = authenticate(request, username=user.get_username(), password=password)
    if again is None or again.pk != user.pk:
        return False
    trail.record(Kind.PASSWORD_CONFIRMED, request, user=user)
    return True


def clear_expired():
    """Half-enrolled devices of grants that expired or were revoked; returns how many were deleted."""
    stale = EnrolmentGrant.objects.filter(used_at__isnull=True).exclude(
        revoked_at__isnull=True, expires_at__gt=timezone.now()
    )
    deleted, _detail = TOTPDevice.objects.filter(enrolment_grant__in=stale, confirmed=False).delete()
    return deleted


# --- verification ------------------------------------------------------------------------------------------------


def _candidate_devices(user, token):
    if SIX_DIGITS.fullmatch(token):
        return TOTPDevice.objects.devices_for_user(user, confirmed=True)
    return StaticDevice.objects.devices_for_user(user, confirmed=True)


def verify(user, token):
    """The confirmed device that accepts this token, or None. Each device applies its own throttling."""
    with transaction.atomic():
        for device in _candidate_devices(user, token).select_for_update():
            if device.verify_token(token):
                return device
    return None


def is_throttled(device):
    """True while django-otp refuses to check codes for this device after repeated failures."""
    allowed, _detail = device.verify_is_allowed()
    return not allowed


def all_throttled(user, token):
    """True when every device that could accept this kind of code is locked after repeated failures."""
    devices = list(_candidate_devices(user, token))
    return bool(devices) and all(is_throttled(device) for device in devices)
