"""Score segkit's answers against the truth: per column, then per role, basis, kind, shape and
language, the commonest confusions, the crashes, and what the report path clusters and profiles.

A column is *right* when its role, basis and kind are all right and its table was read,
detected, loaded and turned into features without an exception (a crash is a miss for every
column of the table). *Detected* asks only role and basis from :func:`segkit.io.detect_roles`,
whatever happened after.

Examples
--------
>>> import tempfile
>>> from benchmarks.rolebench.run import run_tables
>>> from benchmarks.rolebench.shapes import make_tables
>>> runs = run_tables(make_tables(2, seed=14), tempfile.mkdtemp(), analyse=lambda i, t: False)
>>> columns = column_records(runs)
>>> sorted(figures(runs, columns)) == sorted(FIGURES)
True
"""

from __future__ import annotations

import re

import pandas as pd

from benchmarks.rolebench.run import STAGES, TableRun
from benchmarks.rolebench.truth import kind_matches

__all__ = ["FIGURES", "GROUPS_CLUSTERED", "accuracy", "column_records", "confusions", "crashes", "figures"]

#: Stages whose crash is a miss for every column of the table (the sample's stages are counted apart).
_TABLE_STAGES = STAGES[:4]
#: Roles whose columns a default segmentation may cluster.
GROUPS_CLUSTERED = ("demographics", "geography", "behaviour", "psychographics", "technographics")
#: The keys of :func:`figures`.
FIGURES = ("tables", "customer_tables", "purchase_logs", "columns", "right", "detected", "role", "basis", "kind",
           "crashed_tables", "crashes_by_stage", "analysed_tables", "outcomes_analysed", "outcomes_clustered",
           "identifiers_analysed", "identifiers_profiled", "outcomes", "outcomes_in_bases", "seconds")


def _example(values: pd.Series) -> str:
    shown = [str(v) for v in pd.unique(values.dropna())[:4]]
    return ", ".join(s if len(s) <= 24 else s[:21] + "..." for s in shown)


def column_records(runs: list[TableRun]) -> pd.DataFrame:
    """One row per generated column: its table, truth, today's answer and whether each part is right."""
    rows = []
    for result in runs:
        table, crash = result.table, result.crash
        table_crashed = crash is not None and crash.stage in _TABLE_STAGES
        for i, column in enumerate(table.columns):
            predicted = result.predictions[i] if result.predictions else None
            role_ok = predicted is not None and predicted.role == column.role
            basis_ok = predicted is not None and predicted.basis == column.basis
            kind_ok = predicted is not None and kind_matches(column.kind, predicted.kind)
            rows.append({
                "table": table.name, "shape": table.shape, "table_kind": table.kind, "language": table.language,
                "column": column.name, "concept": column.concept, "true_role": column.role,
                "true_basis": column.basis, "true_kind": column.kind,
                "role": getattr(predicted, "role", None), "basis": getattr(predicted, "basis", None),
                "kind": getattr(predicted, "kind", None), "role_ok": role_ok, "basis_ok": basis_ok, "kind_ok": kind_ok,
                "detected_ok": role_ok and basis_ok, "right": role_ok and basis_ok and kind_ok and not table_crashed,
                "crash_stage": crash.stage if crash else None, "analysed": result.analysed,
                "clustered": bool(result.clustered[i]) if result.clustered else False,
                "profiled": bool(result.profiled[i]) if result.profiled else False,
                "example": _example(table.frame[column.name]),
            })
    return pd.DataFrame(rows)


def accuracy(columns: pd.DataFrame, by: str) -> pd.DataFrame:
    """Columns and the share right (role, basis, kind, all) per value of ``by``, most columns first."""
    out = columns.groupby(by).agg(columns=("right", "size"), role=("role_ok", "mean"), basis=("basis_ok", "mean"),
                                  kind=("kind_ok", "mean"), right=("right", "mean"))
    return out.sort_values(["columns", "right"], ascending=[False, True])


def confusions(columns: pd.DataFrame, top: int = 15) -> pd.DataFrame:
    """The commonest wrong answers of tables that did not crash: truth -> answer, how many, an example."""
    wrong = columns[~columns["right"] & columns["crash_stage"].isna()].copy()
    wrong["truth"] = wrong["true_role"] + " / " + wrong["true_kind"]
    wrong["answer"] = wrong["role"].fillna("-") + " / " + wrong["kind"].fillna("-")
    rows = []
    for (truth, answer), group in wrong.groupby(["truth", "answer"]):
        concept = group["concept"].value_counts().index[0]
        example = group[group["concept"] == concept].iloc[0]
        rows.append({"truth": truth, "answer": answer, "columns": len(group),
                     "concepts": ", ".join(group["concept"].value_counts().index[:4]),
                     "example": f"`{example['column']}` ({example['table']}): {example['example']}"})
    out = pd.DataFrame(rows, columns=["truth", "answer", "columns", "concepts", "example"])
    return out.sort_values("columns", ascending=False).head(top).reset_index(drop=True)


def _pattern(message: str) -> str:
    """A crash message with its particulars (quoted names, numbers) blanked, to count alike crashes together."""
    message = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", message)
    message = re.sub(r"\[[^\]]*\]", "[…]", message)
    message = re.sub(r"^\S+\.(csv|tsv|parquet): ", "", message)
    return re.sub(r"\d[\d,.:\- ]*", "N ", message).strip()


def crashes(runs: list[TableRun]) -> pd.DataFrame:
    """Crashes counted by stage, exception and message pattern, each with an example."""
    rows = [{"stage": r.crash.stage, "error": r.crash.error, "pattern": _pattern(r.crash.message),
             "table": r.table.name, "message": r.crash.message} for r in runs if r.crash is not None]
    if not rows:
        return pd.DataFrame(columns=["stage", "error", "pattern", "tables", "example"])
    frame = pd.DataFrame(rows)
    out = frame.groupby(["stage", "error", "pattern"], sort=False).agg(
        tables=("table", "size"), table=("table", "first"), message=("message", "first")).reset_index()
    out["example"] = out["table"] + ": " + out["message"].str.slice(0, 240)
    out["stage"] = pd.Categorical(out["stage"], STAGES, ordered=True)
    return out.sort_values(["stage", "tables"], ascending=[True, False])[
        ["stage", "error", "pattern", "tables", "example"]].reset_index(drop=True)


def figures(runs: list[TableRun], columns: pd.DataFrame) -> dict:
    """The headline figures (see :data:`FIGURES`)."""
    crashed = [r for r in runs if r.crash is not None]
    analysed = columns[columns["analysed"]]
    outcomes = columns[columns["true_role"] == "outcome"]
    ids = analysed[analysed["true_role"].isin(["identifiers", "customer_id"])]
    return {
        "tables": len(runs),
        "customer_tables": sum(r.table.kind == "customers" for r in runs),
        "purchase_logs": sum(r.table.kind == "transactions" for r in runs),
        "columns": len(columns),
        "right": float(columns["right"].mean()),
        "detected": float(columns["detected_ok"].mean()),
        "role": float(columns["role_ok"].mean()),
        "basis": float(columns["basis_ok"].mean()),
        "kind": float(columns["kind_ok"].mean()),
        "crashed_tables": sum(r.crash.stage in _TABLE_STAGES for r in crashed),
        "crashes_by_stage": {stage: sum(r.crash.stage == stage for r in crashed) for stage in STAGES},
        "analysed_tables": sum(r.analysed for r in runs),
        "outcomes_analysed": int((analysed["true_role"] == "outcome").sum()),
        "outcomes_clustered": int((analysed["clustered"] & (analysed["true_role"] == "outcome")).sum()),
        "identifiers_analysed": len(ids),
        "identifiers_profiled": int(ids["profiled"].sum()),
        "outcomes": len(outcomes),
        "outcomes_in_bases": int(outcomes["role"].isin(GROUPS_CLUSTERED).sum()),
        "seconds": float(sum(r.seconds for r in runs)),
    }
