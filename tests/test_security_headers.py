"""Response headers on real pages: patient and staff pages never cached, Content-Security-Policy, Permissions-Policy.

Whether the policy lets every page work is proven in a browser: tests/browser/test_security_headers_journey.py.
"""

import re

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts import services
from accounts.models import EnrolmentGrant
from lkt_site.middleware import ContentSecurityPolicyMiddleware, NoStoreMiddleware
from tests import factories as flow

DISABLED_FEATURES = ("camera", "microphone", "geolocation", "payment", "usb")


def cache_directives(response):
    return {part.strip().split("=")[0].lower() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def assert_never_cached(response, what):
    directives = cache_directives(response)
    assert {"no-store", "private"} <= directives, (what, response.get("Cache-Control"))
    assert "public" not in directives, (what, response.get("Cache-Control"))


def policy(response):
    """The Content-Security-Policy as {directive: [sources]}."""
    header = response["Content-Security-Policy"]
    parts = [part.split() for part in header.split(";") if part.strip()]
    return {name: sources for name, *sources in parts}


@pytest.fixture
def at_approval(care, client_for):
    """A coordinator's verified client and a process standing at approval, with a signed consent form uploaded."""
    client = client_for(care.coordinator)
    return client, flow.to_approval(client, signed=True)


# --- Cache-Control ---------------------------------------------------------------------------------------


def test_every_kind_of_care_page_is_never_cached(at_approval):
    client, process = at_approval
    consent = process.consents.get()
    pages = {
        "process list": reverse("forlop:index"),
        "inbox": reverse("forlop:inbox"),
        "queue": reverse("forlop:queue"),
        "archive": reverse("forlop:archive"),
        "process page": flow.detail_url(process),
        "start form": flow.start_url(),
        "task form": flow.task_url(process, "approve_coordinator"),
        "withdrawal form": flow.withdraw_url(process),
        "plan print": f"{flow.detail_url(process)}plan/",
        "consent document": f"{flow.detail_url(process)}samtykke/{consent.pk}/",
        "audit log": reverse("forlop:audit_log"),
    }
    for what, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, (what, url, response.status_code)
        assert_never_cached(response, what)
        if response.streaming:  # the consent document; read to the end, as the existing download tests do
            assert b"".join(response.streaming_content) == flow.PDF_BYTES


def test_refused_forms_redirects_and_not_found_under_the_prefix_are_never_cached(at_approval, care, client_for):
    client, process = at_approval
    refused = client.post(flow.task_url(process, "approve_coordinator"), {"decision": ""})
    assert refused.status_code in (200, 422)
    assert_never_cached(refused, "a task form shown again with its errors")
    anonymous = Client().get(flow.detail_url(process))
    assert anonymous.status_code == 302
    assert_never_cached(anonymous, "the redirect to the login")
    outsider = client_for(care.outsider).get(flow.detail_url(process))
    assert outsider.status_code == 404
    assert_never_cached(outsider, "another municipality's process")


def test_directory_export_is_never_cached(make_municipality, make_actor, make_user, verified_client):
    page, editors, _reviewers = make_municipality("4624")
    make_actor(page, "Koordinerende enhet Bjørnafjorden")
    client = verified_client(make_user("redaktor", [editors]))
    for fmt in ("xlsx", "csv"):
        response = client.get(reverse("directory_export", args=[page.pk]), {"format": fmt})
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert_never_cached(response, f"the {fmt} export")


def open_enrolment(client, user):
    """The QR code page, reached as a new user does: logged in with a password, then the enrolment link."""
    client.force_login(user)
    _grant, code = services.issue_grant(user, EnrolmentGrant.Channel.ADMIN)
    response = client.get(reverse("accounts:enrolment_link", args=[code]), follow=True)
    assert response.status_code == 200
    assert "<svg" in response.content.decode()
    return response


def test_two_factor_enrolment_with_its_secret_is_never_cached(client, make_user):
    assert_never_cached(open_enrolment(client, make_user("ny.bruker")), "the QR code page")


def test_public_pages_may_be_cached(client, site_tree):
    response = client.get("/")
    assert response.status_code == 200
    assert "no-store" not in cache_directives(response)


def test_a_view_cannot_loosen_no_store():
    def lenient_view(request):
        response = HttpResponse("pasientdata")
        response["Cache-Control"] = "public, max-age=3600"
        return response

    response = NoStoreMiddleware(lenient_view)(RequestFactory().get("/prosesser/forlop/1/"))
    assert_never_cached(response, "a view that asked for public caching")
    assert "max-age=3600" not in response["Cache-Control"]


# --- Content-Security-Policy ------------------------------------------------------------------------------


def assert_strict(directives, what):
    assert directives["default-src"] == ["'self'"], what
    assert directives["object-src"] == ["'none'"], what
    assert directives["frame-ancestors"] == ["'none'"], what
    assert directives["base-uri"] == ["'self'"], what
    assert directives["form-action"] == ["'self'"], what
    for name in ("script-src", "style-src", "img-src", "font-src", "connect-src"):
        sources = directives[name]
        assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources, (what, name, sources)
        assert all(s in ("'self'", "data:", "blob:") or s.startswith("'nonce-") for s in sources), (what, name)


def test_public_pages_and_errors_have_the_strict_policy(client, site_tree):
    for url, status in (("/", 200), ("/finn-hjelp/?q=5914", 200), ("/sok/?q=hjelp", 200), ("/finnes-ikke/", 404)):
        response = client.get(url)
        assert response.status_code == status, url
        assert_strict(policy(response), url)


def test_two_factor_pages_have_the_strict_policy(client, make_user):
    user = make_user("ny.bruker")
    client.force_login(user)
    asking = client.get(reverse("accounts:enrol"))
    assert asking.status_code == 200
    assert_strict(policy(asking), "the page that asks for an enrolment link or code")
    assert_strict(policy(open_enrolment(client, user)), "the QR code page")


def test_care_pages_have_the_strict_policy_with_the_nonce_turbo_uses(at_approval):
    client, process = at_approval
    for url in (reverse("forlop:index"), flow.task_url(process, "approve_coordinator")):
        response = client.get(url)
        directives = policy(response)
        assert_strict(directives, url)
        meta = re.search(r'<meta name="csp-nonce" content="([^"]+)">', response.content.decode())
        assert meta, url
        assert f"'nonce-{meta.group(1)}'" in directives["script-src"]
        assert f"'nonce-{meta.group(1)}'" in directives["style-src"]


def test_wagtail_admin_gets_inline_scripts_and_styles_and_nothing_else(make_user, verified_client):
    client = verified_client(make_user("admin", superuser=True))
    response = client.get("/admin/")
    assert response.status_code == 200
    directives = policy(response)
    assert directives["script-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["style-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["img-src"] == ["'self'", "data:", "blob:"]
    # No avatars from gravatar.com: the policy would refuse them, and they would tell a third party who works here.
    assert "gravatar.com" not in response.content.decode()


def test_only_a_view_marked_sameorigin_may_be_framed_and_only_by_this_origin():
    def preview(request):
        # Wagtail's preview: the page rendered through the middleware for its public URL, then marked SAMEORIGIN.
        inner = ContentSecurityPolicyMiddleware(lambda r: HttpResponse("<h1>Forhåndsvisning</h1>"))
        response = inner(RequestFactory().get("/finn-hjelp/bjornafjorden/"))
        response["X-Frame-Options"] = "SAMEORIGIN"
        return response

    framed = ContentSecurityPolicyMiddleware(preview)(RequestFactory().get("/admin/pages/3/edit/preview/"))
    directives = policy(framed)
    assert directives["frame-ancestors"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]  # the public page's policy, not the admin's
    plain = ContentSecurityPolicyMiddleware(lambda r: HttpResponse("x"))(RequestFactory().get("/admin/pages/3/"))
    assert policy(plain)["frame-ancestors"] == ["'none'"]


# --- Permissions-Policy -----------------------------------------------------------------------------------


def test_every_page_refuses_camera_microphone_location_payment_usb(client, site_tree, make_user, verified_client):
    public = client.get("/")
    staff = verified_client(make_user("admin", superuser=True)).get("/admin/")
    for response in (public, staff):
        features = dict(part.strip().split("=", 1) for part in response["Permissions-Policy"].split(","))
        for feature in DISABLED_FEATURES:
            assert features[feature] == "()", feature
