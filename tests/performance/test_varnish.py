"""The reference Varnish configuration (deploy/varnish/lkt.vcl) in front of gunicorn, as in production.

Starts gunicorn (the app on the test database, sharing a cache directory with this process) and varnishd with
the shipped VCL, and shows: a public page is served by Varnish; a publish is visible through Varnish within a
second (Wagtail's frontend cache purges, LKT's versions ban); staff pages, readers with a session and responses
that set cookies are never cached. Needs Debian's varnish (``/usr/sbin/varnishd``) and a C compiler for the VCL.
"""

import http.client
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from core import frontend_cache

pytestmark = [
    pytest.mark.slow,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PROJECT = Path(__file__).resolve().parents[2]
VCL = PROJECT / "deploy" / "varnish" / "lkt.vcl"
VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"
HOST = "localhost"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(port, process, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing answers on port {port}")


def _stop(process):
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


class Stack:
    def __init__(self, varnish_port):
        self.port = varnish_port

    def get(self, path, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.request("GET", path, headers={"Host": HOST, **(headers or {})})
        response = conn.getresponse()
        body = response.read().decode("utf-8", "replace")
        conn.close()
        return response, body


@pytest.fixture
def stack(tmp_path, settings):
    if not os.path.exists(VARNISHD) or not shutil.which("cc"):
        pytest.skip("needs Debian's varnish and a C compiler")
    cache_dir = tmp_path / "cache"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(cache_dir)}
    }
    app_port, varnish_port = _free_port(), _free_port()
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.performance.varnish_settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "LKT_TEST_CACHE_DIR": str(cache_dir),
        "PYTHONPATH": str(PROJECT),
    }
    gunicorn = subprocess.Popen(  # noqa: S603 - our own virtualenv's gunicorn, fixed arguments
        [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{app_port}", "lkt_site.wsgi"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / "gunicorn.log", "w"),  # noqa: SIM115 - closed with the process
    )
    vcl = tmp_path / "lkt.vcl"
    vcl.write_text(VCL.read_text().replace('.port = "8000";', f'.port = "{app_port}";'))
    varnish = subprocess.Popen(  # noqa: S603 - Debian's varnishd, fixed arguments
        [VARNISHD, "-F", "-j", "none", "-a", f"127.0.0.1:{varnish_port}", "-f", str(vcl)]
        + ["-n", str(tmp_path / "varnish"), "-s", "malloc,32m"],
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / "varnish.log", "w"),  # noqa: SIM115 - closed with the process
    )
    try:
        _wait_for(app_port, gunicorn)
        _wait_for(varnish_port, varnish)
        settings.WAGTAILFRONTENDCACHE = {
            "varnish": {
                "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
                "LOCATION": f"http://127.0.0.1:{varnish_port}",
            }
        }
        yield Stack(varnish_port)
    finally:
        _stop(varnish)
        _stop(gunicorn)
        connection.close()


def test_varnish_serves_public_pages_and_shows_a_publish_within_a_second(stack, make_municipality, make_actor):
    page, _, _ = make_municipality("4624")
    make_actor(page, "Legevakten i Bjørnafjorden")
    first, body = stack.get(page.url)
    assert first.status == 200 and first.getheader("X-Cache") == "MISS"
    assert "Legevakten i Bjørnafjorden" in body
    second, again = stack.get(page.url)
    assert second.getheader("X-Cache") == "HIT"
    assert again == body
    assert "public" in second.getheader("Cache-Control")
    assert second.getheader(frontend_cache.DEPENDENCIES_HEADER) is None  # for Varnish only
    assert "cookie" not in (second.getheader("Vary") or "").lower()

    make_actor(page, "Nytt dagsenter i Os")
    published = time.monotonic()
    while True:
        response, body = stack.get(page.url)
        if "Nytt dagsenter i Os" in body:
            break
        assert time.monotonic() - published < 1, "the publish did not show through Varnish within a second"
        time.sleep(0.05)
    assert stack.get(page.url)[0].getheader("X-Cache") == "HIT"


def test_varnish_never_caches_staff_pages_sessions_or_cookies(stack, make_municipality):
    from home.models import HomePage, PathwayIndexPage
    from tests import factories

    page, _, _ = make_municipality("4624")
    index = HomePage.objects.get().add_child(instance=PathwayIndexPage(title="Forløp", slug="forlop-v"))
    pathway = factories.make_pathway(index, "Forløp", "forlop-varnish", [])
    for path in ("/admin/login/", "/prosesser/forlop/", "/min-side/"):
        for _ in range(2):
            response, _body = stack.get(path)
            assert response.getheader("X-Cache") == "MISS", path
    # A response that sets a cookie (the chosen municipality) is never stored.
    for _ in range(2):
        response, _body = stack.get(f"{pathway.url}?kommune=4624")
        assert response.getheader("Set-Cookie") and response.getheader("X-Cache") == "MISS"
    # A reader with a session is passed to the app, even for a page Varnish holds.
    stack.get(page.url)
    assert stack.get(page.url)[0].getheader("X-Cache") == "HIT"
    response, _body = stack.get(page.url, {"Cookie": "sessionid=abc"})
    assert response.getheader("X-Cache") == "MISS"
    # Other cookies (a CSRF token) do not make a public page personal.
    assert stack.get(page.url, {"Cookie": "csrftoken=abc"})[0].getheader("X-Cache") == "HIT"
