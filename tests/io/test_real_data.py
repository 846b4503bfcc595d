"""segkit.io on the three shared real data sets: each read once per module, then its provenance, roles,
standardised schema and data quality checked against figures counted by hand."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from segkit.io import detect_roles, quality_report, read_table, standardise_customers, standardise_transactions


@pytest.fixture(scope="module")
def retail(shared_data):
    raw = read_table(shared_data / "online_retail" / "by-day")
    return raw, standardise_transactions(raw)


@pytest.fixture(scope="module")
def cdnow(shared_data):
    raw = read_table(shared_data / "cdnow" / "CDNOW_master.txt")
    return raw, standardise_transactions(raw)


@pytest.fixture(scope="module")
def marketing(shared_data):
    raw = read_table(shared_data / "marketing_campaign")
    return raw, detect_roles(raw, kind="customers")


@pytest.mark.slow
def test_online_retail_folder(retail, shared_data):
    raw, log = retail
    source = raw.attrs["segkit_source"]
    assert len(raw) == 541_909 and source["rows"] == 541_909
    assert len(source["paths"]) == 305 and sum(source["file_rows"]) == 541_909
    assert list(log.columns) == ["customer_id", "date", "amount", "quantity", "price", "invoice", "country"]
    assert log["customer_id"].nunique() == 4_372
    assert log["customer_id"].isna().sum() == 135_080
    assert log["customer_id"].iloc[0] == "17850"
    assert str(log["customer_id"].dtype) == "string" and str(log["invoice"].dtype) == "string"
    assert log["date"].dtype == "datetime64[ns]"
    assert log["date"].min() == pd.Timestamp("2010-12-01 08:26")
    assert log["date"].max() == pd.Timestamp("2011-12-09 12:50")
    assert log["amount"].iloc[0] == pytest.approx(6 * 2.55)
    assert log["country"].nunique() == 38
    assert log.attrs["segkit_roles"]["invoice"] == "InvoiceNo"


@pytest.mark.slow
def test_online_retail_quality(retail):
    raw, log = retail
    roles = detect_roles(raw, kind="transactions")
    q = quality_report(raw, roles)
    assert (q.kind, q.rows, q.duplicate_rows, q.missing_ids) == ("transactions", 541_909, 5_268, 135_080)
    assert q.missing == {"Description": 1_454, "CustomerID": 135_080}
    assert q.negative_quantities == 10_624
    assert q.first_date == "2010-12-01 08:26:00" and q.last_date == "2011-12-09 12:50:00"
    assert json.loads(json.dumps(q.to_dict())) == q.to_dict()
    bad_price = q.impossible[0]
    assert bad_price["problem"] == "negative prices" and bad_price["count"] == 2
    assert bad_price["row"].endswith("of 2011-08-12.csv")  # rows are located in their daily file


@pytest.mark.slow
def test_cdnow_whitespace_log(cdnow):
    raw, log = cdnow
    assert list(raw.columns) == ["customer_id", "date", "number_of_cds", "dollar_value"]
    assert raw["customer_id"].iloc[0] == "00001"  # zero-padded ids keep their zeros
    assert len(log) == 69_659 and log["customer_id"].nunique() == 23_570
    assert log["amount"].sum() == pytest.approx(2_500_315.63, abs=0.005)
    assert log["quantity"].sum() == raw["number_of_cds"].sum()
    assert log["date"].min() == pd.Timestamp("1997-01-01") and log["date"].max() == pd.Timestamp("1998-06-30")
    assert log["price"].isna().all() and log["invoice"].isna().all()


@pytest.mark.slow
def test_marketing_campaign_customers(marketing, shared_data):
    raw, roles = marketing
    assert [p.rsplit("/", 1)[-1] for p in raw.attrs["segkit_source"]["paths"]] == ["marketing_campaign.csv"]
    assert raw.shape == (2_240, 29) and raw["Income"].isna().sum() == 24
    assert roles.customer_id == "ID" and roles.date == "Dt_Customer"
    assert roles.demographics == ["Year_Birth", "Education", "Marital_Status", "Income", "Kidhome", "Teenhome"]
    assert roles.campaigns == ["AcceptedCmp3", "AcceptedCmp4", "AcceptedCmp5", "AcceptedCmp1", "AcceptedCmp2",
                               "Response"]
    assert roles.constants == ["Z_CostContact", "Z_Revenue"]
    assert "MntWines" in roles.behaviour and "Complain" in roles.behaviour and "ID" not in roles.behaviour
    customers = standardise_customers(raw, roles)
    assert customers["customer_id"].is_unique and customers["customer_id"].iloc[0] == "5524"
    assert list(customers.columns[1:]) == list(raw.columns)
    # 04-09-2012 is the 4th of September (day-first; other values have days above 12)
    assert customers["Dt_Customer"].iloc[0] == pd.Timestamp("2012-09-04")
    assert customers["Dt_Customer"].dtype == "datetime64[ns]"
    assert str(customers["Response"].dtype) == "Int8" and customers["Response"].sum() == 334
    q = quality_report(raw, roles)
    assert q.missing == {"Income": 24} and q.duplicate_ids == 0
    assert q.impossible[0]["column"] == "Year_Birth" and q.impossible[0]["example"] == 1893
