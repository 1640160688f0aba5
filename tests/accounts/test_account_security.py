"""The front door: enrolment a stolen password cannot take over, throttled sign-in, bounded sessions, the trail.

Each test drives the real views (Wagtail's login form, the second-factor pages, the admin screen) and fails
when the protection it covers is removed.
"""

import re
import time
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.models import EnrolmentGrant, SecurityEvent
from accounts.signals import SESSION_STARTED
from tests.conftest import verify_client

PASSWORD = "korrekt-hest-batteri"
LOGIN_URL = "/admin/login/"
FRONTEND_LOGIN_URL = "/_util/login/"
ENROL_URL = "/konto/to-faktor/oppsett/"
VERIFY_URL = "/konto/to-faktor/"
DEVICES_URL = "/konto/to-faktor/enheter/"
Kind = SecurityEvent.Kind

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(make_municipality, make_user):
    _, editors, _ = make_municipality("4624")
    return make_user("kari", groups=[editors])


def _login(client, username="kari", password=PASSWORD, url=LOGIN_URL):
    return client.post(url, {"username": username, "password": password})


def _code(device, drift=0):
    return f"{totp(device.bin_key, drift=drift):06d}"


def _is_verified(client):
    return client.get("/admin/").status_code == 200


def _send_link(client):
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(ENROL_URL, {"action": "send"})
    assert response.status_code == 302
    body = mail.outbox[-1].body
    return urlsplit(re.search(r"https?://\S+/konto/to-faktor/lenke/\S+/", body).group(0)).path


def _confirmed_device(user):
    return TOTPDevice.objects.create(user=user, name="Telefon", confirmed=True)


# --- enrolment ------------------------------------------------------------------------------------------------------


def test_a_password_alone_shows_no_secret_and_attaches_no_device(client, editor):
    response = _login(client)
    assert response.status_code == 302
    response = client.get(ENROL_URL)
    assert response.status_code == 200
    assert "<svg" not in response.content.decode()
    # Posting a code as if there were a pending device changes nothing.
    response = client.post(ENROL_URL, {"token": "123456"})
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=editor).exists()
    # A made-up enrolment code is refused, in Norwegian, and recorded.
    response = client.post(ENROL_URL, {"action": "code", "code": "ABCD-EFGH-JKMN-PQRS"})
    assert response.status_code == 200
    assert "Koden er ugyldig" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=editor).exists()
    assert SecurityEvent.objects.filter(user=editor, kind=Kind.ENROLMENT_REFUSED).exists()
    assert not _is_verified(client)


def test_an_enrolment_link_works_once_for_its_own_user_and_each_attempt_has_its_own_secret(client, editor, make_user):
    _login(client)
    link = _send_link(client)
    assert mail.outbox[-1].to == [editor.email]
    assert client.get(link, follow=True).status_code == 200
    first = TOTPDevice.objects.get(user=editor, confirmed=False)

    # The same link in another session (someone who also knows the password) gets nothing.
    thief = Client()
    _login(thief)
    response = thief.get(link, follow=True)
    assert response.status_code == 200
    assert "<svg" not in response.content.decode()
    assert "Lenken er ugyldig" in response.content.decode()
    assert TOTPDevice.objects.filter(user=editor).count() == 1

    # Another user cannot use it either.
    make_user("ola")
    other = Client()
    _login(other, "ola")
    assert "<svg" not in other.get(link, follow=True).content.decode()

    # A new link (asked for in a new session) revokes the old attempt: its half-enrolled device and secret are
    # gone, and the new attempt has a secret of its own. Within minutes of the last link, none is sent.
    fresh = Client()
    _login(fresh)
    mail.outbox.clear()
    assert fresh.post(ENROL_URL, {"action": "send"}).status_code == 302
    assert not mail.outbox
    EnrolmentGrant.objects.update(created_at=timezone.now() - timedelta(minutes=10))
    second_link = _send_link(fresh)
    assert not TOTPDevice.objects.filter(pk=first.pk).exists()
    fresh.get(second_link, follow=True)
    second = TOTPDevice.objects.get(user=editor, confirmed=False)
    assert second.key != first.key
    # The first session's attempt is over.
    assert "<svg" not in client.get(ENROL_URL).content.decode()


def test_an_expired_grant_is_refused(client, editor):
    _login(client)
    link = _send_link(client)
    EnrolmentGrant.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(link, follow=True)
    assert "<svg" not in response.content.decode()
    assert not TOTPDevice.objects.filter(user=editor).exists()


def test_an_unconfirmed_attempt_expires_with_its_grant(client, editor):
    _login(client)
    client.get(_send_link(client), follow=True)
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    EnrolmentGrant.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post(ENROL_URL, {"token": _code(device)})
    assert response.status_code == 200
    assert "<svg" not in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert services.clear_expired() == 1
    assert not TOTPDevice.objects.filter(user=editor).exists()


def test_an_administrator_issues_a_code_and_resets_a_second_factor(client, editor, make_user):
    admin = make_user("admin", superuser=True)
    verify_client(client, admin)
    url = reverse("accounts_admin:second_factor", args=[editor.pk])
    response = client.post(url, {"action": "code"})
    assert response.status_code == 200
    code = re.search(r'class="enrolment-code">([A-Z0-9-]+)<', response.content.decode()).group(1)
    assert SecurityEvent.objects.filter(user=editor, actor=admin, kind=Kind.ENROLMENT_ISSUED).exists()

    user_client = Client()
    _login(user_client)
    response = user_client.post(ENROL_URL, {"action": "code", "code": code.lower().replace("-", " ")}, follow=True)
    assert "<svg" in response.content.decode()
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    user_client.post(ENROL_URL, {"token": _code(device)})
    assert _is_verified(user_client)

    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, {"action": "reset"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=editor).exists()
    assert not StaticDevice.objects.filter(user=editor).exists()
    event = SecurityEvent.objects.get(user=editor, kind=Kind.SECOND_FACTOR_RESET)
    assert event.actor == admin
    subjects = [message.subject for message in mail.outbox]
    assert any("nullstilt" in subject for subject in subjects)
    assert any("Sett opp" in subject for subject in subjects)


def test_only_second_factor_administrators_reach_the_reset_screen(client, editor, make_user, make_municipality):
    url = reverse("accounts_admin:second_factor", args=[editor.pk])
    _, bergen_reviewers, _ = make_municipality("4601")
    verify_client(client, make_user("nabo", groups=[bergen_reviewers]))
    assert client.get("/admin/").status_code == 200
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "reset"}).status_code == 404
    assert not SecurityEvent.objects.filter(kind=Kind.SECOND_FACTOR_RESET).exists()


# --- devices and backup codes ---------------------------------------------------------------------------------------


def test_devices_are_listed_and_removed_only_with_the_password(client, editor):
    verify_client(client, editor)
    first = TOTPDevice.objects.get(user=editor)
    TOTPDevice.objects.filter(pk=first.pk).update(name="Telefon")
    second = TOTPDevice.objects.create(user=editor, name="Nettbrett", confirmed=True)
    response = client.get(DEVICES_URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Telefon" in body and "Nettbrett" in body and "Aldri" in body

    remove = reverse("accounts:remove_device", args=[second.pk])
    response = client.post(remove, {"password": "gjettet"})
    assert response.status_code == 200
    assert "Passordet stemmer ikke" in response.content.decode()
    assert TOTPDevice.objects.filter(pk=second.pk).exists()

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(remove, {"password": PASSWORD})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=second.pk).exists()
    assert "fjernet" in mail.outbox[-1].subject
    assert SecurityEvent.objects.filter(user=editor, kind=Kind.DEVICE_REMOVED, detail="Nettbrett").exists()

    # The last device stays: an administrator can reset instead.
    response = client.post(reverse("accounts:remove_device", args=[first.pk]), {"password": PASSWORD}, follow=True)
    assert "Du kan ikke fjerne den siste enheten" in response.content.decode()
    assert TOTPDevice.objects.filter(pk=first.pk).exists()


def test_another_users_device_is_404(client, editor, make_user):
    other = make_user("ola")
    theirs = _confirmed_device(other)
    TOTPDevice.objects.create(user=other, name="Reserve", confirmed=True)
    verify_client(client, editor)
    assert client.post(reverse("accounts:remove_device", args=[theirs.pk]), {"password": PASSWORD}).status_code == 404
    assert TOTPDevice.objects.filter(pk=theirs.pk).exists()


def test_new_backup_codes_need_the_password_and_replace_the_old(client, editor):
    verify_client(client, editor)
    static = StaticDevice.objects.create(user=editor, name="Reservekoder")
    static.token_set.create(token="gammel12")
    url = reverse("accounts:renew_backup_codes")
    assert client.post(url, {"password": "feil"}).status_code == 200
    assert StaticToken.objects.filter(token="gammel12").exists()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, {"password": PASSWORD})
    assert response.status_code == 200
    assert not StaticToken.objects.filter(token="gammel12").exists()
    assert StaticToken.objects.filter(device__user=editor).count() == 10
    assert "reservekoder" in mail.outbox[-1].subject
    assert SecurityEvent.objects.filter(user=editor, kind=Kind.BACKUP_CODES_RENEWED).exists()


def test_device_pages_need_a_verified_session(client, editor):
    _confirmed_device(editor)
    _login(client)
    response = client.get(DEVICES_URL)
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == VERIFY_URL
    response = client.post(reverse("accounts:add_device"), {"password": PASSWORD})
    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=editor).count() == 1


# --- sign-in and sessions -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [LOGIN_URL, FRONTEND_LOGIN_URL], ids=["wagtail-admin", "wagtail-frontend"])
def test_password_guessing_is_throttled_per_account(client, editor, url, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _attempt in range(3):
        _login(client, password="gjetning", url=url)
    response = _login(client, url=url)
    assert response.status_code == 429
    assert "sperret i 15 minutter" in response.content.decode()
    assert not client.session.get("_auth_user_id")
    assert SecurityEvent.objects.filter(kind=Kind.LOCKED_OUT, username="kari").exists()
    # From another address the same account is locked too.
    assert _login(Client(REMOTE_ADDR="10.1.2.3"), url=url).status_code == 429


def test_password_guessing_is_throttled_per_address(client, make_user, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for name in ("a", "b", "c"):
        make_user(name)
        _login(client, name, "gjetning")
    make_user("d")
    assert _login(client, "d").status_code == 429
    # The account itself is not locked elsewhere.
    assert _login(Client(REMOTE_ADDR="10.9.9.9"), "d").status_code == 302


def test_the_lock_lifts_after_the_cool_off(client, editor, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _attempt in range(2):
        _login(client, password="gjetning")
    assert _login(client).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert _login(client).status_code == 302


def test_sign_in_events_are_recorded_without_passwords(client, editor):
    device = _confirmed_device(editor)
    _login(client, password="hemmelig-feil-passord")
    _login(client)
    client.post(VERIFY_URL, {"token": "000000" if _code(device) != "000000" else "111111"})
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    client.post(VERIFY_URL, {"token": _code(device)})
    client.post("/admin/logout/")
    kinds = list(SecurityEvent.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == [Kind.LOGIN_FAILED, Kind.LOGIN, Kind.OTP_FAILED, Kind.OTP_VERIFIED, Kind.LOGOUT]
    assert all(event.ip_address == "127.0.0.1" for event in SecurityEvent.objects.all())
    for event in SecurityEvent.objects.all():
        for value in (event.username, event.detail, event.user_agent):
            assert "hemmelig" not in value and PASSWORD not in value


def test_the_session_key_changes_when_the_second_factor_is_verified(client, editor):
    device = _confirmed_device(editor)
    _login(client)
    before = client.session.session_key
    response = client.post(VERIFY_URL, {"token": _code(device)})
    assert response.status_code == 302
    assert client.session.session_key != before
    assert _is_verified(client)


def test_a_session_ends_eight_hours_after_login_however_busy(client, editor):
    verify_client(client, editor)
    assert _is_verified(client)
    session = client.session
    session[SESSION_STARTED] = time.time() - 8 * 60 * 60 - 60
    session.save()
    response = client.get("/admin/")
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == LOGIN_URL
    assert not client.session.get("_auth_user_id")
    assert SecurityEvent.objects.filter(user=editor, kind=Kind.SESSION_EXPIRED).exists()


def _session_writes(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]]


def test_the_idle_timeout_slides_with_at_most_one_session_write_a_minute(client, editor, monkeypatch):
    from django.contrib.sessions.models import Session

    verify_client(client, editor)
    _session_writes(client, "/admin/")  # the first request may write (the refresh mark)
    expiry = Session.objects.get(session_key=client.session.session_key).expire_date
    # Busy staff: page after page within the minute writes nothing.
    assert _session_writes(client, "/admin/") == []
    assert _session_writes(client, "/admin/") == []
    # A minute on, the next page pushes the idle timeout forward with one write.
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 61)
    assert len(_session_writes(client, "/admin/")) == 1
    assert Session.objects.get(session_key=client.session.session_key).expire_date > expiry
    assert _session_writes(client, "/admin/") == []


def test_a_session_idle_past_the_timeout_is_over(client, editor):
    from django.contrib.sessions.models import Session

    verify_client(client, editor)
    assert _is_verified(client)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    assert not _is_verified(client)


@pytest.mark.parametrize("url", ["/admin/logout/", "/konto/logg-ut/"])
def test_logout_is_a_post(client, editor, url):
    verify_client(client, editor)
    assert client.get(url).status_code == 405
    assert _is_verified(client)
    assert client.post(url).status_code == 302
    assert not client.session.get("_auth_user_id")


def test_the_security_trail_cannot_be_changed(editor):
    event = SecurityEvent.objects.create(kind=Kind.LOGIN, user=editor)
    with pytest.raises(Exception, match="kan ikke endres"):
        event.save()
    with pytest.raises(Exception, match="kan ikke slettes"):
        event.delete()
    with pytest.raises(NotImplementedError):
        SecurityEvent.objects.all().delete()
