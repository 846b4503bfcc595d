"""Benchmark: `segkit report` on a wide customer table (issue 18 item 5: 10,000 columns x 5,000 rows).

Run by hand (not part of the tests)::

    .venv/bin/python benchmarks/bench_wide.py                          # 5,000 rows x 10,000 columns
    .venv/bin/python benchmarks/bench_wide.py --columns 1000 --tag 1k  # a quicker look
    .venv/bin/python benchmarks/bench_wide.py --keep                   # keep the CSV in benchmarks/data/ and reuse it

The table is numeric readings (three decimals) with an id column, written as CSV: most
columns are noise, ``--signal`` of them carry ``--groups`` planted groups (each puts the
groups at evenly spaced centres two noise widths apart, in its own order). `segkit report`
runs on it with a config naming only the file; the benchmark records wall time, CPU time and
peak memory of the process tree (the same measurement as ``bench_end_to_end.py``), the stage
timings of ``summary.json``, how many columns were clustered and how many planted columns
the wide-table screen kept, and the adjusted Rand index of the segments against the planted
groups. Results go to ``benchmarks/results/wide.md`` (``wide_<tag>.md`` with ``--tag``).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_end_to_end import ari, run  # noqa: E402  (a script beside this one)
from keep_notes import write_results

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
DATA = HERE / "data"  # git-ignored: tables kept between runs with --keep


def generate(path: Path, rows: int, columns: int, signal: int, groups: int, seed: int) -> pd.Series:
    """Write the wide table to ``path``; return the planted group of each customer id."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, groups, rows)
    values = rng.normal(size=(rows, columns)).astype(np.float32)
    centres = np.column_stack([rng.permutation(np.linspace(-2.0, 2.0, groups)) for _ in range(signal)])
    where = rng.choice(columns, signal, replace=False)  # the planted columns, anywhere in the table
    values[:, where] += centres[truth].astype(np.float32)
    names = [f"reading_{j:05d}" for j in range(columns)]
    frame = pd.DataFrame(values.round(3), columns=names)
    frame.insert(0, "customer_id", [f"C{i:06d}" for i in range(rows)])
    frame.to_csv(path, index=False, float_format="%.3f")
    truth_series = pd.Series(truth, index=frame["customer_id"], name="planted")
    truth_series.attrs["planted_columns"] = [names[j] for j in sorted(where)]
    return truth_series


def table_for(args: argparse.Namespace, folder: Path) -> tuple[Path, pd.Series, bool]:
    """The table for these arguments in ``folder``, its planted groups, and whether it was reused."""
    stem = f"wide_{args.rows}x{args.columns}_s{args.signal}_g{args.groups}_seed{args.seed}"
    table, planted = folder / f"{stem}.csv", folder / f"{stem}.planted.json"
    if table.exists() and planted.exists():
        saved = json.loads(planted.read_text(encoding="utf-8"))
        truth = pd.Series(saved["groups"], index=pd.Index(saved["ids"], name="customer_id"), name="planted")
        truth.attrs["planted_columns"] = saved["planted_columns"]
        return table, truth, True
    folder.mkdir(parents=True, exist_ok=True)
    partial = table.with_suffix(".csv.tmp")
    truth = generate(partial, args.rows, args.columns, args.signal, args.groups, args.seed)
    planted.write_text(json.dumps({"ids": truth.index.tolist(), "groups": truth.tolist(),
                                   "planted_columns": truth.attrs["planted_columns"]}), encoding="utf-8")
    partial.replace(table)
    return table, truth, False


def markdown(fig: dict) -> str:
    t = fig["timings_s"]
    stages = " | ".join(f"{k} {v}" for k, v in t.items())
    return "\n".join([
        f"# Wide table: `segkit report` on {fig['rows']:,} rows x {fig['columns']:,} columns",
        "",
        f"`benchmarks/bench_wide.py --rows {fig['rows']} --columns {fig['columns']} --signal {fig['signal']} "
        f"--groups {fig['groups']}`, {fig['when']}, {fig['cpus']} CPUs, Python {fig['python']}. CSV of "
        f"{fig['csv_mb']:,} MB, " + ("kept from an earlier run (--keep)." if fig.get("reused")
                                      else f"written in {fig['generate_s']} s."),
        "",
        "| wall s | CPU s | peak RSS MB (largest process) | clustered features | planted columns kept | k | ARI | "
        "load avg before / after |",
        "|---|---|---|---|---|---|---|---|",
        f"| {fig['wall_s']} | {fig['cpu_s']} | {fig['peak_rss_mb']:,} ({fig['peak_rss_largest_mb']:,}) | "
        f"{fig['clustered']} | {fig['planted_kept']} of {fig['signal']} | {fig['k']} | {fig['ari']} | "
        f"{fig['load_before']} / {fig['load_after']} |",
        "",
        f"Stages (summary.json `timings`, s): {stages}.",
        "",
        "Goal (issue 18 item 5): 10,000 columns x 5,000 rows end to end in 60 s or less. Wall time above the "
        "machine's CPU count is inflated by other work; CPU time is the fairer figure on a shared machine.",
        "",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000)
    parser.add_argument("--columns", type=int, default=10_000)
    parser.add_argument("--signal", type=int, default=20, help="columns that carry the planted groups")
    parser.add_argument("--groups", type=int, default=4)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--tag", default="", help="results file suffix (wide_<tag>.md)")
    parser.add_argument("--keep", action="store_true",
                        help=f"keep the generated table in {DATA.relative_to(HERE.parent)}/ (git-ignored) and reuse it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="segkit-wide-") as tmp:
        work = Path(tmp)
        started = time.perf_counter()
        table, truth, reused = table_for(args, DATA if args.keep else work)
        generated = round(time.perf_counter() - started, 1)
        config, out = work / "config.yml", work / "out"
        config.write_text(f"title: Wide table\ndata:\n  customers: {table}\n", encoding="utf-8")
        fig = run([str(Path(sys.executable).with_name("segkit")), "report", str(config), "--out", str(out), "--quiet"])
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        segments = pd.read_csv(out / "segments.csv", dtype={"customer_id": str}).set_index("customer_id")
        clustered = summary.get("features") or summary.get("clustered_features") or []
        fig.update({
            "rows": args.rows, "columns": args.columns, "signal": args.signal, "groups": args.groups,
            "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "cpus": len(__import__("os").sched_getaffinity(0)),
            "python": platform.python_version(), "csv_mb": round(table.stat().st_size / 2**20), "generate_s": generated,
            "reused": reused,
            "k": summary["n_segments"], "timings_s": {k: round(v, 1) for k, v in summary.get("timings", {}).items()},
            "clustered": len(clustered) if clustered else "?",
            "planted_kept": len(set(clustered) & set(truth.attrs["planted_columns"])) if clustered else "?",
        })
        fig["ari"], _ = ari(segments["segment"], truth)
    name = f"wide_{args.tag}" if args.tag else "wide"
    RESULTS.mkdir(exist_ok=True)
    write_results(RESULTS / f"{name}.md", markdown(fig))
    (RESULTS / f"{name}.json").write_text(json.dumps(fig, indent=2) + "\n", encoding="utf-8")
    print(markdown(fig))


if __name__ == "__main__":
    main()
