"""Enrolment and verification of second factors."""

import re

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

BACKUP_CODE_COUNT = 10
TOTP_PATTERN = re.compile(r"^\d{6}$")


def pending_totp_device(user):
    """The unconfirmed TOTP device a user is enrolling, created on first visit."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Autentiseringsapp", confirmed=False)
    return device


def confirm_enrolment(device, token):
    """Confirm a new TOTP device with its first code and issue backup codes; None if the code is wrong."""
    if not device.verify_token(token):
        return None
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        static, _ = StaticDevice.objects.get_or_create(user=device.user, name="Reservekoder")
        static.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
        StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    return codes


def _candidate_devices(user, token):
    if TOTP_PATTERN.match(token):
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
    allowed, _ = device.verify_is_allowed()
    return not allowed


def all_throttled(user, token):
    """True when every device that could accept this kind of code is locked after repeated failures."""
    devices = list(_candidate_devices(user, token))
    return bool(devices) and all(is_throttled(device) for device in devices)
