"""segkit.report.batch: the index lists what each run found, not what a file on disk says."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from segkit.config import load_config
from segkit.exceptions import ColumnError, DataError
from segkit.report import batch
from segkit.report.runner import ReportRun


@pytest.fixture
def config(tmp_path):
    regions = ["North"] * 60 + ["north "] * 5 + ["South"] * 70 + ["Isles"] * 8 + [None] * 4
    pd.DataFrame({"Customer Ref": [f"K{i:04d}" for i in range(len(regions))], "Region": regions,
                  "Spend": range(len(regions))}).to_csv(tmp_path / "customers.csv", index=False)
    return load_config(None, overrides=[f"data.customers={tmp_path / 'customers.csv'}",
                                        "columns.customer_id=Customer Ref", "report.by_min_customers=50"])


def test_index_lists_the_customers_and_segments_each_run_handed_over(tmp_path, config, monkeypatch):
    runs = []

    def fake_report(sub, folder, log=None):
        folder.mkdir(parents=True)
        # a summary.json that disagrees with the run: the index must not read it
        (folder / "summary.json").write_text(json.dumps({"n_customers": -1, "n_segments": -1}))
        runs.append(sub)
        return ReportRun(folder, n_customers=100 + len(runs), n_segments=3 + len(runs))

    monkeypatch.setattr(batch, "execute_report", fake_report)
    config["report"]["by_fit"] = "separate"
    out = batch.run_batch(config, tmp_path / "by-region", by="Region")
    assert sorted(p.name for p in out.iterdir()) == ["North", "South", "index.html"]
    assert [r["data"]["where"] for r in runs] == [{"Region": "South"}, {"Region": "North"}]
    index = (out / "index.html").read_text()
    assert "<td>101</td><td>4</td>" in index and "<td>102</td><td>5</td>" in index
    assert "Isles (8)" in index and "(no value) (4)" in index and "-1" not in index


def test_a_batch_needs_the_column_and_enough_customers(tmp_path, config):
    with pytest.raises(ColumnError, match="'Country' is not in the data"):
        batch.run_batch(config, tmp_path / "out", by="Country")
    config["report"]["by_min_customers"] = 500
    with pytest.raises(DataError, match="no value of 'Region' has at least 500 customers"):
        batch.run_batch(config, tmp_path / "out", by="Region")
    assert not (tmp_path / "out").exists()


def test_by_default_every_value_is_placed_in_one_shared_segmentation(tmp_path, config, monkeypatch):
    runs = []

    def fake_report(sub, folder, log=None):
        folder.mkdir(parents=True)
        runs.append(sub)
        return ReportRun(folder, n_customers=60, n_segments=2)

    monkeypatch.setattr(batch, "execute_report", fake_report)
    config["title"] = "Shop by region"
    out = batch.run_batch(config, tmp_path / "by-region", by="Region")
    assert sorted(p.name for p in out.iterdir()) == ["North", "South", "index.html", "model.skops"]
    assert len(runs) == 2 and all(r["segmentation"]["model"].endswith("model.skops") for r in runs)
    index = (out / "index.html").read_text()
    assert "<title>Shop by region</title>" in index and "by Region" not in index
    assert "The values compared" in index and "data:image/png;base64," in index


def test_batches_are_compared_on_shares_value_and_response_with_small_cells_hidden():
    idx = pd.Index([f"c{i}" for i in range(40)], name="customer_id")
    labels = pd.Series([0] * 25 + [1] * 15, index=idx)
    values = pd.Series(["N"] * 20 + ["S"] * 20, index=idx)
    table = batch.compare_batches(labels, values, names={0: "Big", 1: "Small"},
                                  value=pd.Series(range(40), index=idx, dtype=float),
                                  response=pd.Series([1, 0] * 20, index=idx), min_cell_size=10)
    assert table.loc["N", "customers"] == 20 and table.loc["N", "Big"] == 1.0
    assert pd.isna(table.loc["S", "Big"]) and table.loc["S", "Small"] == 0.75  # 5 customers: suppressed
    assert table.loc["N", "revenue per customer"] == 9.5 and table.loc["S", "response rate"] == 0.5


def test_each_customers_value_comes_from_a_log_on_disk_as_from_a_log_in_memory():
    from types import SimpleNamespace

    from segkit.inputs import Inputs
    from segkit.io import PurchaseLogWriter

    log = pd.DataFrame({"customer_id": pd.array(["a", "a", "a", "b", "b", "c"], dtype="string"),
                        "date": pd.to_datetime(["2024-01-01"] * 6), "amount": [1.0] * 6,
                        "channel": pd.array(["Web", "web ", "Store", "Store", "store", None], dtype="string")})
    writer = PurchaseLogWriter("log.csv", buckets=3)
    writer.write(log.iloc[:3])
    writer.write(log.iloc[3:].set_axis(range(3, 6)))
    labels = pd.Series([0, 1, 1], index=pd.Index(["a", "b", "c"], name="customer_id"))
    found = [batch._customer_values(SimpleNamespace(inputs=Inputs(transactions=each), labels=labels), "channel")
             for each in (log, writer.close())]
    pd.testing.assert_series_equal(found[0], found[1])
    assert found[0].tolist()[:2] == ["Web", "Store"]
