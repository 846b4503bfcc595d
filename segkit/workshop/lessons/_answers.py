"""Answer functions several lessons share: the demo's purchase log cleaned, its features and
the quality report of raw data, each computed by segkit's own stages."""

from __future__ import annotations

import pandas as pd

from segkit.features import build_features, clean_transactions
from segkit.io import DataQuality, detect_roles, quality_report

__all__ = ["clean_log", "log_features", "raw_quality"]


def clean_log(log: pd.DataFrame) -> pd.DataFrame:
    """The purchase log after segkit's cleaning rules."""
    return clean_transactions(log)[0]


def log_features(log: pd.DataFrame) -> pd.DataFrame:
    """The customer features of a purchase log (without RFM scores)."""
    return build_features(transactions=log, rfm=False).frame


def raw_quality(raw: pd.DataFrame, kind: str) -> DataQuality:
    """The data-quality report of a raw table, its roles detected as the report detects them."""
    return quality_report(raw, detect_roles(raw, kind=kind), label=kind)
