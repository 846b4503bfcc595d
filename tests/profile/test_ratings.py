"""Ratings per segment in scale points (segkit.profile.ratings)."""

import numpy as np
import pandas as pd
import pytest

from segkit.profile.ratings import rating_differences


@pytest.mark.parametrize("levels, points", [
    (["1", "2", "3", "4", "5"], [1, 2, 3, 4, 5]),
    ([str(i) for i in range(11)], list(range(11))),
    (["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"], [1, 2, 3, 4, 5]),
], ids=["one-to-five", "zero-to-ten", "agreement-words"])
def test_differences_are_in_points_of_the_scale(levels, points):
    rng = np.random.default_rng(0)
    n = 200
    idx = pd.Index([f"r{i}" for i in range(n)], name="customer_id")
    labels = pd.Series(rng.integers(0, 2, n), index=idx)
    answers = rng.choice(levels, n)
    frame = pd.DataFrame({"q": pd.Categorical(answers, categories=levels, ordered=True)}, index=idx)
    table = rating_differences(frame, labels)
    value = pd.Series(answers).map(dict(zip(levels, points))).to_numpy()
    for _, row in table.iterrows():
        mine = value[labels.to_numpy() == row["segment"]]
        assert row["mean"] == pytest.approx(mine.mean())
        assert row["difference"] == pytest.approx(mine.mean() - value.mean())
    assert (table["scale_low"].iloc[0], table["scale_high"].iloc[0]) == (points[0], points[-1])


def test_a_segment_with_too_few_answers_has_no_mean_and_weights_weight():
    idx = pd.Index(list("abcdef"), name="customer_id")
    frame = pd.DataFrame({"q": pd.Categorical(["1", "5", "5", "1", "1", "5"], categories=list("12345"),
                                              ordered=True)}, index=idx)
    labels = pd.Series([0, 0, 0, 0, 1, 1], index=idx)
    table = rating_differences(frame, labels, min_cell_size=3).set_index("segment")
    assert table.loc[0, "mean"] == 3.0 and np.isnan(table.loc[1, "mean"])
    weighted = rating_differences(frame, labels, weights=pd.Series([1, 3, 0, 0, 1, 1.0], index=idx))
    assert weighted.set_index("segment").loc[0, "mean"] == 4.0
