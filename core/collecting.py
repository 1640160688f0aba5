"""A dict that code deep inside a block adds to, held in a context variable for the length of the block."""

from contextlib import contextmanager


@contextmanager
def collecting(variable, *, join_outer=False):
    """Hold a fresh dict in ``variable`` for the block and yield it.

    With ``join_outer``, a block inside another collecting block yields None and adds to the outer dict, which
    the outer block acts on when it ends.
    """
    if join_outer and variable.get() is not None:
        yield None
        return
    collected = {}
    token = variable.set(collected)
    try:
        yield collected
    finally:
        variable.reset(token)
