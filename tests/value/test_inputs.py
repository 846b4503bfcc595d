"""Tests for segkit.value.inputs: the input checks every value model shares."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from segkit.exceptions import ColumnError, DataError
from segkit.value.inputs import check_rfm, summary_arrays, to_datetime


def test_summary_arrays_keep_the_index_of_a_frame_or_a_series():
    frame = pd.DataFrame({"frequency": [1, 0], "recency": [3.0, 0.0], "T": [5.0, 4.0]}, index=["a", "b"])
    index, x, tx, T = summary_arrays(frame)
    assert index.tolist() == ["a", "b"] and x.tolist() == [1.0, 0.0]
    index, *_ = summary_arrays([1, 0], pd.Series([3.0, 0.0], index=["c", "d"]), [5.0, 4.0])
    assert index.tolist() == ["c", "d"]
    index, x, tx, T = summary_arrays(2, 3.0, 5.0)
    assert index is None and (x.tolist(), tx.tolist(), T.tolist()) == ([2.0], [3.0], [5.0])


@pytest.mark.parametrize(("args", "error", "message"), [
    ((pd.DataFrame({"frequency": [1], "T": [2.0]}),), ColumnError, "summary: column 'recency' not found"),
    (([1], None, [2.0]), DataError, "frequency, recency and T are all needed"),
    (([1, np.nan], [1.0, 0.0], [2.0, 2.0]), DataError, "frequency: 1 missing values"),
], ids=["frame-without-recency", "recency-missing", "nan-frequency"])
def test_summary_arrays_name_what_is_wrong(args, error, message):
    with pytest.raises(error, match=message):
        summary_arrays(*args)


@pytest.mark.parametrize(("x", "tx", "T", "message"), [
    ([-1.0], [0.0], [1.0], "column 'frequency' has 1 negative values"),
    ([1.5], [0.5], [1.0], "column 'frequency' has 1 non-integer values"),
    ([1.0], [-0.5], [1.0], "column 'recency' has 1 negative values"),
    ([1.0], [2.0], [1.0], "column 'recency' has 1 values larger than T"),
    ([0.0], [0.5], [1.0], "column 'recency' has 1 values > 0 where frequency is 0"),
    ([1.0, 1.0], [0.5], [1.0], "different lengths"),
], ids=["negative-frequency", "fractional-frequency", "negative-recency", "recency-after-T",
        "recency-without-repeat", "lengths"])
def test_check_rfm_rejects_what_cannot_be_a_summary(x, tx, T, message):
    with pytest.raises(DataError, match=message):
        check_rfm(np.array(x), np.array(tx), np.array(T))


def test_to_datetime_reads_yyyymmdd_integers_and_names_a_bad_date():
    assert to_datetime(pd.Series([19970101]), "date").iloc[0] == pd.Timestamp("1997-01-01")
    with pytest.raises(DataError, match=r"column 'date' has 1 unparseable dates \(e.g. 'soon' at row 2\)"):
        to_datetime(pd.Series(["2024-01-01", "soon"]), "date")
