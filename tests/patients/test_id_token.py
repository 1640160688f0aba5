"""The client's checks of ID-porten's id_token: each one refuses a token that is wrong in exactly one way."""

import base64
import datetime
import hashlib
import hmac
import json
import time

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from patients import oidc
from workflows.national_id import synthetic

ISSUER = "https://test.idporten.example"
CLIENT = "lkt-min-side"
NONCE = "nonce-abc"
PID = synthetic(datetime.date(1950, 5, 17))
CONFIG = oidc.Config(
    issuer=ISSUER,
    client_id=CLIENT,
    client_secret="hemmelig",
    private_key=None,
    private_key_id=None,
    acr_values=("idporten-loa-substantial",),
    accepted_acr=("idporten-loa-substantial", "idporten-loa-high"),
    scope="openid",
)
PROVIDER_KEY = RSAKey.generate_key(2048, parameters={"kid": "provider-1"})
OTHER_KEY = RSAKey.generate_key(2048, parameters={"kid": "provider-1"})


@pytest.fixture(autouse=True)
def published_keys(monkeypatch):
    """The provider publishes only its own public key; a refresh (key rotation) finds the same set."""
    public = KeySet([RSAKey.import_key(PROVIDER_KEY.as_dict(private=False))])
    monkeypatch.setattr(oidc, "key_set", lambda config, refresh=False: public)


def claims(**changes):
    now = int(time.time())
    data = {
        "iss": ISSUER,
        "aud": CLIENT,
        "sub": "pairwise-subject",
        "iat": now,
        "exp": now + 120,
        "nonce": NONCE,
        "acr": "idporten-loa-substantial",
        "pid": PID,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def token(key=PROVIDER_KEY, alg="RS256", **changes):
    return jwt.encode({"alg": alg, "kid": "provider-1"}, claims(**changes), key)


def _part(data):
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def validate(value, nonce=NONCE):
    return oidc.validate_id_token(CONFIG, value, nonce)


def test_a_right_token_gives_the_pid_and_level():
    checked = validate(token())
    assert (checked["pid"], checked["acr"]) == (PID, "idporten-loa-substantial")


def test_high_is_above_substantial_and_accepted():
    assert validate(token(acr="idporten-loa-high"))["acr"] == "idporten-loa-high"


@pytest.mark.parametrize(
    ("what", "value"),
    [
        ("wrong signature", lambda: token(key=OTHER_KEY)),
        ("wrong issuer", lambda: token(iss="https://evil.example")),
        ("wrong audience", lambda: token(aud="another-client")),
        ("expired", lambda: token(iat=int(time.time()) - 900, exp=int(time.time()) - 300)),
        ("issued in the future", lambda: token(iat=int(time.time()) + 900, exp=int(time.time()) + 1200)),
        ("too low acr", lambda: token(acr="idporten-loa-low")),
        ("no acr", lambda: token(acr=None)),
        ("no pid", lambda: token(pid=None)),
        ("a pid that is no number", lambda: token(pid="12345678901")),
        ("no expiry", lambda: token(exp=None)),
        ("several audiences, azp another client", lambda: token(aud=[CLIENT, "other"], azp="other")),
    ],
)
def test_a_token_wrong_in_one_way_is_refused(what, value):
    with pytest.raises(oidc.LoginRefused):
        validate(value())


def test_the_wrong_nonce_is_refused():
    with pytest.raises(oidc.LoginRefused):
        validate(token(), nonce="another-login")


def test_several_audiences_with_azp_of_this_client_pass():
    assert validate(token(aud=[CLIENT, "other"], azp=CLIENT))["pid"] == PID


def test_an_unsigned_token_is_refused():
    unsigned = f"{_part({'alg': 'none', 'typ': 'JWT'})}.{_part(claims())}."
    with pytest.raises(oidc.LoginRefused):
        validate(unsigned)


def test_a_token_signed_with_the_public_key_as_a_shared_secret_is_refused():
    """The old algorithm-confusion attack: HS256 keyed with the provider's public key."""
    public_pem = PROVIDER_KEY.as_pem(private=False)
    signing_input = f"{_part({'alg': 'HS256', 'typ': 'JWT', 'kid': 'provider-1'})}.{_part(claims())}"
    signature = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    forged = f"{signing_input}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"
    with pytest.raises(oidc.LoginRefused):
        validate(forged)


def test_a_key_id_the_provider_does_not_publish_is_refused():
    stranger = RSAKey.generate_key(2048, parameters={"kid": "unknown"})
    forged = jwt.encode({"alg": "RS256", "kid": "unknown"}, claims(), stranger)
    with pytest.raises(oidc.LoginRefused):
        validate(forged)


def test_garbage_is_refused():
    with pytest.raises(oidc.LoginRefused):
        validate("not.a.token")
