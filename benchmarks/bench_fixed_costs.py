"""Benchmark: what a report costs beyond its stages (kernel start, imports, figures, HTML).

Run by hand (not part of the tests)::

    .venv/bin/python benchmarks/bench_fixed_costs.py            # 3 runs of a small report
    .venv/bin/python benchmarks/bench_fixed_costs.py --runs 5

Three measurements:

1. ``segkit report`` on a small customer table (the demo's 300 customers, no purchase log),
   run as the command in a subprocess, several times. Its stages (load ... write, timed by
   the report itself in ``summary.json``) take about a second; everything else is the fixed
   cost: starting the command and the kernel, imports, the cells that draw figures and
   tables, the HTML export, publishing, ending the process. Wall and CPU time (the command
   and its kernel) are recorded, and the fixed part is split by the times the executed
   notebook records per cell.
2. The distribution figure of one feature across five segments at 1M customers
   (:func:`segkit.plots.plot_feature_by_segment`, drawn from five values per segment by
   :func:`segkit.plots.box_summary`), against seaborn drawing the same boxes from every
   customer's value, in one process.
3. The segment map's points at 1M customers: every customer's features prepared and then the
   map's seeded sample taken, against the sample taken first (:func:`segkit.report.sections.map_points`).

Results are printed and written to ``benchmarks/results/fixed_costs.md`` and ``.json``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from keep_notes import write_results
from machine import speed_probe

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"

#: The notebook cell that runs the stages (its source starts with this line).
STAGE_CELL = "run.load()"


def small_report(runs: int) -> list[dict]:
    """Run ``segkit report`` on a 300-customer table ``runs`` times; one dict of figures per run."""
    import compileall

    import segkit as package
    from segkit.datasets import make_demo

    compileall.compile_dir(Path(package.__file__).parent, quiet=1)  # as `make setup` does
    segkit = Path(sys.executable).with_name("segkit")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        table = Path(tmp) / "customers.csv"
        make_demo(n_customers=300, random_state=0).customers.to_csv(table, index=False)
        for i in range(runs):
            out = Path(tmp) / f"out{i}"
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            load, probe = os.getloadavg()[0], speed_probe()
            start, started_at = time.perf_counter(), time.time()
            proc = subprocess.run([str(segkit), "report", "--set", f"data.customers={table}", "--out", str(out),
                                   "--quiet"], capture_output=True, text=True, check=False)
            wall, ended_at = time.perf_counter() - start, time.time()
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if proc.returncode != 0:
                sys.exit(f"segkit report failed: {(proc.stderr.strip().splitlines() or ['?'])[-1]}")
            timings = json.loads((out / "summary.json").read_text(encoding="utf-8"))["timings"]
            cells = _cell_seconds(out / "report.ipynb")
            first, last = cells.pop("first_start"), cells.pop("last_end")
            stages = sum(v for k, v in timings.items() if k not in ("notebook_total", "html_export"))
            results.append({
                "wall": round(wall, 2),
                "cpu": round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 2),
                "load_average": round(load, 2),
                "speed_probe": probe,
                "stages": round(stages, 2),
                "fixed": round(wall - stages, 2),
                "before_first_cell": round(first - started_at, 2),
                "stage_cell": cells["stage_cell"],
                "other_cells": cells["other_cells"],
                "after_last_cell": round(ended_at - last, 2),
                "html_export": timings["html_export"],
            })
            print(f"run {i + 1}: {results[-1]}", flush=True)
    return results


def _cell_seconds(notebook: Path) -> dict:
    """Seconds in the stage cell and in every other cell; when the first cell started and the last ended."""
    from datetime import datetime

    nb = json.loads(notebook.read_text(encoding="utf-8"))
    stage = other = 0.0
    starts, ends = [], []
    for cell in nb["cells"]:
        timing = cell.get("metadata", {}).get("papermill", {})
        if not timing.get("start_time"):
            continue
        starts.append(datetime.fromisoformat(timing["start_time"]).timestamp())
        ends.append(datetime.fromisoformat(timing["end_time"]).timestamp())
        if "".join(cell.get("source", "")).lstrip().startswith(STAGE_CELL):
            stage += timing["duration"]
        else:
            other += timing["duration"]
    return {"stage_cell": round(stage, 2), "other_cells": round(other, 2), "first_start": min(starts),
            "last_end": max(ends)}


def million_customer_figure(n: int = 1_000_000) -> dict:
    """CPU seconds to draw one feature's distribution per segment: from five values, from every value."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    import pandas as pd
    import seaborn as sns

    from segkit import plots

    plots.report_style()
    rng = np.random.default_rng(0)
    data = pd.DataFrame({"spend": rng.lognormal(3, 1, n)})
    labels = pd.Series(rng.integers(0, 5, n), index=data.index)
    names = {s: f"Segment {s}" for s in range(5)}
    plots.plot_feature_by_segment(data.head(1000), "spend", labels.head(1000), names=names)  # warm up
    plt.close("all")
    seconds = {}
    for how in ("five values per segment", "every value (seaborn alone)"):
        start = time.process_time()
        if how.startswith("five"):
            ax = plots.plot_feature_by_segment(data, "spend", labels, names=names, log=True)
        else:
            frame = pd.DataFrame({"value": data["spend"], "label": [names[s] for s in labels]})
            _, ax = plt.subplots(figsize=(9, 3.3))
            sns.boxplot(data=frame, x="value", y="label", hue="label", showfliers=False, ax=ax, legend=False,
                        log_scale=(True, False))
        ax.figure.savefig(io.BytesIO(), format="png", bbox_inches="tight")  # drawn and encoded, kept nowhere
        seconds[how] = round(time.process_time() - start, 2)
        plt.close("all")
    return seconds


def million_customer_map(n: int = 1_000_000) -> dict:
    """CPU seconds to get the segment map's points at 1M customers: every customer's features
    prepared, then the map's sample taken (before), or the sample taken first (``sections.map_points``)."""
    from types import SimpleNamespace

    import numpy as np
    import pandas as pd

    from segkit.plot_data import MAP_POINTS, sample_rows
    from segkit.report import sections
    from segkit.segment import Segmenter

    rng = np.random.default_rng(0)
    X = pd.DataFrame({"recency_days": rng.exponential(90, n), "frequency": rng.poisson(3, n) + 1.0,
                      "monetary": rng.lognormal(5, 1, n), "tenure_days": rng.uniform(0, 700, n),
                      "avg_order_value": rng.lognormal(3, 0.5, n), "channel": rng.choice(["web", "store", "app"], n)},
                     index=pd.Index([f"c{i}" for i in range(n)], name="customer_id"))
    segmenter = Segmenter(n_segments=5, n_bootstrap=0, random_state=0).fit(X.sample(20_000, random_state=0))
    run = SimpleNamespace(segmenter=segmenter, X=X, labels=pd.Series(rng.integers(0, 5, n), index=X.index))
    seconds = {}
    start = time.process_time()
    every = sections.embedding(run)
    rows = sample_rows(n, MAP_POINTS)
    every = every[rows]
    seconds["every customer prepared, then sampled"] = round(time.process_time() - start, 2)
    start = time.process_time()
    sample, _ = sections.map_points(run)
    seconds["sample prepared (map_points)"] = round(time.process_time() - start, 2)
    assert np.allclose(sample, every)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    runs = small_report(args.runs)
    figure = million_customer_figure()
    print(f"1M customers, one box figure (CPU s): {figure}")
    segment_map = million_customer_map()
    print(f"1M customers, the segment map's points (CPU s): {segment_map}")
    med = {k: round(statistics.median(r[k] for r in runs), 2) for k in runs[0]}
    result = {"runs": runs, "median": med, "figure_1M": figure, "segment_map_1M": segment_map,
              "machine": platform.platform(), "cores": os.cpu_count(),
              "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "fixed_costs.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    lines = [
        "# Fixed costs of a report",
        "",
        f"`benchmarks/bench_fixed_costs.py`, {result['when']}, {result['cores']} cores, {result['machine']}.",
        "",
        "`segkit report` on a 300-customer table (no purchase log), run as the command; seconds.",
        "`fixed` is wall time minus the stages the report times itself (load ... write). The wall time is",
        "split at the first cell's start and the last cell's end (the times papermill records): before",
        "the first cell the command starts, checks the config, previews the data and waits for the kernel",
        "(started first, importing the report's modules); after the last cell it exports the HTML, saves",
        "the model, publishes the folder and ends. `probe` is the machine's speed just before the run",
        "(`benchmarks/machine.py`: seconds of a fixed piece of single-core work; 0.114 s on the tenth",
        "session's machine in a quick hour): figures of runs whose probes differ compare only after scaling.",
        "",
        "| run | wall | CPU | load avg | probe | stages | fixed | before first cell | stage cell | other cells | after last cell | HTML |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for i, r in enumerate([*runs, med]):
        name = "median" if i == len(runs) else str(i + 1)
        lines.append(f"| {name} | {r['wall']} | {r['cpu']} | {r['load_average']} | {r['speed_probe']} | {r['stages']} | {r['fixed']} | "
                     f"{r['before_first_cell']} | {r['stage_cell']} | {r['other_cells']} | {r['after_last_cell']} | "
                     f"{r['html_export']} |")
    lines += ["", "One feature's distribution across 5 segments at 1,000,000 customers (CPU seconds, drawn and saved):",
              "", "| drawn from | CPU s |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in figure.items()]
    lines += ["", "The segment map's points (at most 4,000 customers, a seeded sample) at 1,000,000 customers "
              "(CPU seconds):", "", "| taken from | CPU s |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in segment_map.items()]
    write_results(RESULTS / "fixed_costs.md", "\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
