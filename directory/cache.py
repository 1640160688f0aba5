"""Versioned cache keys for the public directory pages.

A public page's cache key includes its municipality's version number, kept in the
shared cache (Redis in production) so every app server sees the same value. A
publish, unpublish or confirmation bumps the version of exactly the municipality
whose data changed; cached fragments of other municipalities stay warm.
"""

import time

from django.core.cache import cache
from django.db import transaction

GLOBAL_KEY = "directory:version:global"  # shared with key_version("global")


def _key(municipality_id):
    return f"directory:version:municipality:{municipality_id}"


def _fresh_value():
    # Never a value used before, so a version key lost to eviction can never
    # bring back fragments cached under an older version.
    return time.time_ns()


def municipality_version(municipality_id):
    """The current version for one municipality, combined with the catalogue-wide version."""
    keys = [GLOBAL_KEY, _key(municipality_id)]
    values = cache.get_many(keys)
    for key in keys:
        if key not in values:
            cache.add(key, _fresh_value(), timeout=None)
            values[key] = cache.get(key)
    return f"{values[GLOBAL_KEY]}.{values[_key(municipality_id)]}"


def _bump(key):
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, _fresh_value(), timeout=None)


def _bump_now_and_after_commit(key):
    # Bumping now hides the change from no one; bumping again after commit stops a
    # request that read the old rows mid-transaction from caching them as current.
    _bump(key)
    transaction.on_commit(lambda: _bump(key))


def invalidate_municipality(municipality_id):
    if municipality_id:
        _bump_now_and_after_commit(_key(municipality_id))


def invalidate_all():
    """For changes every actor map shows, such as an actor type's name."""
    _bump_now_and_after_commit(GLOBAL_KEY)


def key_version(name):
    """A version number for any other cached rendering (for example one pathway page)."""
    key = f"directory:version:{name}"
    value = cache.get(key)
    if value is None:
        cache.add(key, _fresh_value(), timeout=None)
        value = cache.get(key)
    return value


def invalidate_key(name):
    _bump_now_and_after_commit(f"directory:version:{name}")


def global_version():
    return key_version("global")
