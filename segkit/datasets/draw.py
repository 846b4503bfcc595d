"""Drawing the demo: customers and their purchases, from the planted segments, with numpy.

Everything is drawn from the one generator :func:`segkit.datasets.make_demo` passes in, in
a fixed order, so the same seed gives the same data; a change of order here changes every
demo (and the golden report files).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from segkit.datasets.planted import (
    CATEGORIES,
    CHANNELS,
    COST_PER_CONTACT,
    COUNTRIES,
    DEVICES,
    EMAIL_DOMAINS,
    EXTRA_UNITS,
    FEMALE_NAMES,
    INTERESTS,
    MALE_NAMES,
    MAX_SIGNUP_LEAD_DAYS,
    MIX_CONCENTRATION,
    NB_SHAPE,
    OPENING_HOURS,
    PRICE_MEDIAN,
    REVENUE_PER_RESPONSE,
)

__all__ = ["customer_table", "purchase_log", "transaction_frame"]


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


def purchase_log(rng, params, seg, *, n_real, n_days):
    """Orders, lines and credit notes as flat numpy arrays (no frames yet).

    Orders are numbered customer by customer, lines order by order and credit notes after
    all orders, so every line array is grouped by its order or credit note (``line_event``
    is sorted). ``seg`` is the planted segment of each customer, guests (the customers from
    ``n_real`` on) included; ``params`` is :data:`~segkit.datasets.planted.SEGMENTS` as a frame.

    Examples
    --------
    >>> from segkit.datasets.planted import SEGMENTS
    >>> log = purchase_log(np.random.default_rng(0), pd.DataFrame(SEGMENTS), np.array([0, 4, 4]),
    ...                    n_real=2, n_days=365)
    >>> len(log["first_day"]), bool(np.all(np.diff(log["line_event"]) >= 0))
    (2, True)
    """
    n_all = len(seg)
    # How many orders, and when: uniform within each customer's activity window.
    extra = params["extra_orders"].to_numpy()[seg]
    n_orders = params["min_orders"].to_numpy()[seg] \
        + rng.negative_binomial(NB_SHAPE, NB_SHAPE / (NB_SHAPE + extra))
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
    chan_p = _dirichlet_rows(rng, _stack(params, "channels")[seg], MIX_CONCENTRATION)
    cat_p = _dirichlet_rows(rng, _stack(params, "categories")[seg], MIX_CONCENTRATION)
    channel = _pick(rng, chan_p, cust)
    hours = OPENING_HOURS[channel]
    minute = rng.integers(hours[:, 0] * 60, (hours[:, 1] + 1) * 60)
    order_ts = day * 86_400 + minute * 60

    # Lines of each order.
    n_lines = 1 + rng.poisson(params["lines_mean"].to_numpy()[seg][cust])
    line_order = np.repeat(np.arange(len(cust)), n_lines)
    line_seg = seg[cust][line_order]
    category = _pick(rng, cat_p, cust[line_order])
    quantity = 1 + rng.poisson(EXTRA_UNITS[category] * params["units_factor"].to_numpy()[line_seg])
    raw_price = PRICE_MEDIAN[category] * params["price_factor"].to_numpy()[line_seg] \
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


def transaction_frame(rng, log, customer_ids, row_of, t0):
    """Purchase-log frame in time order, with a few exact duplicate lines planted.

    Invoice numbers follow time: orders and credit notes are numbered together in the
    order they happened, credit notes get a ``'C'`` prefix. ``log`` is :func:`purchase_log`'s
    result, ``row_of`` the row in ``customer_ids`` of each customer drawn (-1 for guests).

    Examples
    --------
    >>> from segkit.datasets.planted import SEGMENTS
    >>> rng = np.random.default_rng(0)
    >>> log = purchase_log(rng, pd.DataFrame(SEGMENTS), np.array([1, 1]), n_real=2, n_days=90)
    >>> frame = transaction_frame(rng, log, pd.Series(["C1", "C2"]), np.array([0, 1]), pd.Timestamp("2024-01-01"))
    >>> frame.columns.tolist()
    ['invoice', 'order_date', 'customer_id', 'product_category', 'channel', 'quantity', 'unit_price']
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


def _emails(rng: np.random.Generator, female: np.ndarray) -> np.ndarray:
    """Made-up email addresses (``first.initial<number>@example...``), one per customer."""
    n = len(female)
    first_name = np.where(female,
                          np.asarray(FEMALE_NAMES, dtype=object)[rng.integers(0, len(FEMALE_NAMES), n)],
                          np.asarray(MALE_NAMES, dtype=object)[rng.integers(0, len(MALE_NAMES), n)])
    initial = np.asarray(list("abcdefghijklmnopqrstuvwxyz"), dtype=object)[rng.integers(0, 26, n)]
    number = rng.integers(1, 1000, n).astype(str).astype(object)
    number[rng.random(n) < 0.3] = ""
    domain = np.asarray(EMAIL_DOMAINS, dtype=object)[
        _pick(rng, np.array([[0.55, 0.2, 0.15, 0.1]]), np.zeros(n, dtype=np.int64))]
    return first_name + "." + initial + number + "@" + domain


def customer_table(rng, params, seg, first_day, t0):
    """Customer frame (rows in signup order) and the signup order of the input customers.

    Examples
    --------
    >>> from segkit.datasets.planted import SEGMENTS
    >>> frame, order = customer_table(np.random.default_rng(0), pd.DataFrame(SEGMENTS), np.array([0, 2, 4]),
    ...                               np.array([10, 0, 5]), pd.Timestamp("2024-01-01"))
    >>> frame["customer_id"].tolist(), sorted(order.tolist())
    (['C000001', 'C000002', 'C000003'], [0, 1, 2])
    """
    n = len(seg)
    age = rng.normal(params["age_mean"].to_numpy()[seg], params["age_sd"].to_numpy()[seg])
    birth_year = t0.year + 1 - np.clip(np.round(age), 18, 90).astype(np.int64)

    female = rng.random(n) < params["female"].to_numpy()[seg]
    gender = np.where(female, 0, 1)
    gender[rng.random(n) < 0.01] = -1

    income = np.round(params["income_median"].to_numpy()[seg]
                      * rng.lognormal(0.0, params["income_sigma"].to_numpy()[seg]), -2)
    kids = _pick(rng, _stack(params, "kids"), seg)

    countries = list(COUNTRIES)
    all_regions = [r for c in countries for r in COUNTRIES[c][1]]
    country = _pick(rng, np.array([[COUNTRIES[c][0] for c in countries]]), np.zeros(n, dtype=np.int64))
    n_regions = np.array([len(COUNTRIES[c][1]) for c in countries])
    first_region = np.cumsum(n_regions) - n_regions
    region = first_region[country] + (rng.random(n) * n_regions[country]).astype(np.int64)

    device = _pick(rng, _stack(params, "devices"), seg)
    apple = rng.random(n) < params["apple"].to_numpy()[seg]
    os_ = np.where(device == 1, np.where(apple, 0, 1), np.where(apple, 2, 3))
    interests = _pick(rng, _stack(params, "interests"), seg)

    email = _emails(rng, female)

    lead = np.minimum(rng.exponential(params["signup_lead_days"].to_numpy()[seg]), MAX_SIGNUP_LEAD_DAYS)
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
        "cost_per_contact": np.full(n, COST_PER_CONTACT, dtype=np.int64),
        "revenue_per_response": np.full(n, REVENUE_PER_RESPONSE, dtype=np.int64),
    })
    return frame, order
