"""Tests for segkit.value.periods: the summaries of the whole log, a calibration period and its holdout."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from segkit.exceptions import ColumnError, DataError
from segkit.value import rfm_summary
from segkit.value.periods import period_summaries


@pytest.fixture
def log():
    return pd.DataFrame({
        "customer_id": pd.array(["a", "a", "a", "a", "b", "b", "c", "d", None], dtype="string"),
        "date": pd.to_datetime(["2024-01-01 09:00", "2024-01-01 17:00", "2024-01-15", "2024-02-12",
                                "2024-01-29", "2024-02-20", "2024-02-10", "2024-01-03", "2024-01-05"], format="ISO8601"),
        "amount": [10.0, 5.0, 20.0, 30.0, 8.0, -8.0, 12.0, 7.0, 99.0],
    })


def test_purchase_days_calibration_and_holdout(log):
    s = period_summaries(log, calibration_end="2024-01-31", observation_end="2024-02-25")
    assert s.ids.tolist() == ["a", "b", "c", "d"]
    # a: two lines on Jan 1 are one purchase; Jan 15 in calibration; Feb 12 in the holdout
    assert s.x.tolist() == [2.0, 0.0, 0.0, 0.0]
    assert s.x_cal.tolist() == [1.0, 0.0, 0.0, 0.0]
    assert s.x_holdout.tolist() == [1.0, 0.0, 0.0, 0.0]  # b's Feb 20 is a return only, not a purchase
    assert s.in_cohort.tolist() == [True, True, False, True]  # c first bought in the holdout
    assert s.T.tolist() == pytest.approx(np.array([55, 27, 15, 53]) / 7)
    assert s.T_cal.tolist() == pytest.approx(np.array([30, 2, 0, 28]) / 7)
    assert s.m.tolist() == [25.0, 0.0, 0.0, 0.0] and s.m_cal.tolist() == [20.0, 0.0, 0.0, 0.0]
    assert s.holdout_days == 25 and s.holdout_by_day.sum() == 1 and s.holdout_by_day[11] == 1  # Feb 12: day 12


def test_labels_choose_and_order_the_customers(log):
    labels = pd.Series([1, 0, 2], index=["d", "a", "zz"], name="segment")
    s = period_summaries(log, calibration_end="2024-01-31", observation_end="2024-02-25", labels=labels)
    assert s.ids.tolist() == ["d", "a"] and s.segment.tolist() == [1, 0]


@pytest.mark.parametrize("seed", [0, 1, 2], ids=["log-a", "log-b", "log-c"])
def test_agrees_with_rfm_summary_on_generated_logs(seed):
    """Whole log and calibration period, on random logs with several lines a day."""
    rng = np.random.default_rng(seed)
    n = 3000
    log = pd.DataFrame({"customer_id": rng.integers(0, 300, n).astype(str),
                        "date": pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 400 * 24, n), "h"),
                        "amount": rng.gamma(2.0, 20.0, n)})
    end, cal = pd.Timestamp("2024-02-04"), pd.Timestamp("2023-10-01")
    s = period_summaries(log, calibration_end=cal, observation_end=end)
    for which, frame in (("full", rfm_summary(log, observation_end=end, freq="W")),
                         ("calibration", rfm_summary(log, observation_end=cal, freq="W"))):
        ours = s.frame(which)
        # amounts are summed to a millionth (exactly, whatever the order of the sum)
        pd.testing.assert_frame_equal(ours, frame.loc[ours.index], check_names=False, rtol=1e-6)
        assert len(ours) == len(frame)


def test_the_same_log_gives_the_same_sums_whatever_its_order(log):
    rng = np.random.default_rng(0)
    n = 20_000
    big = pd.DataFrame({"customer_id": rng.integers(0, 50, n).astype(str),
                        "date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 60, n), "D"),
                        "amount": rng.gamma(2.0, 20.0, n) / 3})
    one = period_summaries(big, calibration_end="2024-02-01", observation_end="2024-03-01")
    two = period_summaries(big.sample(frac=1.0, random_state=1), calibration_end="2024-02-01",
                           observation_end="2024-03-01")
    assert one.m.tobytes() == two.m.tobytes() and one.revenue.tobytes() == two.revenue.tobytes()


def test_bad_inputs_name_what_is_wrong(log):
    with pytest.raises(ColumnError, match="amount"):
        period_summaries(log.drop(columns="amount"), calibration_end="2024-01-31", observation_end="2024-02-25")
    with pytest.raises(DataError, match="calibration_end 2024-03-01 is after observation_end"):
        period_summaries(log, calibration_end="2024-03-01", observation_end="2024-02-25")


def test_a_log_on_disk_is_summarised_as_the_log_in_memory():
    from segkit.io import PurchaseLogWriter

    rng = np.random.default_rng(4)
    n = 3000
    log = pd.DataFrame({"customer_id": pd.array([f"c{i}" for i in rng.integers(0, 300, n)], dtype="string"),
                        "date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D"),
                        "amount": rng.gamma(2, 20, n).round(2) * rng.choice([1, 1, 1, -1], n)})
    writer = PurchaseLogWriter("log.csv", buckets=4)
    for start in range(0, n, 700):
        writer.write(log.iloc[start:start + 700])
    stored = writer.close()
    labels = pd.Series(rng.integers(0, 3, 300), index=pd.Index([f"c{i}" for i in range(300)], name="customer_id"))
    for given in (None, labels):
        a = period_summaries(log, calibration_end="2024-09-30", observation_end="2024-12-30", labels=given)
        b = period_summaries(stored, calibration_end="2024-09-30", observation_end="2024-12-30", labels=given)
        for name in ("ids", "x", "tx", "T", "m", "x_cal", "T_cal", "x_holdout", "revenue_holdout", "holdout_by_day"):
            np.testing.assert_array_equal(getattr(a, name), getattr(b, name))


def _arrays(s):
    return {k: getattr(s, k) for k in ("x", "tx", "T", "m", "revenue", "in_cohort", "x_cal", "tx_cal", "T_cal",
                                       "m_cal", "x_holdout", "revenue_holdout", "holdout_by_day")}


def _random_log(seed: int, n: int = 5000, customers: int = 400, scale: float = 20.0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"customer_id": pd.array([f"c{i}" for i in rng.integers(0, customers, n)], dtype="string"),
                         "date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 300 * 24, n), "h"),
                         "amount": rng.gamma(2.0, scale, n) * rng.choice([1, 1, 1, -1], n) / 3})


@pytest.mark.parametrize("which", ["all-customers-shuffled", "a-few-customers", "labels-with-unknown-ids"])
def test_labels_order_the_customers_as_sorting_would(which):
    """Customers come in the order of the labels, whatever that is; ids not in the log are left out."""
    log = _random_log(5)
    whole = period_summaries(log, calibration_end="2024-07-01", observation_end="2024-10-27")
    rng = np.random.default_rng(0)
    ids = rng.permutation(whole.ids)
    if which == "a-few-customers":
        ids = ids[:7]
    elif which == "labels-with-unknown-ids":
        ids = np.concatenate([["nobody", "zz"], ids[:50], ["c-none"]])
    labels = pd.Series(np.arange(len(ids)) % 3, index=ids, name="segment")
    s = period_summaries(log, calibration_end="2024-07-01", observation_end="2024-10-27", labels=labels)
    known = [i for i in ids if i in set(whole.ids)]
    assert s.ids.tolist() == known and s.segment.tolist() == labels[known].tolist()
    at = pd.Index(whole.ids).get_indexer(known)
    for name, values in _arrays(s).items():
        if name != "holdout_by_day":  # per day, not per customer
            assert values.tobytes() == _arrays(whole)[name][at].tobytes(), name


@pytest.mark.parametrize("kind", ["plain", "masked", "read-only"])
def test_every_kind_of_column_comes_in_label_order(kind):
    """Plain columns are put in order where they are; a masked or read-only one is copied in order."""
    from segkit.value.periods import _in_label_order

    rng = np.random.default_rng(1)
    pos = rng.permutation(40)[:25]
    values = rng.normal(size=25)
    column = {"plain": values.copy(), "masked": np.ma.masked_array(values, mask=values < 0),
              "read-only": values.copy()}[kind]
    if kind == "read-only":
        column.flags.writeable = False
    rows = _in_label_order({"pos": pos.copy(), "v": column, "n": np.arange(25)}, 40)
    order = np.argsort(pos)
    assert rows["pos"].tolist() == sorted(pos) and rows["n"].tolist() == order.tolist()
    expected = np.ma.masked_array(values, mask=values < 0)[order] if kind == "masked" else values[order]
    assert rows["v"].tolist() == expected.tolist()  # a masked value stays masked (None)


@pytest.mark.parametrize("scale", [20.0, 3e9], ids=["shop-amounts", "amounts-near-the-64-bit-limit"])
def test_64_bit_decimals_give_the_sums_of_128_bit_ones(monkeypatch, scale):
    """Amounts under SMALL_EXACT_AMOUNT are cast to DECIMAL(18, 6): the same sums, bit for bit."""
    import segkit.value.periods as periods

    log = _random_log(6, scale=scale)
    small = period_summaries(log, calibration_end="2024-07-01", observation_end="2024-10-27")
    monkeypatch.setattr(periods, "SMALL_EXACT_AMOUNT", 0.0)  # every log takes DECIMAL(38, 6)
    wide = period_summaries(log, calibration_end="2024-07-01", observation_end="2024-10-27")
    for name, values in _arrays(small).items():
        assert values.tobytes() == _arrays(wide)[name].tobytes(), name


def test_amounts_too_large_for_64_bit_decimals_are_summed_exactly():
    log = pd.DataFrame({"customer_id": ["a", "a", "a"], "date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-03-01"]),
                        "amount": [3e15, 0.25, 2e15]})
    s = period_summaries(log, calibration_end="2024-02-01", observation_end="2024-03-31")
    assert s.revenue.tolist() == [5e15 + 0.25] and s.m.tolist() == [2e15]


def test_days_summing_past_the_64_bit_limit_are_summed_exactly():
    """Every line fits a 64-bit decimal, a day's sum does not: the days keep 128 bits."""
    day = pd.to_datetime(["2024-01-01"] * 3 + ["2024-03-01"] * 3 + ["2024-03-20"])
    log = pd.DataFrame({"customer_id": ["a"] * 7, "date": day,
                        "amount": [6e11, 6e11, 6e11 + 0.125, 7e11, 7e11, 0.5, 1.0]})
    s = period_summaries(log, calibration_end="2024-02-01", observation_end="2024-03-31")
    assert s.revenue.tolist() == [3.2e12 + 1.625] and s.m.tolist() == [(1.4e12 + 1.5) / 2]
    assert s.revenue_holdout.tolist() == [1.4e12 + 1.5]


def test_the_summaries_do_not_depend_on_duckdbs_threads(monkeypatch):
    import segkit.value.periods as periods

    log = _random_log(7, n=20_000, customers=2000)
    labels = pd.Series(0, index=np.random.default_rng(1).permutation(log["customer_id"].unique().astype(str)))
    monkeypatch.setattr(periods, "SUMMARY_THREADS", 1)
    one = period_summaries(log, calibration_end="2024-07-01", observation_end="2024-10-27", labels=labels)
    monkeypatch.setattr(periods, "SUMMARY_THREADS", 2)
    two = period_summaries(log, calibration_end="2024-07-01", observation_end="2024-10-27", labels=labels)
    assert one.ids.tolist() == two.ids.tolist()
    for name, values in _arrays(one).items():
        assert values.tobytes() == _arrays(two)[name].tobytes(), name


@pytest.mark.parametrize("dtype", ["string[pyarrow]", "string[python]", "object", "int64"],
                         ids=["arrow-text-ids", "python-text-ids", "object-ids", "numeric-ids"])
def test_labels_ids_of_any_type_give_the_same_summaries_as_text(dtype):
    # the ids are handed to DuckDB and kept as Arrow text, never as millions of Python strings
    log = pd.DataFrame({"customer_id": pd.array(["17", "17", "5", "9"], dtype="string"),
                        "date": pd.to_datetime(["2024-01-01", "2024-01-20", "2024-01-03", "2024-02-02"]),
                        "amount": [10.0, 5.0, 7.0, 3.0]})
    labels = pd.Series([0, 1, 0], index=pd.Index(["9", "17", "5"]).astype(dtype), name="segment")
    s = period_summaries(log, calibration_end="2024-01-25", observation_end="2024-02-10", labels=labels)
    assert s.ids.tolist() == ["9", "17", "5"] and s.ids.dtype == pd.StringDtype("pyarrow")
    assert s.segment.tolist() == [0, 1, 0]
    assert s.x.tolist() == [0.0, 1.0, 0.0] and s.in_cohort.tolist() == [False, True, True]
    assert s.frame().index.tolist() == ["9", "17", "5"]


# -- the summaries against their definition, on generated logs -------------------------------------
_START, _CAL_DAY, _END_DAY = pd.Timestamp("2024-03-01"), 30, 50


def _defined_summaries(log: pd.DataFrame, cal: pd.Timestamp, end: pd.Timestamp) -> dict[str, list]:
    """The summaries as docs/value.md defines them, counted line by line in Python with exact
    fractions: a purchase day is a customer's day whose lines sum to more than 0; lines without
    customer, date or a finite amount, or after ``end``, are left out."""
    from fractions import Fraction

    days: dict[str, dict[pd.Timestamp, Fraction]] = {}
    for cid, when, amount in zip(log["customer_id"], log["date"], log["amount"]):
        if pd.isna(cid) or pd.isna(when) or pd.isna(amount) or not np.isfinite(amount) or when.normalize() > end:
            continue
        micros = Fraction(round(Fraction(amount) * 10**6), 10**6)  # DuckDB's cast to 6 decimals
        day = when.normalize()
        days.setdefault(str(cid), {})
        days[str(cid)][day] = days[str(cid)].get(day, Fraction(0)) + micros
    out: dict[str, list] = {k: [] for k in ("ids", *_arrays_names())}
    by_day = np.zeros((end - cal).days)
    for cid in sorted(days):
        bought = sorted((d, a) for d, a in days[cid].items() if a > 0)
        if not bought:
            continue
        first, last = bought[0][0], bought[-1][0]
        calib = [(d, a) for d, a in bought if d <= cal]
        hold = [(d, a) for d, a in bought if d > cal]
        x, x_cal, revenue, revenue_cal = len(bought) - 1, max(len(calib) - 1, 0), sum(a for _, a in bought), sum(a for _, a in calib)
        first_amount = float(bought[0][1])
        in_cohort = bool(calib)
        row = {
            "ids": cid, "x": float(x), "tx": (last - first).days / 7.0, "T": (end - first).days / 7.0,
            "m": (float(revenue) - first_amount) / x if x else 0.0, "revenue": float(revenue), "in_cohort": in_cohort,
            "x_cal": float(x_cal), "tx_cal": (calib[-1][0] - first).days / 7.0 if calib else 0.0,
            "T_cal": (cal - first).days / 7.0 if calib else 0.0,
            "m_cal": (float(revenue_cal) - first_amount) / x_cal if x_cal else 0.0,
            "x_holdout": float(len(hold)) if in_cohort else 0.0,
            "revenue_holdout": float(sum(a for _, a in hold)) if in_cohort else 0.0,
        }
        for name, value in row.items():
            out[name].append(value)
        if in_cohort:
            for d, _ in hold:
                by_day[(d - cal).days - 1] += 1
    out["holdout_by_day"] = by_day
    return out


def _arrays_names() -> tuple[str, ...]:
    return ("x", "tx", "T", "m", "revenue", "in_cohort", "x_cal", "tx_cal", "T_cal", "m_cal", "x_holdout",
            "revenue_holdout")


@st.composite
def _purchase_logs(draw):
    """Logs of a few customers over 60 days: several lines on a day, returns (a day of returns only,
    a day netted to 0), one-purchase customers, customers who first buy in the holdout, lines after
    the end of observation, lines without customer, date or amount, and an invoice column that is
    sometimes missing (the summaries never read it)."""
    n = draw(st.integers(1, 40))
    customers = st.one_of(st.sampled_from(["a", "b", "c", "d", "e10", "e9"]), st.none())
    cents = st.one_of(st.integers(-5_000, 20_000), st.just(0), st.sampled_from([1e-7, 0.3 - 0.1, np.nan, np.inf]))
    rows = draw(st.lists(st.tuples(customers, st.integers(0, 60), st.integers(0, 23), cents,
                                   st.one_of(st.none(), st.sampled_from(["I1", "I2", "C3"])),
                                   st.booleans()), min_size=n, max_size=n))
    return pd.DataFrame({
        "customer_id": pd.array([r[0] for r in rows], dtype="string"),
        "date": [pd.NaT if r[5] and r[1] == 7 else _START + pd.Timedelta(days=r[1], hours=r[2]) for r in rows],
        "amount": [float(r[3]) / 100 if isinstance(r[3], int) else float(r[3]) for r in rows],
        "invoice": [r[4] for r in rows],
    })


@settings(max_examples=80, deadline=None)
@given(log=_purchase_logs())
def test_the_summaries_are_their_definition_on_generated_logs(log):
    """Every summary equals its definition counted line by line (bit for bit, the sums exact)."""
    cal, end = _START + pd.Timedelta(days=_CAL_DAY), _START + pd.Timedelta(days=_END_DAY)
    expected = _defined_summaries(log, cal, end)
    s = period_summaries(log, calibration_end=cal, observation_end=end)
    assert s.ids.tolist() == expected["ids"]
    for name in (*_arrays_names(), "holdout_by_day"):
        got = getattr(s, name)
        assert np.asarray(got, dtype=float).tobytes() == np.asarray(expected[name], dtype=float).tobytes(), name
