"""Small tables in the shapes of real data, shared by the tests of several modules."""

from __future__ import annotations

import numpy as np
import pandas as pd


def crm_export(n_per_group: int = 60, seed: int = 6) -> pd.DataFrame:
    """A CRM export: web shoppers buy little, store customers more, phone customers most."""
    rng = np.random.default_rng(seed)
    groups = np.repeat([0, 1, 2], n_per_group)
    n = len(groups)
    return pd.DataFrame({
        "CustomerID": [f"C{1000 + i}" for i in range(n)],
        "Age": rng.normal(np.array([30, 45, 60])[groups], 4).round().astype(int),
        "Region": rng.choice(["North", "South", "East", "West"], n),
        "Channel": np.array(["web", "store", "phone"])[groups],
        "OrdersLastYear": rng.poisson(np.array([2, 6, 14])[groups]),
        "SpendLastYear": rng.gamma(4, np.array([30, 150, 500])[groups]).round(2),
        "Responded": (rng.random(n) < np.array([0.05, 0.15, 0.4])[groups]).astype(int),
    })


def two_segments(n: int = 40) -> pd.Series:
    """Labels of customers ``c0`` .. ``c{n-1}``: the first half in segment 0, the second in segment 1."""
    return pd.Series([0] * (n // 2) + [1] * (n // 2), index=pd.Index([f"c{i}" for i in range(n)], name="customer_id"),
                     name="segment")


AGREE = ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"]
AGREE_7 = ["Strongly disagree", "Disagree", "Somewhat disagree", "Neutral", "Somewhat agree", "Agree",
           "Strongly agree"]


def three_answers(seed, sizes=(300, 300, 200)):
    """Segments that differ only in one answer: Agree, Strongly agree, Strongly disagree; spend is noise."""
    rng = np.random.default_rng(seed)
    answer = np.repeat(["Agree", "Strongly agree", "Strongly disagree"], sizes)
    X = pd.DataFrame({"recommend": pd.Categorical(answer, categories=AGREE, ordered=True),
                      "spend": rng.normal(100.0, 20.0, len(answer))},
                     index=pd.Index([f"c{i}" for i in range(len(answer))], name="customer_id"))
    return X, np.repeat([0, 1, 2], sizes)


def seven_point(seed, n=300, questions=3, sd=0.8):
    """Three segments centred at Strongly disagree, Neutral and Strongly agree on a 7-point scale;
    each answer is the centre plus normal noise (sd in scale steps), rounded and clipped."""
    rng = np.random.default_rng(seed)
    truth = np.repeat([0, 1, 2], n)
    centre = np.array([0, 3, 6])[truth]
    X = pd.DataFrame({
        f"q{j}": pd.Categorical(np.array(AGREE_7)[np.clip(np.rint(centre + rng.normal(0, sd, len(truth))), 0, 6)
                                                   .astype(int)], categories=AGREE_7, ordered=True)
        for j in range(questions)})
    return X, truth


def unordered(X):
    """The same table with the ordered columns as plain text (what one-hot coding sees)."""
    return X.astype({c: object for c in X.columns if isinstance(X[c].dtype, pd.CategoricalDtype)})


def make_planted(k, seed, *, n=1500, n_signal=6, n_noise=2, min_gap=2.5):
    """Planted segments: imbalanced sizes (3:1), well separated, plus pure-noise columns.

    Centres are redrawn until every pair is at least ``min_gap`` apart *after* standardising
    (what the segmenter sees), i.e. ``min_gap`` standard deviations of the noise columns, so the
    planted partition is the best-supported one and not an accident of the draw.
    """
    rng = np.random.default_rng(seed)
    shares = rng.permutation(np.linspace(1.0, 3.0, k))
    sizes = np.round(shares / shares.sum() * n).astype(int)
    while True:
        centers = rng.uniform(-6, 6, size=(k, n_signal))
        spread = np.sqrt(centers.var(axis=0) + 1.0)  # column sd: between + within (sd 1)
        scaled = centers / spread
        gaps = np.linalg.norm(scaled[:, None] - scaled[None], axis=2)
        if gaps[np.triu_indices(k, 1)].min() >= min_gap:
            break
    X = np.vstack([rng.normal(centers[i], 1.0, size=(sizes[i], n_signal)) for i in range(k)])
    y = np.repeat(np.arange(k), sizes)
    X = np.hstack([X, rng.normal(0.0, 1.0, size=(len(X), n_noise))])
    order = rng.permutation(len(X))
    return X[order], y[order]


def make_log(rows, columns=("customer_id", "date", "amount", "invoice")) -> pd.DataFrame:
    """A standardised purchase log from tuples (string ids and invoices, parsed dates)."""
    frame = pd.DataFrame(rows, columns=list(columns))
    frame["customer_id"] = frame["customer_id"].astype("string")
    frame["date"] = pd.to_datetime(frame["date"])
    frame["amount"] = frame["amount"].astype("float64")
    for col in ("invoice", "country", "channel", "category"):
        if col in frame:
            frame[col] = frame[col].astype("string")
    return frame


def breakdown(counts: dict[int, dict[str, int]], column: str) -> tuple[pd.DataFrame, pd.Series]:
    """Customers whose ``column`` levels per segment have exactly the given counts."""
    segments, levels = [], []
    for segment, per_level in counts.items():
        for level, n in per_level.items():
            segments += [segment] * n
            levels += [level] * n
    idx = pd.Index([f"c{i:04d}" for i in range(len(levels))], name="customer_id")
    spend = np.resize([10.0, 20.0, 30.0], len(levels))
    features = pd.DataFrame({"spend": spend, column: levels}, index=idx)
    return features, pd.Series(segments, index=idx, name="segment")


def customer_ids(n: int, start: int = 0) -> list[str]:
    return [f"c{i:05d}" for i in range(start, start + n)]


def customer_index(n, prefix="c"):
    return pd.Index([f"{prefix}{i:04d}" for i in range(n)], name="customer_id")


#: The quirks :func:`raw_purchase_log` can plant, each a shape of real purchase logs.
LOG_SHAPES = ("plain", "cancellations", "returns_by_type", "duplicates", "missing_ids", "zero_and_negative_prices",
              "adjustments", "amount_only", "refunds", "shares")


def raw_purchase_log(shape: str, seed: int = 0, n: int = 3000, customers: int = 250) -> pd.DataFrame:
    """A raw purchase log (as a file holds it) with one quirk of :data:`LOG_SHAPES` planted often,
    spread over the whole log so that every chunk of a log read in chunks has some."""
    rng = np.random.default_rng(seed)
    invoices = rng.integers(500_000, 500_000 + n // 3, n)
    log = pd.DataFrame({
        "InvoiceNo": invoices.astype(str),
        "CustomerID": rng.integers(10_000, 10_000 + customers, n).astype(str),
        "InvoiceDate": (pd.Timestamp("2011-01-03") + pd.to_timedelta(rng.integers(0, 330 * 24, n), unit="h"))
        .strftime("%Y-%m-%d %H:%M"),
        "Quantity": rng.integers(1, 12, n),
        "UnitPrice": rng.choice([0.85, 1.25, 2.1, 4.95, 12.5], n),
    })
    every = slice(None, None, 17)
    if shape == "cancellations":
        log.loc[every, "InvoiceNo"] = "C" + log.loc[every, "InvoiceNo"]
        log.loc[every, "Quantity"] *= -1
    elif shape == "returns_by_type":
        log["Type"] = np.where(np.arange(n) % 13 == 0, "refund", "sale")
    elif shape == "duplicates":
        log = pd.concat([log, log.sample(n // 10, random_state=seed)]).sample(frac=1, random_state=seed)
    elif shape == "missing_ids":
        log.loc[every, "CustomerID"] = None
    elif shape == "zero_and_negative_prices":
        log.loc[every, "UnitPrice"] = 0.0
        log.loc[log.index[5::23], "UnitPrice"] = -11.5
    elif shape == "adjustments":
        log.loc[every, "InvoiceNo"] = "A" + log.loc[every, "InvoiceNo"]
    elif shape == "amount_only":
        log["Sales"] = (log.pop("Quantity") * log.pop("UnitPrice")).round(2)
        log.loc[every, "Sales"] = 0.0
        log.loc[log.index[3::29], "Sales"] = -5.0
    elif shape == "refunds":
        log["Amount Refunded"] = np.where(np.arange(n) % 11 == 0, 3.0, 0.0)
    elif shape == "shares":
        log["Country"] = rng.choice(["United Kingdom", "France", "Germany", "EIRE", "Spain", "Norway", None], n)
        log["Channel"] = rng.choice(["web", "store", "phone"], n)
    return log.reset_index(drop=True)


#: The shapes of column :func:`wide_table` repeats, as its column names begin.
WIDE_SHAPES = ("reading", "whole", "signed", "flag", "yesno", "code", "rating", "date", "sparse", "constant",
               "infinite", "zero_signs", "bands", "serial")


def wide_table(rows: int = 120, per_shape: int = 3, seed: int = 0) -> pd.DataFrame:
    """A wide customer table whose columns come in several shapes (:data:`WIDE_SHAPES`), each
    ``per_shape`` times, interleaved, as a CSV reader types them: measurements with decimals,
    whole numbers with many values, negative readings, 0/1 flags, yes/no text, codes, 1-5 ratings,
    dates, mostly missing readings, constants, readings with an infinity, readings mixing -0.0 and
    0.0 with NaN, text bands, and row serials; first an id column."""
    rng = np.random.default_rng(seed)
    make = {
        "reading": lambda: rng.normal(50, 10, rows).round(3),
        "whole": lambda: rng.integers(0, 10_000, rows).astype(float),
        "signed": lambda: rng.normal(0, 1, rows).round(2),
        "flag": lambda: rng.integers(0, 2, rows),
        "yesno": lambda: rng.choice(["yes", "no"], rows).astype(object),
        "code": lambda: rng.choice(["A1", "B2", "C3", "D4"], rows).astype(object),
        "rating": lambda: rng.integers(1, 6, rows),
        "date": lambda: pd.Series(pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 700, rows), "D"))
        .dt.strftime("%Y-%m-%d").to_numpy(dtype=object),
        "sparse": lambda: np.where(rng.random(rows) < 0.9, np.nan, rng.normal(size=rows).round(2)),
        "constant": lambda: np.full(rows, 4.5),
        "infinite": lambda: np.where(np.arange(rows) == rows // 3, np.inf, rng.normal(size=rows).round(2)),
        "zero_signs": lambda: np.where(rng.random(rows) < 0.3, rng.choice([-0.0, 0.0, np.nan], rows),
                                       rng.normal(size=rows).round(2)),
        "bands": lambda: rng.choice(["18-24", "25-34", "35-44", "45+"], rows).astype(object),
        "serial": lambda: np.arange(rows, dtype=float) + 1000.0,
    }
    columns = {"customer_id": [f"C{i:05d}" for i in range(rows)]}
    for i in range(per_shape):
        for shape in WIDE_SHAPES:
            columns[f"{shape}_{i}"] = make[shape]()
    return pd.DataFrame(columns)


def every_figure(scale: float = 1.0) -> dict:
    """Every figure of :mod:`segkit.plots` with its inputs, by name: a function drawing it (into a
    new figure, or into ``ax=``). ``scale`` multiplies the numeric values drawn."""
    from segkit import plots
    from segkit.monitor import migration_matrix
    from segkit.profile import profile_segments

    rng = np.random.default_rng(3)
    idx = pd.Index(customer_ids(300), name="customer_id")
    labels = pd.Series(np.repeat([0, 1, 2], 100), index=idx, name="segment")
    names = {0: "Bargain hunters", 1: "Regulars", 2: "Big spenders"}
    frame = pd.DataFrame({"spend": rng.lognormal(3, 1, 300) * scale,
                          "channel": rng.choice(["web", "store", "app"], 300)}, index=idx)
    profile = profile_segments(frame, labels)
    rfm = pd.DataFrame({"r_score": rng.integers(1, 6, 300), "f_score": rng.integers(1, 6, 300),
                        "rfm_segment": rng.choice(["Champions", "Lost", "At Risk"], 300)}, index=idx)
    targeting = pd.DataFrame({"segment": [0, 1, 2], "name": list(names.values()), "response_rate": [0.1, 0.2, 0.3],
                              "rate_low": [0.05, 0.15, 0.25], "rate_high": [0.15, 0.25, 0.35]})
    attractiveness = pd.DataFrame({"size_points": [10.0, 20, 30], "value_points": [5.0, 15, 25],
                                   "score": [15.0, 35, 55]})
    tracking = pd.DataFrame({"actual": np.arange(30.0) * scale, "predicted": np.where(np.arange(30) % 7, np.nan,
                                                                                     np.arange(30.0) * scale)})
    k_table = pd.DataFrame({"silhouette": [0.3, 0.5, 0.4], "davies_bouldin": [1.2, 0.9, 1.0]}, index=[2, 3, 4])
    return {
        "sizes": lambda **kw: plots.plot_segment_sizes(profile.summary, names=names, **kw),
        "k selection": lambda **kw: plots.plot_k_selection(k_table, chosen=3, **kw),
        "stability": lambda **kw: plots.plot_stability({0: 0.9, 1: 0.5, 2: 0.8}, names=names, **kw),
        "segment map": lambda **kw: plots.plot_segment_map(rng.normal(size=(300, 3)) * scale, labels, **kw),
        "lift heatmap": lambda **kw: plots.plot_lift_heatmap(profile.lift[["spend"]], names=names, **kw),
        "snake plot": lambda **kw: plots.plot_profile_lines(frame[["spend"]].groupby(labels).mean().assign(
            other=[1.0 * scale, 2.0, 3.0]), names=names, **kw),
        "rfm grid": lambda **kw: plots.plot_rfm_grid(rfm, **kw),
        "migration": lambda **kw: plots.plot_migration(migration_matrix(labels, labels.sample(frac=1, random_state=0)
                                                                        .set_axis(labels.index)), **kw),
        "rfm segments": lambda **kw: plots.plot_rfm_segments(rfm["rfm_segment"], **kw),
        "response rates": lambda **kw: plots.plot_response_rates(targeting, break_even=0.2, **kw),
        "category breakdown": lambda **kw: plots.plot_category_breakdown(profile.breakdowns, "channel", **kw),
        "box plots": lambda **kw: plots.plot_feature_by_segment(frame, "spend", labels, names=names, **kw),
        "attractiveness": lambda **kw: plots.plot_attractiveness(attractiveness, names=names, **kw),
        "holdout tracking": lambda **kw: plots.plot_holdout_tracking(tracking, **kw),
    }
