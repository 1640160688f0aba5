"""Production settings: hard failure without secrets, a clean `check --deploy`, and no demo app.

The `demo` app creates a superuser with a published password; production never installs it, and no
runtime app imports from it, so nothing of it can reach a deployment.
"""

import ast
import os
import subprocess  # noqa: S404 - runs this project's own manage.py
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each test starts manage.py in a subprocess

ROOT = Path(__file__).resolve().parents[1]
RUNTIME_APPS = ["lkt_site", "core", "home", "directory", "accounts", "workflows"]
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


def _manage(*args, env):
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for Playwright; a deployment never has it.
    dropped = {*PRODUCTION_ENV, "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deploy_check():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", ["SECRET_KEY", "PRIVATE_MEDIA_ROOT"])
def test_production_refuses_to_start_without_a_required_setting(name):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != name}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert f"{name} is required" in result.stderr


def test_production_does_not_install_the_demo():
    installed = _manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.apps import apps; print(apps.is_installed('demo'))",
        env=PRODUCTION_ENV,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert installed.stdout.strip() == "False"
    load_demo = _manage("load_demo", env=PRODUCTION_ENV)
    assert load_demo.returncode != 0
    assert "Unknown command: 'load_demo'" in load_demo.stderr


def _imported_modules(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_no_runtime_app_imports_the_demo():
    offenders = [
        f"{path.relative_to(ROOT)}: {module}"
        for app in RUNTIME_APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        for module in _imported_modules(path)
        if module == "demo" or module.startswith("demo.")
    ]
    assert offenders == []
