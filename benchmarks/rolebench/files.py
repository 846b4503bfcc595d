"""How a generated table is written to a file: separator, decimal mark, money written for people,
CSV or Parquet.

European-language tables are written with ``;`` and decimal commas more often than not, as
their spreadsheets export them; some tables write money as ``$1,234.50`` or ``1.234,50 €``.

Examples
--------
>>> import numpy as np
>>> choose_layout(np.random.default_rng(3), "de")
{'format': 'csv', 'sep': ';', 'decimal': ',', 'money': None}
>>> money_text(1234.5, "€", ","), money_text(-3.0, "$", ".")
('1.234,50 €', '-$3.00')
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.rolebench.truth import Table

__all__ = ["choose_layout", "money_text", "write_table"]


def choose_layout(rng: np.random.Generator, language: str) -> dict:
    """How a table in ``language`` is written: ``format``, ``sep``, ``decimal`` and ``money`` (a sign or None)."""
    if rng.random() < 0.05:
        return {"format": "parquet", "sep": None, "decimal": None, "money": None}
    european = language != "en" and rng.random() < 0.55
    sep = ";" if european else str(rng.choice([",", ",", ",", ",", "\t", ";"]))
    decimal = "," if european else "."
    money = str(rng.choice(["€", "$"])) if rng.random() < 0.1 else None
    return {"format": "csv", "sep": sep, "decimal": decimal, "money": money}


def money_text(value: float, sign: str, decimal: str) -> str:
    """``value`` as a person writes it: thousands separators, two decimals, the currency sign."""
    text = f"{abs(value):,.2f}"
    if decimal == ",":
        text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
    minus = "-" if value < 0 else ""
    return f"{minus}{text} {sign}" if sign == "€" else f"{minus}{sign}{text}"


def _parquet_type(values: pd.Series) -> str:
    """The Parquet type of a column of Python objects: whole numbers, numbers or text."""
    inferred = pd.api.types.infer_dtype(values, skipna=True)
    return {"integer": "Int64", "floating": "float64", "mixed-integer-float": "float64"}.get(inferred, "string")


def write_table(table: Table, folder: str | Path) -> Path:
    """Write ``table`` into ``folder`` as its layout says; return the file's path."""
    layout = table.layout
    frame = table.frame.copy()
    if layout.get("money"):
        for column in table.columns:
            values = frame[column.name]
            if column.kind == "money" and column.role != "constant" and pd.api.types.is_numeric_dtype(values):
                frame[column.name] = [None if pd.isna(x) else money_text(float(x), layout["money"], layout["decimal"])
                                      for x in values]
    folder = Path(folder)
    if layout["format"] == "parquet":
        path = folder / f"{table.name}.parquet"
        frame.astype({c: _parquet_type(frame[c]) for c in frame.columns if frame[c].dtype == object}).to_parquet(
            path, index=False)
        return path
    suffix = ".tsv" if layout["sep"] == "\t" else ".csv"
    path = folder / f"{table.name}{suffix}"
    frame.to_csv(path, sep=layout["sep"], decimal=layout["decimal"], index=False)
    return path
