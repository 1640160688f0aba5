"""Logging in to Min side through TestID over real OpenID Connect, and what such a session may and may not do."""

import datetime
import time

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.core.cache import cache
from django.test import Client

from accounts.models import SecurityEvent
from patients.backends import CITIZEN_BACKEND
from patients.middleware import LAST_SEEN
from patients.models import Citizen
from workflows.national_id import synthetic

from .conftest import log_in_with_testid, start_login

pytestmark = pytest.mark.django_db

PID = synthetic(datetime.date(1950, 5, 17))


def test_a_patient_logs_in_through_testid_over_oidc(testid):
    client = Client()
    response = log_in_with_testid(client, PID)
    assert (response.status_code, response["Location"]) == (302, "/min-side/")
    citizen = Citizen.objects.get(pid=PID)
    user = citizen.user
    assert not user.is_staff and not user.is_superuser and not user.has_usable_password()
    assert not user.groups.exists() and not user.user_permissions.exists()
    assert PID not in user.username
    assert citizen.last_acr == "idporten-loa-substantial"
    assert client.session[BACKEND_SESSION_KEY] == CITIZEN_BACKEND
    # The client went to TestID over HTTP: discovery, keys and the token exchange.
    paths = [path for _method, path in testid.calls]
    assert "/testid/.well-known/openid-configuration" in paths
    assert "/testid/token/" in paths and "/testid/.well-known/jwks.json" in paths
    page = client.get("/min-side/")
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    assert SecurityEvent.objects.filter(user=user, kind=SecurityEvent.Kind.LOGIN).exists()


def test_a_level_below_substantial_is_refused(testid):
    client = Client()
    response = log_in_with_testid(client, PID, acr="idporten-loa-low")
    assert response.status_code == 400
    assert not Citizen.objects.exists()
    assert client.get("/min-side/").status_code == 302


def test_high_is_accepted(testid):
    response = log_in_with_testid(Client(), PID, acr="idporten-loa-high")
    assert response.status_code == 302
    assert Citizen.objects.get(pid=PID).last_acr == "idporten-loa-high"


def test_a_callback_with_the_wrong_state_is_refused(testid):
    client = Client()
    authorize = start_login(client)
    answer = client.post(authorize, {"pid": PID, "acr": "idporten-loa-substantial"})
    forged = answer["Location"].replace("state=", "state=x")
    assert client.get(forged).status_code == 400
    assert not Citizen.objects.exists()


def test_a_code_cannot_be_used_twice(testid):
    client = Client()
    authorize = start_login(client)
    callback = client.post(authorize, {"pid": PID, "acr": "idporten-loa-substantial"})["Location"]
    assert client.get(callback).status_code == 302
    other = Client()
    start_login(other)  # a login under way in another browser, with its own state
    assert other.get(callback).status_code == 400


def test_testid_accepts_only_synthetic_numbers(testid):
    client = Client()
    authorize = start_login(client)
    real_format = "15036112345"
    response = client.post(authorize, {"pid": real_format, "acr": "idporten-loa-substantial"})
    assert response.status_code == 422


def test_the_session_ends_after_30_idle_minutes(citizen_client):
    client = citizen_client(PID)
    session = client.session
    session[LAST_SEEN] = time.time() - 31 * 60
    session.save()
    response = client.get("/min-side/")
    assert response.status_code == 302 and response["Location"] == "/min-side/logg-inn/?utlopt=1"
    assert client.get("/min-side/").status_code == 302
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SESSION_EXPIRED).exists()


def test_29_idle_minutes_are_fine(citizen_client):
    client = citizen_client(PID)
    session = client.session
    session[LAST_SEEN] = time.time() - 29 * 60
    session.save()
    assert client.get("/min-side/").status_code == 200


def test_logout_ends_the_session(citizen_client):
    client = citizen_client(PID)
    assert client.post("/min-side/logg-ut/").status_code == 302
    assert client.get("/min-side/").status_code == 302


def test_after_login_the_patient_comes_back_to_the_page_asked_for(testid):
    client = Client()
    asked = client.get("/min-side/5/plan/")
    assert asked["Location"] == "/min-side/logg-inn/?neste=%2Fmin-side%2F5%2Fplan%2F"
    page = client.get(asked["Location"])
    assert 'name="neste" value="/min-side/5/plan/"' in page.content.decode()
    authorize = client.post("/min-side/logg-inn/", {"neste": "/min-side/5/plan/"})["Location"]
    callback = client.post(authorize, {"pid": PID, "acr": "idporten-loa-substantial"})["Location"]
    assert client.get(callback)["Location"] == "/min-side/5/plan/"


def test_a_next_address_off_min_side_is_ignored(testid):
    client = Client()
    authorize = client.post("/min-side/logg-inn/", {"neste": "https://evil.example/min-side/"})["Location"]
    callback = client.post(authorize, {"pid": PID, "acr": "idporten-loa-substantial"})["Location"]
    assert client.get(callback)["Location"] == "/min-side/"


def test_a_login_cancelled_at_the_provider_is_simply_not_a_login(testid):
    client = Client()
    start_login(client)
    state = client.session["lkt_oidc_login"]["state"]
    response = client.get(f"/min-side/innlogget/?error=access_denied&state={state}")
    assert response["Location"] == "/min-side/logg-inn/"
    assert not Citizen.objects.exists()


def test_an_unreachable_provider_gives_a_plain_answer(testid, settings):
    settings.LKT_OIDC = {**settings.LKT_OIDC, "issuer": "http://testserver/nowhere"}
    response = Client().post("/min-side/logg-inn/")
    assert response.status_code == 502
    assert "Innloggingen virket ikke" in response.content.decode()


def test_without_a_configured_provider_the_login_says_so(settings):
    settings.LKT_OIDC = None
    client = Client()
    assert "ikke slått på" in client.get("/min-side/logg-inn/").content.decode()
    assert client.post("/min-side/logg-inn/").status_code == 404


def test_the_login_page_lets_its_form_go_on_to_the_provider_s_login_host(settings):
    """CSP form-action applies to the redirect after the form: ID-porten's login host must be allowed."""
    settings.LKT_OIDC = {**settings.LKT_OIDC, "issuer": "https://idporten.example.no"}
    cache.set(
        "oidc:metadata:https://idporten.example.no",
        {
            "issuer": "https://idporten.example.no",
            "authorization_endpoint": "https://login.idporten.example.no/authorize",
        },
    )
    policy = Client().get("/min-side/logg-inn/")["Content-Security-Policy"]
    form_action = next(d for d in policy.split(";") if d.strip().startswith("form-action"))
    assert form_action.split()[1:] == ["'self'", "https://login.idporten.example.no"]
    # Other pages keep the strict policy.
    assert "login.idporten" not in Client().get("/min-side/")["Content-Security-Policy"]
