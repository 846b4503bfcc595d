"""Customer features: cleaning with a log, purchase-log features (DuckDB), RFM, bases, preprocessing.

The stage between reading (:mod:`segkit.io`) and segmenting (:mod:`segkit.segment`):

* :mod:`~segkit.features.clean` -- documented cleaning rules and the :class:`CleaningLog`;
* :mod:`~segkit.features.sql` / :mod:`~segkit.features.transactions` -- purchase log to
  customer features, SQL in one place, run by DuckDB, portable through sqlglot;
* :mod:`~segkit.features.spark` -- the same query and checks on a Spark session (optional
  ``segkit[spark]``; not imported here);
* :mod:`~segkit.features.rfm` -- quintile scores and named RFM segments;
* :mod:`~segkit.features.customers` -- demographic, geographic, ... bases of a customer table;
* :mod:`~segkit.features.build` -- :func:`build_features`, all of the above in one call;
* :mod:`~segkit.features.preprocess` -- the preprocessor that prepares features for clustering
  (:func:`make_preprocessor`, used by the segmenter and the workshop alike).

Examples
--------
>>> import pandas as pd
>>> from segkit.features import build_features
>>> log = pd.DataFrame({"customer_id": pd.array(["1", "2"], dtype="string"),
...                     "date": pd.to_datetime(["2024-01-01", "2024-01-03"]),
...                     "amount": [10.0, 20.0]})
>>> build_features(transactions=log).frame["recency_days"].tolist()
[3, 1]
"""

from segkit.features.build import FeatureTable, build_features
from segkit.features.clean import (
    CUSTOMER_RULES,
    TRANSACTION_RULES,
    CleaningLog,
    clean_customers,
    clean_transactions,
)
from segkit.features.customers import customer_features
from segkit.features.preprocess import SkewedLog1p, make_preprocessor
from segkit.features.rfm import DEFAULT_RFM_SEGMENTS, rfm_scores
from segkit.features.sql import FEATURE_COLUMNS, feature_sql
from segkit.features.transactions import transaction_features

__all__ = [
    "FEATURE_COLUMNS",
    "DEFAULT_RFM_SEGMENTS",
    "TRANSACTION_RULES",
    "CUSTOMER_RULES",
    "CleaningLog",
    "FeatureTable",
    "SkewedLog1p",
    "build_features",
    "clean_customers",
    "clean_transactions",
    "customer_features",
    "feature_sql",
    "make_preprocessor",
    "rfm_scores",
    "transaction_features",
]
