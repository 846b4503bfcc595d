"""Benchmark: memory of the report's stages, one after the other in one process.

Run by hand (not part of the tests)::

    .venv/bin/python benchmarks/bench_stages.py                                  # 10M lines, 1M customers
    .venv/bin/python benchmarks/bench_stages.py --log path/to/log_50M.parquet    # any purchase log
    PYTHONPATH=/path/to/other/checkout .venv/bin/python benchmarks/bench_stages.py --label before

``segkit report`` runs these stages in its kernel; here :class:`segkit.Analysis` runs them in
this process, and after each stage the wall and CPU seconds, the peak resident size so far
(``ru_maxrss``) and the resident size now are recorded: which stage raises the peak, and what
each stage leaves resident for the next. Without ``--log`` the synthetic log of
``bench_features.py`` is used (generated once under ``benchmarks/data/``). Results are printed
and appended to ``benchmarks/results/stages.json`` (one record per run, with ``--label``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
sys.path.insert(0, str(HERE))

STAGES = ("load", "build_features", "segment", "profile", "value", "target")


def resident_mb() -> float:
    """The resident size of this process now, in MB (Linux)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--log", type=Path, default=None, help="a purchase log (default: the synthetic one)")
    parser.add_argument("--lines", type=lambda s: int(s.replace("_", "")), default=10_000_000)
    parser.add_argument("--customers", type=lambda s: int(s.replace("_", "")), default=None)
    parser.add_argument("--label", default="", help="what this run is (e.g. before / after a change)")
    args = parser.parse_args()
    if args.log is None:
        from bench_features import generate

        args.log, _ = generate(args.lines, args.customers or max(1, args.lines // 10))
    import segkit
    from segkit.pipeline import Analysis

    run = Analysis({"title": args.log.name, "data": {"transactions": str(args.log)}}, verbose=False)
    load_before = os.getloadavg()[0]
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-stages-") as tmp:
        steps = [(name, getattr(run, name)) for name in STAGES]
        steps.append(("write", lambda: run.write(Path(tmp) / "out")))
        for name, step in steps:
            started, cpu = time.perf_counter(), time.process_time()
            step()
            rows.append({"after": name, "seconds": round(time.perf_counter() - started, 1),
                         "cpu_s": round(time.process_time() - cpu, 1), "peak_mb": round(peak_mb()),
                         "resident_mb": round(resident_mb())})
            print(" | ".join(f"{k} {v}" for k, v in rows[-1].items()), flush=True)
    record = {"label": args.label, "log": str(args.log), "lines": len(run.inputs.transactions),
              "customers": len(run.labels), "segkit": str(Path(segkit.__file__).parent), "stages": rows,
              "peak_mb": round(peak_mb()), "load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)],
              "cpus": os.cpu_count(), "python": platform.python_version(), "date": time.strftime("%Y-%m-%d %H:%M")}
    print(f"peak {record['peak_mb']:,} MB over {record['lines']:,} lines / {record['customers']:,} customers; "
          f"load average {record['load_average'][0]} / {record['load_average'][1]}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "stages.json"
    runs = json.loads(path.read_text(encoding="utf-8")) if path.exists() else []
    path.write_text(json.dumps([*runs, record], indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
