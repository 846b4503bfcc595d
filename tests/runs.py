"""Quick Analysis runs on a few hundred rows, for tests that check a stage through the pipeline.

``analysis(tmp_path, customers="crm.csv", set_k="segmentation.n_segments=3")`` reads the
files named under ``tmp_path``; keys starting ``set_`` are ``--set`` overrides.
``log_analysis(tmp_path, "orders.csv", "columns.customer_id=Email")`` reads one purchase log.
Both use ``FAST``: two bootstrap refits and k up to 4.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

from segkit.config import load_config
from segkit.exceptions import SegkitWarning
from segkit.pipeline import Analysis

#: Quick settings for pipeline tests on a few hundred rows.
FAST = ["segmentation.n_bootstrap=2", "segmentation.k_max=4"]


def analysis(tmp_path: Path, **data: str) -> Analysis:
    """An Analysis of ``data.<kind>=tmp_path/<file>`` for each keyword; ``set_*`` keywords are overrides."""
    overrides = [f"data.{k}={tmp_path / v}" for k, v in data.items() if not k.startswith("set_")]
    overrides += [v for k, v in data.items() if k.startswith("set_")]
    return Analysis(load_config(None, overrides=[*FAST, *overrides]), verbose=False)


def log_analysis(tmp_path: Path, name: str, *overrides: str, verbose: bool = False,
                 where: dict | None = None) -> Analysis:
    """An Analysis of the purchase log ``tmp_path/name``, with overrides and ``data.where``."""
    config = load_config(None, overrides=[*FAST, f"data.transactions={tmp_path / name}", *overrides])
    if where:
        config["data"]["where"] = where
    return Analysis(config, verbose=verbose)


def quiet_features(run: Analysis) -> pd.DataFrame:
    """The run's feature frame, its reading warnings silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SegkitWarning)
        return run.build_features().frame
