"""Static files as production deploys them: collectstatic under production settings, then served by WhiteNoise.

Runs manage.py in a subprocess with production settings (as tests/test_settings.py does for the deploy check),
collecting into a temporary folder. It takes about a minute (Brotli); deselect it with -m "not slow" while
iterating. CI runs it with the rest of the suite.
"""

import json
import os
import secrets
import subprocess  # noqa: S404 - runs this project's own manage.py and Python
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "lkt_site.settings.production",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "lkt.example.com",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "WAGTAILADMIN_BASE_URL": "https://lkt.example.com",
    "EMAIL_HOST": "smtp.example.com",
    "PRIVATE_MEDIA_ROOT": "/srv/lkt/private-media",
}

# Asks the production middleware stack for the stylesheet every public page links, as a browser would
# over HTTPS; touches no database (WhiteNoise answers before sessions or users are read).
FETCH = """
import json, django
django.setup()
from django.templatetags.static import static
from django.test import Client
url = static("css/lkt.css")
response = Client().get(
    url, secure=True, HTTP_HOST="lkt.example.com", HTTP_X_FORWARDED_PROTO="https", HTTP_ACCEPT_ENCODING="gzip, br"
)
print(json.dumps({"url": url, "status": response.status_code, "headers": dict(response.headers)}))
"""


def _run(args, env):
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for Playwright; a deployment never has it.
    dropped = {*PRODUCTION_ENV, "STATIC_ROOT", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(  # noqa: S603
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_collectstatic_hashes_and_compresses_and_whitenoise_serves_the_files_cached_for_ever(tmp_path):
    """One test, so that the collecting (most of a minute) is done once however the tests are spread over workers."""
    static_root = tmp_path / "static"
    env = {**PRODUCTION_ENV, "STATIC_ROOT": str(static_root)}
    result = _run(["manage.py", "collectstatic", "--noinput"], env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    _assert_hashed_and_compressed(static_root)
    _assert_served_compressed_and_cached_for_ever(env)


def _assert_hashed_and_compressed(static_root):
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    for name in (
        "css/lkt.css",
        "workflows/process.css",
        "workflows/print.js",
        "wagtailadmin/css/core.css",
        "viewflow/css/viewflow.min.css",
        "viewflow/js/turbo.es2017-umd.js",
        "viewflow/fonts/roboto/roboto-fontface.css",
        "viewflow/fonts/material-icons/material-icons.css",
    ):
        hashed = manifest[name]
        assert hashed != name, name
        for suffix in ("", ".gz", ".br"):
            assert (static_root / f"{hashed}{suffix}").is_file(), f"{hashed}{suffix}"

    # The fonts Viewflow's pages use are referenced by their hashed names, and are there.
    roboto = (static_root / manifest["viewflow/fonts/roboto/roboto-fontface.css"]).read_text()
    regular = manifest["viewflow/fonts/roboto/Roboto-Regular.woff2"]
    assert Path(regular).name in roboto
    assert (static_root / regular).is_file()
    # Viewflow's npm leftovers (with the stylesheet whose fonts are missing) are not collected.
    assert not [name for name in manifest if "node_modules" in name]


def _assert_served_compressed_and_cached_for_ever(env):
    result = _run(["-c", FETCH], env)
    assert result.returncode == 0, result.stderr[-3000:]
    fetched = json.loads(result.stdout.strip().splitlines()[-1])
    headers = {k.lower(): v for k, v in fetched["headers"].items()}
    assert fetched["url"].startswith("/static/css/lkt.") and fetched["url"] != "/static/css/lkt.css"
    assert fetched["status"] == 200, fetched
    assert headers["content-encoding"] == "br"
    cache_control = {part.strip() for part in headers["cache-control"].split(",")}
    assert {"public", "immutable", "max-age=315360000"} <= cache_control, headers["cache-control"]
    # Static files carry the same headers as every other response.
    assert "default-src 'self'" in headers["content-security-policy"]
    assert "camera=()" in headers["permissions-policy"]
