"""Hypothesis strategies for fuzz cases, and the seeded draw every run of them uses.

A case starts from a *base* (:mod:`tests.fuzz.base`): a small, valid customer table and/or
purchase log with a config, written in one of the shapes real exports have. A *family*
(:data:`FAMILIES`) then applies one kind of mutation to it (:mod:`tests.fuzz.mutations`):
names, mixed types, missing values, extreme numbers, odd dates, encodings, raw bytes, line
ends, quoting, the table's shape, or the config. :func:`draw` collects examples of a strategy
with a fixed seed under the ``segkit-fuzz`` profile (no database, no shrinking), so the test
suite and the benchmark see the same cases for the same seed.

Examples
--------
>>> seen = draw(cases("valid"), 3, seed=7)
>>> len(seen), all(sorted(c.tables) in (["customers"], ["transactions"], ["customers", "transactions"])
...                for c in seen)
(3, True)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as fixed_seed
from hypothesis import strategies as st

from tests.fuzz.base import base_cases, shapes, written_as
from tests.fuzz.corpus import Case
from tests.fuzz.mutations import MUTATIONS

__all__ = ["BATCH_FAMILIES", "FAMILIES", "any_case", "cases", "draw", "mutations_of"]

#: Family name -> mutation; ``valid`` is the base case as drawn.
FAMILIES: dict[str, Callable | None] = {"valid": None, **MUTATIONS}


def cases(family: str, **base_kw) -> st.SearchStrategy[Case]:
    """Cases of one family of :data:`FAMILIES`: a base case with that family's mutation."""
    mutate = FAMILIES[family]
    if mutate is None:
        return base_cases(**base_kw)
    return base_cases(**base_kw).flatmap(mutate)


#: The settings every seeded draw uses: no example database (nothing read or written between
#: runs), no deadline, no shrinking (a draw only collects cases), no health checks (cases are
#: big on purpose).
settings.register_profile("segkit-fuzz", derandomize=True, database=None, deadline=None,
                          phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
                          print_blob=False)


def draw(strategy: st.SearchStrategy[Case], n: int, seed: int) -> list[Case]:
    """``n`` examples of ``strategy``, the same ones for the same seed, hypothesis version and
    strategy code (the ``segkit-fuzz`` profile, with ``seed`` fixed).

    Examples
    --------
    >>> [c.family for c in draw(cases("dates-unix"), 2, seed=1)]
    ['dates-unix', 'dates-unix']
    """
    drawn: list[Case] = []

    @fixed_seed(seed)
    @settings(settings.get_profile("segkit-fuzz"), max_examples=n)
    @given(strategy)
    def collect(case):
        drawn.append(case)

    collect()
    return drawn[:n]


def any_case() -> st.SearchStrategy[Case]:
    """A case of any family (the benchmark's mix)."""
    return st.sampled_from(sorted(FAMILIES)).flatmap(cases)


#: Families that change what a batch to score holds (not the config, no purchase log added).
BATCH_FAMILIES = tuple(f for f in FAMILIES if f not in ("config", "invoice-numbers"))


def mutations_of(case: Case, families: tuple[str, ...] = BATCH_FAMILIES) -> st.SearchStrategy[Case]:
    """One mutation of a given case, from any of ``families`` (``valid`` rewrites it in another
    shape): batches to score with a model fitted on that case."""
    def mutate(family: str) -> st.SearchStrategy[Case]:
        if FAMILIES[family] is None:
            return shapes().map(lambda shape: dataclasses.replace(
                case, family="valid", tables={k: written_as(t, shape) for k, t in case.tables.items()},
                mutations=[*case.mutations, f"written as {shape.describe()}"]))
        return FAMILIES[family](case)

    return st.sampled_from(families).flatmap(mutate)
