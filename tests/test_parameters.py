"""segkit.parameters: the segmenter's parameter rules, checked once for the estimator and the config,
without scikit-learn."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from segkit.exceptions import SegmentationError
from segkit.parameters import CHOOSES_K, SEGMENTER_PARAMETERS, check_parameters, describe
from segkit.segment import Segmenter
from segkit.segment.backends import BACKENDS


def test_checking_a_config_imports_no_scikit_learn():
    code = ("import sys; from segkit.config import load_config; load_config(None, overrides=['segmentation.k_min=3']); "
            "print(sorted(m for m in ('sklearn', 'scipy', 'pandas') if m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "[]"


def test_every_parameter_has_rules_and_scikit_learn_sees_the_same_ones():
    assert set(SEGMENTER_PARAMETERS) == set(Segmenter().get_params())
    assert set(Segmenter._parameter_constraints) == set(SEGMENTER_PARAMETERS)
    # scikit-learn's own validation of the declared constraints agrees with ours
    from sklearn.utils._param_validation import InvalidParameterError, validate_parameter_constraints

    good = {**Segmenter().get_params(), "k_min": 3, "random_state": np.random.RandomState(0)}
    validate_parameter_constraints(Segmenter._parameter_constraints, good, caller_name="Segmenter")
    for bad in ({"min_share": 0.5}, {"algorithm": "kmedoids"}, {"n_bootstrap": 1001}, {"order_by": 3}):
        assert check_parameters({**good, **bad}) is not None
        with pytest.raises(InvalidParameterError, match=next(iter(bad))):
            validate_parameter_constraints(Segmenter._parameter_constraints, {**good, **bad}, caller_name="Segmenter")


def test_the_algorithms_that_choose_k_are_the_backends_that_do():
    assert CHOOSES_K == {name for name, backend in BACKENDS.items() if backend.chooses_k}


@pytest.mark.parametrize(
    ("name", "expected"),
    [("n_segments", "an integer >= 2 or 'auto'"),
     ("algorithm", "one of ['auto', 'kmeans', 'gmm', 'agglomerative', 'hdbscan', 'kprototypes', 'latent_class']"),
     ("min_share", "a number in [0, 0.5)"),
     ("random_state", "an integer in [0, 4294967295] or a RandomState or None"),
     ("progress", "true or false"),
     ("order_by", "text or None")],
)
def test_constraints_read_as_words(name, expected):
    assert describe(SEGMENTER_PARAMETERS[name]) == expected


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
    assert check_parameters(params) is None
    seed = {"random_state": np.random.RandomState(0)}
    assert check_parameters(seed, plain=True).name == "random_state"  # a config holds no objects


def test_relations_are_checked_only_when_each_value_is_valid():
    params = {"n_segments": 1, "k_min": 2, "k_max": 10, "algorithm": "kmeans"}
    assert check_parameters(params).name == "n_segments"
    assert check_parameters({"k_min": 5, "k_max": 3}) is None  # without n_segments, no relation
    invalid = check_parameters({**params, "n_segments": 11})
    assert invalid.expected == "an integer from k_min (2) to k_max (10), or 'auto'"
