"""Exercises of notebook 06: break-even, profitable segments, A/B sample sizes and lifetime
value.

The notebook is ``notebooks/workshop/06_value_and_targeting.ipynb``; each answer function
recomputes the expected answer with segkit from the data the notebook passes to
:func:`segkit.workshop.check`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from segkit.target import ab_sample_size, campaign_economics, targeting_table
from segkit.value import segment_value
from segkit.workshop.exercise import Exercise, Mistake

__all__ = ["EXERCISES"]


def _economics(customers: pd.DataFrame):
    return campaign_economics(customers)


def _targeting(labels: pd.Series, customers: pd.DataFrame, response: str = "response") -> pd.DataFrame:
    econ = _economics(customers)
    answers = customers.set_index("customer_id")[response].reindex(labels.index)
    return targeting_table(labels, answers, cost_per_contact=econ.cost_per_contact,
                           revenue_per_response=econ.revenue_per_response, min_cell_size=1)


def _profitable(targeting: pd.DataFrame) -> list[int]:
    return targeting.loc[targeting["expected_profit_per_contact"] > 0, "segment"].astype(int).tolist()


def _sample_size(**kwargs: Any) -> int:
    return int(ab_sample_size(0.10, 0.05, **kwargs))


def _sample_size_for(mde: float) -> int:
    return int(ab_sample_size(0.10, mde))


def _clv_by_segment(clv: pd.DataFrame, labels: pd.Series) -> pd.DataFrame:
    return segment_value(clv[["clv"]], labels.reindex(clv.index).dropna().astype(int), min_cell_size=1)


#: The notebook's exercises, in the order it asks them.
EXERCISES: tuple[Exercise, ...] = (
    Exercise(
        "06.break_even",
        "At the demo's campaign economics (cost per contact, revenue per response), which response "
        "rate makes a contact break even?",
        ("customers",),
        lambda customers: _economics(customers).cost_per_contact / _economics(customers).revenue_per_response,
        rtol=1e-3,
        mistakes=(Mistake(lambda customers: _economics(customers).revenue_per_response
                          / _economics(customers).cost_per_contact,
                          "Upside down: break-even is cost per contact / revenue per response."),),
    ),
    Exercise(
        "06.profitable",
        "Which segments (ids) have a positive expected profit per contact?",
        ("labels", "customers"),
        lambda labels, customers: _profitable(_targeting(labels, customers)),
        kind="labels",
        mistakes=(Mistake(lambda labels, customers: _targeting(labels, customers).query("action == 'target'")[
                              "segment"].tolist(),
                          "You took the segments whose action is 'target'; a 'test first' segment can have a "
                          "positive expected profit too (its interval just reaches below break-even)."),),
    ),
    Exercise(
        "06.sample_size",
        "How many customers per arm does an A/B test need to detect a rise from a 10 % to a 15 % response "
        "rate (alpha 0.05 two-sided, power 0.8)?",
        (), _sample_size, kind="count",
        mistakes=(
            Mistake(lambda: 2 * _sample_size(), "That is both arms together; the question asks for customers per arm."),
            Mistake(lambda: _sample_size(relative=True),
                    "You read 0.05 as a relative lift (10 % to 10.5 %); the rise is 5 points."),
            Mistake(lambda: int(_sample_size_for(0.15)),
                    "The minimum detectable effect is the difference, 0.05, not the new rate."),
        ),
    ),
    Exercise(
        "06.clv_leader",
        "What is the highest predicted lifetime value per customer of any segment (the mean over its "
        "customers)?",
        ("clv", "labels"), lambda clv, labels: float(_clv_by_segment(clv, labels)["clv_mean"].max()), rtol=1e-4,
        mistakes=(Mistake(lambda clv, labels: float(_clv_by_segment(clv, labels)["clv_total"].max()),
                          "That is a segment's total; the question asks per customer (the mean)."),
                  Mistake(lambda clv, labels: float(clv["clv"].mean()),
                          "That is the mean of the whole base; group by segment first."),),
    ),
)
