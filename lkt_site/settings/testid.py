"""Settings for TestID, the development identity provider (dev and test only; production never imports this).

TestID stands in for ID-porten's own test login: a real OpenID Connect provider (django-oauth-toolkit with OIDC on)
where one picks or types a synthetic fødselsnummer. The patient channel's client talks to it exactly as it talks to
ID-porten in production (discovery, authorisation code with PKCE, RS256-signed id_token with ``acr`` and ``pid``).
"""

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

TESTID_APPS = ["oauth2_provider", "testid"]
TESTID_CLIENT_ID = "lkt-min-side"
# A development stand-in's shared secret; production talks to ID-porten with its own secret or key from the environment.
TESTID_CLIENT_SECRET = "testid-only-client-secret"  # noqa: S105


def signing_key_pem():
    """A fresh RSA key per process: TestID's tokens are worth nothing outside this process's lifetime, and the client
    fetches the key set again when it meets a key id it has not seen."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def provider_settings():
    return {
        "OIDC_ENABLED": True,
        "OIDC_RSA_PRIVATE_KEY": signing_key_pem(),
        "PKCE_REQUIRED": True,
        "SCOPES": {"openid": "Innlogging", "profile": "Navn"},
        "DEFAULT_SCOPES": ["openid"],
        "OAUTH2_VALIDATOR_CLASS": "testid.validators.TestIdValidator",
        # make run serves plain http on the loopback address.
        "ALLOWED_REDIRECT_URI_SCHEMES": ["http", "https"],
        "ID_TOKEN_EXPIRE_SECONDS": 120,
        "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    }


def client_settings(issuer):
    """The patient channel's OIDC client pointed at TestID on ``issuer``."""
    return {
        "issuer": issuer,
        "client_id": TESTID_CLIENT_ID,
        "client_secret": TESTID_CLIENT_SECRET,
        "private_key": None,
        "private_key_id": None,
        "acr_values": ["idporten-loa-substantial"],
        "accepted_acr": ["idporten-loa-substantial", "idporten-loa-high"],
        "scope": "openid profile",
    }
