"""Benchmark: the whole `segkit report` on a large purchase log, stage by stage.

Run by hand (not part of the tests)::

    .venv/bin/python benchmarks/bench_report.py                    # 10M lines, 1M customers
    .venv/bin/python benchmarks/bench_report.py --lines 1_000_000  # 1M lines, 100k customers

It reuses the synthetic log of ``bench_features.py`` (generated once under
``benchmarks/data/``), runs ``segkit report`` on it in a subprocess, and records the wall
time, the peak memory of the largest process (the report kernel) and the stage timings the
report writes to ``summary.json``. Results are printed and written to
``benchmarks/results/report.md`` and ``report.json`` (other sizes: ``report_1M.md``, ...).
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
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
sys.path.insert(0, str(HERE))

from bench_features import generate  # noqa: E402
from keep_notes import write_results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=lambda s: int(s.replace("_", "")), default=10_000_000)
    parser.add_argument("--customers", type=lambda s: int(s.replace("_", "")), default=None,
                        help="distinct customers (default: one per ten lines)")
    args = parser.parse_args()
    customers = args.customers or max(1, args.lines // 10)
    parquet, _ = generate(args.lines, customers)
    segkit = Path(sys.executable).with_name("segkit")
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "config.yml"
        config.write_text(f"title: {args.lines:,} lines, {customers:,} customers\n"
                          f"data:\n  transactions: {parquet}\n", encoding="utf-8")
        out = Path(tmp) / "out"
        load_before = os.getloadavg()[0]
        start = time.perf_counter()
        proc = subprocess.run([str(segkit), "report", str(config), "--out", str(out), "--quiet"],
                              capture_output=True, text=True, check=False)
        wall = time.perf_counter() - start
        load_after = os.getloadavg()[0]
        if proc.returncode != 0:
            sys.exit(f"segkit report failed: {(proc.stderr.strip().splitlines() or ['?'])[-1]}")
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = usage.ru_maxrss / 1024  # KiB -> MiB, largest child
    cpu = usage.ru_utime + usage.ru_stime  # every child waited for (the CLI and its report kernel)
    figures = {
        "lines": args.lines, "customers": summary["n_customers"], "segments": summary["n_segments"],
        "wall_s": round(wall, 1), "cpu_s": round(cpu, 1), "peak_rss_mb": round(peak),
        "load_average": [round(load_before, 1), round(load_after, 1)], "timings_s": summary.get("timings", {}),
        "cpus": os.cpu_count(), "python": platform.python_version(), "date": time.strftime("%Y-%m-%d %H:%M"),
    }
    stages = ", ".join(f"{k} {v:.1f} s" for k, v in figures["timings_s"].items())
    print(f"segkit report: {figures['customers']:,} customers from {args.lines:,} lines in {wall:.1f} s "
          f"({cpu:.1f} s CPU), peak RSS {peak:,.0f} MB; {figures['segments']} segments; load average "
          f"{load_before:.1f} / {load_after:.1f}\nstages: {stages}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = "report" if args.lines == 10_000_000 else f"report_{args.lines // 1_000_000}M"
    (RESULTS / f"{stem}.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    rows = "\n".join(f"| {k} | {v:.1f} |" for k, v in figures["timings_s"].items())
    write_results(
        RESULTS / f"{stem}.md",
        f"# `segkit report` on a synthetic purchase log\n\n"
        f"{args.lines:,} lines, {figures['customers']:,} customers, {figures['cpus']} CPUs, "
        f"Python {figures['python']}, {figures['date']}.\n\n"
        f"Wall time {wall:.1f} s (kernel start and HTML export included), CPU time {cpu:.1f} s (user + system, "
        f"every process), peak RSS {peak:,.0f} MB (the report kernel); {figures['segments']} segments; load "
        f"average (1 min, whole machine) {load_before:.1f} before, {load_after:.1f} after."
        f"\n\n| stage | seconds |\n|---|---|\n{rows}\n",
    )


if __name__ == "__main__":
    main()
