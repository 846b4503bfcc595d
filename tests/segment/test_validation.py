"""The segmenter's parameter constraints, checked once for the estimator and the config."""

from __future__ import annotations

import numpy as np
import pytest

from segkit.exceptions import SegmentationError
from segkit.segment import Segmenter
from segkit.segment.validation import check_parameters, describe

CONSTRAINTS = Segmenter._parameter_constraints


def test_every_parameter_has_a_constraint():
    assert set(CONSTRAINTS) == set(Segmenter().get_params())


@pytest.mark.parametrize(
    ("name", "expected"),
    [("n_segments", "an integer >= 2 or 'auto'"),
     ("algorithm", "one of ['auto', 'kmeans', 'gmm', 'agglomerative', 'hdbscan', 'kprototypes']"),
     ("min_share", "a number in [0, 0.5)"),
     ("random_state", "an integer in [0, 4294967295] or a RandomState or None"),
     ("progress", "true or false"),
     ("order_by", "text or None")],
)
def test_constraints_read_as_words(name, expected):
    assert describe(CONSTRAINTS[name]) == expected


@pytest.mark.parametrize(
    ("params", "message"),
    [({"k_min": 2.0}, "The value for `k_min` must be an integer >= 2, but 2.0 was passed."),
     ({"k_min": True}, "The value for `k_min` must be an integer >= 2, but True was passed."),
     ({"min_share": 0.7}, "min_share=0.7 must be a number in [0, 0.5)"),
     ({"stability_threshold": 1.5}, "stability_threshold=1.5 must be a number in [0, 1]"),
     ({"sample_size": 50}, "sample_size=50 is below 100; expected an integer >= 100"),
     ({"random_state": 2**32}, "random_state=4294967296 must be an integer in [0, 4294967295] or a RandomState "
                               "or None"),
     ({"order_by": 3}, "The value for `order_by` must be text or None, but 3 was passed."),
     ({"progress": "yes"}, "The value for `progress` must be true or false, but 'yes' was passed.")],
    ids=["k_min-float", "k_min-bool", "min_share-high", "threshold-high", "sample-small", "seed-2**32",
         "order_by-number", "progress-text"],
)
def test_a_bad_parameter_is_a_segmentation_error_naming_it(params, message):
    with pytest.raises(SegmentationError) as info:
        Segmenter(**params).fit(np.zeros((5, 1)) + np.arange(5)[:, None])
    assert str(info.value) == message


def test_good_parameters_and_a_random_state_object_pass():
    params = {**Segmenter().get_params(), "random_state": np.random.RandomState(0)}
    assert check_parameters(CONSTRAINTS, params) is None
    seed = {"random_state": np.random.RandomState(0)}
    assert check_parameters(CONSTRAINTS, seed, plain=True).name == "random_state"  # a config holds no objects


def test_relations_are_checked_only_when_each_value_is_valid():
    params = {"n_segments": 1, "k_min": 2, "k_max": 10, "algorithm": "kmeans"}
    assert check_parameters(CONSTRAINTS, params).name == "n_segments"
    assert check_parameters(CONSTRAINTS, {"k_min": 5, "k_max": 3}) is None  # without n_segments, no relation
    invalid = check_parameters(CONSTRAINTS, {**params, "n_segments": 11})
    assert invalid.expected == "an integer from k_min (2) to k_max (10), or 'auto'"
