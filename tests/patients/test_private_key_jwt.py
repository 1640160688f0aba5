"""With a private key configured (ID-porten's recommendation), the client proves itself with a signed JWT
(private_key_jwt) at the token endpoint, sends PKCE's verifier, and never sends a secret."""

import json
from urllib.parse import parse_qs

import requests
from joserfc import jwt
from joserfc.jwk import RSAKey
from requests.adapters import BaseAdapter

from patients import oidc

ISSUER = "https://idporten.example.no"
TOKEN_ENDPOINT = f"{ISSUER}/token"
CLIENT_KEY = RSAKey.generate_key(2048, parameters={"kid": "lkt-2026"})
CONFIG = oidc.Config(
    issuer=ISSUER,
    client_id="lkt-min-side",
    client_secret=None,
    private_key=CLIENT_KEY.as_pem(private=True).decode(),
    private_key_id="lkt-2026",
    acr_values=("idporten-loa-substantial",),
    accepted_acr=("idporten-loa-substantial", "idporten-loa-high"),
    scope="openid",
)


class TokenEndpoint(BaseAdapter):
    """Answers the token request with an id_token and keeps what it was sent."""

    def __init__(self):
        super().__init__()
        self.requests = []

    def send(self, request, **kwargs):
        self.requests.append(request)
        response = requests.Response()
        response.status_code = 200
        response.headers["Content-Type"] = "application/json"
        response._content = json.dumps(
            {"access_token": "a", "token_type": "Bearer", "id_token": "the-id-token"}
        ).encode()
        response.request, response.url = request, request.url
        return response

    def close(self):
        pass


def test_the_token_request_is_authenticated_with_a_private_key_jwt(monkeypatch):
    endpoint = TokenEndpoint()
    original = oidc.new_http_session

    def session(**kwargs):
        http = original(**kwargs)
        http.mount(ISSUER, endpoint)
        return http

    monkeypatch.setattr(oidc, "new_http_session", session)
    monkeypatch.setattr(oidc, "metadata", lambda config: {"token_endpoint": TOKEN_ENDPOINT})
    checked = {}

    def validate(config, id_token, nonce):
        checked.update(id_token=id_token, nonce=nonce)
        return {"pid": "x"}

    monkeypatch.setattr(oidc, "validate_id_token", validate)
    oidc.finish(CONFIG, "https://lkt.example.no/min-side/innlogget/", "the-code", "the-verifier", "the-nonce")

    (sent,) = endpoint.requests
    body = {
        key: values[0]
        for key, values in parse_qs(sent.body if isinstance(sent.body, str) else sent.body.decode()).items()
    }
    assert body["grant_type"] == "authorization_code"
    assert body["code"] == "the-code" and body["code_verifier"] == "the-verifier"
    assert body["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    assert "client_secret" not in body and "Authorization" not in sent.headers
    assertion = jwt.decode(body["client_assertion"], RSAKey.import_key(CLIENT_KEY.as_dict(private=False)))
    assert assertion.header["kid"] == "lkt-2026" and assertion.header["alg"] == "RS256"
    claims = assertion.claims
    assert claims["iss"] == claims["sub"] == "lkt-min-side"
    assert claims["aud"] == TOKEN_ENDPOINT
    assert claims["exp"] > claims["iat"] and claims.get("jti")
    assert checked == {"id_token": "the-id-token", "nonce": "the-nonce"}
