"""Exercises of notebook 01: orders, returns and impossible values in the demo's raw data.

The notebook is ``notebooks/workshop/01_data_and_cleaning.ipynb``; each answer function
recomputes the expected answer with segkit from the data the notebook passes to
:func:`segkit.workshop.check`.
"""

from __future__ import annotations

import pandas as pd

from segkit.workshop.exercise import Exercise, Mistake
from segkit.workshop.lessons._answers import clean_log, log_features, raw_quality

__all__ = ["EXERCISES"]

_ORDERS_NOT_LINES = "You counted lines, not orders: an order (one invoice) has several lines; count distinct invoices."


def _gross(log: pd.DataFrame) -> float:
    clean = clean_log(log)
    return float(clean.loc[clean["amount"] > 0, "amount"].sum())


def _returned(log: pd.DataFrame) -> float:
    clean = clean_log(log)
    return -float(clean.loc[clean["amount"] < 0, "amount"].sum())


def _raw_returned_share(log: pd.DataFrame) -> float:
    """The returned share computed on the log before cleaning (the mistake the exercise warns about)."""
    amount = log["amount"]
    return -float(amount[amount < 0].sum()) / float(amount[amount > 0].sum())


def _credit_note(invoices: pd.Series) -> pd.Series:
    return invoices.astype("string").str.upper().str.startswith("C").fillna(False)


#: The notebook's exercises, in the order it asks them.
EXERCISES: tuple[Exercise, ...] = (
    Exercise(
        "01.orders",
        "How many orders did identified customers place, after cleaning? (An order is one invoice "
        "with something bought; a credit note 'C...' is a return, not an order.)",
        ("log",), lambda log: int(log_features(log)["frequency"].sum()), kind="count",
        mistakes=(
            Mistake(lambda log: len(clean_log(log)), _ORDERS_NOT_LINES),
            Mistake(lambda log: len(log), _ORDERS_NOT_LINES + " Also clean the log first."),
            Mistake(lambda log: clean_log(log)["invoice"].nunique(),
                    "You counted the credit notes ('C...' invoices) as orders too: a return is not an order."),
            Mistake(lambda log: log.loc[~_credit_note(log["invoice"]), "invoice"].nunique(),
                    "That includes guest orders without a customer id and exact duplicates: count in the cleaned log."),
        ),
    ),
    Exercise(
        "01.returned_share",
        "What share of the gross revenue (the sum of all positive line amounts after cleaning) "
        "was given back by returns (the negative lines)?",
        # An exact computation: a tolerance wide enough for the uncleaned log's answer (0.04% off
        # on the demo) would pass it.
        ("log",), lambda log: _returned(log) / _gross(log), rtol=1e-6,
        mistakes=(
            Mistake(lambda log: _raw_returned_share(log),
                    "That is the share in the log as exported: clean it first (clean_transactions), so that "
                    "exact duplicates and guest orders without a customer id do not count."),
            Mistake(lambda log: float(_credit_note(clean_log(log)["invoice"]).mean()),
                    "That is the share of lines that are returns; the question asks for a share of revenue."),
            Mistake(lambda log: _returned(log) / float(clean_log(log)["amount"].sum()),
                    "You divided by net revenue (after returns); divide by gross revenue, the positive lines only."),
            Mistake(lambda log: -_returned(log) / _gross(log), "The sign is wrong: give the share as a positive number."),
        ),
    ),
    Exercise(
        "01.impossible_birth_years",
        "How many customers in the customer table have a birth year that cannot be right?",
        ("customers",),
        lambda customers: sum(p["count"] for p in raw_quality(customers, "customers").impossible
                              if p["problem"].startswith("birth year")),
        kind="count",
        mistakes=(Mistake(lambda customers: int(customers["birth_year"].isna().sum()),
                          "That is the number of missing birth years; the question asks for impossible ones."),),
    ),
)
