"""The benchmark's results as Markdown (``benchmarks/results/roles.md``).

Examples
--------
>>> import pandas as pd
>>> print(markdown_table(pd.DataFrame({"role": ["outcome"], "right": [0.25]}), percent=["right"]))
| role | right |
|---|---|
| outcome | 25.0% |
"""

from __future__ import annotations

import pandas as pd

from benchmarks.rolebench.run import ANALYSIS_SETTINGS, STAGES, TableRun
from benchmarks.rolebench.score import accuracy, confusions, crashes, figures
from benchmarks.rolebench.today import MAPPING
from benchmarks.rolebench.truth import KINDS, NUMBER_KINDS

__all__ = ["markdown_table", "render", "summary"]

_GOAL = 0.98
#: The first run of this benchmark, before segkit judged columns by their content (issue 14), for comparison.
_BEFORE = ("The first run (`--tables 525 --seed 14`, segkit at `a772aef`, its answers mapped onto the vocabulary "
           "since it had no kinds and no outcome role): 55.0% of columns right (role, basis and kind), 76.8% role "
           "right, 64.8% kind right; 117 of 525 tables crashed at load (out-of-range dates, 20-digit ids, rating or "
           "usage 'time' columns taken for dates, bands in numeric columns, no customer id found); 106 of 147 "
           "outcome columns clustered in the sample and 235 of 324 detected into a segmentation basis; 23 of 191 "
           "identifier columns profiled. Flags were 0% right, ordinal scales 22.0%, outcomes 27.5%, codes 64.7%.")


def markdown_table(frame: pd.DataFrame, *, percent=(), index: bool = False) -> str:
    """``frame`` as a Markdown table, the ``percent`` columns as percentages."""
    frame = frame.reset_index() if index else frame
    lines = ["| " + " | ".join(map(str, frame.columns)) + " |", "|" + "---|" * len(frame.columns)]
    for _, row in frame.iterrows():
        cells = [f"{row[c]:.1%}" if c in percent else str(row[c]).replace("|", "\\|").replace("\n", " ")
                 for c in frame.columns]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def summary(f: dict) -> str:
    """The headline figures in a few lines, for a terminal."""
    crashed = ", ".join(f"{stage} {n}" for stage, n in f["crashes_by_stage"].items() if n) or "none"
    return (f"{f['tables']} tables, {f['columns']} columns: right {f['right']:.1%} (goal {_GOAL:.0%}), "
            f"role+basis {f['detected']:.1%}, role {f['role']:.1%}, basis {f['basis']:.1%}, kind {f['kind']:.1%}\n"
            f"crashes: {crashed}\n"
            f"outcomes clustered {f['outcomes_clustered']} of {f['outcomes_analysed']} "
            f"({f['analysed_tables']} tables analysed); outcomes detected into a basis {f['outcomes_in_bases']} of "
            f"{f['outcomes']}; identifiers profiled {f['identifiers_profiled']} of {f['identifiers_analysed']}")


def _share(part: int, whole: int) -> str:
    return f"{part:,} of {whole:,}" + (f" ({part / whole:.1%})" if whole else "")


def _headline(f: dict) -> str:
    stages = ", ".join(f"{f['crashes_by_stage'][s]} at {s}" for s in STAGES[:4] if f["crashes_by_stage"][s])
    sample = ", ".join(f"{f['crashes_by_stage'][s]} at {s}" for s in STAGES[4:] if f["crashes_by_stage"][s])
    rows = [
        ("columns right: role, basis and kind, table loaded", f"{f['right']:.1%}", f"at least {_GOAL:.0%}"),
        ("role and basis right (detect_roles alone)", f"{f['detected']:.1%}", ""),
        ("role right", f"{f['role']:.1%}", ""),
        ("basis right", f"{f['basis']:.1%}", ""),
        ("kind right", f"{f['kind']:.1%}", ""),
        ("tables that crashed (read, detect, load, features)",
         _share(f["crashed_tables"], f["tables"]) + (f": {stages}" if stages else ""), "0"),
        ("outcome columns clustered (sample through segment())",
         _share(f["outcomes_clustered"], f["outcomes_analysed"]), "0"),
        ("outcome columns detected into a segmentation basis (all tables)",
         _share(f["outcomes_in_bases"], f["outcomes"]), "0"),
        ("identifier columns profiled (sample through profile())",
         _share(f["identifiers_profiled"], f["identifiers_analysed"]), "0"),
        ("crashes of the sample's segment() and profile()", sample or "none", "0"),
    ]
    return markdown_table(pd.DataFrame(rows, columns=["figure", "today", "goal"]))


def _missed_kinds(columns: pd.DataFrame) -> str:
    per_kind = accuracy(columns, "true_kind")
    lines = []
    for kind in KINDS:
        if kind not in per_kind.index:
            continue
        row = per_kind.loc[kind]
        of_kind = columns[columns["true_kind"] == kind]
        loaded = of_kind[of_kind["crash_stage"].isna()]
        answers = loaded.loc[~loaded["kind_ok"], "kind"].fillna("-").value_counts()
        said = ", ".join(f"{a} ({n})" for a, n in answers.head(3).items()) or "none"
        crashed = int(of_kind["crash_stage"].notna().sum())
        lines.append(f"- **{kind}**: kind right for {row['kind']:.1%} of {int(row['columns']):,} columns "
                     f"({crashed:,} in tables that crashed); wrong answers in tables that loaded: {said}.")
    return "\n".join(lines)


def _listed(columns: pd.DataFrame, most: int = 12) -> str:
    """Columns named with their table and first values, and how many of each concept."""
    if columns.empty:
        return "None."
    shown = [f"`{r.column}` ({r.table}: {r.example})" for r in columns.head(most).itertuples()]
    more = f", and {len(columns) - most} more" if len(columns) > most else ""
    concepts = ", ".join(f"{c} {n}" for c, n in columns["concept"].value_counts().items())
    return "; ".join(shown) + more + f". By concept: {concepts}."


def _worst_concepts(columns: pd.DataFrame, most: int = 25) -> pd.DataFrame:
    per_concept = accuracy(columns, "concept")
    return per_concept[per_concept["columns"] >= 10].sort_values(["right", "columns"], ascending=[True, False]).head(most)


def render(runs: list[TableRun], columns: pd.DataFrame, *, command: str, commit: str, date: str) -> str:
    """The whole results file."""
    f = figures(runs, columns)
    shapes = sorted({r.table.shape for r in runs})
    languages = columns.drop_duplicates("table")["language"].value_counts()
    crash_table = crashes(runs)
    settings = ", ".join(f"{k}={v}" for k, v in ANALYSIS_SETTINGS.items())
    parts = [
        "# Role detection benchmark (issue 14, item 7)",
        f"`{command}` on {date}, segkit at `{commit}`: {f['tables']:,} generated tables ({f['customer_tables']:,} "
        f"customer tables, {f['purchase_logs']:,} purchase logs; {len(shapes)} shapes) holding {f['columns']:,} "
        f"columns whose true role, basis and kind are known; {f['seconds']:.0f} s in one process (on a 2-core machine "
        f"shared with other work). Tables by language: "
        + ", ".join(f"{lang} {n}" for lang, n in languages.items()) + ". "
        f"Every table is written to a file, read with `segkit.io.read_table`, its roles detected with "
        f"`segkit.io.detect_roles`, then loaded and turned into features by `segkit.pipeline.Analysis` (`load()`, "
        f"`build_features()`); {f['analysed_tables']} customer tables also go through `segment()` ({settings}: "
        f"which columns are clustered does not depend on k) and `profile()`. Any exception is a miss.",
        "Shapes: " + ", ".join(f"`{s}`" for s in shapes) + ". The generator is `benchmarks/rolebench/` "
        "(concepts in `people.py`, `habits.py`, `logs.py`; shapes in `shapes.py`).",
        "## Where we are", _headline(f),
        "## Before column calls",
        _BEFORE,
        "## How segkit's answers are read",
        "segkit gives every column a call: a role, a basis and a kind, with the evidence "
        "(`benchmarks/rolebench/today.py` reads them):",
        "\n".join(f"- {rule}" for rule in MAPPING),
        f"Number kinds are {', '.join(NUMBER_KINDS)}; a table whose reading, detection, loading or features "
        "crashed counts every column as wrong in *right* (detection figures keep what `detect_roles` said).",
        "## Accuracy per true role",
        markdown_table(accuracy(columns, "true_role"), percent=["role", "basis", "kind", "right"], index=True),
        "## Accuracy per true basis",
        markdown_table(accuracy(columns, "true_basis"), percent=["role", "basis", "kind", "right"], index=True),
        "## Accuracy per true kind",
        markdown_table(accuracy(columns, "true_kind"), percent=["role", "basis", "kind", "right"], index=True),
        "## Kinds still wrong", _missed_kinds(columns),
        "## Most common confusions",
        "Columns of tables that loaded, by true role / kind -> today's role / kind, with the concepts behind "
        "them and one example (column, table: first values).",
        markdown_table(confusions(columns, top=20)),
        "## Crashes",
        markdown_table(crash_table) if len(crash_table) else "None.",
        "## Outcome columns clustered",
        _listed(columns[columns["clustered"] & (columns["true_role"] == "outcome")]),
        "## Identifier columns profiled",
        _listed(columns[columns["profiled"] & columns["true_role"].isin(["identifiers", "customer_id"])]),
        "## The concepts least often right",
        "Each generated column comes from a concept of `benchmarks/rolebench/` (`out.churn`, `beh.contact_day`, ...); "
        "the 25 with the fewest columns right, of those with at least 10 columns:",
        markdown_table(_worst_concepts(columns), percent=["role", "basis", "kind", "right"], index=True),
        "## Accuracy per table shape",
        markdown_table(accuracy(columns, "shape"), percent=["role", "basis", "kind", "right"], index=True),
        "## Accuracy per language of the column names",
        markdown_table(accuracy(columns, "language"), percent=["role", "basis", "kind", "right"], index=True),
    ]
    return "\n\n".join(parts) + "\n"
