"""Cache versions (core/cache_versions.py): read once per request, and a bump is seen at once, in it and elsewhere."""

import pytest
from django.core.cache import cache

from core import cache_versions


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def _counting_reads(monkeypatch):
    reads = []
    get_many = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: reads.append(list(keys)) or get_many(keys))
    return reads


def test_a_request_reads_each_version_once(monkeypatch):
    first = cache_versions.values(cache_versions.catalogue(), cache_versions.pages())
    reads = _counting_reads(monkeypatch)
    with cache_versions.remembered():
        assert cache_versions.values(cache_versions.catalogue()) == first[:1]
        assert cache_versions.values(cache_versions.pages(), cache_versions.catalogue()) == first[::-1]
        with cache_versions.remembered():  # an inner block shares the request's
            assert cache_versions.values(cache_versions.pages()) == first[1:]
    assert reads == [["version:catalogue"], ["version:pages"]]
    cache_versions.values(cache_versions.pages())  # outside a request: from the cache every time
    assert len(reads) == 3


@pytest.mark.django_db
def test_a_bump_in_the_request_is_seen_by_the_request_and_by_others():
    with cache_versions.remembered():
        before = cache_versions.current(cache_versions.pages())
        cache_versions.bump(cache_versions.pages(), purge=False)
        inside = cache_versions.current(cache_versions.pages())
        assert inside != before
    assert cache_versions.current(cache_versions.pages()) != before


@pytest.mark.django_db
def test_a_bump_by_someone_else_is_seen_by_the_next_request():
    with cache_versions.remembered():
        before = cache_versions.current(cache_versions.catalogue())
    cache_versions.bump(cache_versions.catalogue(), purge=False)  # another app server
    with cache_versions.remembered():
        assert cache_versions.current(cache_versions.catalogue()) != before
