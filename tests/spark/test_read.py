"""A log read on Spark is the log read on one machine: the same standardised lines and checks,
whatever the delimiter, quoting or column names (a small generated corpus)."""

from __future__ import annotations

import csv
import warnings

import numpy as np
import pandas as pd
import pytest

from segkit.config import load_config
from segkit.exceptions import SegkitWarning
from segkit.inputs import load_inputs

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::DeprecationWarning"),
              pytest.mark.filterwarnings("ignore::FutureWarning")]



def _write(path, sep: str, rng: np.random.Generator) -> None:
    """An export with its own column names, text holding the delimiter and quotes, returns and blanks."""
    n = 400
    rows = {"Order Ref": [f"SO-{i // 3:04d}" for i in range(n)],
            "Kunde": [f"K{rng.integers(1, 60):03d}" if i % 97 else "" for i in range(n)],
            "Bestelldatum": (pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 300, n), unit="D"))
            .strftime("%Y-%m-%d %H:%M").tolist(),
            "Artikel": [f'Mug{sep} "large"' if i % 5 == 0 else "Plate" for i in range(n)],
            "Menge": [str(-1 if i % 41 == 0 else rng.integers(1, 4)) for i in range(n)],
            "Preis": [f"{rng.uniform(1, 30):.2f}" for i in range(n)]}
    pd.DataFrame(rows).to_csv(path, sep=sep, index=False, quoting=csv.QUOTE_MINIMAL)


@pytest.mark.parametrize(("sep", "name"), [(",", "export.csv"), (";", "export.csv"), ("\t", "export.tsv"),
                                           ("|", "export.txt"), (",", "export.csv.gz")],
                         ids=["comma", "semicolon", "tab", "pipe", "comma_gzip"])
def test_spark_reads_an_export_as_one_machine_does(spark, tmp_path, sep, name):
    from segkit.spark.read import read_log

    _write(tmp_path / name, sep, np.random.default_rng(len(name) + ord(sep)))
    config = load_config(None, overrides=[f"data.transactions={tmp_path / name}"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SegkitWarning)
        local = load_inputs(config)
        on_spark = read_log(spark, config)
    assert on_spark.quality["transactions"].to_dict() == local.quality["transactions"].to_dict()
    assert on_spark.transaction_roles.summary(label="x") == local.transaction_roles.summary(label="x")
    lines = on_spark.transactions.lines.toPandas().sort_values("_row").reset_index(drop=True)
    expected = local.transactions.reset_index(drop=True)
    for column in ("customer_id", "invoice", "date", "amount", "quantity", "price"):
        left, right = lines[column], expected[column]
        if column in ("customer_id", "invoice"):
            left, right = left.astype("string"), right.astype("string")
        pd.testing.assert_series_equal(left, right, check_dtype=False, check_names=False)
