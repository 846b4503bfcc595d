"""Fixtures shared by the value package's tests: a hand-built log, CDNOW's weekly RFM summary (the
full master file), the 1/10 CDNOW sample behind the published estimates, and simulated customers
of known parameters."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from segkit.value import rfm_summary


@pytest.fixture
def log():
    return pd.DataFrame(
        {
            "customer_id": ["a", "a", "a", "a", "b", "c", "c"],
            "date": pd.to_datetime(["2024-01-01 09:00", "2024-01-01 17:00", "2024-01-15", "2024-01-29",
                                    "2024-01-08", "2024-01-22", "2024-02-20"], format="ISO8601"),
            "amount": [10.0, 5.0, 20.0, 40.0, 7.0, 3.0, 1.0],
        }
    )


@pytest.fixture(scope="module")
def cdnow_summary(shared_data):
    path = shared_data / "cdnow" / "CDNOW_master.txt"
    transactions = pd.read_csv(path, sep=r"\s+")
    return rfm_summary(transactions, amount_col="dollar_value", observation_end="1997-09-30", freq="W")


def cdnow_sample_path() -> Path | None:
    """``CDNOW_sample.txt`` as the ``lifetimes`` wheel ships it, found without importing lifetimes
    (its code predates numpy 2); None when lifetimes is not installed."""
    spec = importlib.util.find_spec("lifetimes")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "datasets" / "CDNOW_sample.txt"
    return path if path.is_file() else None


@pytest.fixture(scope="session")
def cdnow_sample() -> pd.DataFrame:
    """The 2,357-customer CDNOW sample: customer, date, CDs and dollars per purchase line."""
    path = cdnow_sample_path()
    if path is None:
        reason = "lifetimes (the dev extra) is not installed, so CDNOW_sample.txt is missing"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI installs the dev extra")
        pytest.skip(reason)
    return pd.read_csv(path, sep=r"\s+", header=None, names=["master_id", "customer_id", "date", "cds", "dollars"])


@pytest.fixture(scope="session")
def cdnow_calibration(cdnow_sample) -> pd.DataFrame:
    """The sample's 39-week calibration summary in weeks, as the papers fitted it."""
    return rfm_summary(cdnow_sample, amount_col="dollars", observation_end="1997-09-30", freq="W")


def simulate_customers(n: int, *, rng: np.random.Generator, r: float, alpha: float, dropout: str,
                       shape: float, scale: float, weeks: tuple[float, float] = (26.0, 78.0), times: bool = False):
    """Customers of known parameters: Poisson purchases at ``lambda ~ Gamma(r, alpha)`` while alive.

    ``dropout="pareto"``: exponential lifetimes at ``mu ~ Gamma(shape, scale)`` (Pareto/NBD);
    ``"mbg"``: after every purchase, the first included, a coin ``p ~ Beta(shape, scale)`` (MBG/NBD);
    ``"bg"``: the same after repeat purchases only (BG/NBD). Returns ``x, t_x, T`` in weeks and
    with ``times``, each customer's purchase times in weeks from the first (for logs; else None).
    """
    lam = rng.gamma(r, 1 / alpha, n)
    T = rng.uniform(*weeks, n)
    if dropout == "pareto":
        death = rng.exponential(1 / rng.gamma(shape, 1 / scale, n))
        p = np.zeros(n)
    else:
        death = np.full(n, np.inf)
        p = rng.beta(shape, scale, n)
    alive = np.ones(n, dtype=bool)
    if dropout == "mbg":
        alive &= rng.random(n) >= p
    x, tx, clock = np.zeros(n), np.zeros(n), np.zeros(n)
    stamps: list[list[float]] | None = [[0.0] for _ in range(n)] if times else None
    while alive.any():
        clock[alive] += rng.exponential(1 / lam[alive])
        buys = alive & (clock <= np.minimum(T, death))
        x[buys] += 1
        tx[buys] = clock[buys]
        if stamps is not None:
            for i in np.flatnonzero(buys):
                stamps[i].append(float(clock[i]))
        alive = buys & (rng.random(n) >= p)
    return x, tx, T, stamps


def simulated_log(n: int, *, rng: np.random.Generator, dropout: str = "mbg", r: float = 0.7, alpha: float = 5.0,
                  shape: float = 1.0, scale: float = 3.0, weeks: float = 104.0, start="2022-01-03") -> pd.DataFrame:
    """A purchase log (``customer_id``, ``date``, ``amount``) of ``n`` simulated customers who first
    buy in the log's first half and are watched to its end (``weeks`` long)."""
    offsets = rng.uniform(0, weeks / 2, n)
    lam = rng.gamma(r, 1 / alpha, n)
    rows_c, rows_t = [], []
    if dropout == "pareto":
        death = rng.exponential(1 / rng.gamma(shape, 1 / scale, n))
        p = np.zeros(n)
    else:
        death = np.full(n, np.inf)
        p = rng.beta(shape, scale, n) if dropout != "none" else np.zeros(n)
    for i in range(n):
        horizon = min(weeks - offsets[i], death[i])
        t, alive = 0.0, not (dropout == "mbg" and rng.random() < p[i])
        rows_c.append(i)
        rows_t.append(offsets[i])
        while alive:
            t += rng.exponential(1 / lam[i])
            if t > horizon:
                break
            rows_c.append(i)
            rows_t.append(offsets[i] + t)
            alive = rng.random() >= p[i]
    days = np.floor(np.asarray(rows_t) * 7).astype(int)
    return pd.DataFrame({"customer_id": pd.array([f"c{c:05d}" for c in rows_c], dtype="string"),
                         "date": pd.Timestamp(start) + pd.to_timedelta(days, "D"),
                         "amount": rng.gamma(4.0, 10.0, len(rows_c))})
