"""segkit.features.clean.transactions: the purchase-log cleaning rules (missing ids, duplicates,
cancellations, refunds, prices) and what each action does to the lines and the log."""

from __future__ import annotations

import pandas as pd
import pytest

from segkit import io as sio
from segkit.config import load_config
from segkit.exceptions import ConfigError
from segkit.features.clean import clean_transactions
from tests.runs import log_analysis, quiet_features


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
