"""Seeded demo data with planted segments.

:func:`make_demo` generates a synthetic customer base the way a retailer's CRM and shop
systems would export it: a customer table (demographic, geographic, psychographic,
technographic and campaign-history columns, with a few missing and impossible values) and a
purchase log (multi-line invoices, returns, guest orders without a customer id, a few
exact duplicate lines). Every customer belongs to one of five planted segments whose
ground truth is returned with the data, so tests and workshops can check that the kit
finds them. Everything is drawn with numpy from one seed; nothing is downloaded.

Examples
--------
>>> from segkit.datasets import make_demo
>>> demo = make_demo(600, random_state=1)
>>> demo.customers.shape[0], demo.truth.nunique()
(600, 5)
>>> demo.segment_profiles.loc[0, "name"]
'Loyal high spenders'
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import yaml

from segkit.exceptions import ConfigError

__all__ = ["DemoData", "SEGMENTS", "make_demo"]

CHANNELS = ("web", "app", "store")
CATEGORIES = ("grocery", "fashion", "electronics", "home", "beauty")
DEVICES = ("mobile", "desktop", "tablet")
INTERESTS = ("outdoors", "home & garden", "fashion", "tech", "family", "food & wine", "travel")

#: The planted segments: sizes, buying behaviour, demographics, technographics and campaign
#: history. A customer places ``min_orders`` plus a negative-binomial number of orders with
#: mean ``extra_orders``, spread uniformly over an activity window whose start and end are
#: drawn, as fractions of the period, from ``window = (start_lo, start_hi, end_lo, end_hi)``.
#: An order has ``1 + Poisson(lines_mean)`` lines; ``units_factor`` and ``price_factor`` scale
#: the units per line and the unit prices of each category. Probability tuples follow
#: :data:`CHANNELS`, :data:`CATEGORIES`, :data:`DEVICES`, :data:`INTERESTS` and kids at home
#: ``(0, 1, 2, 3)``; ``apple`` is the share on iOS/macOS, ``campaigns`` the acceptance rates
#: of the three past campaigns and ``response`` that of the last one.
SEGMENTS: tuple[dict, ...] = (
    {
        "name": "Loyal high spenders",
        "description": "Frequent, large baskets of premium groceries, fashion and beauty, "
        "mostly in store; older, high income, desktop and tablet; the best responders.",
        "share": 0.13,
        "min_orders": 4, "extra_orders": 12.0, "window": (0.0, 0.25, 1.0, 1.0),
        "lines_mean": 2.5, "units_factor": 1.0, "price_factor": 1.5, "return_rate": 0.02,
        "channels": (0.30, 0.05, 0.65), "categories": (0.40, 0.25, 0.10, 0.05, 0.20),
        "age_mean": 56, "age_sd": 9, "income_median": 88_000, "income_sigma": 0.30,
        "female": 0.48, "kids": (0.75, 0.17, 0.07, 0.01),
        "devices": (0.25, 0.45, 0.30), "apple": 0.65,
        "interests": (0.18, 0.12, 0.05, 0.05, 0.05, 0.30, 0.25),
        "signup_lead_days": 400, "campaigns": (0.12, 0.20, 0.22), "response": 0.30,
    },
    {
        "name": "Young app bargain hunters",
        "description": "Many small, cheap orders through the app, mostly fashion and beauty, "
        "with many returns; young, low income, mobile.",
        "share": 0.20,
        "min_orders": 3, "extra_orders": 11.0, "window": (0.0, 0.5, 1.0, 1.0),
        "lines_mean": 0.6, "units_factor": 1.0, "price_factor": 0.55, "return_rate": 0.07,
        "channels": (0.15, 0.80, 0.05), "categories": (0.10, 0.55, 0.10, 0.05, 0.20),
        "age_mean": 25, "age_sd": 4.5, "income_median": 24_000, "income_sigma": 0.35,
        "female": 0.62, "kids": (0.90, 0.08, 0.02, 0.00),
        "devices": (0.88, 0.07, 0.05), "apple": 0.40,
        "interests": (0.08, 0.02, 0.50, 0.25, 0.02, 0.05, 0.08),
        "signup_lead_days": 40, "campaigns": (0.06, 0.08, 0.05), "response": 0.07,
    },
    {
        "name": "Family home shoppers",
        "description": "Regular, large baskets of home goods and groceries, mostly on the "
        "web; parents in their thirties and forties, middle income.",
        "share": 0.17,
        "min_orders": 2, "extra_orders": 5.0, "window": (0.0, 0.4, 1.0, 1.0),
        "lines_mean": 2.5, "units_factor": 1.5, "price_factor": 0.9, "return_rate": 0.03,
        "channels": (0.65, 0.15, 0.20), "categories": (0.35, 0.05, 0.02, 0.55, 0.03),
        "age_mean": 39, "age_sd": 6, "income_median": 56_000, "income_sigma": 0.30,
        "female": 0.64, "kids": (0.03, 0.42, 0.42, 0.13),
        "devices": (0.50, 0.20, 0.30), "apple": 0.50,
        "interests": (0.10, 0.35, 0.05, 0.05, 0.40, 0.03, 0.02),
        "signup_lead_days": 120, "campaigns": (0.08, 0.07, 0.09), "response": 0.10,
    },
    {
        "name": "Lapsed big spenders",
        "description": "Bought a lot of electronics early in the period, mostly on the web, "
        "then stopped: nothing in the last nine months or more.",
        "share": 0.12,
        "min_orders": 3, "extra_orders": 6.0, "window": (0.0, 0.1, 0.45, 0.63),
        "lines_mean": 2.0, "units_factor": 1.0, "price_factor": 1.3, "return_rate": 0.04,
        "channels": (0.75, 0.05, 0.20), "categories": (0.15, 0.10, 0.55, 0.15, 0.05),
        "age_mean": 48, "age_sd": 11, "income_median": 72_000, "income_sigma": 0.35,
        "female": 0.42, "kids": (0.55, 0.25, 0.17, 0.03),
        "devices": (0.30, 0.55, 0.15), "apple": 0.55,
        "interests": (0.15, 0.08, 0.05, 0.40, 0.05, 0.12, 0.15),
        "signup_lead_days": 300, "campaigns": (0.22, 0.10, 0.03), "response": 0.04,
    },
    {
        "name": "Occasional one-off buyers",
        "description": "One or two small web orders at any time in the period, mostly beauty "
        "products; a broad mix of people; the largest and least engaged group.",
        "share": 0.38,
        "min_orders": 1, "extra_orders": 0.2, "window": (0.0, 0.0, 1.0, 1.0),
        "lines_mean": 2.0, "units_factor": 1.0, "price_factor": 0.8, "return_rate": 0.05,
        "channels": (0.92, 0.05, 0.03), "categories": (0.05, 0.10, 0.02, 0.08, 0.75),
        "age_mean": 43, "age_sd": 15, "income_median": 41_000, "income_sigma": 0.45,
        "female": 0.52, "kids": (0.60, 0.22, 0.15, 0.03),
        "devices": (0.50, 0.35, 0.15), "apple": 0.45,
        "interests": (0.16, 0.14, 0.14, 0.14, 0.14, 0.14, 0.14),
        "signup_lead_days": 20, "campaigns": (0.03, 0.02, 0.03), "response": 0.03,
    },
)

# Median unit price and mean extra units per line, by category.
_PRICE_MEDIAN = np.array([4.0, 35.0, 120.0, 25.0, 15.0])
_EXTRA_UNITS = np.array([2.0, 0.3, 0.1, 0.5, 0.8])
# Opening hours of each channel (first, last hour an order can start).
_HOURS = np.array([[7, 23], [6, 23], [9, 19]])

_COUNTRIES = {
    "Germany": (0.30, ("Bavaria", "Berlin", "North Rhine-Westphalia", "Hamburg", "Baden-Württemberg")),
    "France": (0.22, ("Île-de-France", "Auvergne-Rhône-Alpes", "Provence-Alpes-Côte d'Azur", "Occitanie")),
    "Netherlands": (0.14, ("North Holland", "South Holland", "Utrecht")),
    "Spain": (0.14, ("Madrid", "Catalonia", "Andalusia")),
    "Italy": (0.12, ("Lombardy", "Lazio", "Campania")),
    "Belgium": (0.08, ("Flanders", "Wallonia", "Brussels")),
}
_FEMALE_NAMES = ("anna", "marie", "sophie", "laura", "julia", "emma", "lucia", "chiara", "ines",
                 "sara", "elena", "lea", "claire", "eva", "nina", "paula", "giulia", "camille")
_MALE_NAMES = ("lukas", "jan", "pierre", "marco", "pablo", "thomas", "david", "luca", "max",
               "felix", "hugo", "daan", "javier", "paul", "noah", "leon", "matteo", "louis")
_DOMAINS = ("example.com", "example.org", "example.net", "mail.example.com")

_NB_SHAPE = 3.0  # dispersion of the order counts within a segment
_MIX_CONCENTRATION = 20.0  # how closely a customer's channel/category mix follows the segment's
_MAX_SIGNUP_LEAD_DAYS = 3650
_COST_PER_CONTACT = 3
_REVENUE_PER_RESPONSE = 11
_MIN_CUSTOMERS = 50


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
                "cost_per_contact": _COST_PER_CONTACT,
                "revenue_per_response": _REVENUE_PER_RESPONSE,
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
            Output folder; created if missing. Existing files of the same names are replaced.

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
        self.customers.to_csv(paths["customers"], index=False, date_format="%Y-%m-%d",
                              lineterminator="\n", encoding="utf-8")
        self.transactions.to_csv(paths["transactions"], index=False, date_format="%Y-%m-%d %H:%M:%S",
                                 lineterminator="\n", encoding="utf-8")
        cfg = self.config(paths["customers"].name, paths["transactions"].name)
        with open(paths["config"], "w", encoding="utf-8") as fh:
            yaml.safe_dump(cfg, fh, sort_keys=False, allow_unicode=True)
        return paths


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
            or n_customers < _MIN_CUSTOMERS:
        raise ConfigError(f"make_demo: n_customers must be an integer >= {_MIN_CUSTOMERS}, "
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

    log = _purchase_log(rng, params, seg_all, n_real=n, n_days=n_days)
    customers, order = _customer_table(rng, params, seg, log.pop("first_day"), t0)

    # Customer ids follow signup order; guests have none.
    row_of = np.full(len(seg_all), -1)
    row_of[order] = np.arange(n)
    transactions = _transaction_frame(rng, log, customers["customer_id"], row_of, t0)

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


def _stack(params: pd.DataFrame, key: str) -> np.ndarray:
    """A column of tuples in ``params`` as a 2-D float array, one row per segment."""
    return np.array(params[key].tolist(), dtype=float)


def _pick(rng: np.random.Generator, probs: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Draw one option per entry of ``rows`` with the probabilities in ``probs[rows]``.

    Inverse CDF, one column at a time, so ``probs[rows]`` is never materialised.
    """
    cum = np.cumsum(probs, axis=1)
    u = rng.random(len(rows))
    out = np.zeros(len(rows), dtype=np.int64)
    for k in range(probs.shape[1] - 1):
        out += u >= cum[rows, k]
    return out


def _dirichlet_rows(rng: np.random.Generator, mean: np.ndarray, concentration: float) -> np.ndarray:
    """One Dirichlet draw per row around the row's mean probabilities."""
    g = rng.standard_gamma(np.maximum(mean * concentration, 1e-3))
    return g / g.sum(axis=1, keepdims=True)


def _strings(values, codes: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """``values[codes]`` as a pandas ``str`` array; code -1 gives a missing value.

    Taking with pyarrow is several times faster than converting a numpy object array.
    """
    if not isinstance(values, pa.Array):
        values = pa.array(np.asarray(values, dtype=object), type=pa.large_string())
    taken = values.take(pa.array(codes, mask=codes < 0))
    return pd.array(taken, dtype="str")


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Concatenation of ``arange(s, s + l)`` for each start and length."""
    offsets = np.cumsum(lengths) - lengths
    return np.repeat(starts - offsets, lengths) + np.arange(lengths.sum())


def _repeated_lines(order: np.ndarray, category: np.ndarray, price: np.ndarray) -> np.ndarray:
    """Mask of lines repeating the category and price of an earlier line of the same order.

    Dropping them leaves no exact duplicates in the log other than the planted ones.
    ``order`` must be sorted, so the lines of an order are neighbours.
    """
    key = category * (1 << 40) + np.round(price * 100).astype(np.int64)
    repeated = np.zeros(len(order), dtype=bool)
    for lag in range(1, int(np.bincount(order).max())):
        repeated[lag:] |= (order[lag:] == order[:-lag]) & (key[lag:] == key[:-lag])
    return repeated


def _purchase_log(rng, params, seg, *, n_real, n_days):
    """Orders, lines and credit notes as flat numpy arrays (no frames yet).

    Orders are numbered customer by customer, lines order by order and credit notes after
    all orders, so every line array is grouped by its order or credit note (``line_event``
    is sorted).
    """
    n_all = len(seg)
    # How many orders, and when: uniform within each customer's activity window.
    extra = params["extra_orders"].to_numpy()[seg]
    n_orders = params["min_orders"].to_numpy()[seg] \
        + rng.negative_binomial(_NB_SHAPE, _NB_SHAPE / (_NB_SHAPE + extra))
    n_orders[n_real:] = 1
    window = _stack(params, "window")[seg]
    first = window[:, 0] + rng.random(n_all) * (window[:, 1] - window[:, 0])
    last = window[:, 2] + rng.random(n_all) * (window[:, 3] - window[:, 2])
    cust = np.repeat(np.arange(n_all), n_orders)
    pos = first[cust] + rng.random(len(cust)) * (last - first)[cust]
    day = np.minimum((pos * n_days).astype(np.int64), n_days - 1)
    starts = np.cumsum(n_orders) - n_orders
    first_day = np.minimum.reduceat(day, starts)[:n_real]

    # Each customer's channel and category mix is drawn around the segment's.
    chan_p = _dirichlet_rows(rng, _stack(params, "channels")[seg], _MIX_CONCENTRATION)
    cat_p = _dirichlet_rows(rng, _stack(params, "categories")[seg], _MIX_CONCENTRATION)
    channel = _pick(rng, chan_p, cust)
    hours = _HOURS[channel]
    minute = rng.integers(hours[:, 0] * 60, (hours[:, 1] + 1) * 60)
    order_ts = day * 86_400 + minute * 60

    # Lines of each order.
    n_lines = 1 + rng.poisson(params["lines_mean"].to_numpy()[seg][cust])
    line_order = np.repeat(np.arange(len(cust)), n_lines)
    line_seg = seg[cust][line_order]
    category = _pick(rng, cat_p, cust[line_order])
    quantity = 1 + rng.poisson(_EXTRA_UNITS[category] * params["units_factor"].to_numpy()[line_seg])
    raw_price = _PRICE_MEDIAN[category] * params["price_factor"].to_numpy()[line_seg] \
        * rng.lognormal(0.0, 0.45, len(line_order))
    unit_price = np.maximum(np.ceil(raw_price) - 0.01, 0.49)
    unique = ~_repeated_lines(line_order, category, unit_price)
    line_order, line_seg, category, quantity, unit_price = (
        a[unique] for a in (line_order, line_seg, category, quantity, unit_price))

    # Returns: some lines go back 1-30 days later, on one credit note per order; credit
    # notes falling after the period are dropped.
    returned = rng.random(len(line_order)) < params["return_rate"].to_numpy()[line_seg]
    ret_orders, ret_note = np.unique(line_order[returned], return_inverse=True)
    delay = 1 + np.minimum(rng.exponential(6.0, len(ret_orders)), 29).astype(np.int64)
    ret_ts = order_ts[ret_orders] + delay * 86_400 + rng.integers(-120, 120, len(ret_orders)) * 60
    in_period = ret_ts < n_days * 86_400
    keep = in_period[ret_note]
    ret_lines = np.flatnonzero(returned)[keep]
    ret_quantity = -rng.integers(1, quantity[ret_lines] + 1)

    # One event per order and per credit note.
    n_ord = len(cust)
    kept_orders = ret_orders[in_period]
    renumber = np.cumsum(in_period) - 1  # credit-note index among those kept
    return {
        "first_day": first_day,
        "event_ts": np.concatenate([order_ts, ret_ts[in_period]]),
        "event_is_return": np.concatenate([np.zeros(n_ord, bool), np.ones(len(kept_orders), bool)]),
        "event_cust": np.concatenate([cust, cust[kept_orders]]),
        "event_channel": np.concatenate([channel, channel[kept_orders]]),
        "line_event": np.concatenate([line_order, n_ord + renumber[ret_note[keep]]]),
        "category": np.concatenate([category, category[ret_lines]]),
        "quantity": np.concatenate([quantity, ret_quantity]),
        "unit_price": np.concatenate([unit_price, unit_price[ret_lines]]),
    }


def _transaction_frame(rng, log, customer_ids, row_of, t0):
    """Purchase-log frame in time order, with a few exact duplicate lines planted.

    Invoice numbers follow time: orders and credit notes are numbered together in the
    order they happened, credit notes get a ``'C'`` prefix.
    """
    n_events = len(log["event_ts"])
    by_time = np.argsort(log["event_ts"], kind="stable")
    n_lines = np.bincount(log["line_event"], minlength=n_events)
    first_line = np.cumsum(n_lines) - n_lines
    rows = _ranges(first_line[by_time], n_lines[by_time])
    n_dupes = max(3, len(rows) // 10_000)
    dupes = rng.choice(len(rows), n_dupes, replace=False)
    rows = rows[np.sort(np.concatenate([np.arange(len(rows)), dupes]), kind="stable")]

    rank = np.empty(n_events, dtype=np.int64)
    rank[by_time] = np.arange(n_events)
    numbers = pa.array(100_000 + np.arange(n_events)).cast(pa.large_string())
    names = pc.if_else(pa.array(log["event_is_return"][by_time]),
                       pc.binary_join_element_wise(pa.scalar("C", pa.large_string()), numbers,
                                                   pa.scalar("", pa.large_string())), numbers)
    event = log["line_event"][rows]
    seconds = log["event_ts"][event]
    order_date = (np.datetime64(t0.date(), "s") + seconds.astype("timedelta64[s]")).astype("datetime64[ns]")
    return pd.DataFrame({
        "invoice": _strings(names, rank[event]),
        "order_date": order_date,
        "customer_id": _strings(customer_ids, row_of[log["event_cust"][event]]),
        "product_category": _strings(CATEGORIES, log["category"][rows]),
        "channel": _strings(CHANNELS, log["event_channel"][event]),
        "quantity": log["quantity"][rows].astype(np.int64),
        "unit_price": np.round(log["unit_price"][rows], 2),
    })


def _customer_table(rng, params, seg, first_day, t0):
    """Customer frame (rows in signup order) and the signup order of the input customers."""
    n = len(seg)
    age = rng.normal(params["age_mean"].to_numpy()[seg], params["age_sd"].to_numpy()[seg])
    birth_year = t0.year + 1 - np.clip(np.round(age), 18, 90).astype(np.int64)

    female = rng.random(n) < params["female"].to_numpy()[seg]
    gender = np.where(female, 0, 1)
    gender[rng.random(n) < 0.01] = -1

    income = np.round(params["income_median"].to_numpy()[seg]
                      * rng.lognormal(0.0, params["income_sigma"].to_numpy()[seg]), -2)
    kids = _pick(rng, _stack(params, "kids"), seg)

    countries = list(_COUNTRIES)
    all_regions = [r for c in countries for r in _COUNTRIES[c][1]]
    country = _pick(rng, np.array([[_COUNTRIES[c][0] for c in countries]]), np.zeros(n, dtype=np.int64))
    n_regions = np.array([len(_COUNTRIES[c][1]) for c in countries])
    first_region = np.cumsum(n_regions) - n_regions
    region = first_region[country] + (rng.random(n) * n_regions[country]).astype(np.int64)

    device = _pick(rng, _stack(params, "devices"), seg)
    apple = rng.random(n) < params["apple"].to_numpy()[seg]
    os_ = np.where(device == 1, np.where(apple, 0, 1), np.where(apple, 2, 3))
    interests = _pick(rng, _stack(params, "interests"), seg)

    first_name = np.where(female,
                          np.asarray(_FEMALE_NAMES, dtype=object)[rng.integers(0, len(_FEMALE_NAMES), n)],
                          np.asarray(_MALE_NAMES, dtype=object)[rng.integers(0, len(_MALE_NAMES), n)])
    initial = np.asarray(list("abcdefghijklmnopqrstuvwxyz"), dtype=object)[rng.integers(0, 26, n)]
    number = rng.integers(1, 1000, n).astype(str).astype(object)
    number[rng.random(n) < 0.3] = ""
    domain = np.asarray(_DOMAINS, dtype=object)[
        _pick(rng, np.array([[0.55, 0.2, 0.15, 0.1]]), np.zeros(n, dtype=np.int64))]
    email = first_name + "." + initial + number + "@" + domain

    lead = np.minimum(rng.exponential(params["signup_lead_days"].to_numpy()[seg]), _MAX_SIGNUP_LEAD_DAYS)
    lead = lead.astype(np.int64)
    signup_day = first_day - lead
    accepted = (rng.random((n, 3)) < _stack(params, "campaigns")[seg]).astype(np.int64)
    response = (rng.random(n) < params["response"].to_numpy()[seg]).astype(np.int64)

    # Planted flaws: impossible birth years, missing incomes, a couple of extreme incomes.
    n_flaws = max(2, n // 1500)
    birth_year[rng.choice(n, n_flaws, replace=False)] = np.resize([1890, 1893], n_flaws)
    income[rng.random(n) < 0.015] = np.nan
    income[rng.choice(n, n_flaws, replace=False)] = 999_999

    order = np.lexsort((rng.random(n), signup_day))
    customer_id = np.char.add("C", np.char.zfill(np.arange(1, n + 1).astype(str), 6))
    identity = np.arange(n)
    yes_no = ("no", "yes")
    frame = pd.DataFrame({
        "customer_id": _strings(customer_id, identity),
        "birth_year": birth_year[order],
        "gender": _strings(("F", "M"), gender[order]),
        "income": pd.array(income[order], dtype="Int64"),
        "kids_home": kids[order],
        "country": _strings(countries, country[order]),
        "region": _strings(all_regions, region[order]),
        "device": _strings(DEVICES, device[order]),
        "os": _strings(("macOS", "Windows", "iOS", "Android"), os_[order]),
        "interests": _strings(INTERESTS, interests[order]),
        "email": _strings(email[order], identity),
        "signup_date": (np.datetime64(t0.date(), "D") + signup_day[order]).astype("datetime64[ns]"),
        "accepted_cmp1": _strings(yes_no, accepted[order, 0]),
        "accepted_cmp2": _strings(yes_no, accepted[order, 1]),
        "accepted_cmp3": _strings(yes_no, accepted[order, 2]),
        "response": response[order],
        "cost_per_contact": np.full(n, _COST_PER_CONTACT, dtype=np.int64),
        "revenue_per_response": np.full(n, _REVENUE_PER_RESPONSE, dtype=np.int64),
    })
    return frame, order
