"""Shared fixtures: the real data sets beside the checkout, a fixed seed, closed figures, and runs and tables
that tests of several modules look at."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import warnings  # noqa: E402

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from segkit.exceptions import SegkitWarning  # noqa: E402
from segkit.pipeline import Analysis  # noqa: E402
from tests.runs import analysis  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("SEGKIT_SHARED_DATA", ROOT.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Folder of the real public data sets (``../shared/data`` beside the checkout)."""
    if not SHARED_DATA.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"real data sets not found at {SHARED_DATA}; CI must have ../shared beside the checkout")
        pytest.skip(f"real data sets not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session", autouse=True)
def _scratch_folder(tmp_path_factory):
    """Every temporary folder segkit makes during the tests (a long log's Parquet parts, DuckDB's
    spill, a report kernel's scratch, Spark's work) goes under pytest's own temporary folder,
    which pytest prunes: a pytest-xdist worker ends without running the finalizers that remove
    them, and they piled up in the system's temporary folder."""
    scratch = tmp_path_factory.mktemp("scratch")
    before = os.environ.get("TMPDIR"), tempfile.tempdir
    os.environ["TMPDIR"], tempfile.tempdir = str(scratch), str(scratch)
    yield scratch
    tempfile.tempdir = before[1]
    if before[0] is None:
        os.environ.pop("TMPDIR", None)
    else:
        os.environ["TMPDIR"] = before[0]


@pytest.fixture
def seed() -> int:
    return 20261122


@pytest.fixture
def rng(seed) -> np.random.Generator:
    return np.random.default_rng(seed)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def one_order_each(tmp_path, rng) -> Analysis:
    """A profiled run on a log of 200 customers who each bought once."""
    n = 200
    pd.DataFrame({"customer_id": [f"U{i}" for i in range(n)],
                  "order_date": (pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D"))
                  .strftime("%Y-%m-%d"),
                  "order_total": rng.gamma(3, 20, n).round(2)}).to_csv(tmp_path / "orders.csv", index=False)
    run = analysis(tmp_path, transactions="orders.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SegkitWarning)  # constant 'frequency' left out of the clustering
        run.profile()
    return run


@pytest.fixture
def small_table():
    """30 customers: segment 0 (10), 1 (15) and a 5-customer segment 2."""
    idx = pd.Index([f"c{i:02d}" for i in range(30)], name="customer_id")
    features = pd.DataFrame(
        {
            "Income": [90.0, 110.0] * 5 + [40.0, 60.0, 50.0] * 5 + [200.0] * 5,
            "Education": ["PhD"] * 10 + ["Basic"] * 12 + ["PhD"] * 3 + ["Basic"] * 5,
            "email": [f"user{i}@example.com" for i in range(30)],
            "signup": pd.date_range("2024-01-01", periods=30, freq="D"),
            "Response": [True] * 5 + [False] * 5 + [False] * 15 + [True] * 5,
        },
        index=idx,
    )
    labels = pd.Series([0] * 10 + [1] * 15 + [2] * 5, index=idx, name="segment")
    bases = {"Income": "demographic", "Education": "demographic", "Response": "campaign"}
    return features, labels, bases


@pytest.fixture(scope="session")
def spark():
    """One local[2] Spark session for every Spark test of a test process (segkit.spark's own set-up;
    the JVM ends with the process). Skipped where PySpark is not installed."""
    pytest.importorskip("pyspark")
    from segkit.spark import spark_session

    return spark_session()
