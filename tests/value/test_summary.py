"""segkit.value.summary: the RFM summary the models fit on (purchase days, weeks, observation end),
historical value per customer and value per segment."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from segkit.exceptions import ColumnError, DataError
from segkit.value import historical_value, rfm_summary, segment_value


def test_rfm_summary_counts_purchase_days(log):
    s = rfm_summary(log, observation_end="2024-02-05", freq="D")
    assert s.index.tolist() == ["a", "b", "c"] and s.index.name == "customer_id"
    # a: two lines on Jan 1 are one purchase; repeats on Jan 15 and Jan 29
    assert s.loc["a"].tolist() == [2, 28.0, 35.0, 30.0]
    assert s.loc["b"].tolist() == [0, 0.0, 28.0, 0.0]
    # c's Feb 20 purchase is after the end of observation
    assert s.loc["c"].tolist() == [0, 0.0, 14.0, 0.0]
    weekly = rfm_summary(log, observation_end="2024-02-05", freq="W")
    assert weekly.loc["a", "recency"] == 4.0 and weekly.loc["a", "T"] == 5.0
    assert str(s["frequency"].dtype) == "int64"


def test_rfm_summary_reads_yyyymmdd_integers_and_checks_inputs(log):
    cdnow_like = pd.DataFrame({"customer_id": [1, 1, 2], "date": [19970101, 19970108, 19970105],
                               "dollar_value": [10.0, 30.0, 5.0]})
    s = rfm_summary(cdnow_like, amount_col="dollar_value", observation_end="1997-01-15")
    assert s.loc[1].tolist() == [1, 7.0, 14.0, 30.0]
    assert "monetary_value" not in rfm_summary(log, amount_col=None).columns
    with pytest.raises(ColumnError, match="amount"):
        rfm_summary(log.drop(columns="amount"))
    with pytest.raises(DataError, match="freq"):
        rfm_summary(log, freq="M")
    bad = log.assign(date=log["date"].astype(str))
    bad.loc[3, "date"] = "not a date"
    with pytest.raises(DataError, match="row 4"):
        rfm_summary(bad)


def test_historical_and_segment_value(log):
    h = historical_value(log)
    assert h["revenue"].tolist() == [75.0, 7.0, 4.0]
    assert h["purchases"].tolist() == [3, 1, 2]
    assert h.loc["a", "avg_order_value"] == 25.0
    labels = pd.Series([0, 1, 1], index=["a", "b", "c"], name="segment")
    v = segment_value(h, labels, columns=["revenue"], min_cell_size=1)
    assert v["revenue_total"].tolist() == [75.0, 11.0]
    assert v["revenue_share"].tolist() == pytest.approx([75 / 86, 11 / 86])
    assert v["revenue_mean"].tolist() == [75.0, 5.5]
    suppressed = segment_value(h, labels, columns=["revenue"], min_cell_size=2)
    assert suppressed["suppressed"].tolist() == [True, False]
    assert np.isnan(suppressed.loc[0, "revenue_total"])
