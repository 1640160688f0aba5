"""TestID can never run in production: not installed, not routed, refused if added; ID-porten comes from the
environment, over https, with a secret or a private key."""

import ast
import os
import subprocess  # noqa: S404 - runs this project's own manage.py
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "lkt_site.settings.production",
    "SECRET_KEY": "x" * 60 + "-production-test-key-with-enough-entropy-1234567890",
    "ALLOWED_HOSTS": "lkt.example.com",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "WAGTAILADMIN_BASE_URL": "https://lkt.example.com",
    "EMAIL_HOST": "smtp.example.com",
    "PRIVATE_MEDIA_ROOT": "/srv/lkt/private-media",
}
ID_PORTEN = {
    "LKT_OIDC_ISSUER": "https://idporten.example.no",
    "LKT_OIDC_CLIENT_ID": "lkt-min-side",
    "LKT_OIDC_CLIENT_SECRET": "from-the-vault",
}
PROBE = """
from django.apps import apps
from django.conf import settings
from django.urls import NoReverseMatch, resolve, reverse
print("installed", apps.is_installed("testid"), apps.is_installed("oauth2_provider"))
try:
    reverse("oauth2_provider:authorize")
    print("reverse yes")
except NoReverseMatch:
    print("reverse no")
match = resolve("/testid/authorize/")
print("resolves to", match.app_name or "-", match.url_name)
print("oidc", (settings.LKT_OIDC or {}).get("issuer"), (settings.LKT_OIDC or {}).get("accepted_acr"))
"""


def _manage(*args, env, pythonpath=None):
    dropped = {*PRODUCTION_ENV, *ID_PORTEN, "DJANGO_ALLOW_ASYNC_UNSAFE", "LKT_OIDC_LEVEL"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    if pythonpath:
        clean["PYTHONPATH"] = os.pathsep.join([str(pythonpath), str(ROOT)])
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_has_no_testid_and_no_route_to_it():
    result = _manage("shell", "--no-imports", "-c", PROBE, env={**PRODUCTION_ENV, **ID_PORTEN})
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert "installed False False" in lines
    assert "reverse no" in lines
    # /testid/ falls through to Wagtail's page serving (a 404 for a page that does not exist), never to a provider.
    assert "resolves to - wagtail_serve" in lines, lines
    assert "oidc https://idporten.example.no ['idporten-loa-substantial', 'idporten-loa-high']" in lines


def test_production_refuses_testid_added_to_its_apps(tmp_path):
    (tmp_path / "sneaky_settings.py").write_text(
        "from lkt_site.settings.production import *  # noqa\n"
        "INSTALLED_APPS = [*INSTALLED_APPS, 'oauth2_provider', 'testid']  # noqa\n",
        encoding="utf-8",
    )
    env = {**PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "sneaky_settings"}
    result = _manage("check", env=env, pythonpath=tmp_path)
    assert result.returncode != 0
    assert "TestID is for development and tests only" in result.stderr


def test_production_refuses_a_plain_http_issuer():
    result = _manage("check", env={**PRODUCTION_ENV, **ID_PORTEN, "LKT_OIDC_ISSUER": "http://testid.example"})
    assert result.returncode != 0
    assert "LKT_OIDC_ISSUER must be an https://" in result.stderr


def test_production_refuses_an_issuer_without_client_credentials():
    env = {**PRODUCTION_ENV, "LKT_OIDC_ISSUER": "https://idporten.example.no", "LKT_OIDC_CLIENT_ID": "x"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "LKT_OIDC_PRIVATE_KEY_FILE or LKT_OIDC_CLIENT_SECRET" in result.stderr


def test_production_can_ask_for_high_only():
    result = _manage(
        "shell", "--no-imports", "-c", PROBE, env={**PRODUCTION_ENV, **ID_PORTEN, "LKT_OIDC_LEVEL": "high"}
    )
    assert "oidc https://idporten.example.no ['idporten-loa-high']" in result.stdout.splitlines(), result.stderr


def test_no_runtime_app_imports_the_development_provider():
    offenders = []
    for app in ["lkt_site", "core", "home", "directory", "accounts", "workflows", "patients"]:
        for path in sorted((ROOT / app).rglob("*.py")):
            if path.name == "testid.py" and path.parent.name == "settings":
                continue  # the dev/test settings helper; production.py never imports it
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                offenders += [
                    f"{path.relative_to(ROOT)}: {n}" for n in names if n.split(".")[0] in ("testid", "oauth2_provider")
                ]
    assert offenders == []
