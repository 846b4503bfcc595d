"""Exercises of notebook 02: recency at the snapshot date, RFM scores and the named RFM
segments.

The notebook is ``notebooks/workshop/02_rfm.ipynb``; each answer function recomputes the
expected answer with segkit from the data the notebook passes to :func:`segkit.workshop.check`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from segkit.features import DEFAULT_RFM_SEGMENTS, rfm_scores
from segkit.workshop.exercise import Exercise, Mistake
from segkit.workshop.lessons._answers import clean_log, log_features

__all__ = ["EXERCISES"]


def _rfm(features: pd.DataFrame, segments: Any = None) -> pd.DataFrame:
    return rfm_scores(features, segments=segments)


def _strict_champions() -> pd.DataFrame:
    rules = DEFAULT_RFM_SEGMENTS.copy()
    rules.loc[rules["segment"] == "Champions", "m_min"] = 5
    return rules


def _recency_of(log: pd.DataFrame, customer: str) -> int:
    return int(log_features(log).loc[customer, "recency_days"])


def _last_purchase_gap(log: pd.DataFrame, customer: str, *, purchases_only: bool = True,
                       to_snapshot: bool = False) -> int:
    """Days from a customer's last line to the log's last day (or to the snapshot date)."""
    clean = clean_log(log)
    mine = clean[(clean["customer_id"] == customer) & ((clean["amount"] > 0) | (not purchases_only))]
    end = clean["date"].max().normalize() + pd.Timedelta(days=int(to_snapshot))
    return int((end - mine["date"].max().normalize()).days)


#: The notebook's exercises, in the order it asks them.
EXERCISES: tuple[Exercise, ...] = (
    Exercise(
        "02.recency",
        "For a customer who returned something after their last purchase: how many days before the "
        "snapshot date was their last purchase (recency, in calendar days)?",
        ("log", "customer"), _recency_of, kind="count",
        mistakes=(
            Mistake(_last_purchase_gap,
                    "One day short: recency counts to the snapshot date, the day after the last day of the log "
                    "(and counts calendar days, so subtract dates, not timestamps)."),
            Mistake(lambda log, customer: _last_purchase_gap(log, customer, purchases_only=False, to_snapshot=True),
                    "A return is not a purchase: the last purchase is the customer's last line with a positive amount."),
            Mistake(lambda log, customer: int(log_features(log).loc[customer, "tenure_days"]),
                    "That is the tenure, days since the first purchase; recency counts from the last one."),
        ),
    ),
    Exercise(
        "02.champions",
        "How many customers are Champions under the default RFM rules?",
        ("features",), lambda features: int((_rfm(features)["rfm_segment"] == "Champions").sum()), kind="count",
        mistakes=(
            Mistake(lambda features: int((_rfm(features)["r_score"] == 5).sum()),
                    "You counted every customer with r_score 5; Champions also need an f_score of 4 or 5."),
            Mistake(lambda features: int(((_rfm(features)["r_score"] == 5) & (_rfm(features)["f_score"] == 5)).sum()),
                    "You asked for f_score 5 only; the rule takes f_score 4 or 5 (see DEFAULT_RFM_SEGMENTS)."),
        ),
    ),
    Exercise(
        "02.champions_revenue",
        "What share of all revenue (monetary) comes from the Champions?",
        ("features",),
        lambda features: float(features["monetary"].groupby(_rfm(features)["rfm_segment"]).sum()["Champions"]
                               / features["monetary"].sum()),
        rtol=1e-3,
        mistakes=(Mistake(lambda features: float((_rfm(features)["rfm_segment"] == "Champions").mean()),
                          "That is their share of customers; weight each customer by their revenue (monetary)."),),
    ),
    Exercise(
        "02.rules",
        "Make the Champions rule stricter: they must also have m_score 5 (set m_min to 5 in a copy of "
        "DEFAULT_RFM_SEGMENTS). How many Champions are there then?",
        ("features",),
        lambda features: int((_rfm(features, _strict_champions())["rfm_segment"] == "Champions").sum()),
        kind="count",
        mistakes=(
            Mistake(lambda features: int((_rfm(features)["rfm_segment"] == "Champions").sum()),
                    "That is the count under the default rules: pass your edited table as rfm_scores(..., segments=rules)."),
            Mistake(lambda features: int(((_rfm(features)["rfm_segment"] == "Champions")
                                          & (_rfm(features)["m_score"] < 5)).sum()),
                    "Upside down: those are the default Champions who would lose the title."),
        ),
    ),
)
