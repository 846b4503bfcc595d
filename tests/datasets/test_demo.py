"""Tests for segkit.datasets.demo and .draw: the seeded demo data, its planted flaws and segments."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import StandardScaler

from segkit.datasets import SEGMENTS, DemoData, make_demo
from segkit.exceptions import ConfigError

CUSTOMER_COLUMNS = [
    "customer_id", "birth_year", "gender", "income", "kids_home", "country", "region", "device",
    "os", "interests", "email", "signup_date", "accepted_cmp1", "accepted_cmp2", "accepted_cmp3",
    "response", "cost_per_contact", "revenue_per_response",
]
TRANSACTION_COLUMNS = ["invoice", "order_date", "customer_id", "product_category", "channel",
                       "quantity", "unit_price"]
LOYAL, BARGAIN, FAMILY, LAPSED, OCCASIONAL = range(5)


@pytest.fixture(scope="module")
def demo() -> DemoData:
    return make_demo()


@pytest.fixture(scope="module")
def log_features(demo) -> pd.DataFrame:
    """Log-RFM plus channel and category revenue shares, built by hand with pandas."""
    tx = (demo.transactions.drop_duplicates()
          .dropna(subset=["customer_id"])
          .assign(amount=lambda d: d["quantity"] * d["unit_price"]))
    snapshot = tx["order_date"].max() + pd.Timedelta(days=1)
    sales = tx[~tx["invoice"].str.startswith("C")]
    by_customer = sales.groupby("customer_id")
    features = pd.DataFrame({
        "recency_days": (snapshot - by_customer["order_date"].max()).dt.days,
        "frequency": by_customer["invoice"].nunique(),
        "monetary": tx.groupby("customer_id")["amount"].sum().clip(lower=0),
    })
    features["avg_order_value"] = by_customer["amount"].sum() / features["frequency"]
    features = np.log1p(features)
    for column in ["channel", "product_category"]:
        revenue = sales.pivot_table(index="customer_id", columns=column, values="amount",
                                    aggfunc="sum", fill_value=0)
        features = features.join(revenue.div(revenue.sum(axis=1), axis=0).add_prefix(f"share_{column}_"))
    return features


def test_customer_table_schema(demo):
    customers = demo.customers
    assert list(customers.columns) == CUSTOMER_COLUMNS
    assert len(customers) == 3000
    assert customers["customer_id"].str.fullmatch(r"C\d{6}").all()
    assert customers["customer_id"].is_unique
    assert pd.api.types.is_datetime64_any_dtype(customers["signup_date"])
    assert set(customers["gender"].dropna()) == {"F", "M"}
    assert set(customers["device"]) == {"mobile", "desktop", "tablet"}
    assert set(customers["os"]) == {"iOS", "Android", "Windows", "macOS"}
    assert customers["country"].nunique() == 6
    assert customers["email"].str.fullmatch(r"[a-z]+\.[a-z]\d*@[a-z.]*example\.(com|org|net)").all()
    assert customers["kids_home"].between(0, 3).all()


def test_campaign_columns(demo):
    customers = demo.customers
    for column in ["accepted_cmp1", "accepted_cmp2", "accepted_cmp3"]:
        assert set(customers[column]) == {"yes", "no"}
    assert set(customers["response"]) == {0, 1}
    assert (customers["cost_per_contact"] == 3).all()
    assert (customers["revenue_per_response"] == 11).all()


def test_customer_table_has_planted_flaws(demo):
    customers = demo.customers
    assert 2 <= (customers["birth_year"] < 1900).sum() <= 5
    assert customers["birth_year"][customers["birth_year"] >= 1900].between(1930, 2007).all()
    missing_income = customers["income"].isna().mean()
    assert 0.005 <= missing_income <= 0.03
    assert 1 <= (customers["income"] == 999_999).sum() <= 3
    assert customers["gender"].isna().sum() > 0


def test_transaction_log_schema(demo):
    tx = demo.transactions
    assert list(tx.columns) == TRANSACTION_COLUMNS
    assert pd.api.types.is_datetime64_any_dtype(tx["order_date"])
    assert set(tx["product_category"].unique()) == {"grocery", "fashion", "electronics", "home", "beauty"}
    assert set(tx["channel"].unique()) == {"web", "app", "store"}
    assert 40_000 <= len(tx) <= 80_000
    assert (tx["unit_price"] > 0).all()
    assert tx["order_date"].between("2024-01-01", "2026-01-01").all()
    assert tx["order_date"].is_monotonic_increasing
    known = tx["customer_id"].dropna().unique()
    assert set(known) == set(demo.customers["customer_id"])  # everyone bought at least once


def test_invoices_group_lines_of_one_order(demo):
    tx = demo.transactions
    per_invoice = tx.assign(customer_id=tx["customer_id"].fillna("guest")).groupby("invoice").agg(
        lines=("quantity", "size"),
        customers=("customer_id", "nunique"),
        dates=("order_date", "nunique"),
        channels=("channel", "nunique"),
    )
    assert (per_invoice[["customers", "dates", "channels"]] == 1).all().all()
    assert (per_invoice["lines"] > 1).mean() > 0.3


def test_planted_log_flaws(demo):
    tx = demo.transactions
    n_dupes = tx.duplicated().sum()
    assert 3 <= n_dupes <= 20
    assert tx.drop_duplicates().duplicated().sum() == 0
    assert 10 <= tx["customer_id"].isna().sum() <= 0.01 * len(tx)

    is_return = tx["invoice"].str.startswith("C")
    assert 0.01 < is_return.mean() < 0.08
    assert (tx.loc[is_return, "quantity"] < 0).all()
    assert (tx.loc[~is_return, "quantity"] > 0).all()


def test_returns_reference_earlier_purchases(demo):
    tx = demo.transactions.dropna(subset=["customer_id"]).drop_duplicates()
    tx = tx.reset_index(drop=True)
    is_return = tx["invoice"].str.startswith("C")
    keys = ["customer_id", "product_category", "unit_price", "channel"]
    pairs = tx[is_return].reset_index().merge(tx[~is_return], on=keys, suffixes=("", "_sale"))
    earlier = pairs["order_date_sale"] < pairs["order_date"]
    enough = pairs["quantity_sale"] >= -pairs["quantity"]
    matched = (earlier & enough).groupby(pairs["index"]).any()
    assert matched.reindex(tx.index[is_return], fill_value=False).all()


def test_truth_and_profiles(demo):
    truth = demo.truth
    assert truth.name == "segment"
    assert truth.index.name == "customer_id"
    assert truth.index.equals(pd.Index(demo.customers["customer_id"]))
    assert truth.dtype.kind == "i"
    profiles = demo.segment_profiles
    assert list(profiles.index) == [0, 1, 2, 3, 4]
    assert profiles["name"].tolist() == [s["name"] for s in SEGMENTS]
    assert profiles["description"].str.len().gt(40).all()
    assert profiles["n_customers"].tolist() == truth.value_counts().sort_index().tolist()


def test_segment_sizes_are_imbalanced(demo):
    shares = demo.truth.value_counts(normalize=True).sort_index()
    assert shares.tolist() == pytest.approx([s["share"] for s in SEGMENTS], abs=1e-3)
    assert shares.min() >= 0.12
    assert shares.max() <= 0.40
    assert shares.idxmax() == OCCASIONAL


def test_loyal_high_spenders_respond_best(demo):
    rates = demo.customers["response"].groupby(demo.truth.to_numpy()).mean()
    assert rates.idxmax() == LOYAL
    assert 0.22 <= rates[LOYAL] <= 0.38
    assert rates.drop(LOYAL).max() <= 0.15
    assert rates[LOYAL] >= 2 * rates.drop(LOYAL).max()


def test_segments_differ_in_demographics_and_technographics(demo):
    customers = demo.customers.assign(segment=demo.truth.to_numpy())
    valid = customers[customers["birth_year"] >= 1900]
    age = 2025 - valid.groupby("segment")["birth_year"].median()
    assert age[LOYAL] - age[BARGAIN] >= 20
    income = customers.groupby("segment")["income"].median()
    assert income.idxmax() == LOYAL and income.idxmin() == BARGAIN
    assert customers.groupby("segment")["kids_home"].mean().idxmax() == FAMILY
    mobile = (customers["device"] == "mobile").groupby(customers["segment"]).mean()
    assert mobile.idxmax() == BARGAIN
    interest = pd.crosstab(customers["segment"], customers["interests"], normalize="index")
    assert interest["fashion"].idxmax() == BARGAIN
    assert interest["family"].idxmax() == FAMILY


def test_segments_differ_in_behaviour(log_features, demo):
    segment = demo.truth.loc[log_features.index]
    medians = np.expm1(log_features.iloc[:, :4]).groupby(segment.to_numpy()).median()
    assert medians.loc[LAPSED, "recency_days"] >= 270
    assert medians["recency_days"].drop(LAPSED).drop(OCCASIONAL).max() <= 90
    assert medians.loc[OCCASIONAL, "frequency"] == 1
    assert medians["frequency"].idxmax() == LOYAL
    assert medians["monetary"].idxmin() == OCCASIONAL
    shares = log_features.groupby(segment.to_numpy()).mean()
    assert shares["share_channel_app"].idxmax() == BARGAIN
    assert shares["share_channel_store"].idxmax() == LOYAL
    assert shares["share_product_category_home"].idxmax() == FAMILY
    assert shares["share_product_category_electronics"].idxmax() == LAPSED


def test_kmeans_on_log_features_recovers_planted_segments(log_features, demo):
    X = StandardScaler().fit_transform(log_features)
    labels = KMeans(n_clusters=5, n_init=5, random_state=0).fit_predict(X)
    ari = adjusted_rand_score(demo.truth.loc[log_features.index], labels)
    assert 0.8 <= ari <= 0.95, f"ARI {ari:.3f}"


def test_signup_precedes_first_purchase(demo):
    first = demo.transactions.groupby("customer_id")["order_date"].min().dt.normalize()
    signup = demo.customers.set_index("customer_id")["signup_date"]
    assert (signup <= first.reindex(signup.index)).all()
    assert demo.customers["signup_date"].is_monotonic_increasing


def test_same_seed_gives_identical_data():
    a, b = make_demo(400, random_state=7), make_demo(400, random_state=7)
    pd.testing.assert_frame_equal(a.customers, b.customers)
    pd.testing.assert_frame_equal(a.transactions, b.transactions)
    pd.testing.assert_series_equal(a.truth, b.truth)


def test_same_seed_gives_identical_files(tmp_path):
    first = make_demo(400, random_state=7).write(tmp_path / "a")
    second = make_demo(400, random_state=7).write(tmp_path / "b")
    for key in ["customers", "transactions", "config"]:
        assert first[key].read_bytes() == second[key].read_bytes(), key


def test_different_seeds_differ():
    a, b = make_demo(400, random_state=1), make_demo(400, random_state=2)
    assert not a.customers.equals(b.customers)
    assert not a.transactions.equals(b.transactions)
    assert not a.truth.equals(b.truth)


def test_write_files_and_config(tmp_path, demo):
    paths = demo.write(tmp_path / "demo")
    assert set(paths) == {"customers", "transactions", "config"}
    assert all(p.parent == tmp_path / "demo" for p in paths.values())

    customers = pd.read_csv(paths["customers"], encoding="utf-8")
    assert list(customers.columns) == CUSTOMER_COLUMNS
    assert len(customers) == len(demo.customers)
    assert customers["income"].isna().sum() == demo.customers["income"].isna().sum()
    assert "Île-de-France" in set(customers["region"])
    assert customers["signup_date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()

    transactions = pd.read_csv(paths["transactions"], dtype={"invoice": str})
    assert list(transactions.columns) == TRANSACTION_COLUMNS
    assert len(transactions) == len(demo.transactions)
    assert transactions["order_date"].str.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}").all()
    n_returns = demo.transactions["invoice"].str.startswith("C").sum()
    assert transactions["invoice"].str.startswith("C").sum() == n_returns

    config = yaml.safe_load(paths["config"].read_text(encoding="utf-8"))
    assert config["data"] == {"customers": "customers.csv", "transactions": "transactions.csv"}
    assert {k: config["columns"][k] for k in ["customer_id", "date", "quantity", "price", "invoice"]} == {
        "customer_id": "customer_id", "date": "order_date", "quantity": "quantity",
        "price": "unit_price", "invoice": "invoice",
    }
    assert config["campaign"] == {"response": "response", "cost_per_contact": 3, "revenue_per_response": 11}
    assert isinstance(config["title"], str)
    grouped = [c for key in ["demographics", "geography", "psychographics", "technographics",
                             "campaigns", "identifiers"] for c in config["columns"][key]]
    assert set(grouped) <= set(CUSTOMER_COLUMNS)


def test_custom_period_and_size():
    demo = make_demo(120, random_state=5, start="2023-03-01", end="2023-08-31")
    assert len(demo.customers) == 120
    assert demo.transactions["order_date"].between("2023-03-01", "2023-09-01").all()
    assert demo.truth.nunique() == 5


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_customers": 10}, "n_customers"),
        ({"n_customers": 3000.5}, "n_customers"),
        ({"start": "2025-01-01", "end": "2024-01-01"}, "at least 30 days"),
    ],
    ids=["too-few-customers", "non-integer-size", "end-before-start"],
)
def test_invalid_arguments(kwargs, match):
    with pytest.raises(ConfigError, match=match):
        make_demo(**kwargs)


@pytest.mark.slow
def test_large_demo_scales():
    # speed is measured in benchmarks/, not asserted here
    demo = make_demo(100_000, random_state=1)
    assert len(demo.customers) == 100_000
    assert 15 * 100_000 <= len(demo.transactions) <= 30 * 100_000
    assert demo.truth.value_counts(normalize=True).sort_index().tolist() == pytest.approx(
        [s["share"] for s in SEGMENTS], abs=1e-4)


_WRITE_AND_READ = """
import sys
import pandas as pd
from segkit.datasets import make_demo
demo = make_demo(300, random_state=0)
for _ in range(3):
    paths = demo.write(sys.argv[1])
    for name, frame in (("customers", demo.customers), ("transactions", demo.transactions)):
        if len(pd.read_csv(paths[name])) != len(frame):
            sys.exit(f"{name}: half a file")
"""


def test_runs_writing_the_demo_data_into_one_folder_at_once_never_read_half_a_file(tmp_path):
    """Four processes write the same demo data into one folder and read it back, at once."""
    import subprocess
    import sys

    procs = [subprocess.Popen([sys.executable, "-c", _WRITE_AND_READ, str(tmp_path)], stderr=subprocess.PIPE,
                              text=True) for _ in range(4)]
    errors = [proc.communicate(timeout=600)[1] for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0, 0, 0], errors
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.yml", "customers.csv", "transactions.csv"]


def test_writing_the_same_demo_data_again_leaves_the_files_alone(tmp_path):
    demo = make_demo(100, random_state=0)
    paths = demo.write(tmp_path)
    stamps = {name: path.stat().st_mtime_ns for name, path in paths.items()}
    demo.write(tmp_path)
    assert {name: path.stat().st_mtime_ns for name, path in paths.items()} == stamps
    other = make_demo(100, random_state=1).write(tmp_path)
    assert other["customers"].stat().st_mtime_ns != stamps["customers"]
