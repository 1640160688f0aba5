"""Headless Chromium for browser journeys, driven by Playwright's sync API against pytest-django's live server.

Debian's Chromium (/usr/bin/chromium) is used; Playwright's own browser download is never needed.
Without Chromium the journeys are skipped, unless LKT_REQUIRE_BROWSER=1, when they fail instead.
"""

import os
from pathlib import Path

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import Page

CHROMIUM = Path(os.environ.get("LKT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEFAULT_TIMEOUT_MS = 15_000
# Screenshots of the screens a journey passes, for a person to look at; no check reads them, and each costs
# Chromium a full-page render, so they are taken only when asked for (failures always keep one, see new_page).
SCREENSHOTS = os.environ.get("LKT_SCREENSHOTS", "").strip().lower() in {"1", "true", "yes", "on"}


def _browser_required():
    return os.environ.get("LKT_REQUIRE_BROWSER", "").strip().lower() in {"1", "true", "yes", "on"}


def _missing_chromium_reason():
    return f"Chromium not found at {CHROMIUM}; install Debian's chromium package to run browser journeys"


def pytest_collection_modifyitems(config, items):
    """Skip browser journeys before any database is created when Chromium is missing (and not required)."""
    if CHROMIUM.exists() or _browser_required():
        return
    skip = pytest.mark.skip(reason=_missing_chromium_reason())
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


def _serialized_contents():
    """What the test-database setup serialized for serialized rollbacks, per database alias."""
    from django.db import connections

    return {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }


def _restore_serialized_contents(serialized):
    """Put the serialized contents back on this thread's connections once Playwright has started.

    Django keeps database connections in an asgiref ``Local`` that is thread-local in a sync thread
    but context-local once an event loop runs in it, and Playwright's sync API leaves one registered
    as running. From then on the test thread gets new connection objects without the
    ``_test_serialized_contents`` that ``serialized_rollback=True`` restores from, so every
    transactional browser test after the first would start with an empty database.
    """
    from django.db import connections

    for alias, contents in serialized.items():
        if not hasattr(connections[alias], "_test_serialized_contents"):
            connections[alias]._test_serialized_contents = contents


@pytest.fixture(scope="session")
def chromium_browser():
    """One headless Chromium for the session; skipped (or failed, with LKT_REQUIRE_BROWSER=1) when unavailable."""
    if not CHROMIUM.exists():
        reason = _missing_chromium_reason()
        if _browser_required():
            pytest.fail(f"LKT_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        if _browser_required():
            pytest.fail(f"LKT_REQUIRE_BROWSER=1 but Playwright is not installed: {exc}", pytrace=False)
        pytest.skip(f"Playwright is not installed: {exc}")

    # Playwright's sync API keeps an asyncio loop registered as running on this thread, and
    # Django refuses ORM calls when it sees one. The test code itself is fully synchronous.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    serialized = _serialized_contents()
    playwright = sync_playwright().start()
    _restore_serialized_contents(serialized)
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.lkt_call_failed = report.failed
    return report


@pytest.fixture
def new_page(request, chromium_browser, live_server, tmp_path):
    """Open a page in a fresh browser context (its own cookies); failed requests and JS errors are collected.

    When the test fails, every open page is saved as a screenshot in the test's tmp_path.
    """
    contexts = []

    def open_page():
        context = chromium_browser.new_context(
            base_url=live_server.url, locale="nb-NO", viewport={"width": 1280, "height": 1000}
        )
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.lkt_errors = []
        page.on("pageerror", lambda exc: page.lkt_errors.append(f"JS error: {exc}"))
        page.on(
            "response",
            lambda response: (
                response.status >= 400 and page.lkt_errors.append(f"{response.status} {response.url} (on {page.url})")
            ),
        )
        return page

    yield open_page
    if getattr(request.node, "lkt_call_failed", False):
        for i, context in enumerate(contexts):
            for j, page in enumerate(context.pages):
                path = tmp_path / f"failure-{i}-{j}.png"
                page.screenshot(path=str(path), full_page=True)
                print(f"Screenshot of {page.url}: {path}")
    for context in contexts:
        context.close()


@pytest.fixture
def migrated_data(transactional_db):
    """Fail with a useful message when the database lacks what migrations create.

    A transactional test empties every table when it ends; its serialized rollback restores
    them only when the next such test starts. A database kept with --reuse-db gets the seed
    back when the session ends (tests/conftest.py), unless the run was killed before that.
    """
    if Page.get_first_root_node() is None:
        pytest.fail(
            "Wagtail's root page is missing: the reused test database was emptied by a transactional test. "
            "Run once with --create-db.",
            pytrace=False,
        )


def keep_screenshot(page, path, full_page=True):
    """Save a screenshot of the page at ``path`` when LKT_SCREENSHOTS=1."""
    if SCREENSHOTS:
        page.screenshot(path=str(path), full_page=full_page)


def totp_code(device):
    """The current code of a TOTP device, as an authenticator app would show it."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def staff_with_totp(make_user):
    """A staff user in the given groups, with a confirmed TOTP device; returns (user, device)."""

    def make(username, groups):
        user = make_user(username, groups=groups)
        device = TOTPDevice.objects.create(user=user, name="Autentiseringsapp", confirmed=True)
        return user, device

    return make
