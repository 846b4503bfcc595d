"""Benchmark: `segkit report` against the hand-written pandas + scikit-learn notebook, end to end.

Run by hand (not part of the tests)::

    .venv/bin/python benchmarks/bench_end_to_end.py                     # ~10M lines, 800k customers
    .venv/bin/python benchmarks/bench_end_to_end.py --lines 1_000_000   # ~1M lines, 80k customers

It generates a purchase log with the five planted segments of :mod:`segkit.datasets`
(the demo's generator, drawn in chunks of 100,000 customers and written as Parquet part
files into a temporary folder; the mean lines per order are scaled so the log has about
``--lines`` lines for ``--customers`` customers), then runs, one after the other, each in
its own process tree:

- ``segkit report`` on the log (config: the log and its column roles, nothing else), and
- ``benchmarks/handwritten_notebook.py``: pandas RFM, KMeans ``n_init=10`` for k = 2..8 with
  a sampled silhouette, profile means and three seaborn figures.

For each it records wall time, peak memory (resident set size summed over the process and
its children, polled every 0.1 s, so a spike shorter than that can be missed; and of its
largest process), CPU time (user + system of the whole tree), the number of
segments k and the adjusted Rand index of its segments against the planted truth; for segkit
also the stage timings of ``summary.json``. The load average is recorded before and after
each run: the machine may be shared. Results are printed and written to
``benchmarks/results/end_to_end.md`` and ``end_to_end.json`` (other sizes:
``end_to_end_1M.md``, ...).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import psutil
from keep_notes import write_results
from machine import speed_probe
from sklearn.metrics import adjusted_rand_score

from segkit.datasets.draw import purchase_log, transaction_frame
from segkit.datasets.planted import SEGMENTS

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
CHUNK = 100_000
START, END = pd.Timestamp("2024-01-01"), pd.Timestamp("2025-12-31")
COLUMNS = {"customer_id": "customer_id", "date": "order_date", "quantity": "quantity", "price": "unit_price",
           "invoice": "invoice", "channel": "channel", "category": "product_category"}


def planted_params(lines: int, customers: int) -> pd.DataFrame:
    """The planted segments, with lines per order scaled to give about ``lines / customers`` lines each."""
    params = pd.DataFrame(SEGMENTS)
    orders = params["share"] * (params["min_orders"] + params["extra_orders"])
    extra_lines = (orders * params["lines_mean"]).sum()
    scale = max(0.0, (lines / customers - orders.sum()) / extra_lines)
    if scale == 0.0:
        print(f"note: the planted segments place {orders.sum():.1f} orders per customer; "
              f"the log will have more than {lines:,} lines")
    params["lines_mean"] = params["lines_mean"] * scale
    return params


def generate(folder: Path, lines: int, customers: int, seed: int) -> tuple[int, pd.Series]:
    """Write the planted log as Parquet parts into ``folder``; return its line count and the truth."""
    params = planted_params(lines, customers)
    shares = params["share"].to_numpy()
    occasional = int(np.flatnonzero(params["min_orders"] == 1)[0])
    n_days = (END - START).days + 1
    n_lines, truth = 0, []
    for part, first in enumerate(range(0, customers, CHUNK)):
        n = min(CHUNK, customers - first)
        rng = np.random.default_rng([seed, part])
        seg = rng.choice(len(params), n, p=shares / shares.sum())
        n_guests = max(2, round(0.004 * n))  # guest checkouts: no customer id
        log = purchase_log(rng, params, np.concatenate([seg, np.full(n_guests, occasional)]),
                           n_real=n, n_days=n_days)
        ids = np.char.add("C", np.char.zfill(np.arange(first + 1, first + n + 1).astype(str), 7))
        row_of = np.concatenate([np.arange(n), np.full(n_guests, -1)])
        frame = transaction_frame(rng, log, pd.Series(ids), row_of, START)
        frame.to_parquet(folder / f"part-{part:04d}.parquet", index=False)
        n_lines += len(frame)
        truth.append(pd.Series(seg, index=ids))
    return n_lines, pd.concat(truth).rename("planted").rename_axis("customer_id")


def run(cmd: list[str]) -> dict:
    """Run ``cmd``; wall time, CPU time, peak RSS of its process tree, the load average around it and
    the machine's speed probe (:func:`machine.speed_probe`) just before and just after it."""
    probe_before = speed_probe()
    load_before = os.getloadavg()[0]
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0, 0]  # the tree's sum, the largest single process

    def poll() -> None:
        try:
            root = psutil.Process(proc.pid)
        except psutil.NoSuchProcess:
            return
        while proc.poll() is None:
            rss = []
            try:
                for p in [root, *root.children(recursive=True)]:
                    try:
                        rss.append(p.memory_info().rss)
                    except psutil.Error:
                        pass
            except psutil.Error:
                break
            peak[0], peak[1] = max(peak[0], sum(rss)), max([peak[1], *rss])
            time.sleep(0.1)

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    watcher.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (usage.ru_utime + usage.ru_stime)
    if proc.returncode != 0:
        sys.exit(f"{cmd[0]} failed ({proc.returncode}): {(err.strip().splitlines() or ['?'])[-1]}")
    return {"wall_s": round(wall, 1), "cpu_s": round(cpu, 1), "peak_rss_mb": round(peak[0] / 2**20),
            "peak_rss_largest_mb": round(peak[1] / 2**20),
            "load_before": round(load_before, 1), "load_after": round(os.getloadavg()[0], 1),
            "probe_before_s": probe_before, "probe_after_s": speed_probe()}


def ari(labels: pd.Series, truth: pd.Series) -> tuple[float, int]:
    """Adjusted Rand index of ``labels`` against the planted truth, on the customers both have."""
    both = pd.concat([labels.rename("found"), truth], axis=1, join="inner")
    return round(float(adjusted_rand_score(both["planted"], both["found"])), 3), len(both)


def run_segkit(log: Path, work: Path, truth: pd.Series, title: str) -> dict:
    config, out = work / "config.yml", work / "segkit_out"
    columns = "".join(f"  {k}: {v}\n" for k, v in COLUMNS.items())
    config.write_text(f"title: {title}\ndata:\n  transactions: {log}\ncolumns:\n{columns}", encoding="utf-8")
    figures = run([str(Path(sys.executable).with_name("segkit")), "report", str(config), "--out", str(out),
                   "--quiet"])
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    segments = pd.read_csv(out / "segments.csv", dtype={"customer_id": str}).set_index("customer_id")
    figures["ari"], figures["customers_compared"] = ari(segments["segment"], truth)
    figures["k"] = summary["n_segments"]
    figures["customers"] = summary["n_customers"]
    figures["timings_s"] = {k: round(v, 1) for k, v in summary.get("timings", {}).items()}
    return figures


def run_notebook(log: Path, work: Path, truth: pd.Series) -> dict:
    out = work / "notebook_out"
    figures = run([sys.executable, str(HERE / "handwritten_notebook.py"), str(log), str(out)])
    result = json.loads((out / "result.json").read_text(encoding="utf-8"))
    labels = pd.read_csv(out / "labels.csv", dtype={"customer_id": str}).set_index("customer_id")
    figures["ari"], figures["customers_compared"] = ari(labels["segment"], truth)
    figures["k"] = result["k"]
    figures["customers"] = len(labels)
    figures["timings_s"] = {k: round(v, 1) for k, v in result["seconds"].items()}
    return figures


def markdown(fig: dict) -> str:
    """The results file."""
    seg, nb = fig["segkit"], fig["notebook"]
    rows = "\n".join(
        f"| {name} | {r['wall_s']:.1f} | {r['cpu_s']:.1f} | {r['peak_rss_mb']:,} ({r['peak_rss_largest_mb']:,}) | "
        f"{r['k']} | {r['ari']:.3f} | "
        f"{r['customers']:,} | {r['load_before']} / {r['load_after']} | "
        f"{r.get('probe_before_s', '-')} / {r.get('probe_after_s', '-')} |"
        for name, r in (("`segkit report`", seg), ("hand-written notebook", nb)))
    stages = "\n".join(f"| {k} | {v:.1f} |" for k, v in seg["timings_s"].items())
    nb_stages = ", ".join(f"{k} {v:.1f} s" for k, v in nb["timings_s"].items())
    speedup = nb["wall_s"] / seg["wall_s"]
    return (
        "# End to end: `segkit report` against a hand-written notebook\n\n"
        f"`benchmarks/bench_end_to_end.py --lines {fig['lines_asked']:_} --customers {fig['customers_asked']:_}`, "
        f"{fig['date']}, {fig['cpus']} CPUs, Python {fig['python']}. Planted log: {fig['lines']:,} lines, "
        f"{fig['customers_asked']:,} customers in 5 planted segments (Parquet, "
        f"{fig['parts']} part files), generated in {fig['generate_s']:.0f} s.\n\n"
        "| run | wall s | CPU s | peak RSS MB, process tree (largest process) | k | ARI vs planted | customers "
        f"| load avg before / after | speed probe s before / after |\n|---|---|---|---|---|---|---|---|---|\n{rows}\n\n"
        f"segkit / notebook wall time: segkit is {speedup:.2f}x as fast "
        f"(goal: 3x, 20 s or less, 2 GB or less, ARI no worse than the notebook's).\n\n"
        f"Notebook stages: {nb_stages}.\n\n"
        f"`segkit report` stages (summary.json `timings`):\n\n| stage | seconds |\n|---|---|\n{stages}\n\n"
        "The load average is the 1-minute figure of the whole machine (other jobs included) just "
        "before and just after each run; wall times above the machine's CPU count are inflated by "
        "other work; CPU s (user + system, the whole process tree) is less sensitive to it. Peak RSS "
        "is polled every 0.1 s over the process and all its children. The speed probe "
        "(`benchmarks/machine.py`) times a fixed piece of single-core work just before and after each "
        "run: the machine's speed changes from hour to hour, and runs whose probes differ by 20% ran on a "
        "machine 20% slower or quicker.\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    number = lambda s: int(s.replace("_", ""))  # noqa: E731
    parser.add_argument("--lines", type=number, default=10_000_000, help="about this many log lines")
    parser.add_argument("--customers", type=number, default=None,
                        help="customers (default: 8 per 100 lines, 800,000 at 10M lines)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    customers = args.customers or max(1_000, args.lines * 8 // 100)
    fig = {"lines_asked": args.lines, "customers_asked": customers, "cpus": os.cpu_count(),
           "python": platform.python_version(), "date": time.strftime("%Y-%m-%d %H:%M %Z")}
    with tempfile.TemporaryDirectory(prefix="segkit-e2e-") as tmp:
        work = Path(tmp)
        log = work / "log"
        log.mkdir()
        start = time.perf_counter()
        fig["lines"], truth = generate(log, args.lines, customers, args.seed)
        fig["generate_s"] = round(time.perf_counter() - start, 1)
        fig["parts"] = len(list(log.iterdir()))
        print(f"planted log: {fig['lines']:,} lines, {customers:,} customers in {fig['generate_s']} s")
        fig["segkit"] = run_segkit(log, work, truth, f"Planted log, {fig['lines']:,} lines")
        print(f"segkit report: {fig['segkit']}")
        fig["notebook"] = run_notebook(log, work, truth)
        print(f"hand-written notebook: {fig['notebook']}")
    text = markdown(fig)
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = "end_to_end" if args.lines == 10_000_000 else f"end_to_end_{args.lines / 1e6:g}M"
    write_results(RESULTS / f"{stem}.md", text)
    (RESULTS / f"{stem}.json").write_text(json.dumps(fig, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
