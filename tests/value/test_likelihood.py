"""Tests for segkit.value.likelihood: the maximum-likelihood fit the value models share, and what the
models refuse before and while fitting."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import optimize

import segkit.value.likelihood as likelihood
from segkit.exceptions import DataError, ModelError, SegkitWarning
from segkit.value import BetaGeoModel, GammaGammaModel
from segkit.value.likelihood import LikelihoodModel, compress, distinct_rows, maximise_likelihood


def _poisson_loglik(params, x, w):
    """Poisson log-likelihood without the constant log(x!) term."""
    (rate,) = params
    return float(np.sum(w * (x * np.log(rate) - rate)))


class _Poisson(LikelihoodModel):
    param_names = ("rate",)
    fit_call = "fit(counts)"

    def fit(self, counts):
        x = np.asarray(counts, dtype=float)
        return self._fit_likelihood(_poisson_loglik, (x,), np.log([1.0]), "Poisson")


def test_a_new_model_needs_only_its_likelihood_and_parameter_names():
    counts = [0, 1, 1, 2, 2, 2, 3, 5]
    model = _Poisson().fit(counts)
    assert model.params_.index.tolist() == ["rate"]
    assert model.params_["rate"] == pytest.approx(np.mean(counts), rel=1e-5)  # the MLE is the mean
    assert model.n_customers_ == len(counts)
    assert model.converged_ is True
    assert model.fit_seconds_ >= 0
    assert model.log_likelihood_ == pytest.approx(_poisson_loglik([np.mean(counts)], np.array(counts, float), 1.0))


def test_the_penalty_shrinks_the_parameters():
    counts = [4, 5, 6, 7]
    assert _Poisson(penalizer=1.0).fit(counts).params_["rate"] < _Poisson().fit(counts).params_["rate"]


@pytest.mark.parametrize(("model", "call"), [
    (_Poisson(), "fit(counts)"),
    (BetaGeoModel(), "fit(frequency, recency, T)"),
    (GammaGammaModel(), "fit(frequency, monetary_value)"),
], ids=["toy", "bgnbd", "gamma-gamma"])
def test_an_unfitted_model_says_how_to_fit_it(model, call):
    with pytest.raises(ModelError, match=rf"{type(model).__name__} is not fitted yet; call {re.escape(call)} first"):
        model._check_fitted()


def test_compress_counts_each_distinct_row_once():
    (x, t), w = compress(np.array([1.0, 0.0, 1.0, 1.0]), np.array([5.0, 2.0, 5.0, 6.0]))
    assert x.tolist() == [0.0, 1.0, 1.0]
    assert t.tolist() == [2.0, 5.0, 6.0]
    assert w.tolist() == [1.0, 2.0, 1.0]


def test_distinct_rows_of_nothing():
    (x,), inverse = distinct_rows(np.array([]))
    assert len(x) == 0 and len(inverse) == 0


def _summary_columns(shape: str, rng) -> list[np.ndarray]:
    n = 2000
    if shape == "few-values":
        return list(rng.integers(0, 4, (2, n)).astype(float))
    if shape == "weeks-of-a-summary":  # x, t_x, T as the value stage has them: days / 7
        T = rng.integers(0, 730, n) / 7.0
        return [rng.integers(0, 30, n).astype(float), np.minimum(rng.integers(0, 730, n) / 7.0, T), T]
    if shape == "one-column":
        return [rng.gamma(1.0, 5.0, n).round(1)]
    # so many distinct values per column that their product does not fit a 64-bit key
    return [rng.permutation(n).astype(float) + k * 0.5 for k in range(6)]


@pytest.mark.parametrize("shape", ["few-values", "weeks-of-a-summary", "one-column", "too-many-for-one-key"])
def test_distinct_rows_match_numpy_unique(shape):
    columns = _summary_columns(shape, np.random.default_rng(0))
    distinct, inverse = distinct_rows(*columns)
    rows, np_inverse = np.unique(np.column_stack(columns), axis=0, return_inverse=True)
    assert np.array_equal(np.column_stack(distinct), rows)
    assert np.array_equal(inverse, np_inverse.ravel())
    assert all(d.dtype == c.dtype for d, c in zip(distinct, columns))


def test_distinct_rows_keep_each_rows_own_value_of_a_zero_and_missing_values():
    """-0.0 and 0.0 are one value (the first row's sign is kept); a missing value is a value of its own."""
    x = np.array([-0.0, 0.0, 1.0, np.nan, 1.0])
    y = np.array([1.0, 1.0, 2.0, 2.0, np.nan])
    (dx, dy), inverse = distinct_rows(x, y)
    assert inverse[0] == inverse[1] and np.signbit(dx[inverse[0]])
    assert len(dx) == 4 and inverse[3] != inverse[4] != inverse[2]


def test_a_likelihood_that_cannot_be_evaluated_is_a_model_error():
    with pytest.raises(ModelError, match="demo: the likelihood could not be evaluated"):
        maximise_likelihood(lambda p: np.nan, np.log([1.0]), ["m"], "demo")


def test_no_convergence_warns_at_the_line_that_called_fit(monkeypatch):
    real = optimize.minimize

    def stalled(*args, **kwargs):
        result = real(*args, **kwargs)
        result.success, result.message = False, "stalled on purpose"
        return result

    monkeypatch.setattr(likelihood.optimize, "minimize", stalled)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = _Poisson().fit([1, 2, 3])
    (warning,) = [w for w in caught if issubclass(w.category, SegkitWarning)]
    assert "Poisson: optimiser did not report convergence (stalled on purpose)" in str(warning.message)
    assert warning.filename == __file__
    assert model.converged_ is False
    assert isinstance(model.params_, pd.Series)


def test_models_check_inputs_and_fitting():
    with pytest.raises(ModelError, match="not fitted"):
        BetaGeoModel().probability_alive([1], [1.0], [2.0])
    with pytest.raises(ModelError, match="not fitted"):
        GammaGammaModel().expected_average_value([1], [1.0])
    with pytest.raises(DataError, match="recency"):
        BetaGeoModel().fit([1, 2], [5.0, 9.0], [4.0, 10.0])
    with pytest.raises(DataError, match="frequency"):
        BetaGeoModel().fit([-1, 2], [0.0, 9.0], [4.0, 10.0])
    with pytest.raises(ModelError, match="repeat"):
        BetaGeoModel().fit([0, 0, 0], [0.0, 0.0, 0.0], [4.0, 10.0, 3.0])
