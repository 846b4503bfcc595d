"""segkit.segment.validation: the checks of the frame the segmenter is given (a named Series, one row per
customer, the fitted columns)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from segkit.exceptions import ColumnError, DataError, SegmentationError
from segkit.segment import Segmenter


@pytest.fixture
def fitted(rng):
    X = pd.DataFrame({"income": np.r_[rng.normal(20, 2, 30), rng.normal(80, 2, 30)],
                      "score": np.r_[rng.normal(80, 2, 30), rng.normal(20, 2, 30)]},
                     index=pd.Index([f"c{i}" for i in range(60)], name="customer_id"))
    return X, Segmenter(n_segments=2, n_bootstrap=0, random_state=0).fit(X)


def test_predict_without_a_fitted_column_is_a_segkit_error_naming_it(fitted):
    X, seg = fitted
    with pytest.raises(DataError, match="(?s)X: The feature names should match.*income"):
        seg.predict(X[["score"]])


@pytest.mark.filterwarnings("ignore:X does not have valid feature names")
def test_predict_on_an_array_says_which_columns_are_expected(fitted):
    X, seg = fitted
    with pytest.raises(ColumnError, match=r"array has no column names; expected a DataFrame .*\['income', 'score'\]"):
        seg.predict(X.to_numpy())


def test_a_series_is_one_feature_when_named_and_an_error_when_not(fitted):
    X, _ = fitted
    assert Segmenter(n_segments=2, n_bootstrap=0).fit(X["income"]).labels_.shape == (60,)
    with pytest.raises(DataError, match="Series without a name"):
        Segmenter(n_segments=2, n_bootstrap=0).fit(X["income"].rename(None))


def test_a_repeated_customer_in_the_index_is_an_error(fitted):
    X, _ = fitted
    twice = pd.concat([X, X.head(1)])
    with pytest.raises(DataError, match=r"index value 'c0' is on rows 0 and 60; expected one row per customer"):
        Segmenter(n_segments=2, n_bootstrap=0).fit(twice)


@pytest.mark.parametrize(
    "params, n, match",
    [
        ({"algorithm": "kmean"}, 50, r"The value for `algorithm` must be one of \[.*'kmeans'.*\], but 'kmean' was passed"),
        ({"n_segments": 12}, 50, "n_segments=12 is outside the allowed range k_min=2 to k_max=10"),
        ({"n_segments": 1}, 50, "n_segments=1 is below 2"),
        ({"k_min": 1}, 50, "k_min=1 is below 2"),
        ({"k_min": 5, "k_max": 3}, 50, "k_max=3 is below k_min=5"),
        ({"n_segments": 8}, 5, "the data have 5 customers .* fewer than n_segments=8"),
        ({"k_min": 6}, 5, "the data have 5 customers .* too few to try k_min=6"),
        ({"algorithm": "hdbscan", "n_segments": 3}, 50, "hdbscan' chooses the number of segments itself"),
    ],
    ids=["unknown-algorithm", "k-above-range", "k-below-2", "k_min-below-2", "k-range-inverted",
         "fewer-customers-than-segments", "too-few-for-k_min", "hdbscan-with-k"],
)
def test_bad_inputs_raise_segmentation_error(params, n, match):
    X = np.random.default_rng(0).normal(size=(n, 3))
    with pytest.raises(SegmentationError, match=match):
        Segmenter(**params).fit(X)


@pytest.mark.parametrize("dtype", ["string[pyarrow]", "string[python]", "object"],
                         ids=["arrow-text-ids", "python-text-ids", "object-ids"])
def test_checking_the_index_for_repeats_leaves_no_lookup_table_on_it(fitted, dtype):
    # a lookup table on 5M Arrow text ids holds them all again as Python strings (about 450 MB)
    X, _ = fitted
    X = X.set_axis(X.index.astype(dtype))
    Segmenter(n_segments=2, n_bootstrap=0).fit(X)
    assert "_engine" not in X.index._cache
    with pytest.raises(DataError, match=r"index value 'c0' is on rows 0 and 60"):
        Segmenter(n_segments=2, n_bootstrap=0).fit(pd.concat([X, X.head(1)]))
