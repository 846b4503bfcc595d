"""The config-driven Analysis: how inputs reach the stages."""

from __future__ import annotations

import pandas as pd

from segkit.config import load_config
from segkit.pipeline import Analysis


def test_duplicates_are_judged_on_the_whole_raw_line(tmp_path):
    # Two different products on one invoice at the same price and quantity are two real lines;
    # only the repeated SKU-B line is a duplicate.
    pd.DataFrame({
        "InvoiceNo": ["1", "1", "1", "2"],
        "StockCode": ["SKU-A", "SKU-B", "SKU-B", "SKU-A"],
        "CustomerID": ["7", "7", "7", "8"],
        "InvoiceDate": ["2024-01-02", "2024-01-02", "2024-01-02", "2024-02-03"],
        "Quantity": [1, 1, 1, 2],
        "UnitPrice": [5.0, 5.0, 5.0, 5.0],
    }).to_csv(tmp_path / "log.csv", index=False)
    run = Analysis(load_config(None, overrides=[f"data.transactions={tmp_path / 'log.csv'}"]), verbose=False)
    run.load()
    features = run.build_features()
    log = features.cleaning.to_frame().set_index("rule")
    assert log.loc["duplicates", "rows"] == 1
    assert features.frame.loc["7", "monetary"] == 10.0
    assert features.frame.loc["8", "monetary"] == 10.0


def test_country_shares_are_geographic_not_behavioural(tmp_path):
    pd.DataFrame({
        "order": ["1", "2", "3", "4"],
        "customer": ["a", "a", "b", "c"],
        "when": ["2024-01-02", "2024-03-02", "2024-02-03", "2024-02-04"],
        "total": [10.0, 20.0, 5.0, 7.0],
        "country": ["FR", "FR", "DE", "FR"],
    }).to_csv(tmp_path / "log.csv", index=False)
    run = Analysis(load_config(None, overrides=[f"data.transactions={tmp_path / 'log.csv'}"]), verbose=False)
    run.load()
    bases = run.build_features().bases
    shares = {c: b for c, b in bases.items() if c.startswith("share_country_")}
    assert shares and set(shares.values()) == {"geographic"}
    assert "share_country_fr" not in run.build_features().select(basis=["behavioural", "value"]).columns
