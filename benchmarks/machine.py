"""How quick the machine is right now, so that benchmark runs of different hours can be compared.

The machines these benchmarks run on change speed from hour to hour (the same code took 5.25 s
and 4.13 s of fixed costs a few hours apart, the hand-written notebook 53.7 s and 77.4 s on one
afternoon). The load average does not show it: the slowness comes from outside the machine.
:func:`speed_probe` times one fixed piece of single-core work (Python code, a NumPy sort, a
pandas group-by: the kinds of work a report does) and a benchmark records it beside its figures;
a run whose probe took 20% longer ran on a machine 20% slower.
"""

from __future__ import annotations

import statistics
import time

__all__ = ["speed_probe"]


def _work() -> None:
    import numpy as np
    import pandas as pd

    total = 0
    for i in range(300_000):  # the interpreter
        total += i % 7
    rng = np.random.default_rng(0)
    values = rng.random(1_000_000)
    np.sort(values)  # compiled code over memory
    frame = pd.DataFrame({"key": rng.integers(0, 10_000, 1_000_000), "value": values})
    frame.groupby("key")["value"].agg(["sum", "mean"])  # pandas


def speed_probe(repeats: int = 5) -> float:
    """Seconds the fixed work takes, the median of ``repeats`` times (about 0.11 s on a quick hour of
    2026's 2-core machines). The median, not the fastest: a slow spell shows in most repeats.

    Examples
    --------
    >>> 0 < speed_probe(repeats=1) < 60
    True
    """
    _work()  # imports and first-touch costs out of the timing
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        _work()
        seconds.append(time.perf_counter() - start)
    return round(statistics.median(seconds), 3)
