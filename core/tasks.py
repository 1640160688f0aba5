"""The in-process task backend for Wagtail's own small tasks, with a way to gather them during bulk writes.

Wagtail enqueues a search-index and a reference-index update on every save of a page. Run in the
process that saved (as before any queue existed), a page is searchable and its references are known the
moment it is published. A bulk import saves each page three times (create, revision, publish); inside
:func:`gathered_tasks` the updates are collected, and each distinct one runs once when the block ends,
on the final state of the object.
"""

import threading
from contextlib import contextmanager

from django_tasks.backends.immediate import ImmediateBackend

_gathering = threading.local()


class GatheringImmediateBackend(ImmediateBackend):
    """Runs a task at once, unless a :func:`gathered_tasks` block in this thread is collecting them."""

    def enqueue(self, task, args, kwargs):
        pending = getattr(_gathering, "pending", None)
        if pending is None:
            return super().enqueue(task, args, kwargs)
        self.validate_task(task)
        key = (task.module_path, repr(args), repr(sorted(kwargs.items())))
        pending.setdefault(key, (self, task, args, kwargs))
        return None


@contextmanager
def gathered_tasks():
    """Collect the in-process tasks enqueued in this block and run each distinct one once at its end.

    The tasks run inside the caller's transaction if there is one, so an import's index entries are
    written, or rolled back, with the pages they describe.
    """
    if getattr(_gathering, "pending", None) is not None:
        yield  # an outer block runs them
        return
    _gathering.pending = {}
    try:
        yield
        pending = _gathering.pending
    finally:
        _gathering.pending = None
    for backend, task, args, kwargs in pending.values():
        backend.enqueue(task, args, kwargs)
