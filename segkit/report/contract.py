"""The output contract: what ``segments.csv``, ``profiles.csv``, ``targeting.csv``,
``segment_rules.csv``, ``segment_rules.sql``, ``summary.json`` and ``model.skops`` hold, written
from a finished run.

The files and their columns are the product's face (``BRIEF.md``, "Output folder"); this module
is the one place that decides them. :func:`write_run` writes them for a run of
:class:`segkit.pipeline.Analysis` (its ``write`` method calls it after making sure every stage
is current); the report notebook's last cell does so inside the report kernel, which hands the
fitted model to the runner instead of writing ``model.skops`` itself (:mod:`segkit._handoff`).
"""

from __future__ import annotations

import json
import os
import pickle
import platform
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from segkit._handoff import MODEL_HANDOFF_ENV, MODEL_HANDOFF_FILE
from segkit._json import plain
from segkit.report.outputs import write_csv

__all__ = ["rules_table", "segments_table", "summary", "value_summary", "versions", "write_run"]


def segments_table(run: Any) -> pd.DataFrame:
    """``segments.csv``: one row per customer with segment id, name and RFM segment."""
    out = pd.DataFrame({"customer_id": run._published_ids(run.labels.index), "segment": run.labels.to_numpy()})
    out["segment_name"] = out["segment"].map(run.names["name"])
    rfm = getattr(run.features, "rfm", None)
    if rfm is not None:
        out["rfm_segment"] = rfm["rfm_segment"].reindex(run.labels.index).to_numpy()
    clv = getattr(run, "clv", None)  # set only when the value stage found its predictions reliable
    if clv is not None:
        out["p_alive"] = clv["p_alive"].reindex(run.labels.index).round(4).to_numpy()
        out["clv"] = clv["clv"].reindex(run.labels.index).round(2).to_numpy()
    return out


def _json_value(value: Any) -> Any:
    """A score table's cell for JSON: numbers to 6 decimals (None when not a number), text as it is."""
    if isinstance(value, str):
        return value
    return round(float(value), 6) if np.isfinite(value) else None


def value_summary(run: Any) -> dict[str, Any] | None:
    """``summary.json["value"]``: the holdout test's verdict (``validation``), every candidate's
    score and the final models' parameters with standard errors; None without a purchase log."""
    result = getattr(run, "value_result", None)
    if result is None:
        return None
    out: dict[str, Any] = {"validation": dict(result.validation)}
    if result.holdout is not None:
        scores = result.holdout.scores
        out["holdout"] = [{"model": name, **{k: _json_value(v) for k, v in row.items()}}
                          for name, row in scores.iterrows()]
    if result.models:
        out["models"] = {
            role: {"name": getattr(model, "name", "Gamma-Gamma"),
                   "parameters": {k: round(float(v), 6) for k, v in model.params_.items()},
                   "standard_errors": {k: (round(float(v), 6) if np.isfinite(v) else None)
                                       for k, v in model.standard_errors_.items()},
                   "log_likelihood": round(float(model.log_likelihood_), 3),
                   "customers": int(model.n_customers_)}
            for role, model in result.models.items()
            if hasattr(model, "params_") and not (role == "p_alive" and model is result.models.get("purchases"))
        }
        out["horizon_weeks"] = result.horizon_weeks
    return out


def rules_table(run: Any) -> pd.DataFrame:
    """``segment_rules.csv``: ``segment, segment_name, rule, customers, precision, coverage``."""
    return run.rules.table(run.names["name"].to_dict())


def summary(run: Any) -> dict[str, Any]:
    """Everything ``summary.json`` records about this run."""
    seg = run.segmenter
    sizes = run.labels.value_counts().sort_index()
    n = int(len(run.labels))
    unstable = set(seg.stability_.get("unstable", []))
    weights = getattr(run.features, "weights", None)  # survey.weight: each segment's weighted share too
    weights = weights.reindex(run.labels.index).fillna(0.0) if weights is not None else None
    segments = [
        {
            "id": int(k),
            "name": str(run.names.loc[k, "name"]),
            "description": str(run.names.loc[k, "description"]),
            "size": int(sizes.get(k, 0)),
            "share": round(float(sizes.get(k, 0)) / n, 6),
            **({"weighted_share": round(float(weights[run.labels == k].sum() / weights.sum()), 6)}
               if weights is not None else {}),
            "stability": seg.stability_.get("per_segment", {}).get(int(k)),
            "stable": int(k) not in unstable,
        }
        for k in sorted(sizes.index)
    ]
    cleaning = getattr(run.features, "cleaning", None)
    if getattr(run.features, "engine", None) is not None:  # engine: spark: sizes over every customer, not the fit's sample
        from segkit.spark.stages import engine_summary

        sizes, n = run.features.engine.aggregates["size"], int(run.features.engine.n_customers)
        for item in segments:
            item.update(size=int(sizes.get(item["id"], 0)), share=round(float(sizes.get(item["id"], 0)) / n, 6))
    return plain({
        "title": run.config["title"],
        "n_customers": n,
        "n_segments": int(seg.n_segments_),
        "segments": segments,
        "algorithm": {"name": seg.algorithm_, "reason": getattr(seg, "algorithm_reason_", None)},
        "features": list(map(str, run.X.columns)),
        "k_selection": {
            "chosen": int(seg.n_segments_),
            "reasons": list(getattr(seg, "k_reasons_", [])),
            "scores": seg.k_selection_.reset_index().to_dict(orient="records")
            if getattr(seg, "k_selection_", None) is not None else [],
            "structure": getattr(seg, "structure_", None),
        },
        "stability": seg.stability_,
        "rules": run.rules.summary(run.names["name"].to_dict()) if getattr(run, "rules", None) is not None else None,
        "data_quality": {
            "inputs": {k: v.to_dict() for k, v in run.inputs.quality.items()},
            "cleaning": cleaning.to_dict() if cleaning is not None else [],
            "join": getattr(run.features, "join", None),
            "ids_generated": run.inputs.ids_generated,
            "warnings": run.data_warnings,
        },
        "inputs": run.inputs.sources,
        "config": run.public_config(),
        "seeds": {"segmentation.random_state": run.config["segmentation"]["random_state"]},
        "notes": run.notes,
        # every input column's role, basis, kind, use in the segmentation, and the evidence
        "columns": run.columns().to_dict(orient="records"),
        "outcomes": run.outcomes.to_dict(orient="records") if getattr(run, "outcomes", None) is not None else [],
        "value": value_summary(run),
        "previous_run": ({"folder": run.config.get("monitor", {}).get("previous"), **run.comparison.to_dict()}
                         if run.comparison is not None else None),
        # Quantiles and level shares of every profiled feature, so that a later run can
        # measure drift against this one (`segkit compare`); no bin under min_cell_size.
        "feature_reference": run.feature_reference(),
        "versions": versions(),
        "timings": run.timer.seconds,
        **({"engine": engine_summary(run)} if getattr(run.features, "engine", None) is not None else {}),
    })


def write_run(run: Any, out_dir: str | Path) -> dict[str, Path]:
    """Write the contract's files for ``run`` into ``out_dir``; return their paths by name.

    ``model.skops`` is written too, except inside a report kernel (``SEGKIT_MODEL_HANDOFF``
    set), where the fitted model is handed to the runner, which writes it.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with run.timer("write"):
        paths = {"segments": out / "segments.csv", "profiles": out / "profiles.csv",
                 "summary": out / "summary.json", "model": out / "model.skops"}
        if getattr(run.features, "engine", None) is not None:  # engine: spark -- every customer, written by Spark
            from segkit.spark.stages import write_segments

            write_segments(run, paths["segments"])
        else:
            write_csv(segments_table(run), paths["segments"])
        write_csv(run.profile_.long, paths["profiles"])
        if run.targeting is not None:
            paths["targeting"] = out / "targeting.csv"
            write_csv(run.targeting, paths["targeting"])
        if getattr(run, "rules", None) is not None:
            paths["rules"], paths["rules_sql"] = out / "segment_rules.csv", out / "segment_rules.sql"
            write_csv(rules_table(run), paths["rules"])
            paths["rules_sql"].write_text(run.rules.to_sql(run.names["name"].to_dict(), title=run.config["title"]),
                                          encoding="utf-8")
        if os.environ.get(MODEL_HANDOFF_ENV) == "1":
            with open(out / MODEL_HANDOFF_FILE, "wb") as fh:
                pickle.dump((run.segmenter, run.model.metadata()), fh, protocol=pickle.HIGHEST_PROTOCOL)
        else:
            run.model.save(paths["model"])
    paths["summary"].write_text(json.dumps(summary(run), indent=2, ensure_ascii=False, allow_nan=False) + "\n",
                                encoding="utf-8")
    return paths


def versions() -> dict[str, str]:
    """The versions of Python and the libraries a run used (``summary.json``'s ``versions``)."""
    import duckdb
    import matplotlib
    import scipy
    import seaborn
    import sklearn

    import segkit

    return {
        "segkit": segkit.__version__,
        "python": platform.python_version(),
        "pandas": pd.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "scikit-learn": sklearn.__version__,
        "duckdb": duckdb.__version__,
        "seaborn": seaborn.__version__,
        "matplotlib": matplotlib.__version__,
        "platform": platform.platform(),
    }
