"""Segment profiles and plain-language segment names.

:mod:`segkit.profile.stats` computes what describes each segment against the whole base
(:func:`profile_segments`: sizes, means, medians, lift, level shares, effect sizes, tests,
the category breakdowns the report draws), each figure once, with small cells hidden by
:mod:`segkit.profile.suppression`; the effect sizes and tests are in
:mod:`segkit.profile.effects`. :mod:`segkit.profile.naming` turns the strongest effects
into names and descriptions (:func:`name_segments`) and columns into words
(:func:`humanise`).

Small cells: every figure describing fewer than ``min_cell_size`` customers is suppressed
(NaN, with a ``suppressed`` flag) in every table the profile returns; a segment smaller
than ``min_cell_size`` is suppressed entirely; category breakdowns also hide the
complementary cells that would give a hidden one away from the public totals. For a
column the profile does not hold (predicted lifetime value), :func:`sparse_segments` names
the segments to hide by the same rule.

Examples
--------
>>> import pandas as pd
>>> from segkit.profile import profile_segments, name_segments
>>> idx = pd.Index([f"c{i}" for i in range(40)], name="customer_id")
>>> features = pd.DataFrame({"Income": [30_000.0] * 20 + [90_000.0] * 20,
...                          "MntWines": [50.0] * 20 + [600.0] * 20}, index=idx)
>>> labels = pd.Series([0] * 20 + [1] * 20, index=idx, name="segment")
>>> profile = profile_segments(features, labels)
>>> profile.lift.round(2)  # doctest: +NORMALIZE_WHITESPACE
         Income  MntWines  suppressed
segment
0           0.5      0.15       False
1           1.5      1.85       False
>>> name_segments(profile)["name"].tolist()
['Low-income customers', 'High-income wine buyers']
"""

from segkit.profile.naming import LEVEL_WORDS, SHARE_VALUE_WORDS, TRAIT_WORDS, humanise, name_segments
from segkit.profile.stats import OTHER_LEVEL, SegmentProfile, profile_segments
from segkit.profile.suppression import sparse_segments

__all__ = ["LEVEL_WORDS", "OTHER_LEVEL", "SHARE_VALUE_WORDS", "TRAIT_WORDS", "SegmentProfile", "humanise",
           "name_segments", "profile_segments", "sparse_segments"]
