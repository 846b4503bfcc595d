"""Importing the large libraries a report needs without paying the garbage collector for it.

Importing pandas, scikit-learn, SciPy, matplotlib, seaborn, nbconvert and skops builds about
half a million objects that live as long as the process. Python's cyclic garbage collector
runs every few hundred new objects, and each of its fuller passes walks every object built so
far, to find no garbage: a fifth of the import time (0.3-0.5 s of CPU in the report's kernel,
about 0.7 s in the ``segkit report`` command on two cores). :func:`collector_paused` switches it
off while such imports run and then freezes what they built (:func:`gc.freeze`), so that later
collections skip them too. The objects themselves are the same: only when garbage is looked for
changes. Before the interpreter exits they are unfrozen again, so that extension modules that
check at exit that their objects were collected (DuckDB's bindings do) find them collected.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
from collections.abc import Iterator

__all__ = ["collector_paused"]


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for a block of imports; freeze what they built.

    Nested or concurrent pauses (two threads importing) are safe: the pause that found the
    collector on turns it on again, and a collector someone else turned off stays off.

    Examples
    --------
    >>> import gc
    >>> with collector_paused():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.freeze()
            atexit.unregister(gc.unfreeze)  # registered once, however many pauses
            atexit.register(gc.unfreeze)
            gc.enable()
