"""Two-factor login: every staff URL needs a verified second factor, and enrolment/verification work end to end."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import TestCase
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import IntConverter, PathConverter, UUIDConverter
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from directory.models import ActorPage
from tests.factories import verify_client

PASSWORD = "korrekt-hest-batteri"
VERIFY_URL = reverse("accounts:verify")
ENROL_URL = reverse("accounts:enrol")
DEVICES_URL = reverse("accounts:devices")
ADD_DEVICE_URL = reverse("accounts:add_device")
ADMIN_HOME = reverse("wagtailadmin_home")
LOGIN_URL = reverse("wagtailadmin_login")
LOGOUT_URL = reverse("wagtailadmin_logout")
EXPLORER_URL = reverse("wagtailadmin_explore_root")
STAFF_PREFIX = ADMIN_HOME
EXEMPT = ("login/", "logout/", "password_reset/")
EVIL_NEXTS = [
    "https://evil.example.com/",
    "//evil.example.com/",
    "https:///evil.example.com/",
    "/\\evil.example.com/",
    "http:evil.example.com",
    " https://evil.example.com/",
]


# --- collecting every admin URL -------------------------------------------------------------------------------------


def _sample_for_regex(group_regex, number):
    return str(number) if ("\\d" in group_regex or "0-9" in group_regex) else "x"


def _concrete(pattern, number):
    """A concrete path segment that the given URL pattern matches, with ``number`` for every numeric part."""
    if isinstance(pattern, RoutePattern):

        def fill(match):
            converter = pattern.converters[match.group("name")]
            if isinstance(converter, IntConverter):
                return str(number)
            if isinstance(converter, UUIDConverter):
                return "00000000-0000-4000-8000-000000000000"
            if isinstance(converter, PathConverter):
                return "x/y"
            return "x"

        return re.sub(r"<(?:[^>:]+:)?(?P<name>\w+)>", fill, str(pattern).lstrip("^"))
    assert isinstance(pattern, RegexPattern)
    regex = str(pattern).lstrip("^").rstrip("$")
    regex = re.sub(r"\(\?P<\w+>([^()]*)\)", lambda m: _sample_for_regex(m.group(1), number), regex)
    regex = re.sub(r"\(([^()?]*)\)", lambda m: _sample_for_regex(m.group(1), number), regex)
    regex = regex.replace(".*", "x").replace(".+", "x")
    return regex.replace("\\.", ".").replace("\\-", "-")


def _walk(patterns, prefix, number):
    for pattern in patterns:
        concrete = prefix + _concrete(pattern.pattern, number)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, concrete, number)
        else:
            assert isinstance(pattern, URLPattern)
            yield concrete


def staff_urls(number):
    """Every URL pattern under the staff prefix, as a concrete URL that resolves (exempt URLs separately)."""
    urls, exempt, unresolved = set(), set(), []
    for url in _walk(get_resolver().url_patterns, "/", number):
        if not url.startswith(STAFF_PREFIX):
            continue
        try:
            resolve(url)
        except Resolver404:
            unresolved.append(url)
            continue
        (exempt if url[len(STAFF_PREFIX) :].startswith(EXEMPT) else urls).add(url)
    assert not unresolved, f"could not build a matching URL for {unresolved}"
    return sorted(urls), sorted(exempt)


@pytest.fixture
def actor(make_municipality, make_actor):
    page, _, _ = make_municipality("4624")
    return make_actor(page, "Koordinerende enhet Bjørnafjorden")


def _otp_redirect(response):
    return response.status_code == 302 and response["Location"].startswith(VERIFY_URL)


@pytest.mark.slow
@pytest.mark.parametrize("has_device", [True, False], ids=["device-not-verified", "no-device"])
def test_every_admin_url_requires_a_verified_second_factor(client, make_user, actor, has_device):
    superuser = make_user("admin", superuser=True)
    if has_device:
        TOTPDevice.objects.create(user=superuser, name="app", confirmed=True)
    client.force_login(superuser)
    client.raise_request_exception = False  # a leak shows up as a list below, not as a crash in some view
    urls, exempt = staff_urls(actor.pk)
    assert len(urls) > 100
    assert {LOGIN_URL, LOGOUT_URL, reverse("wagtailadmin_password_reset")} <= set(exempt)

    leaks = []
    for url in urls:
        get = client.get(url)
        post = client.post(url, {"title": "Endret uten to-faktor"})
        if not _otp_redirect(get) or not _otp_redirect(post):
            leaks.append((url, get.status_code, post.status_code))
            continue
        # A GET comes back to where the user was going; the POST body is never replayed.
        assert parse_qs(urlsplit(get["Location"]).query) == {"next": [url]}, url
        assert post["Location"] == VERIFY_URL, url
    assert not leaks, f"reachable without a second factor: {leaks}"
    # Nothing was changed behind the second factor.
    assert ActorPage.objects.get(pk=actor.pk).title == "Koordinerende enhet Bjørnafjorden"
    assert client.session[SESSION_KEY] == str(superuser.pk)


@pytest.mark.slow
def test_every_admin_url_is_reachable_once_verified(client, make_user, actor):
    superuser = make_user("admin", superuser=True)
    verify_client(client, superuser)
    client.raise_request_exception = False
    urls, _ = staff_urls(actor.pk)
    assert len(urls) > 100
    sent_to_otp = []
    for url in urls:
        response = client.get(url)
        # Any redirect, permanent or not, into the account pages (verify, enrol) is a request for the second factor.
        if response.status_code in (301, 302) and resolve(urlsplit(response["Location"]).path).namespace == "accounts":
            sent_to_otp.append(url)
    assert not sent_to_otp
    assert client.get(ADMIN_HOME).status_code == 200
    assert client.get(reverse("wagtailadmin_pages:edit", args=[actor.pk])).status_code == 200


def test_script_name_prefix_does_not_bypass_the_second_factor(client, make_user):
    """Served under a sub-path (SCRIPT_NAME), the staff URLs are still protected."""
    superuser = make_user("admin", superuser=True)
    client.force_login(superuser)
    response = client.get(ADMIN_HOME, SCRIPT_NAME="/lkt")
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path.endswith(VERIFY_URL)


def test_half_logged_in_user_can_log_out(client, make_user):
    superuser = make_user("admin", superuser=True)
    client.force_login(superuser)
    response = client.post(LOGOUT_URL)
    assert not _otp_redirect(response)
    assert SESSION_KEY not in client.session
    assert client.get(ADMIN_HOME)["Location"].startswith(LOGIN_URL)


def test_anonymous_user_is_sent_to_password_login_not_to_second_factor(client):
    response = client.get(EXPLORER_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)
    assert client.get(VERIFY_URL)["Location"].startswith(LOGIN_URL)
    assert client.get(ENROL_URL)["Location"].startswith(LOGIN_URL)


# --- the full journey through the real login form ---------------------------------------------------------------


def _login(client, username, next_url=None):
    url = LOGIN_URL + (f"?next={next_url}" if next_url else "")
    response = client.post(url, {"username": username, "password": PASSWORD}, follow=True)
    assert response.status_code == 200
    return response


def _final_path(response):
    return response.redirect_chain[-1][0] if response.redirect_chain else None


def _code(key, drift=0):
    """The six digits the authenticator app shows (oath.totp gives an int, which drops leading zeros)."""
    return f"{totp(key, drift=drift):06d}"


def _wrong_code(key):
    """A six-digit code that is not valid in any time step the device tolerates."""
    valid = {totp(key, drift=drift) for drift in (-2, -1, 0, 1, 2)}
    return next(f"{n:06d}" for n in range(1000000) if n not in valid)


def _wait_out_throttle(user):
    """Stand-in for the user waiting a while after a wrong code (django-otp locks for 1, 2, 4 … seconds)."""
    past = timezone.now() - timedelta(hours=1)
    TOTPDevice.objects.filter(user=user).update(throttling_failure_timestamp=past)
    StaticDevice.objects.filter(user=user).update(throttling_failure_timestamp=past)


def _is_verified(client):
    return client.get(ADMIN_HOME).status_code == 200


def _backup_codes(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [code.get_text(strip=True) for code in soup.select("ul.backup-codes code")]


def _enrolment_link(mailbox):
    """The single-use link the enrolment e-mail carries (the last one sent)."""
    body = mailbox[-1].body
    return urlsplit(re.search(r"https?://\S+/konto/to-faktor/lenke/\S+/", body).group(0)).path


def _open_enrolment(client):
    """Ask for the e-mailed link and follow it, as the user would from their mailbox."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(ENROL_URL, {"action": "send", "next": ADMIN_HOME})
    assert response.status_code == 302
    return client.get(_enrolment_link(mail.outbox), follow=True)


def test_enrolment_and_later_logins(client, make_user, make_municipality, mailoutbox):
    _, editors, _ = make_municipality("4624")
    user = make_user("kari", groups=[editors])

    # First login: the password is accepted, but a password alone attaches no second factor: no secret is shown
    # and no device exists until a grant that reached the user another way is used.
    response = _login(client, "kari")
    assert urlsplit(_final_path(response)).path == ENROL_URL
    body = response.content.decode()
    assert "<svg" not in body
    assert "Send meg en oppsettlenke" in body
    assert "k***@example.com" in body
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not _is_verified(client)

    # The link goes to the registered address; following it shows this attempt's own secret.
    response = _open_enrolment(client)
    assert response.status_code == 200
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["kari@example.com"]
    body = response.content.decode()
    assert "<svg" in body
    assert "Sett opp to-faktor-innlogging" in body
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    secret = re.search(r'class="secret">([A-Z2-7 ]+)<', body).group(1)
    assert secret.replace(" ", "").rstrip("=") in __import__("base64").b32encode(device.bin_key).decode()
    assert not _is_verified(client)

    # A wrong code: a Norwegian error, and the device stays unconfirmed.
    response = client.post(f"{ENROL_URL}?next={ADMIN_HOME}", {"token": _wrong_code(device.bin_key), "next": ADMIN_HOME})
    assert response.status_code == 200
    assert "Koden stemmer ikke" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticToken.objects.filter(device__user=user).exists()
    assert not _is_verified(client)
    _wait_out_throttle(user)

    # The right code confirms the device and shows ten backup codes, once.
    enrolment_code = _code(device.bin_key)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(ENROL_URL, {"token": enrolment_code, "next": ADMIN_HOME})
    assert response.status_code == 200
    codes = _backup_codes(response)
    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert "no-store" in response.get("Cache-Control", "")
    device.refresh_from_db()
    assert device.confirmed
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == set(codes)
    assert _is_verified(client)
    assert "lagt til" in mailoutbox[-1].body

    # Log out and in again: now the second factor is asked for, not a new enrolment.
    client.post(LOGOUT_URL)
    assert not _is_verified(client)
    response = _login(client, "kari")
    assert urlsplit(_final_path(response)).path == VERIFY_URL
    assert "Bekreft innloggingen" in response.content.decode()
    assert not _is_verified(client)

    # A half-logged-in session cannot add a device of its own (an attacker with only the password).
    response = client.get(ENROL_URL)
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == VERIFY_URL
    response = client.post(ENROL_URL, {"token": "123456"})
    assert urlsplit(response["Location"]).path == VERIFY_URL
    assert TOTPDevice.objects.filter(user=user).count() == 1

    # The code used at enrolment cannot be replayed.
    response = client.post(VERIFY_URL, {"token": enrolment_code, "next": ADMIN_HOME})
    assert response.status_code == 200
    assert "Koden stemmer ikke" in response.content.decode()
    assert not _is_verified(client)
    _wait_out_throttle(user)

    # A wrong code is rejected.
    response = client.post(VERIFY_URL, {"token": _wrong_code(device.bin_key), "next": ADMIN_HOME})
    assert response.status_code == 200
    assert "Koden stemmer ikke" in response.content.decode()
    assert not _is_verified(client)
    _wait_out_throttle(user)

    # A backup code works once (typed in upper case with a space, as people copy them) ...
    spaced = (codes[0][:4] + " " + codes[0][4:]).upper()
    response = client.post(VERIFY_URL, {"token": spaced, "next": EXPLORER_URL})
    assert response.status_code == 302
    assert response["Location"] == EXPLORER_URL
    assert _is_verified(client)
    assert StaticToken.objects.filter(device__user=user).count() == 9

    # ... and not twice.
    client.post(LOGOUT_URL)
    _login(client, "kari")
    response = client.post(VERIFY_URL, {"token": codes[0], "next": ADMIN_HOME})
    assert response.status_code == 200
    assert "Koden stemmer ikke" in response.content.decode()
    assert not _is_verified(client)
    _wait_out_throttle(user)

    # The app's next code lets the user in.
    response = client.post(VERIFY_URL, {"token": _code(device.bin_key, drift=1), "next": ADMIN_HOME})
    assert response.status_code == 302
    assert response["Location"] == ADMIN_HOME
    assert _is_verified(client)


def test_verified_user_adds_a_second_device_only_with_the_password(client, make_user, make_municipality):
    _, editors, _ = make_municipality("4624")
    user = make_user("kari", groups=[editors])
    verify_client(client, user)
    # Without an attempt of its own, the enrolment page sends a verified user to the list of devices.
    response = client.get(ENROL_URL)
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == DEVICES_URL
    assert not TOTPDevice.objects.filter(user=user, confirmed=False).exists()

    response = client.post(ADD_DEVICE_URL, {"password": "feil-passord"})
    assert response.status_code == 200
    assert "Passordet stemmer ikke" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=False).exists()

    response = client.post(ADD_DEVICE_URL, {"password": PASSWORD})
    assert response.status_code == 302
    new_device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(ENROL_URL, {"token": _code(new_device.bin_key), "name": "Jobbtelefon", "next": ADMIN_HOME})
    assert len(_backup_codes(response)) == 10
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 2
    assert TOTPDevice.objects.filter(user=user, name="Jobbtelefon", confirmed=True).exists()


def test_repeated_failures_throttle_even_the_right_code(client, make_user, make_municipality):
    _, editors, _ = make_municipality("4624")
    user = make_user("kari", groups=[editors])
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    _login(client, "kari")
    wrong = _wrong_code(device.bin_key)
    for _ in range(5):
        response = client.post(VERIFY_URL, {"token": wrong, "next": ADMIN_HOME})
        assert response.status_code == 200
    device.refresh_from_db()
    assert device.throttling_failure_count >= 1

    response = client.post(VERIFY_URL, {"token": _code(device.bin_key), "next": ADMIN_HOME})
    assert response.status_code == 200
    assert "For mange" in response.content.decode()
    assert not _is_verified(client)

    # Once the lock has run out, the right code works again.
    _wait_out_throttle(user)
    response = client.post(VERIFY_URL, {"token": _code(device.bin_key), "next": ADMIN_HOME})
    assert response.status_code == 302
    assert _is_verified(client)


def test_throttling_also_guards_backup_codes(client, make_user, make_municipality):
    _, editors, _ = make_municipality("4624")
    user = make_user("kari", groups=[editors])
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    static = StaticDevice.objects.create(user=user, name="Reservekoder")
    static.token_set.create(token="abcd2345")
    _login(client, "kari")
    for guess in ("aaaa2222", "bbbb3333", "cccc4444"):
        client.post(VERIFY_URL, {"token": guess})
    response = client.post(VERIFY_URL, {"token": "abcd2345"})
    assert response.status_code == 200
    assert not _is_verified(client)
    assert static.token_set.count() == 1


# --- open redirects -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("evil", EVIL_NEXTS)
def test_next_cannot_leave_the_site_after_verification(client, make_user, make_municipality, evil):
    _, editors, _ = make_municipality("4624")
    user = make_user("kari", groups=[editors])
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    response = client.post(LOGIN_URL, {"username": "kari", "password": PASSWORD, "next": evil}, follow=True)
    assert response.status_code == 200
    assert all("evil.example.com" not in urlsplit(url).netloc for url, _ in response.redirect_chain)
    response = client.post(f"{VERIFY_URL}?next={evil}", {"token": _code(device.bin_key), "next": evil})
    assert response.status_code == 302
    assert response["Location"] == ADMIN_HOME
    # Already verified: the verify page also refuses to bounce elsewhere.
    response = client.get(VERIFY_URL, {"next": evil})
    assert response["Location"] == ADMIN_HOME


@pytest.mark.parametrize("evil", EVIL_NEXTS[:2])
def test_next_cannot_leave_the_site_after_enrolment(client, make_user, make_municipality, evil):
    _, editors, _ = make_municipality("4624")
    make_user("kari", groups=[editors])
    client.post(LOGIN_URL, {"username": "kari", "password": PASSWORD})
    response = client.get(ENROL_URL, {"next": evil})
    assert response.status_code == 200
    assert evil not in response.content.decode()
    _open_enrolment(client)
    device = TOTPDevice.objects.get(user__username="kari")
    response = client.post(ENROL_URL, {"token": _code(device.bin_key), "next": evil})
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    continue_link = soup.select_one("main a[href]")
    assert continue_link["href"] == ADMIN_HOME


def test_next_is_kept_for_a_local_page(client, make_user, make_municipality, actor):
    _, editors, _ = make_municipality("4624")
    user = make_user("kari", groups=[editors])
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    target = reverse("wagtailadmin_pages:edit", args=[actor.pk])
    response = _login(client, "kari", next_url=target)
    assert _final_path(response) == f"{VERIFY_URL}?next={target.replace('/', '%2F')}"
    response = client.post(VERIFY_URL, {"token": _code(device.bin_key), "next": target})
    assert response["Location"] == target
    assert client.get(target).status_code == 200
