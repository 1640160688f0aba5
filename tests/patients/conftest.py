"""Fixtures for Min side: TestID reachable over HTTP from the OIDC client, and logins as patients and next of kin."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from testid.clients import callback_uris, ensure_client

from . import oidc_transport

PASSWORD = "korrekt-hest-batteri"


@pytest.fixture
def testid(db, monkeypatch):
    """TestID knows Min side at the test client's host, and the client's HTTP reaches it through the test client."""
    ensure_client(callback_uris("http://testserver"))
    return oidc_transport.install(monkeypatch)


def start_login(client):
    """Press «Logg inn med ID-porten»: the answer is a redirect to TestID's authorisation endpoint."""
    response = client.post("/min-side/logg-inn/")
    assert response.status_code == 302, response
    return response["Location"]


def log_in_with_testid(client, pid, acr="idporten-loa-substantial"):
    """The whole login over OIDC with a test client: TestID's page, the person chosen, the code back to LKT."""
    authorize = start_login(client)
    assert authorize.startswith("http://testserver/testid/authorize/?")
    page = client.get(authorize)
    assert page.status_code == 200, page.content[:500]
    answer = client.post(authorize, {"pid": pid, "acr": acr})
    assert answer.status_code == 302, answer.content[:500]
    callback = answer["Location"]
    assert re.match(r"^http://testserver/min-side/innlogget/\?", callback), callback
    assert "code" in parse_qs(urlsplit(callback).query)
    return client.get(callback)


@pytest.fixture
def citizen_client(testid):
    """A fresh test client logged in through TestID as the person with this number."""

    def make(pid, acr="idporten-loa-substantial"):
        client = Client()
        response = log_in_with_testid(client, pid, acr)
        assert response.status_code == 302 and response["Location"] == "/min-side/", response
        return client

    return make
