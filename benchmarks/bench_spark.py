"""Benchmark: `segkit report` with ``engine: spark`` on a planted purchase log, on local[2].

Run by hand (not part of the tests)::

    .venv/bin/python benchmarks/bench_spark.py                      # 10M lines, 800k customers
    .venv/bin/python benchmarks/bench_spark.py --lines 50_000_000   # the issue's size

The planted log of ``bench_end_to_end.py`` (5 planted segments; Parquet parts) is generated
into a temporary folder under /tmp (``--work`` to choose), ``segkit report --set engine=spark``
runs on it with ``SEGKIT_SPARK_MASTER=local[2]``, and the figures are printed and written to
``benchmarks/results/spark.md`` / ``spark.json`` (``spark_<size>`` for other sizes): wall time,
CPU time and peak memory of the whole process tree (the CLI, the report kernel, the JVM and
Spark's Python workers, polled every 0.2 s), the stage timings from ``summary.json``, and the
ARI of ``segments.csv`` (every customer) against the planted segments.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd
import psutil

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
sys.path.insert(0, str(HERE))

from bench_end_to_end import COLUMNS, ari, generate  # noqa: E402
from keep_notes import write_results


def run_tree(cmd: list[str], env: dict[str, str]) -> dict:
    """Run ``cmd``: wall time, CPU time and peak RSS summed over its whole process tree."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    peak, cpu = [0], {}

    def poll() -> None:
        root = psutil.Process(proc.pid)
        while proc.poll() is None:
            rss = 0
            try:
                tree = [root, *root.children(recursive=True)]
            except psutil.Error:
                break
            for p in tree:
                try:
                    with p.oneshot():
                        rss += p.memory_info().rss
                        t = p.cpu_times()
                        cpu[p.pid] = t.user + t.system + t.children_user + t.children_system
                except psutil.Error:
                    pass
            peak[0] = max(peak[0], rss)
            time.sleep(0.2)

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    watcher.join()
    if proc.returncode != 0:
        sys.exit(f"{cmd[0]} failed ({proc.returncode}): {(err.strip().splitlines() or ['?'])[-1]}")
    return {"wall_s": round(wall, 1), "cpu_s": round(sum(cpu.values()), 1), "peak_rss_mb": round(peak[0] / 2**20),
            "load_after": round(os.getloadavg()[0], 1)}


def main() -> None:
    number = lambda s: int(s.replace("_", ""))  # noqa: E731
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=number, default=10_000_000)
    parser.add_argument("--customers", type=number, default=None, help="default: lines / 12.5")
    parser.add_argument("--work", type=Path, default=None, help="folder for the generated log (default /tmp)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    customers = args.customers or int(args.lines / 12.5)
    work = Path(tempfile.mkdtemp(prefix="segkit-bench-spark-", dir=args.work))
    try:
        log = work / "log"
        log.mkdir()
        started = time.perf_counter()
        n_lines, truth = generate(log, args.lines, customers, args.seed)
        print(f"generated {n_lines:,} lines, {customers:,} customers in {time.perf_counter() - started:.0f} s")
        config, out = work / "config.yml", work / "out"
        columns = "".join(f"  {k}: {v}\n" for k, v in COLUMNS.items())
        config.write_text(f"title: Spark benchmark\ndata:\n  transactions: {log}\ncolumns:\n{columns}engine: spark\n"
                          "report:\n  timeout: 7200\n",  # a cell runs the whole Spark work: the default 900 s is short
                          encoding="utf-8")
        env = {**os.environ, "SEGKIT_SPARK_MASTER": "local[2]", "SEGKIT_SPARK_TMP": str(work)}
        load_before = round(os.getloadavg()[0], 1)
        figures = run_tree([str(Path(sys.executable).with_name("segkit")), "report", str(config), "--out", str(out),
                            "--quiet"], env)
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        segments = pd.read_csv(out / "segments.csv", dtype={"customer_id": str}).set_index("customer_id")
        figures.update(load_before=load_before, lines=n_lines, customers=summary["n_customers"],
                       fit_sample=summary["engine"]["fit_sample"], k=summary["n_segments"],
                       timings_s={k: round(v, 1) for k, v in summary["timings"].items()})
        figures["ari"], figures["customers_compared"] = ari(segments["segment"], truth)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    figures.update(date=time.strftime("%Y-%m-%d"), machine=f"{platform.machine()}, {os.cpu_count()} cores",
                   master="local[2]")
    print(json.dumps(figures, indent=2))
    name = "spark" if args.lines == 10_000_000 else f"spark_{args.lines // 1_000_000}M"
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    write_results(
        RESULTS / f"{name}.md",
        f"# `segkit report` with engine: spark, {figures['lines']:,} lines, local[2]\n\n"
        f"`.venv/bin/python benchmarks/bench_spark.py --lines {args.lines:_}` on {figures['date']} "
        f"({figures['machine']}, shared; load average {figures['load_before']} before, {figures['load_after']} after)\n\n"
        "| figure | value |\n|---|---|\n"
        f"| wall time | {figures['wall_s']} s |\n"
        f"| CPU time, whole process tree (CLI, kernel, JVM, Python workers) | {figures['cpu_s']} s |\n"
        f"| peak memory, whole process tree | {figures['peak_rss_mb']:,} MB |\n"
        f"| customers / fitted on | {figures['customers']:,} / {figures['fit_sample']:,} |\n"
        f"| k | {figures['k']} |\n"
        f"| ARI of every customer's segment against the planted segments | {figures['ari']} "
        f"({figures['customers_compared']:,} customers) |\n"
        f"| stage timings (s) | {figures['timings_s']} |\n")


if __name__ == "__main__":
    main()
