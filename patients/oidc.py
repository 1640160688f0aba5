"""The OpenID Connect client for ID-porten: authorisation code flow with PKCE, and a strict check of the id_token.

Authlib's ``OAuth2Session`` (on requests) builds the authorisation request with S256 PKCE and exchanges the code,
authenticating the client with its secret or – as ID-porten recommends – a private-key JWT (``private_key_jwt``).
The id_token is checked with joserfc (Authlib's own JOSE library): the signature against the provider's published
key set, and then ``iss``, ``aud`` (and ``azp`` when there are several audiences), ``exp``, ``iat``, ``nonce``, the
``acr`` level and the ``pid``. Anything else – a different signature, issuer, audience, nonce, an expired token or a
level below the configured one – is refused with :class:`LoginRefused`, never logged with the token's content.
"""

import secrets
import time
from dataclasses import dataclass

from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet

from workflows.national_id import normalise, validate_national_id

ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256"]
LEEWAY_SECONDS = 60
METADATA_SECONDS = 60 * 60
HTTP_TIMEOUT_SECONDS = 10


class LoginRefused(Exception):  # noqa: N818 – reads as what happened
    """The provider's answer cannot be trusted; ``reason`` says which check failed (for the security trail)."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Config:
    issuer: str
    client_id: str
    client_secret: str | None
    private_key: str | None
    private_key_id: str | None
    acr_values: tuple
    accepted_acr: tuple
    scope: str

    @classmethod
    def from_settings(cls):
        data = settings.LKT_OIDC
        if not data:
            return None
        return cls(
            issuer=data["issuer"].rstrip("/"),
            client_id=data["client_id"],
            client_secret=data.get("client_secret"),
            private_key=data.get("private_key"),
            private_key_id=data.get("private_key_id"),
            acr_values=tuple(data["acr_values"]),
            accepted_acr=tuple(data["accepted_acr"]),
            scope=data.get("scope", "openid"),
        )


def new_http_session(**kwargs):
    """Every HTTP call to the provider goes through one of these (tests mount their transport here)."""
    return OAuth2Session(**kwargs)


def _get_json(url):
    with new_http_session() as http:
        response = http.get(url, timeout=HTTP_TIMEOUT_SECONDS, withhold_token=True)
    if response.status_code != 200:
        raise LoginRefused(f"http {response.status_code} from provider")
    return response.json()


def metadata(config):
    """The provider's discovery document, cached for an hour; its ``issuer`` must be exactly the configured one."""
    key = f"oidc:metadata:{config.issuer}"
    document = cache.get(key)
    if document is None:
        document = _get_json(f"{config.issuer}/.well-known/openid-configuration")
        if document.get("issuer", "").rstrip("/") != config.issuer:
            raise LoginRefused("discovery issuer mismatch")
        cache.set(key, document, METADATA_SECONDS)
    return document


def key_set(config, refresh=False):
    """The provider's signing keys, cached; fetched again when a token names a key id we have not seen (rotation)."""
    key = f"oidc:jwks:{config.issuer}"
    data = None if refresh else cache.get(key)
    if data is None:
        data = _get_json(metadata(config)["jwks_uri"])
        cache.set(key, data, METADATA_SECONDS)
    return KeySet.import_key_set(data)


@dataclass(frozen=True)
class Start:
    """What the login must remember in the session until the provider sends the browser back."""

    url: str
    state: str
    nonce: str
    code_verifier: str


def _client(config, redirect_uri):
    kwargs = {"client_id": config.client_id, "scope": config.scope, "redirect_uri": redirect_uri}
    if config.private_key:
        kwargs["token_endpoint_auth_method"] = PrivateKeyJWT(
            metadata(config)["token_endpoint"],
            headers={"kid": config.private_key_id} if config.private_key_id else None,
        )
        kwargs["client_secret"] = config.private_key
    else:
        kwargs["client_secret"] = config.client_secret
        kwargs["token_endpoint_auth_method"] = "client_secret_basic"  # noqa: S105 - the method's name, not a secret
    kwargs["code_challenge_method"] = "S256"
    return new_http_session(**kwargs)


def start(config, redirect_uri):
    """The authorisation request: S256 PKCE, a fresh state and nonce, the level asked for, Norwegian pages."""
    state, nonce, verifier = secrets.token_urlsafe(32), secrets.token_urlsafe(32), secrets.token_urlsafe(64)
    with _client(config, redirect_uri) as client:
        url, _state = client.create_authorization_url(
            metadata(config)["authorization_endpoint"],
            state=state,
            nonce=nonce,
            code_verifier=verifier,
            acr_values=" ".join(config.acr_values),
            ui_locales="nb",
            prompt="login",
        )
    return Start(url=url, state=state, nonce=nonce, code_verifier=verifier)


def finish(config, redirect_uri, code, code_verifier, nonce):
    """Exchange the code for tokens and return the id_token's checked claims."""
    with _client(config, redirect_uri) as client:
        try:
            token = client.fetch_token(
                metadata(config)["token_endpoint"],
                grant_type="authorization_code",
                code=code,
                code_verifier=code_verifier,
                timeout=HTTP_TIMEOUT_SECONDS,
            )
        except Exception as error:  # noqa: BLE001 – any failure of the exchange is a refused login, never a 500
            raise LoginRefused(f"token exchange failed: {type(error).__name__}") from None
    id_token = token.get("id_token")
    if not id_token:
        raise LoginRefused("no id_token")
    return validate_id_token(config, id_token, nonce)


def validate_id_token(config, id_token, nonce, now=None):
    """The id_token's claims when every check passes; :class:`LoginRefused` otherwise."""
    keys = key_set(config)
    try:
        decoded = _decode(id_token, keys)
    except _UnknownKey:
        try:
            decoded = _decode(id_token, key_set(config, refresh=True))
        except _UnknownKey:
            raise LoginRefused("signed with a key the provider does not publish") from None
    claims = decoded.claims
    registry = jwt.JWTClaimsRegistry(
        now=int(now if now is not None else time.time()),
        leeway=LEEWAY_SECONDS,
        iss={"essential": True, "value": config.issuer},
        aud={"essential": True, "value": config.client_id},
        exp={"essential": True},
        iat={"essential": True},
        sub={"essential": True},
        nonce={"essential": True, "value": nonce},
        acr={"essential": True, "values": list(config.accepted_acr)},
        pid={"essential": True},
    )
    try:
        registry.validate(claims)
    except JoseError as error:
        raise LoginRefused(f"claim check failed: {error.error}") from None
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if len(audiences) > 1 and claims.get("azp") != config.client_id:
        raise LoginRefused("azp is not this client")
    pid = normalise(claims["pid"])
    try:
        validate_national_id(pid)
    except ValidationError:
        raise LoginRefused("pid is not a valid number here") from None
    return {**claims, "pid": pid}


class _UnknownKey(Exception):  # noqa: N818
    pass


def _decode(id_token, keys):
    try:
        return jwt.decode(id_token, keys, algorithms=ALGORITHMS)
    except InvalidKeyIdError:
        raise _UnknownKey from None
    except JoseError as error:
        raise LoginRefused(f"signature check failed: {error.error}") from None
    except (ValueError, TypeError):
        raise LoginRefused("malformed token") from None
