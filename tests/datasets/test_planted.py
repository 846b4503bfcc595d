"""segkit.datasets.planted: the planted segments and the catalogue as data: every probability sums
to one and has one entry per level; the old import path keeps them."""

from __future__ import annotations

import pytest

from segkit import datasets
from segkit.datasets import SEGMENTS, planted


@pytest.mark.parametrize("key", ["channels", "categories", "kids", "devices", "interests"])
def test_segment_probabilities_sum_to_one(key):
    for segment in SEGMENTS:
        assert sum(segment[key]) == pytest.approx(1.0), (segment["name"], key)


@pytest.mark.parametrize(("key", "levels"), [
    ("channels", planted.CHANNELS), ("categories", planted.CATEGORIES), ("devices", planted.DEVICES),
    ("interests", planted.INTERESTS), ("kids", (0, 1, 2, 3)),
], ids=["channels", "categories", "devices", "interests", "kids"])
def test_every_probability_tuple_has_one_entry_per_level(key, levels):
    assert {len(segment[key]) for segment in SEGMENTS} == {len(levels)}


def test_the_catalogue_matches_its_levels():
    assert len(planted.PRICE_MEDIAN) == len(planted.EXTRA_UNITS) == len(planted.CATEGORIES)
    assert len(planted.OPENING_HOURS) == len(planted.CHANNELS)
    assert sum(share for share, _ in planted.COUNTRIES.values()) == pytest.approx(1.0)
    assert sum(segment["share"] for segment in SEGMENTS) == pytest.approx(1.0)


def test_the_old_import_path_keeps_the_levels():
    assert datasets.CHANNELS == planted.CHANNELS and datasets.SEGMENTS is planted.SEGMENTS
