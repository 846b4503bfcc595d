"""Reading what a column holds (segkit.io.content)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from segkit.io import content


def _column(seed: int) -> pd.Series:
    """Numbers of many shapes: fractions, whole numbers, ids in a row, few or many levels,
    infinities and missing cells, as float or integer dtype."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(50, 400))
    shape = seed % 5
    if shape == 0:
        values = rng.normal(size=n).round(int(rng.integers(0, 4)))
    elif shape == 1:
        values = np.arange(n, dtype=float) + float(rng.integers(-5, 5))
    elif shape == 2:
        values = rng.choice(np.arange(int(rng.integers(2, 90))), n).astype(float)
    elif shape == 3:
        values = rng.lognormal(size=n)
        values[rng.random(n) < 0.05] = np.inf
    else:
        return pd.Series(rng.integers(0, 1_000, n))
    values[rng.random(n) < 0.1] = np.nan
    return pd.Series(values)


@pytest.mark.parametrize("seed", range(30), ids=[f"numbers-{i}" for i in range(30)])
def test_measurements_read_on_their_array_give_the_content_of_the_general_path(seed, monkeypatch):
    column = _column(seed)
    fast = content.read_content(column)
    monkeypatch.setattr(content, "_many_numbers", lambda s, rows: None)
    assert fast == content.read_content(column)


@pytest.mark.parametrize("seed", range(30), ids=[f"numbers-{i}" for i in range(30)])
def test_measurements_read_in_blocks_give_the_content_of_the_general_path(seed, monkeypatch):
    """A block of columns read together: each column's content as the general path reads it
    alone, and every float column of more than 60 distinct numbers is in the block's result."""
    column = _column(seed)
    frame = pd.DataFrame({"x": column, "negated": -column, "halved": column / 2, "text": column.astype(str)})
    monkeypatch.setattr(content, "_BLOCK_COLUMNS", 2)  # blocks end between the columns too
    measured = content.measured_contents(frame)
    monkeypatch.setattr(content, "_many_numbers", lambda s, rows: None)
    for name in frame.columns:
        alone = content.read_content(frame[name])
        if name in measured:
            assert measured[name] == alone
        else:
            assert frame[name].dtype != np.float64 or alone.distinct <= 60 or alone.type != "number"


@pytest.mark.parametrize("rows", [61, 120, 400], ids=["barely-more-rows-than-levels", "wide-table", "longer-table"])
def test_every_shape_of_a_wide_table_reads_alike_in_blocks_and_alone(rows):
    from tests.shapes import wide_table

    table = wide_table(rows=rows, seed=rows)
    measured = content.measured_contents(table)
    assert measured, "the table has measurements"
    for name, found in measured.items():
        assert found == content.read_content(table[name]), name
    many = {c for c in table.columns if table[c].dtype == np.float64 and content.read_content(table[c]).distinct > 60}
    assert many == set(measured)
    assert not {c for c in measured if c.startswith(("flag", "rating", "constant", "code", "yesno"))}


def test_the_array_path_is_taken_only_for_many_distinct_numbers():
    assert content._many_numbers(pd.Series(np.arange(500) / 7), 500) is not None
    assert content._many_numbers(pd.Series([0, 1, 1, 0] * 50), 200) is None  # a flag: the general path
    assert content._many_numbers(pd.Series([True, False] * 100), 200) is None
