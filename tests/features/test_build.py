"""segkit.features.build: a customer table and a purchase log joined into one feature table with
its bases, cleaning log and RFM scores; the three real data sets' feature tables."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from segkit.config import load_config
from segkit.exceptions import ColumnError, ConfigError
from segkit.features import FeatureTable, build_features
from segkit.pipeline import Analysis


def test_build_features_joins_and_selects(small_log, customer_table):
    table, roles = customer_table
    table = table.iloc[:3].assign(customer_id=pd.array(["A", "B", "Z"], dtype="string"))
    ft = build_features(customers=table, transactions=small_log, roles=roles)
    assert isinstance(ft, FeatureTable)
    assert ft.join == {"customers_only": 1, "transactions_only": 1, "both": 2}
    assert ft.frame.index.tolist() == ["A", "B", "C", "Z"]
    assert ft.frame.loc["Z", "frequency"] == 0 and pd.isna(ft.frame.loc["Z", "recency_days"])
    assert ft.snapshot_date == pd.Timestamp("2024-01-13")
    assert ft.frame.loc["A", "age"] == 2024 - 1893 or pd.isna(ft.frame.loc["A", "age"])
    assert ft.bases["monetary"] == "value" and ft.bases["return_rate"] == "behavioural"
    assert ft.select(basis="value").columns.tolist() == ["monetary", "avg_order_value"]
    behaviour = ft.select(basis=["behaviour"]).columns.tolist()
    assert "recency_days" in behaviour and "MntWines" in behaviour and "first_purchase" not in behaviour
    assert ft.select(features=["recency_days", "frequency"]).columns.tolist() == ["recency_days", "frequency"]
    with pytest.raises(ColumnError, match=r"feature 'recency' is not in the feature table; close matches: \[.*'recency_days'"):
        ft.select(features=["recency"])
    with pytest.raises(ConfigError, match="did you mean 'demographic'"):
        ft.select(basis=["demographix"])
    assert ft.rfm.index.tolist() == ["A", "B", "C"]
    text = repr(ft)
    assert "4 customers" in text and "join: customers_only 1" in text and "snapshot: 2024-01-13" in text
    assert {e.rule for e in ft.cleaning} >= {"duplicates", "income_outliers"}


def test_build_features_needs_input():
    with pytest.raises(ConfigError, match="neither"):
        build_features()


# --- real data ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def online_retail(shared_data) -> pd.DataFrame:
    files = sorted((shared_data / "online_retail" / "by-day").glob("*.csv"))
    raw = pd.concat([pd.read_csv(f, dtype=str, keep_default_na=False, na_values=[""]) for f in files], ignore_index=True)
    quantity = raw["Quantity"].astype("float64")
    price = raw["UnitPrice"].astype("float64")
    return pd.DataFrame(
        {
            "customer_id": raw["CustomerID"].str.removesuffix(".0").astype("string"),
            "date": pd.to_datetime(raw["InvoiceDate"], format="%Y-%m-%d %H:%M:%S"),
            "amount": quantity * price,
            "quantity": quantity,
            "price": price,
            "invoice": raw["InvoiceNo"].astype("string"),
            "country": raw["Country"].astype("string"),
            # product columns kept so the exact-duplicate rule sees whole lines
            "stock_code": raw["StockCode"].astype("string"),
            "description": raw["Description"].astype("string"),
        }
    )


@pytest.mark.slow
def test_online_retail(online_retail):
    assert len(online_retail) == 541_909
    ft = build_features(transactions=online_retail)
    assert len(ft.frame) == 4_372
    assert ft.cleaning["cancellations"].rows == 9_288
    assert ft.cleaning["missing_customer_id"].rows == 135_080
    assert ft.cleaning["missing_customer_id"].revenue == pytest.approx(1_447_682.12)
    assert ft.cleaning["duplicates"].rows == 5_225  # of the 5,268 duplicate lines, those with a customer
    assert ft.snapshot_date == pd.Timestamp("2011-12-10")
    assert ft.frame["share_country_united_kingdom"].between(0, 1 + 1e-9).all()  # rounding
    assert ft.frame.loc["12346", "monetary"] == 0.0  # bought 74,215 units and cancelled them
    assert ft.frame.loc["12346", "frequency"] == 1
    assert ft.rfm["rfm_segment"].nunique() == 11 and (ft.rfm["rfm_segment"] != "Other").all()
    assert ft.rfm["f_score"].value_counts().sort_index().tolist() == [875, 874, 875, 874, 874]


@pytest.mark.slow
def test_cdnow(shared_data):
    raw = pd.read_csv(shared_data / "cdnow" / "CDNOW_master.txt", sep=r"\s+", dtype=str)
    log = pd.DataFrame(
        {
            "customer_id": raw["customer_id"].astype("string"),
            "date": pd.to_datetime(raw["date"], format="%Y%m%d"),
            "amount": raw["dollar_value"].astype("float64"),
            "quantity": raw["number_of_cds"].astype("float64"),
            "price": np.nan,
            "invoice": pd.array([pd.NA] * len(raw), dtype="string"),
        }
    )
    ft = build_features(transactions=log, drop_duplicates=False)  # repeated lines are real purchases
    assert len(ft.frame) == 23_570
    assert round(ft.frame["monetary"].sum(), 2) == 2_500_315.63
    assert ft.cleaning["duplicates"].action == "kept"
    assert ft.frame["frequency"].max() > 1 and ft.frame["avg_days_between_orders"].notna().any()


@pytest.mark.slow
def test_marketing_campaign(shared_data):
    table = pd.read_csv(shared_data / "marketing_campaign" / "marketing_campaign.csv", sep="\t")
    table.insert(0, "customer_id", table.pop("ID").astype(str).astype("string"))
    campaigns = ["AcceptedCmp1", "AcceptedCmp2", "AcceptedCmp3", "AcceptedCmp4", "AcceptedCmp5", "Response"]
    roles = SimpleNamespace(
        demographics=["Year_Birth", "Education", "Marital_Status", "Income", "Kidhome", "Teenhome"],
        behaviour=["Recency", "MntWines", "MntFruits", "MntMeatProducts", "NumWebPurchases", "NumStorePurchases"],
        campaigns=campaigns,
        constants=["Z_CostContact", "Z_Revenue"],
    )
    ft = build_features(customers=table, roles=roles, reference_year=2014)
    X = ft.frame
    assert len(X) == 2_240
    born_1893 = table.loc[table["Year_Birth"] == 1893, "customer_id"].iloc[0]
    rich = table.loc[table["Income"] == 666666, "customer_id"].iloc[0]
    assert pd.isna(X.loc[born_1893, "age"]) and pd.isna(X.loc[rich, "Income"])
    assert X["Income"].max() == 162_397  # ordinary high incomes kept
    assert X["Income"].isna().sum() == 24 + 1
    assert ft.cleaning["income_outliers"].rows == 1
    assert "Other" in X["Marital_Status"].cat.categories and "YOLO" not in X["Marital_Status"].cat.categories
    assert X["campaigns_accepted"].sum() == table[campaigns].to_numpy().sum()
    assert ft.select(basis="campaign").shape == (2_240, 8)


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


# -- a purchase log on disk (segkit.io.PurchaseLog) ------------------------------------------------
from segkit.io import PurchaseLog, PurchaseLogWriter, detect_roles  # noqa: E402
from segkit.inputs import standardise_log  # noqa: E402
from tests.shapes import LOG_SHAPES, raw_purchase_log  # noqa: E402


def _on_disk(std: pd.DataFrame, chunk: int = 400) -> PurchaseLog:
    writer = PurchaseLogWriter("log.csv", buckets=7)
    for start in range(0, len(std), chunk):
        writer.write(std.iloc[start:start + chunk])
    return writer.close()


@pytest.mark.parametrize("shape", LOG_SHAPES, ids=LOG_SHAPES)
@pytest.mark.parametrize("options", [
    {},
    {"snapshot_date": "2011-09-01"},  # lines after it are future lines
    {"drop_duplicates": False, "transaction_rules": {"cancellations": "drop", "zero_prices": "drop"}},
    {"clean": False},
], ids=["defaults", "snapshot_before_the_last_line", "other_rule_actions", "not_cleaned"])
def test_a_log_on_disk_gives_the_features_and_cleaning_of_the_log_in_memory(shape, options):
    raw = raw_purchase_log(shape, seed=5)
    std = standardise_log(raw, detect_roles(raw, kind="transactions"), "log.csv")
    memory = build_features(transactions=std, **options)
    disk = build_features(transactions=_on_disk(std), **options)
    pd.testing.assert_frame_equal(memory.frame, disk.frame)
    pd.testing.assert_frame_equal(memory.rfm, disk.rfm)
    assert memory.snapshot_date == disk.snapshot_date
    assert [(e.rule, e.action, e.rows, e.column) for e in memory.cleaning.entries] == \
        [(e.rule, e.action, e.rows, e.column) for e in disk.cleaning.entries]
    for a, b in zip(memory.cleaning.entries, disk.cleaning.entries, strict=True):
        assert a.revenue == pytest.approx(b.revenue, abs=1e-6) if a.revenue is not None else b.revenue is None
