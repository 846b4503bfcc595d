"""The report's stages on Spark, as :class:`segkit.pipeline.Analysis` calls them (``engine: spark``).

Each function takes what the one-machine stage takes and returns what it returns, so the
Analysis, the report notebook and the output contract stay the same; what is on Spark rides
along on :attr:`FeatureTable.engine <segkit.features.build.FeatureTable.engine>` (a
:class:`~segkit.spark.customers.SparkCustomers`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from segkit.features.build import FeatureTable
from segkit.inputs import Inputs
from segkit.model import FIT_SHARE_VALUES
from segkit.spark.session import FIT_SAMPLE, spark_session

__all__ = ["NO_VALUE", "after_fit", "build_features", "engine_summary", "load", "method_line", "write_segments"]

#: What the value stage says on Spark (the method section and the notes show it).
NO_VALUE = ("Predicted lifetime value is not computed with engine: spark: its models are fitted on the "
            "driver from every purchase, which a log on Spark is not brought to; historical value "
            "(monetary) is profiled per segment.")


def load(config: Mapping[str, Any], *, say: Callable[[str], None] | None = None) -> Inputs:
    """Read the purchase log on Spark (:func:`segkit.spark.read.read_log`)."""
    from segkit.spark.read import read_log

    return read_log(spark_session(config), config, say=say)


def build_features(inputs: Inputs, config: Mapping[str, Any]) -> FeatureTable:
    """Clean, featurise and score every customer on Spark; the fit's sample as the feature table."""
    from segkit.spark.customers import customer_features

    customers = customer_features(spark_session(config), inputs.transactions, config, top_n=FIT_SHARE_VALUES)
    table = customers.table
    table.engine = customers
    return table


def after_fit(run: Any, notes: list[str]) -> None:
    """Assign every customer with the fitted model and aggregate the segments over all of them."""
    from segkit.spark.assign import assign_all, segment_aggregates

    customers = run.features.engine
    customers.assigned = assign_all(customers, run.model)
    customers.aggregates = segment_aggregates(customers, customers.assigned)
    if customers.sampled:
        notes.append(f"The segments were fitted on a sample of {len(customers.table.frame):,} of the "
                     f"{customers.n_customers:,} customers (at most {FIT_SAMPLE:,}, chosen by a hash of the customer "
                     "id and the seed); choice of k, stability, profiles and figures use that sample, and every "
                     "customer was then assigned on Spark by the fitted model (segments.csv; sizes in summary.json).")


def method_line(run: Any) -> str:
    """The method section's sentence on what ran on Spark and what on the driver."""
    customers = run.features.engine
    fitted = (f"a deterministic sample of {len(customers.table.frame):,} of the {customers.n_customers:,} customers"
              if customers.sampled else f"all {customers.n_customers:,} customers")
    return ("Engine: **Spark**. Reading, the checks of every line, the cleaning rules, the features, the RFM scores "
            "and the segment of every customer (by the fitted model itself) ran on Spark, as did each segment's size "
            f"and shares in summary.json. The fit, the choice of k, stability, profiles, names, rules and figures ran "
            f"on the driver on {fitted}. Predicted lifetime value was not computed.")


def write_segments(run: Any, path: Path) -> Path:
    """``segments.csv`` written by Spark (:func:`segkit.spark.assign.write_segments`)."""
    from segkit.spark.assign import write_segments as write

    priv = run.config["privacy"]
    return write(spark_session(run.config), run.features.engine, run.features.engine.assigned,
                 run.names["name"].to_dict(), path, pseudonym_key=priv["pseudonym_key"] if priv["pseudonymise_ids"]
                 else None)


def engine_summary(run: Any) -> dict[str, Any]:
    """``summary.json["engine"]``: where the run ran, how many customers were fitted on, and each
    segment's size and shares over every customer."""
    customers = run.features.engine
    agg = customers.aggregates
    return {"name": "spark", "customers": customers.n_customers, "fit_sample": len(customers.table.frame),
            "sampled": customers.sampled,
            "segments": [{"id": int(k), "size": int(row["size"]), "share": round(float(row["share"]), 6),
                          "revenue_share": round(float(row["revenue_share"]), 6)} for k, row in agg.iterrows()]}
