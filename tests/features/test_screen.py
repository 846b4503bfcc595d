"""The wide-table screen (segkit.features.screen) and how selection and profiles use it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from segkit.features.bases import select_features
from segkit.features.build import FeatureTable
from segkit.features.screen import screen_features


def _wide(rows: int, noise: int, signal: int, groups: int, seed: int) -> pd.DataFrame:
    """Noise columns, then ``signal`` columns that move with a planted group (each column puts
    the groups at -2 ... 2, in its own order)."""
    rng = np.random.default_rng(seed)
    group = rng.integers(0, groups, rows)
    centres = np.column_stack([rng.permutation(np.linspace(-2.0, 2.0, groups)) for _ in range(signal)])
    X = pd.DataFrame(rng.normal(size=(rows, noise)), columns=[f"n{i:04d}" for i in range(noise)])
    planted = centres[group] + rng.normal(size=(rows, signal))
    for j in range(signal):
        X[f"s{j:02d}"] = planted[:, j]
    X.index = pd.Index([f"c{i}" for i in range(rows)], name="customer_id")
    return X


@pytest.mark.parametrize(("rows", "noise", "signal", "groups"), [
    (400, 300, 6, 2), (600, 1_000, 20, 4), (300, 80, 4, 3), (2_000, 500, 3, 2),
], ids=["few-rows-two-groups", "more-columns-than-rows", "barely-over-the-limit", "many-rows-three-signals"])
def test_columns_that_carry_planted_groups_survive_the_screen(rows, noise, signal, groups):
    """Groups strong enough to rise above the noise edge, as a k-means on every column needs
    them to be too (a few weak columns among thousands are lost to both)."""
    X = _wide(rows, noise, signal, groups, seed=rows + noise)
    screen = screen_features(X, max_features=max(20, signal))
    planted = {c for c in X.columns if c.startswith("s")}
    assert planted <= set(screen.kept)
    assert len(screen.kept) == max(20, signal)
    assert set(screen.kept) | set(screen.dropped) == set(X.columns)
    assert screen.components >= 1


def test_one_value_columns_are_dropped_first_with_their_reason():
    X = _wide(300, 50, 3, 2, seed=1)
    X["flat"] = 7.0
    X["almost_flat"] = 0.0
    X.iloc[:2, X.columns.get_loc("almost_flat")] = 1.0  # 2 of 300: 99.3% one value
    X["empty"] = np.nan
    screen = screen_features(X, max_features=10)
    assert screen.dropped["flat"] == "one value for 100% of customers"
    assert screen.dropped["almost_flat"] == "one value for 99% of customers"
    assert screen.dropped["empty"] == "no value for any customer"
    assert "of its variance on the components" in screen.dropped[next(c for c in X.columns if c.startswith("n"))]


def _one_value_column(shape: str, rows: int, rng) -> np.ndarray:
    """A column of ``rows`` values of one shape, some near the 99% share of one value."""
    column = rng.normal(size=rows).round(1)
    if shape == "constant":
        column[:] = 3.0
    elif shape.startswith("one-value-but-"):  # the other values in the first rows, or at the end
        others = int(shape.split("-")[-2])
        column[:] = 1.0
        where = np.arange(others) if shape.endswith("first") else np.arange(rows - others, rows)
        column[where] = rng.normal(size=others)
    elif shape == "mostly-missing":
        column[rng.random(rows) < 0.97] = np.nan
    elif shape == "missing-first-rows-then-one-value":
        column[:] = 5.0
        column[: rows // 2] = np.nan
    elif shape == "codes":
        column = rng.integers(0, 3, rows).astype(float)
    return column


_SHAPES = ["noise", "constant", "one-value-but-5-first", "one-value-but-5-last", "one-value-but-11-first",
           "one-value-but-11-last", "mostly-missing", "missing-first-rows-then-one-value", "codes"]


@pytest.mark.parametrize("rows", [40, 600, 1_200], ids=["fewer-rows-than-the-first-look", "rows-beyond-the-first-look",
                                                        "twice-the-first-look"])
def test_one_value_columns_found_on_the_first_rows_are_those_of_every_median(rows):
    """The medians are taken only of the columns that may have one value: the same columns are
    dropped, with the same shares, as when every column's median is taken."""
    from segkit.features.screen import ONE_VALUE_SHARE, _one_value

    rng = np.random.default_rng(rows)
    names = [f"{shape}-{i}" for shape in _SHAPES for i in range(3)]
    values = np.column_stack([_one_value_column(name.rsplit("-", 1)[0], rows, rng) for name in names])
    values = values.astype(np.float32)
    finite = np.isfinite(values)
    answered = finite.sum(axis=0)
    means = np.where(finite, values, 0).sum(axis=0) / np.maximum(answered, 1)
    values = np.where(finite, values, means)
    median = np.median(values, axis=0)  # every column's, as the screen did before
    share = ((values == median) & finite).sum(axis=0) / np.maximum(answered, 1)
    expected = {names[j]: "no value for any customer" if answered[j] == 0 else f"one value for {share[j]:.0%} of customers"
                for j in np.flatnonzero((answered == 0) | (share >= ONE_VALUE_SHARE))}
    assert _one_value(values, finite, answered, names) == expected
    assert any(name.startswith("constant") for name in expected)


def test_a_table_within_the_limit_is_left_as_it_is():
    X = _wide(200, 30, 2, 2, seed=2)
    X["flat"] = 1.0  # not the screen's business below the limit: the fit warns about it
    screen = screen_features(X, max_features=100)
    assert screen.kept == list(X.columns) and not screen.dropped and screen.note == ""


def test_categorical_columns_are_never_screened_and_missing_cells_are_tolerated():
    X = _wide(300, 120, 6, 2, seed=3)
    X.iloc[::5, :40] = np.nan
    X.iloc[::7, -2:] = np.nan
    X["plan"] = pd.Categorical(np.random.default_rng(0).choice(["basic", "pro"], 300))
    screen = screen_features(X, max_features=10)
    assert "plan" in screen.kept and {f"s{j:02d}" for j in range(6)} <= set(screen.kept)
    assert len(screen.kept) == 11


def test_the_same_data_and_seed_keep_the_same_columns_and_more_rows_are_sampled():
    X = _wide(6_000, 200, 3, 2, seed=4)
    first, again = screen_features(X, max_features=15), screen_features(X, max_features=15)
    assert first.kept == again.kept and first.dropped == again.dropped
    assert {"s00", "s01", "s02"} <= set(first.kept)


def test_selection_leaves_screened_features_out_and_says_so():
    X = _wide(300, 150, 3, 2, seed=5)
    table = FeatureTable(frame=X, bases=dict.fromkeys(X.columns, "behavioural"))
    chosen, selection = select_features(table, max_features=12)
    assert list(chosen.columns) == [c for c in X.columns if c in set(chosen.columns)] and chosen.shape[1] == 12
    assert len(selection.screened) == 141 and not set(selection.screened) & set(chosen.columns)
    assert any(note.startswith("The wide-table screen kept 12 of 153 features") for note in selection.notes)
    untouched, plain = select_features(table)
    assert untouched.shape[1] == 153 and not plain.screened
    named, as_named = select_features(table, features=list(X.columns[:40]), max_features=12)
    assert named.shape[1] == 40 and not as_named.screened  # named one by one: clustered as named
