"""The report's line-level work on a Spark session (``engine: spark`` in the config).

With ``engine: spark``, :class:`segkit.pipeline.Analysis` hands the stages that read every line
or every customer to this package, and keeps the rest on the driver:

==============================  ============================================================
on Spark (executors)            reading, the checks and standardisation of every line
                                (:mod:`segkit.spark.read`), the cleaning rules one bucket of
                                orders at a time, the features, RFM scores over all customers
                                (:mod:`segkit.spark.customers`), the segment of every customer
                                and per-segment aggregates, ``segments.csv``
                                (:mod:`segkit.spark.assign`)
on the driver (pandas)          role detection (on the head of the log), the fit, the choice
                                of k and stability, profiles, names, rules and figures -- on a
                                deterministic sample of at most :data:`FIT_SAMPLE` customers
not on Spark                    predicted lifetime value (the value stage says so); a
                                customer table beside the log; ``--by`` batches
==============================  ============================================================

Nothing is rewritten for Spark: the executors run segkit's own pandas functions on each
batch of lines or customers (``mapInPandas`` / ``applyInPandas``) -- the standardisation and
checks of :mod:`segkit.io`, :func:`segkit.features.clean_transactions`, and the fitted
:class:`~segkit.model.SegmentationModel`'s own ``matrix`` and ``predict`` -- and the features
are the one SQL query of :mod:`segkit.features.sql`, transpiled (:mod:`segkit.features.spark`).
See ``docs/spark.md``.
"""

from segkit.spark.session import FIT_SAMPLE, require_spark, spark_session

__all__ = ["FIT_SAMPLE", "require_spark", "spark_session"]
