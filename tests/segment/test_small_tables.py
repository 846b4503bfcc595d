"""Small tables: k bounded so each segment can hold privacy.min_cell_size customers, or one error.

A generated set of small valid tables (20-200 customers; numbers, counts, flags, categories;
min_cell_size 5, 10 or 20): every one either gets segments of at least min_cell_size
customers, with the bound stated in the reasons, or, when two such segments do not fit, one
SegmentationError that says so. Never a crash, never a segment too small to show.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from segkit.exceptions import SegmentationError
from segkit.segment import Segmenter

CASES = range(60)


def small_table(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(20, 201))
    table = pd.DataFrame({"spend": rng.lognormal(4, 1, n), "visits": rng.poisson(3, n).astype(float)})
    if seed % 2:
        table["member"] = rng.integers(0, 2, n)
    if seed % 3:
        table["region"] = rng.choice(["north", "south", "east"], n)
    if seed % 5 == 0:
        table["kids"] = rng.integers(0, 3, n).astype(float)
    return table, int((5, 10, 20)[seed % 3])


@pytest.mark.parametrize("seed", CASES, ids=[f"small-table-{s}" for s in CASES])
def test_every_segment_of_a_small_table_can_be_shown(seed):
    X, min_size = small_table(seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if len(X) < 2 * min_size:
            with pytest.raises(SegmentationError, match=f"too few for two segments of at least min_size={min_size}"):
                Segmenter(min_size=min_size, n_bootstrap=3).fit(X)
            return
        seg = Segmenter(min_size=min_size, n_bootstrap=3).fit(X)
    assert seg.n_segments_ <= len(X) // min_size
    assert np.bincount(seg.labels_).min() >= min_size * 0.8  # chosen on a sample-free fit: the sizes it had
    if len(X) // min_size < 10:
        assert any("min_size" in r for r in seg.k_reasons_), seg.k_reasons_


def test_twenty_distinct_profiles_give_few_segments_and_no_clear_verdict():
    # a household table: kids, teens and a three-level education give at most 27 profiles
    rng = np.random.default_rng(3)
    n = 2000
    X = pd.DataFrame({"kids": rng.integers(0, 3, n).astype(float), "teens": rng.integers(0, 3, n).astype(float),
                      "education": rng.choice(["basic", "graduate", "phd"], n)})
    seg = Segmenter(n_bootstrap=5).fit(X)
    assert seg.n_distinct_ <= 27
    assert seg.n_segments_ <= seg.n_distinct_ // 5
    assert seg.structure_["level"] != "clear"
    assert any("distinct customer profiles" in r for r in seg.k_reasons_)
