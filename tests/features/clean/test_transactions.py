"""segkit.features.clean.transactions: the purchase-log cleaning rules (missing ids, duplicates,
cancellations, refunds, prices) and what each action does to the lines and the log."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from segkit import io as sio
from segkit.config import load_config
from segkit.exceptions import ConfigError
from segkit.features import CleaningLog, transaction_features
from segkit.features.clean import clean_transactions
from tests.runs import log_analysis, quiet_features
from tests.shapes import make_log


def test_refunds_named_in_the_config_and_kept_when_asked(tmp_path):
    log = pd.DataFrame({"client": ["a", "a", "b"], "day": ["2024-03-01", "2024-03-05", "2024-03-02"],
                        "paid": [50.0, 30.0, 40.0], "Money back": [20.0, None, 40.0]})
    assert sio.detect_roles(log, kind="transactions").refunded is None  # not named like a refund
    log.to_csv(tmp_path / "till.csv", index=False)
    run = log_analysis(tmp_path, "till.csv", "columns.refunded=Money back")
    assert quiet_features(run)["monetary"].to_dict() == {"a": 60.0, "b": 0.0}
    std = sio.standardise_transactions(log, {"refunded": "Money back"})
    assert std["refunded"].tolist() == [20.0, 0.0, 40.0]
    kept, cleaning = clean_transactions(std, rules={"refunds": "keep"})
    assert kept["amount"].tolist() == [50.0, 30.0, 40.0]
    assert (cleaning["refunds"].action, cleaning["refunds"].rows, cleaning["refunds"].revenue) == ("kept", 2, -60.0)
    with pytest.raises(ConfigError, match=r"'columns.refunded' must be a column name"):
        load_config(None, overrides=["columns.refunded=[a, b]"])


def test_duplicates_kept_when_asked(small_log):
    clean, log = clean_transactions(small_log, drop_duplicates=False)
    f = transaction_features(clean)
    assert f.loc["B", "monetary"] == 16.0 and f.loc["B", "frequency"] == 1
    assert log["duplicates"].action == "kept" and log["duplicates"].rows == 1


def test_cleaning_log_counts(small_log):
    clean, log = clean_transactions(small_log)
    assert len(clean) == 6
    assert (log["missing_customer_id"].rows, log["missing_customer_id"].revenue) == (1, 100.0)
    assert (log["duplicates"].rows, log["duplicates"].revenue) == (1, 8.0)
    assert (log["cancellations"].rows, log["cancellations"].revenue, log["cancellations"].action) == (2, -9.0, "netted")
    assert log.rows_dropped == 2 and log.revenue_dropped == 108.0
    frame = log.to_frame()
    assert list(frame.columns) == ["rule", "action", "column", "rows", "revenue", "description"]
    assert frame["rule"].iloc[0] == "cancellations"
    data = json.loads(json.dumps(log.to_dict()))
    assert data["rows_dropped"] == 2 and data["entries"][1]["rule"] == "negative_quantities"
    assert "missing_customer_id [customer_id]: dropped 1 row (revenue 100.00)" in repr(log)
    assert isinstance(log + CleaningLog(), CleaningLog)


def test_cleaning_rules_configurable():
    log = make_log(
        [
            ("1", "2024-01-01", 10.0, "1"),
            ("1", "2024-01-02", -3.0, "C2"),
            ("1", "2024-01-03", 0.0, "3"),
            ("2", "2024-01-04", -50.0, "A4"),
            ("2", "2024-03-01", 7.0, "5"),
        ]
    )
    clean, cl = clean_transactions(log, rules={"cancellations": "drop", "zero_prices": "drop"}, snapshot_date="2024-02-01")
    assert clean["invoice"].tolist() == ["1"]
    assert [cl[r].rows for r in ("cancellations", "adjustments", "zero_prices", "future_dates")] == [1, 1, 1, 1]
    assert cl["future_dates"].revenue == 7.0
    with pytest.raises(ConfigError, match="did you mean 'duplicates'"):
        clean_transactions(log, rules={"duplicate": "drop"})
    with pytest.raises(ConfigError, match="must be one of"):
        clean_transactions(log, rules={"cancellations": "ignore"})


def test_invoice_codes_that_only_start_with_c_are_not_cancellations():
    log = make_log([("1", "2024-01-01", 10.0, "CUST-9"), ("1", "2024-01-02", 5.0, "C100")])
    _, cl = clean_transactions(log)
    assert cl["cancellations"].rows == 1


def test_negative_prices_dropped():
    log = make_log([("1", "2024-01-01", 10.0, "1", 2.0), ("1", "2024-01-02", -11062.06, "2", -11062.06)],
                   columns=("customer_id", "date", "amount", "invoice", "price"))
    clean, cl = clean_transactions(log)
    assert len(clean) == 1 and cl["negative_prices"].rows == 1 and cl["negative_prices"].revenue == -11062.06


def test_a_part_of_a_log_with_prices_judges_zero_prices_as_the_whole_log_does():
    part = pd.DataFrame({"customer_id": pd.array(["1", "2"], dtype="string"),
                         "date": pd.to_datetime(["2024-01-02", "2024-01-03"]), "amount": [0.0, 5.0],
                         "price": [float("nan"), float("nan")]})
    _, alone = clean_transactions(part)
    _, in_log = clean_transactions(part, has_price=True)
    assert (alone["zero_prices"].rows, alone["zero_prices"].column) == (1, "amount")
    assert (in_log["zero_prices"].rows, in_log["zero_prices"].column) == (0, "price")
