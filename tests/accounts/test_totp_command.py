"""`manage.py totp_kode`: the demo can be tried without a phone, and only in development."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice


def test_prints_a_code_the_device_accepts(settings, make_user):
    settings.DEBUG = True
    user = make_user("redaktor.test")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=False)
    out = StringIO()
    call_command("totp_kode", "redaktor.test", stdout=out)
    code = out.getvalue().split()[0]
    assert "under oppsett" in out.getvalue()
    assert device.verify_token(code)


def test_a_user_without_an_authenticator_is_told_what_to_do_first(settings, make_user):
    settings.DEBUG = True
    make_user("uten.app")
    with pytest.raises(CommandError, match="oppsettkoden"):
        call_command("totp_kode", "uten.app")


def test_refused_outside_development(settings, make_user):
    settings.DEBUG = False
    user = make_user("redaktor.prod")
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    out = StringIO()
    with pytest.raises(CommandError, match="bare i utvikling"):
        call_command("totp_kode", "redaktor.prod", stdout=out)
    assert out.getvalue() == ""
