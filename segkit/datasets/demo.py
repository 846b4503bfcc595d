"""The demo customer base: :func:`make_demo` and the :class:`DemoData` it returns.

Examples
--------
>>> demo = make_demo(600, random_state=1)
>>> demo.customers.shape[0], demo.truth.nunique()
(600, 5)
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from segkit.datasets.draw import customer_table, purchase_log, transaction_frame
from segkit.datasets.planted import COST_PER_CONTACT, MIN_CUSTOMERS, REVENUE_PER_RESPONSE, SEGMENTS
from segkit.exceptions import ConfigError

__all__ = ["DemoData", "make_demo"]


@dataclass(frozen=True, repr=False, eq=False)
class DemoData:
    """A generated demo customer base and its planted ground truth.

    Attributes
    ----------
    customers : pandas.DataFrame
        One row per customer, as a CRM export: ``customer_id, birth_year, gender, income,
        kids_home, country, region, device, os, interests, email, signup_date,
        accepted_cmp1..accepted_cmp3`` (``'yes'``/``'no'``), ``response`` (0/1) and the
        campaign economics ``cost_per_contact`` (3) and ``revenue_per_response`` (11).
    transactions : pandas.DataFrame
        The purchase log, one row per order line: ``invoice, order_date, customer_id,
        product_category, channel, quantity, unit_price``. Returns are invoices starting with
        ``'C'`` with negative quantities; guest orders have no ``customer_id``; a few lines
        are exact duplicates.
    truth : pandas.Series
        Planted segment (int ``0..4``) of each customer, indexed by ``customer_id``, named
        ``segment``.
    segment_profiles : pandas.DataFrame
        One row per planted segment (indexed ``0..4``): ``name``, ``description``, ``share``,
        ``n_customers`` and the generating parameters.

    Examples
    --------
    >>> demo = make_demo(200, random_state=0)
    >>> demo
    DemoData(customers=200 rows, transactions=... rows, segments=5)
    >>> int(demo.truth.value_counts().sum())
    200
    """

    customers: pd.DataFrame
    transactions: pd.DataFrame
    truth: pd.Series
    segment_profiles: pd.DataFrame

    def __repr__(self) -> str:
        return (f"DemoData(customers={len(self.customers)} rows, "
                f"transactions={len(self.transactions)} rows, segments={len(self.segment_profiles)})")

    def config(self, customers: str | Path = "customers.csv",
               transactions: str | Path = "transactions.csv") -> dict:
        """Report config for these data, in the layout of ``segkit report``'s YAML.

        Parameters
        ----------
        customers, transactions : str or Path
            Paths to put under ``data``; relative paths are resolved against the config
            file's folder.

        Returns
        -------
        dict
            ``title``, ``data``, ``columns`` (roles and column groups) and ``campaign``.

        Examples
        --------
        >>> cfg = make_demo(100).config()
        >>> cfg["campaign"]
        {'response': 'response', 'cost_per_contact': 3, 'revenue_per_response': 11}
        """
        return {
            "title": "segkit demo customers",
            "data": {"customers": str(customers), "transactions": str(transactions)},
            "columns": {
                "customer_id": "customer_id",
                "date": "order_date",
                "quantity": "quantity",
                "price": "unit_price",
                "invoice": "invoice",
                "channel": "channel",
                "category": "product_category",
                "demographics": ["birth_year", "gender", "income", "kids_home"],
                "geography": ["country", "region"],
                "psychographics": ["interests"],
                "technographics": ["device", "os"],
                "campaigns": ["accepted_cmp1", "accepted_cmp2", "accepted_cmp3", "response"],
                "identifiers": ["email"],
            },
            "campaign": {
                "response": "response",
                "cost_per_contact": COST_PER_CONTACT,
                "revenue_per_response": REVENUE_PER_RESPONSE,
            },
        }

    def write(self, folder: str | Path) -> dict[str, Path]:
        """Write ``customers.csv``, ``transactions.csv`` and a matching ``config.yml``.

        The CSV files are plain UTF-8 with a header row; dates are written as
        ``YYYY-MM-DD`` and timestamps as ``YYYY-MM-DD HH:MM:SS``. The config refers to the
        CSV files by name, relative to its own folder, so the folder can be moved.

        Parameters
        ----------
        folder : str or Path
            Output folder; created if missing. Existing files of the same names are replaced,
            each in one step (a file that already holds the same bytes is left alone), so runs
            writing the demo data into one folder at once never read half a file.

        Returns
        -------
        dict of str to Path
            Paths under the keys ``customers``, ``transactions`` and ``config``.

        Examples
        --------
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     paths = make_demo(100).write(tmp)
        ...     sorted(p.name for p in paths.values())
        ['config.yml', 'customers.csv', 'transactions.csv']
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        paths = {
            "customers": folder / "customers.csv",
            "transactions": folder / "transactions.csv",
            "config": folder / "config.yml",
        }
        texts = {
            "customers": self.customers.to_csv(index=False, date_format="%Y-%m-%d", lineterminator="\n"),
            "transactions": self.transactions.to_csv(index=False, date_format="%Y-%m-%d %H:%M:%S",
                                                     lineterminator="\n"),
            "config": yaml.safe_dump(self.config(paths["customers"].name, paths["transactions"].name),
                                     sort_keys=False, allow_unicode=True),
        }
        for name, text in texts.items():
            _write_once(paths[name], text.encode("utf-8"))
        return paths


def _write_once(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole, so that a run reading it never sees half a file.

    Several runs may write the same demo data into one folder at once (four ``segkit report
    --demo`` into one parent): a file already holding these bytes is left alone, and any other
    is written beside it and renamed into place, which replaces it in one step.
    """
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return
    except OSError:
        pass  # absent (or unreadable): write it
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)  # as a plain write would leave it (mkstemp makes it private)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def make_demo(
    n_customers: int = 3000,
    *,
    random_state: int | np.random.Generator | None = 0,
    start: str = "2024-01-01",
    end: str = "2025-12-31",
) -> DemoData:
    """Generate a seeded synthetic customer base with planted segments.

    Customers are split into the five segments of :data:`SEGMENTS` (13 %, 20 %, 17 %, 12 %
    and 38 %): *Loyal high spenders*, *Young app bargain hunters*, *Family home shoppers*,
    *Lapsed big spenders* and *Occasional one-off buyers*. Each segment has its own order
    frequency, activity window, basket size, price level, channel and category mix, return
    rate, demographics, devices, interests and campaign response; each customer's channel
    and category mix is drawn around the segment's, so segments overlap realistically.
    Loyal high spenders answer the last campaign (``response``) about 30 % of the time,
    the other segments 3-10 %.

    The data carry the flaws a cleaning step must handle: about 1.5 % missing incomes and a
    couple of incomes of 999999, a couple of impossible birth years (1890, 1893), returns
    (invoices ``'C...'`` with negative quantity, dated after the order they return), guest
    orders without a customer id and a handful of exact duplicate lines.

    Parameters
    ----------
    n_customers : int, default 3000
        Number of customers (at least 50). The purchase log has about 20 lines per customer.
    random_state : int, numpy Generator or None, default 0
        Seed; the same seed gives identical data.
    start, end : str, default "2024-01-01", "2025-12-31"
        First and last day of the purchase log (inclusive), anything
        :class:`pandas.Timestamp` parses.

    Returns
    -------
    DemoData
        ``customers``, ``transactions``, ``truth`` and ``segment_profiles``; see
        :class:`DemoData`.

    Raises
    ------
    ConfigError
        If ``n_customers`` is below 50 or ``end`` is not at least 30 days after ``start``.

    Examples
    --------
    >>> demo = make_demo(1000, random_state=42)
    >>> demo.segment_profiles.set_index("name")["n_customers"]
    name
    Loyal high spenders          130
    Young app bargain hunters    200
    Family home shoppers         170
    Lapsed big spenders          120
    Occasional one-off buyers    380
    Name: n_customers, dtype: int64
    >>> demo.transactions.columns.tolist()
    ['invoice', 'order_date', 'customer_id', 'product_category', 'channel', 'quantity', 'unit_price']
    >>> bool(demo.transactions["invoice"].str.startswith("C").any())
    True
    """
    if isinstance(n_customers, bool) or not isinstance(n_customers, (int, np.integer)) \
            or n_customers < MIN_CUSTOMERS:
        raise ConfigError(f"make_demo: n_customers must be an integer >= {MIN_CUSTOMERS}, "
                          f"but {n_customers!r} was passed")
    t0, t1 = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    n_days = (t1 - t0).days + 1
    if n_days < 30:
        raise ConfigError(f"make_demo: end ({end!r}) must be at least 30 days after start ({start!r})")
    rng = np.random.default_rng(random_state)
    n = int(n_customers)
    params = pd.DataFrame(SEGMENTS)

    # Segment sizes are fixed shares (largest remainders), shuffled over customers.
    counts = _split_counts(n, params["share"].to_numpy())
    seg = rng.permutation(np.repeat(np.arange(len(params)), counts))
    # Guest checkouts (no customer id) shop like occasional buyers.
    n_guests = max(2, round(0.004 * n))
    occasional = int(np.flatnonzero(params["min_orders"] == 1)[0])
    seg_all = np.concatenate([seg, np.full(n_guests, occasional)])

    log = purchase_log(rng, params, seg_all, n_real=n, n_days=n_days)
    customers, order = customer_table(rng, params, seg, log.pop("first_day"), t0)

    # Customer ids follow signup order; guests have none.
    row_of = np.full(len(seg_all), -1)
    row_of[order] = np.arange(n)
    transactions = transaction_frame(rng, log, customers["customer_id"], row_of, t0)

    truth = pd.Series(seg[order], index=pd.Index(customers["customer_id"], name="customer_id"),
                      name="segment")
    profiles = params.copy()
    profiles.insert(3, "n_customers", counts)
    profiles.index.name = "segment"
    return DemoData(customers=customers, transactions=transactions, truth=truth,
                    segment_profiles=profiles)


def _split_counts(n: int, shares: np.ndarray) -> np.ndarray:
    """Integer sizes summing to ``n``, as close to ``n * shares`` as possible."""
    exact = n * shares / shares.sum()
    counts = np.floor(exact).astype(int)
    counts[np.argsort(counts - exact, kind="stable")[: n - counts.sum()]] += 1
    return counts
