"""Versioned cache keys: a rendering's cache key carries version numbers that a change bumps.

The numbers live in the shared cache (Redis in production), so every app server sees the same value and a
bump on one server invalidates the renderings on all of them, without knowing which keys exist. A version
lost to eviction is replaced by a value never used before, so fragments cached under an old version can never
come back.

The names say what a version covers:

* ``catalogue()`` – everything every page shows, such as an actor type's name;
* ``pages()`` – the page tree as the public sees it: any publish, unpublish, move or delete of a page other than
  an actor (whose changes bump its municipality), any change of a site, and the postal register (the lookup's answers);
* ``sites()`` – the sites (host, port, root page), which ``core.route_cache`` keeps;
* ``municipality(pk)`` – one municipality's actor map (its page, its actors, the pathways rendered for it);
* ``pathway(pk)`` – one pathway page (its modules' published text);
* ``user_tasks(pk)`` – the tasks a user owns (their inbox and archive badge counts);
* ``task_queue()`` – the unassigned tasks (every queue badge).
"""

import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache
from django.db import transaction

from .collecting import collecting

PREFIX = "version:"


def catalogue():
    return "catalogue"


def pages():
    return "pages"


def sites():
    return "sites"


def municipality(pk):
    return f"municipality:{pk}"


def pathway(pk):
    return f"pathway:{pk}"


def user_tasks(pk):
    return f"tasks:user:{pk}"


def task_queue():
    return "tasks:queue"


def _fresh_value():
    return time.time_ns()


# The versions a rendering has read so far, by name (None: nobody is recording); see ``recording``.
_recorded = ContextVar("lkt_cache_versions_recorded", default=None)


# The versions this request has read, by name (None: outside a ``remembered`` block); see ``remembered``.
_remembered = ContextVar("lkt_cache_versions_remembered", default=None)


def values(*names):
    """The current version of each name, in order, in one round trip to the cache (two for a name never seen)."""
    remembered = _remembered.get()
    unknown = [name for name in names if remembered is None or name not in remembered]
    keys = [PREFIX + name for name in unknown]
    found = cache.get_many(keys) if keys else {}
    for key in keys:
        if key not in found:
            cache.add(key, _fresh_value(), timeout=None)
            found[key] = cache.get(key)
    read = {name: found[PREFIX + name] for name in unknown}
    if remembered is not None:
        remembered.update(read)
        read = remembered
    result = [read[name] for name in names]
    recorded = _recorded.get()
    if recorded is not None:
        for name, value in zip(names, result, strict=True):
            recorded.setdefault(name, value)
    return result


def current(*names):
    """The current versions of these names as one string, e.g. ``"1732953600000000000.1732953600000000001"``."""
    return ".".join(str(value) for value in values(*names))


@contextmanager
def recording():
    """Collect every version read inside the block, with the value first read: what a rendering depends on.

    The full-page cache (``core.page_cache``) stores a page with these and serves it only while they are current.
    """
    with collecting(_recorded) as recorded:
        yield recorded


@contextmanager
def remembered():
    """Read each version from the cache once inside the block – a request – and remember it there.

    A public page reads the same versions in several places (the catalogue for its types, its fragments and its
    actor blocks; the page tree for its routing, breadcrumbs and privacy); each read was a round trip to Redis.
    A bump inside the block forgets the name, so the block sees its own changes.
    """
    with collecting(_remembered, join_outer=True):
        yield


# The names bumped so far in a ``gathered`` block, each with whether to purge (None: nobody is gathering).
_gathered = ContextVar("lkt_cache_versions_gathered", default=None)


@contextmanager
def gathered():
    """Bump each name once, when the block ends, however often the changes inside it bump it.

    A bulk import publishes many actors of one municipality; each publish bumps the same versions, and each bump
    is a round trip to the cache now and another, with a purge of the shared cache, after the commit. Nothing
    is bumped if the block raises (its transaction is rolled back).
    """
    with collecting(_gathered, join_outer=True) as names:
        yield
    for name, purge in (names or {}).items():  # None inside an outer block, which bumps them
        bump(name, purge)


def _bump(key, name):
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, _fresh_value(), timeout=None)
    remembered = _remembered.get()
    if remembered is not None:
        remembered.pop(name, None)


def bump(name, purge=True):
    """Invalidate every rendering cached under this name, now and again once the transaction commits.

    Bumping now hides the change from no one; bumping again after commit stops a request that read the old rows
    mid-transaction from caching them under the new version.
    """
    names = _gathered.get()
    if names is not None:
        names[name] = names.get(name, False) or purge
        return
    key = PREFIX + name
    _bump(key, name)
    transaction.on_commit(lambda: _bump_and_purge(key, name, purge))


def _bump_and_purge(key, name, purge):
    _bump(key, name)
    if not purge:  # a version no public page reads
        return
    # The shared cache in front (Varnish) drops what it stored under this version (core.frontend_cache).
    from .frontend_cache import purge_version

    purge_version(name)
