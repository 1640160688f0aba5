"""Fixtures for the tests of what the shared cache keeps."""

import pytest
from django.core.cache import cache


@pytest.fixture
def empty_cache():
    """The test's own cache: what an earlier test left there must not make a page cheaper or stale."""
    cache.clear()
