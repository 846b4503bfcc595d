"""segkit.report.runner: the packaged notebook, and what a run hands back."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from segkit.config import load_config
from segkit.report import REPORT_NOTEBOOK, execute_report

ROOT = Path(__file__).resolve().parents[2]


def test_the_report_notebook_is_package_data_and_the_checkout_links_to_it():
    packaged = Path(str(REPORT_NOTEBOOK))
    assert packaged.parent == ROOT / "segkit" / "report" and packaged.is_file()
    link = ROOT / "notebooks" / "segment_report.ipynb"
    assert link.is_symlink() and link.resolve() == packaged.resolve()


@pytest.mark.slow
def test_a_run_hands_back_its_folder_customers_and_segments(tmp_path):
    rng = np.random.default_rng(0)
    pd.DataFrame({"ID": range(1, 121), "Spend": np.r_[rng.normal(100, 5, 60), rng.normal(20, 5, 60)],
                  "Visits": np.r_[rng.normal(9, 1, 60), rng.normal(2, 1, 60)]}).to_csv(tmp_path / "c.csv", index=False)
    config = load_config(None, overrides=[f"data.customers={tmp_path / 'c.csv'}", "segmentation.n_bootstrap=2"])
    run = execute_report(config, tmp_path / "out")
    summary = json.loads((run.folder / "summary.json").read_text())
    assert run.folder == (tmp_path / "out").resolve()
    assert (run.n_customers, run.n_segments) == (summary["n_customers"], summary["n_segments"]) == (120, 2)
