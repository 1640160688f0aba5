"""Versioned cache keys: a rendering's cache key carries version numbers that a change bumps.

The numbers live in the shared cache (Redis in production), so every app server sees the same value and a
bump on one server invalidates the renderings on all of them, without knowing which keys exist. A version
lost to eviction is replaced by a value never used before, so fragments cached under an old version can never
come back.

The names say what a version covers:

* ``catalogue()`` – everything every page shows, such as an actor type's name;
* ``municipality(pk)`` – one municipality's actor map (its page, its actors, the pathways rendered for it);
* ``pathway(pk)`` – one pathway page (its modules' published text).
"""

import time

from django.core.cache import cache
from django.db import transaction

PREFIX = "version:"


def catalogue():
    return "catalogue"


def municipality(pk):
    return f"municipality:{pk}"


def pathway(pk):
    return f"pathway:{pk}"


def _fresh_value():
    return time.time_ns()


def current(*names):
    """The current versions of these names as one string, e.g. ``"1732953600000000000.1732953600000000001"``."""
    keys = [PREFIX + name for name in names]
    values = cache.get_many(keys)
    for key in keys:
        if key not in values:
            cache.add(key, _fresh_value(), timeout=None)
            values[key] = cache.get(key)
    return ".".join(str(values[key]) for key in keys)


def _bump(key):
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, _fresh_value(), timeout=None)


def bump(name):
    """Invalidate every rendering cached under this name, now and again once the transaction commits.

    Bumping now hides the change from no one; bumping again after commit stops a request that read the old rows
    mid-transaction from caching them under the new version.
    """
    key = PREFIX + name
    _bump(key)
    transaction.on_commit(lambda: _bump(key))
