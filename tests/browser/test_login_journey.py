"""Signing in for the first time, in real headless Chromium, and what a password guesser meets.

A new editor signs in with a password, is told a password alone is not enough, asks for the enrolment link,
opens it from the e-mail, scans the secret, confirms with a code, keeps the backup codes and reaches the admin
under a new session key. Someone guessing the password is locked out with a Norwegian page.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "korrekt-hest-batteri"  # set by make_user in tests/conftest.py

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def editor(migrated_data, make_municipality, make_user):
    _page, editors, _reviewers = make_municipality("4624")
    return make_user("ny.redaktor", groups=[editors])


def _sign_in(page, username, password=PASSWORD):
    page.goto("/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("form:has(input[name=password]) [type=submit]").click()


def _session_key(page):
    return next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")


def test_a_new_editor_enrols_with_the_emailed_link(editor, new_page):
    page = new_page()
    _sign_in(page, editor.username)
    page.wait_for_url(re.compile(r"/konto/to-faktor/oppsett/"))
    assert page.locator("svg").count() == 0
    assert "oppsettlenke eller en oppsettkode" in page.locator("main").inner_text()

    mail.outbox.clear()
    page.get_by_role("button", name="Send meg en oppsettlenke").click()
    page.locator(".messages").wait_for()
    assert "n***@example.com" in page.locator(".messages").inner_text()
    link = re.search(r"https?://\S+/konto/to-faktor/lenke/\S+/", mail.outbox[-1].body).group(0)

    page.goto(urlsplit(link).path)
    page.wait_for_url(re.compile(r"/konto/to-faktor/oppsett/$"))
    assert "/lenke/" not in page.url
    page.locator("figure.qr svg").wait_for()
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    before = _session_key(page)
    page.fill("input[name=name]", "Jobbtelefon")
    page.fill("input[name=token]", f"{code:06d}")
    page.locator("input[name=token]").press("Enter")
    page.locator("ul.backup-codes").wait_for()
    assert page.locator("ul.backup-codes code").count() == 10
    assert _session_key(page) != before

    page.get_by_role("link", name=re.compile("fortsett")).click()
    page.wait_for_url(re.compile(r"/admin/$"))
    page.locator("#wagtail-sidebar .sidebar-footer__account").wait_for(state="visible")
    assert TOTPDevice.objects.get(user=editor, confirmed=True).name == "Jobbtelefon"
    assert not page.lkt_errors, page.lkt_errors


def test_a_password_guesser_is_locked_out_in_norwegian(editor, new_page, settings):
    settings.AXES_FAILURE_LIMIT = 3
    page = new_page()
    for _attempt in range(3):
        _sign_in(page, editor.username, "gjetter-feil")
    _sign_in(page, editor.username)
    body = page.locator("main").inner_text()
    assert "Innloggingen er midlertidig sperret" in body
    assert "15 minutter" in body
    assert page.evaluate("document.documentElement.lang") == "nb"
    assert "/konto/to-faktor/" not in page.url
