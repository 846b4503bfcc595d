"""Tests for segkit.value.purchase: what every purchase model shares (predictions per distinct row)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from segkit.value import BetaGeoModel, ModifiedBetaGeoModel, ParetoNBDModel
from segkit.value.likelihood import distinct_rows
from tests.value.conftest import simulate_customers

MODELS = [
    (BetaGeoModel, {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}),
    (ModifiedBetaGeoModel, {"r": 0.525, "alpha": 6.183, "a": 0.891, "b": 1.614}),
    (ParetoNBDModel, {"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669}),
    (ParetoNBDModel, {"r": 0.8, "alpha": 3.0, "s": 0.4, "beta": 30.0}),  # alpha < beta: the other 2F1 branch
]


def _customers(shape: str, rng: np.random.Generator):
    """Summaries of a shape: ``whole-days`` (times in whole days: most rows shared, as in a long log),
    ``continuous`` (every row distinct), ``one-off-buyers`` (x = 0 throughout), ``tiny`` (two rows)."""
    x, tx, T, _ = simulate_customers(3000, rng=rng, r=0.7, alpha=5.0, dropout="pareto", shape=1.0, scale=3.0)
    if shape == "whole-days":
        tx, T = np.round(tx * 7) / 7, np.round(T * 7) / 7
    elif shape == "one-off-buyers":
        x, tx = np.zeros_like(x), np.zeros_like(tx)
    elif shape == "tiny":
        x, tx, T = x[:2], tx[:2], T[:2]
    return np.asarray(x, float), np.asarray(tx, float), np.asarray(T, float)


@pytest.mark.parametrize(("cls", "params"), MODELS, ids=["bgnbd", "mbgnbd", "pareto-alpha-above-beta",
                                                         "pareto-alpha-below-beta"])
@pytest.mark.parametrize("shape", ["whole-days", "continuous", "one-off-buyers", "tiny"])
def test_predictions_per_distinct_row_are_those_of_every_row(cls, params, shape):
    """predict computes each distinct (x, t_x, T) once: the same numbers (to 1e-12) as row by row."""
    x, tx, T = _customers(shape, np.random.default_rng(3))
    model = cls()
    model.params_ = pd.Series(params)
    p = model.params_.to_numpy()
    row_alive = model._p_alive(p, x, tx, T)
    row_expected = row_alive * model._while_alive(p, 39.0, x, T)
    alive, expected = model.predict(39.0, x, tx, T)
    np.testing.assert_allclose(alive, row_alive, rtol=1e-12, atol=0)
    np.testing.assert_allclose(expected, row_expected, rtol=1e-12, atol=0)
    shared = model.predict(39.0, x, tx, T, distinct=distinct_rows(x, tx, T))
    assert shared[0].tobytes() == alive.tobytes() and shared[1].tobytes() == expected.tobytes()
    if shape == "whole-days":
        assert len(distinct_rows(x, tx, T)[0][0]) < len(x)  # the shape this test is about
