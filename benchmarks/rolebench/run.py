"""Run today's segkit on generated tables through its public API and record what it answers.

Every table is written to a file, read (:func:`segkit.io.read_table`), its roles detected
(:func:`segkit.io.detect_roles`), then loaded and turned into features the way the report does
(:class:`segkit.pipeline.Analysis`: ``load()``, ``build_features()``). For a sample of the
customer tables the report path goes on (``segment()``, ``profile()``) to see which columns
are clustered (``run.X``) and which are profiled. Any exception is recorded with its stage
and counted as a miss; the run goes on with the next table.

Examples
--------
>>> import tempfile
>>> from benchmarks.rolebench.shapes import make_table
>>> result = run_table(make_table(14, 10), tempfile.mkdtemp())
>>> result.crash is None, len(result.predictions) == len(result.table.columns)
(True, True)
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from segkit.io import detect_roles, read_table
from segkit.pipeline import Analysis

from benchmarks.rolebench.files import write_table
from benchmarks.rolebench.shapes import SHAPES
from benchmarks.rolebench.today import predict
from benchmarks.rolebench.truth import Table, Truth

__all__ = ["ANALYSIS_SETTINGS", "STAGES", "Crash", "TableRun", "every_round", "run_table", "run_tables"]

#: The stages every table goes through, then the two only the sample goes through.
STAGES = ("read", "detect", "load", "features", "segment", "profile")
#: Segmentation settings of the sample's runs: which columns are clustered does not depend on k
#: or on the stability bootstraps, so a fixed k and none keep the runs short.
ANALYSIS_SETTINGS = {"n_segments": 3, "n_bootstrap": 0}
#: Features derived from other columns: a campaign column is clustered when these are.
_CAMPAIGN_FEATURES = ("campaigns_accepted", "any_accepted")


@dataclass(frozen=True)
class Crash:
    """An exception: the stage it stopped, its type, the first line of its message."""

    stage: str
    error: str
    message: str


@dataclass
class TableRun:
    """What segkit made of one table.

    ``predictions`` has one :class:`Truth` per column (empty when reading or detection
    crashed); ``clustered`` and ``profiled`` one flag per column for an analysed table.
    """

    table: Table
    predictions: list[Truth]
    crash: Crash | None = None
    analysed: bool = False
    clustered: list[bool] | None = None
    profiled: list[bool] | None = None
    seconds: float = 0.0


def _crash(stage: str, err: Exception) -> Crash:
    return Crash(stage, type(err).__name__, (str(err).strip().splitlines() or [""])[0])


def _used(columns: list, names: set, roles, features) -> list[bool]:
    """Whether each of a customer table's ``columns`` is behind one of the feature ``names``:
    the column itself, its ``<column>_days``, the campaign counts for a campaign column, or
    ``age`` for a demographic column the feature table replaced by it (a birth year or date)."""
    out = []
    for column in columns:
        used = column in names or f"{column}_days" in names
        used |= column in roles.campaigns and bool(names & set(_CAMPAIGN_FEATURES))
        used |= (column in roles.demographics and column not in features.columns and "age" in names)
        out.append(used)
    return out


def _analysis(table: Table, path: Path, raw_columns: list, roles, result: TableRun, analyse: bool) -> None:
    """Load and build features as the report does; with ``analyse``, segment and profile too."""
    data_key = "customers" if table.kind == "customers" else "transactions"
    run = Analysis({"title": table.name, "data": {data_key: str(path)}, "segmentation": dict(ANALYSIS_SETTINGS)},
                   verbose=False)
    stage = "load"
    try:
        run.load()
        stage = "features"
        run.build_features()
        if table.kind == "customers":  # held to what the feature table shows
            result.predictions = predict(raw_columns, run.inputs.customer_roles, features=run.features.frame,
                                         bases=run.features.bases)
        if not analyse:
            return
        result.analysed = True
        stage = "segment"
        run.segment()
        result.clustered = _used(raw_columns, set(run.X.columns), roles, run.features.frame)
        stage = "profile"
        run.profile()
        result.profiled = _used(raw_columns, set(run.profile_.bases), roles, run.features.frame)
    except Exception as err:  # noqa: BLE001 - any exception is a finding to count, named by its stage
        result.crash = _crash(stage, err)


def run_table(table: Table, folder: str | Path, *, analyse: bool = False) -> TableRun:
    """Write ``table`` into ``folder`` and run segkit on it; ``analyse`` goes on to segment and profile."""
    start = time.perf_counter()
    result = TableRun(table, [])
    path = write_table(table, folder)
    stage = "read"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # segkit's warnings about the data are expected here
        try:
            raw = read_table(path)
            if raw.shape[1] != len(table.columns):
                raise ValueError(f"read {raw.shape[1]} columns of the {len(table.columns)} written")
            stage = "detect"
            roles = detect_roles(raw, kind=table.kind)
            raw_columns = list(raw.columns)
            result.predictions = predict(raw_columns, roles)
        except Exception as err:  # noqa: BLE001 - any exception is a finding to count, named by its stage
            result.crash = _crash(stage, err)
        else:
            _analysis(table, path, raw_columns, roles, result, analyse and table.kind == "customers")
    result.seconds = time.perf_counter() - start
    return result


def every_round(every: int) -> Callable[[int, Table], bool]:
    """Which tables to analyse: the customer tables of every ``every``-th round of shapes (table ``i``
    is in round ``i // len(SHAPES)``), so the sample holds every customer shape alike.

    Examples
    --------
    >>> from benchmarks.rolebench.shapes import SHAPES, make_table
    >>> pick = every_round(2)
    >>> pick(0, make_table(14, 0)), pick(len(SHAPES), make_table(14, len(SHAPES)))
    (True, False)
    """
    return lambda i, table: every > 0 and table.kind == "customers" and (i // len(SHAPES)) % every == 0


def run_tables(tables: Iterable[Table], folder: str | Path, *, analyse: Callable[[int, Table], bool],
               progress: Callable[[int, TableRun], None] | None = None) -> list[TableRun]:
    """Run every table; ``analyse(i, table)`` says which go on to segment and profile."""
    out = []
    for i, table in enumerate(tables):
        out.append(run_table(table, folder, analyse=analyse(i, table)))
        if progress is not None:
            progress(i, out[-1])
    return out
