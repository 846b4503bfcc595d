"""The Spark session a report runs on, and the side channel executors report through.

Executors run segkit's pandas functions on batches (``mapInPandas``); what such a function
learns besides its rows -- a :class:`~segkit.io.DataQuality`, a cleaning log, the warnings it
raised, or the :class:`~segkit.exceptions.SegkitError` a bad value gave -- travels back as one
extra row per batch in a binary ``_meta`` column (:func:`meta_row`), which the driver splits
off (:func:`split_meta`). The bytes are pickled by one run's own executors and read back by
the same run; nothing pickled is ever read from a file a user gave.
"""

from __future__ import annotations

import os
import pickle
import shutil
import sys
import tempfile
import warnings
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd

from segkit.exceptions import ConfigError, SegkitError, SegkitWarning

__all__ = ["FIT_SAMPLE", "META", "collect_meta", "meta_row", "raise_first_error", "require_spark", "spark_session",
           "work_folder"]

#: At most this many customers come to the driver for fitting, the choice of k, stability,
#: profiles and figures (a deterministic sample: :func:`segkit.spark.customers.fit_sample`).
FIT_SAMPLE = 200_000
#: The binary column of the extra row each batch reports through.
META = "_meta"
#: Rows per Arrow batch handed to a pandas function on an executor.
BATCH_ROWS = 200_000


def require_spark() -> None:
    """Raise a one-line :class:`ConfigError` when PySpark is not installed."""
    try:
        import pyspark  # noqa: F401
    except ImportError as err:
        raise ConfigError("engine: spark needs PySpark and a Java runtime; install them with "
                          "pip install 'segkit[spark]', or set engine: duckdb") from err


def spark_session(config: Any = None):
    """The active Spark session (a cluster's, Databricks'), else a local one on every core.

    segkit sets the session's time zone to UTC (naive timestamps round-trip unchanged) and
    the rows per Arrow batch; ``SEGKIT_SPARK_MASTER`` (e.g. ``local[2]``) chooses the master
    of a session segkit starts itself.
    """
    require_spark()
    from pyspark.sql import SparkSession

    from segkit.features.spark import local_session

    session = SparkSession.getActiveSession()
    if session is None:
        # the executors' Python workers run segkit's pandas code: the interpreter segkit runs in
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        master = os.environ.get("SEGKIT_SPARK_MASTER", "local[2]")
        threads = master[len("local["):-1] if master.startswith("local[") else "2"
        session = local_session(int(threads) if threads.isdigit() else os.cpu_count() or 2,
                                driver_memory=os.environ.get("SEGKIT_SPARK_MEMORY", "3g"))
    session.conf.set("spark.sql.session.timeZone", "UTC")
    session.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", str(BATCH_ROWS))
    # pandas writes timestamps in nanoseconds, which Spark 3.5 refuses to read; read them as the
    # integers they are stored as (segkit.spark.read turns them back into timestamps)
    session.conf.set("spark.sql.legacy.parquet.nanosAsLong", "true")
    return session


def work_folder(prefix: str) -> str:
    """A new folder for a run's intermediate Parquet (``SEGKIT_SPARK_TMP``: shared storage on a cluster).

    Whoever makes one removes it: when the step that writes it fails (:func:`removed_on_failure`),
    or with :func:`remove_with` once the object whose Spark DataFrames read it is gone.
    """
    base = os.environ.get("SEGKIT_SPARK_TMP") or None
    return tempfile.mkdtemp(prefix=prefix, dir=base)


@contextmanager
def removed_on_failure(folder: str) -> Iterator[str]:
    """The block writing ``folder``: if it raises, the folder goes before the error goes on."""
    try:
        yield folder
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def remove_with(owner: Any, folder: str) -> None:
    """Remove ``folder`` when ``owner`` is garbage-collected (or when the interpreter exits)."""
    weakref.finalize(owner, shutil.rmtree, folder, True)


def meta_row(columns: list[str], payload: dict[str, Any]) -> pd.DataFrame:
    """One row holding ``payload`` in :data:`META`, every other column empty."""
    row = pd.DataFrame({c: pd.Series([None], dtype=object) for c in columns})
    row[META] = [pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)]
    return row


def run_batch(fn, *args, **kwargs) -> tuple[Any, dict[str, Any]]:
    """``fn(*args, **kwargs)`` on an executor: its result and ``{"warnings": [...]}``, or
    ``(None, {"error": (class, message)})`` when it raised a SegkitError."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", SegkitWarning)
        try:
            result = fn(*args, **kwargs)
        except SegkitError as err:
            return None, {"error": (type(err), str(err))}
    return result, {"warnings": [str(w.message) for w in caught if issubclass(w.category, SegkitWarning)]}


def collect_meta(frame) -> list[dict[str, Any]]:
    """The payloads of a Spark frame's meta rows, in batch order (``_part``, ``_batch``)."""
    rows = frame.where(frame[META].isNotNull()).select("_part", "_batch", META).collect()
    rows.sort(key=lambda r: (r["_part"], r["_batch"]))
    return [pickle.loads(bytes(r[META])) for r in rows]


def raise_first_error(payloads: list[dict[str, Any]]) -> None:
    """Raise the first SegkitError a batch reported, as the class it was; then re-warn once each
    warning the batches raised (so the report lists them as the one-machine path does)."""
    for payload in payloads:
        if "error" in payload:
            kind, message = payload["error"]
            raise kind(message)
    seen: list[str] = []
    for payload in payloads:
        for text in payload.get("warnings", []):
            if text not in seen:
                seen.append(text)
    for text in seen[:20]:
        warnings.warn(text, SegkitWarning, stacklevel=3)


def batches_with_ids(iterator: Iterator[pd.DataFrame]) -> Iterator[tuple[int, int, pd.DataFrame]]:
    """``(partition, batch, frame)`` for each batch a pandas function on an executor receives."""
    from pyspark import TaskContext

    context = TaskContext.get()
    part = context.partitionId() if context is not None else 0
    for i, frame in enumerate(iterator):
        yield part, i, frame
