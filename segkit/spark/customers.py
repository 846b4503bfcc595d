"""From the log on Spark to one row per customer: cleaning, features, RFM, the fit's sample.

* Cleaning: the lines are split into buckets by order (a hash of the invoice, else of the
  customer id, as :class:`~segkit.io.PurchaseLog` splits a log on disk), and each bucket goes
  through :func:`segkit.features.clean_transactions` on an executor (``applyInPandas``), in the
  order the lines were read; the buckets' cleaning logs are summed on the driver.
* Features: :func:`segkit.features.spark.spark_transaction_features`, the one feature query.
* RFM scores over **every** customer: the rank rule of :mod:`segkit.features.rfm` (value,
  ties by customer id, score ``1 + floor(5 (i - 1) / n)``) as Spark window ranks, and the
  named segment of each customer by :func:`segkit.features.rfm.rfm_names` on each batch.
* The fit's sample: at most :data:`~segkit.spark.session.FIT_SAMPLE` customers, those with
  the smallest hash of ``customer_id`` and the seed -- the same customers on every run and on
  any cluster, unlike Spark's random sampling -- come to the driver as the
  :class:`~segkit.features.build.FeatureTable` the one-machine path would build for them.
"""

from __future__ import annotations

import math
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyarrow as pa

from segkit.features.build import FeatureTable
from segkit.features.clean import CleaningLog, clean_transactions
from segkit.features.customers import feature_kinds
from segkit.features.rfm import rfm_names
from segkit.features.spark import spark_transaction_features
from segkit.features.transactions import default_snapshot, tidy_features
from segkit.schema import log_basis
from segkit.spark.read import SparkLog
from segkit.spark.session import (FIT_SAMPLE, META, collect_meta, meta_row, raise_first_error, remove_with,
                                  removed_on_failure, run_batch, work_folder)

__all__ = ["BUCKET_LINES", "SparkCustomers", "customer_features", "feature_table"]

#: Lines per cleaning bucket (about): what one executor holds as pandas at once.
BUCKET_LINES = 1_000_000
#: The RFM score columns, as :func:`segkit.features.rfm_scores` names them.
SCORES = {"r_score": ("recency_days", False), "f_score": ("frequency", True), "m_score": ("monetary", True)}


@dataclass
class SparkCustomers:
    """Every customer's features and RFM on Spark, and the sample the driver fits on."""

    frame: Any  # Spark DataFrame: customer_id, the features, r/f/m scores, rfm_segment
    feature_columns: list[str]
    n_customers: int
    table: FeatureTable  # the sample, as build_features would give it
    snapshot_date: pd.Timestamp

    @property
    def sampled(self) -> bool:
        return len(self.table.frame) < self.n_customers

    def __repr__(self) -> str:
        return (f"SparkCustomers({self.n_customers:,} customers on Spark, {len(self.table.frame):,} on the driver, "
                f"{len(self.feature_columns)} features)")


def _clean(log: SparkLog, *, drop_duplicates: bool, snapshot: pd.Timestamp, has_price: bool):
    """The lines cleaned one bucket of orders at a time; and the summed cleaning log."""
    from pyspark.sql import functions as F

    columns = [c for c in log.lines.columns if c != "_bucket"]
    buckets = max(2, math.ceil(log.rows / BUCKET_LINES))
    key = F.coalesce(F.col("invoice"), F.col("customer_id")) if "invoice" in columns else F.col("customer_id")
    lines = log.lines.withColumn("_bucket", F.pmod(F.xxhash64(key), F.lit(buckets)).cast("int"))
    out = [*columns, "_part", "_batch", META]
    schema = lines.select(*columns).schema.simpleString()[len("struct<"):-1].replace(":", " ")
    schema += f", _part int, _batch int, {META} binary"
    label = log.label

    def clean_bucket(frame: pd.DataFrame) -> pd.DataFrame:
        bucket = int(frame["_bucket"].iloc[0])
        frame = frame.drop(columns="_bucket").sort_values("_row", kind="stable").set_index("_row")
        for column in ("customer_id", "invoice", "channel", "category", "country"):
            if column in frame:
                frame[column] = frame[column].astype("string")
        result, payload = run_batch(clean_transactions, frame, drop_duplicates=drop_duplicates,
                                    snapshot_date=snapshot, has_price=has_price, source=label)
        parts = [meta_row(out, {**payload, "cleaning": result[1] if result else None})]
        if result is not None and len(result[0]):
            parts.insert(0, result[0].rename_axis("_row").reset_index().assign(**{META: None})[columns + [META]])
        return pd.concat(parts, ignore_index=True).assign(_part=bucket, _batch=0)[out]

    folder = work_folder("segkit-spark-clean-")
    with removed_on_failure(folder):
        lines.groupBy("_bucket").applyInPandas(clean_bucket, schema).write.mode("overwrite").parquet(folder)
        from pyspark.sql import SparkSession

        stored = SparkSession.getActiveSession().read.parquet(folder)
        payloads = collect_meta(stored)
        raise_first_error(payloads)
    cleaning = CleaningLog.summed([p["cleaning"] for p in payloads if p.get("cleaning") is not None])
    return stored.where(stored[META].isNull()).drop("_part", "_batch", META, "_row", "line_hash"), cleaning, folder


def _rfm(frame):
    """The RFM scores of every customer (the rank rule of :mod:`segkit.features.rfm`) and their names."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType, StructField, StructType

    counts = frame.agg(*[F.count(value).alias(score) for score, (value, _) in SCORES.items()]).first()
    for score, (value, ascending) in SCORES.items():
        order = F.col(value).asc_nulls_last() if ascending else F.col(value).desc_nulls_last()
        rank = F.row_number().over(Window.orderBy(order, F.col("customer_id").asc()))
        n = max(int(counts[score]), 1)
        frame = frame.withColumn(score, F.when(F.col(value).isNotNull(),
                                               (1 + F.floor((rank - 1) * 5 / F.lit(n))).cast("tinyint")))

    def name(batches):
        for batch in batches:
            yield batch.assign(rfm_segment=rfm_names(batch[list(SCORES)].astype("Int8")).astype(object).to_numpy())

    return frame.mapInPandas(name, StructType([*frame.schema.fields, StructField("rfm_segment", StringType())]))


def feature_table(pdf: pd.DataFrame, columns: list[str], **kwargs: Any) -> FeatureTable:
    """A batch of Spark's customer rows as the :class:`FeatureTable` of the one-machine path."""
    frame = tidy_features(pa.Table.from_pandas(pdf[["customer_id", *columns]], preserve_index=False))
    return FeatureTable(frame=frame, bases={c: log_basis(c) for c in frame.columns}, log_columns=tuple(frame.columns),
                        kinds=feature_kinds(frame, None), **kwargs)


def customer_features(spark, log: SparkLog, config: Mapping[str, Any], *, top_n: int) -> SparkCustomers:
    """Clean the log, compute every customer's features and RFM on Spark, and bring the fit's
    sample to the driver (see the module notes)."""
    from pyspark.sql import functions as F

    cleaning_cfg = config["cleaning"]
    snapshot = pd.Timestamp(cleaning_cfg["snapshot_date"]) if cleaning_cfg["snapshot_date"] else \
        default_snapshot(log.last_date)
    has_price = "price" in log.lines.columns and log.lines.where(F.col("price").isNotNull()).limit(1).count() > 0
    clean, cleaning, cleaned_at = _clean(log, drop_duplicates=cleaning_cfg["drop_duplicates"], snapshot=snapshot,
                                         has_price=has_price)
    folder = work_folder("segkit-spark-customers-")
    with removed_on_failure(folder):
        try:
            features = spark_transaction_features(spark, clean, snapshot_date=snapshot, top_n=top_n,
                                                  source=log.label)
            columns = [c for c in features.columns if c != "customer_id"]
            _rfm(features).write.mode("overwrite").parquet(folder)
        finally:  # every customer's features are written (or failed): the cleaned lines are read no more
            shutil.rmtree(cleaned_at, ignore_errors=True)
        result = _with_sample(spark, folder, columns, cleaning, snapshot, config["segmentation"]["random_state"])
    remove_with(result, folder)  # every customer's row is read from it
    return result


def _with_sample(spark, folder: str, columns: list[str], cleaning: CleaningLog, snapshot: pd.Timestamp,
                 seed: int | None) -> SparkCustomers:
    """Every customer's row as written in ``folder``, and the fit's sample brought to the driver."""
    from pyspark.sql import functions as F

    frame = spark.read.parquet(folder)
    n = frame.count()
    sample = frame
    if n > FIT_SAMPLE:
        key = F.xxhash64(F.concat(F.col("customer_id"), F.lit(f":{seed if seed is not None else 0}")))
        sample = frame.withColumn("_h", key).orderBy("_h", "customer_id").limit(FIT_SAMPLE).drop("_h")
    pdf = _to_pandas(sample)
    rfm = pdf.set_index(pdf["customer_id"].astype("string").rename("customer_id"))[[*SCORES, "rfm_segment"]]
    rfm = rfm.astype({s: "Int8" for s in SCORES} | {"rfm_segment": "string"}).sort_index()
    table = feature_table(pdf, columns, cleaning=cleaning, rfm=rfm, snapshot_date=snapshot)
    table.frame = table.frame.sort_index()
    return SparkCustomers(frame, columns, int(n), table, snapshot)


def _to_pandas(frame) -> pd.DataFrame:
    import warnings

    with warnings.catch_warnings():  # PySpark 3.5 calls pandas APIs that pandas 3 deprecates
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", FutureWarning)
        return frame.toPandas()
