"""Benchmark: purchase-log features with segkit (DuckDB SQL) against a plain pandas groupby.

Run by hand (not part of the tests)::

    .venv/bin/python benchmarks/bench_features.py                 # 10M lines, 1M customers
    .venv/bin/python benchmarks/bench_features.py --lines 50_000_000
    .venv/bin/python benchmarks/bench_features.py --pandas-csv    # also time pandas reading the CSV
    .venv/bin/python benchmarks/bench_features.py --spark         # also segkit on a local Spark session

It generates a synthetic, standardised purchase log (``customer_id`` and ``invoice`` as
strings, ``date``, ``amount``, ``quantity``, ``price``, ``channel``, ``country``; 2% of orders
are cancellations) as Parquet and CSV under ``benchmarks/data/`` (git-ignored; generated once
and reused), then times each contender in its own subprocess so that peak memory (max RSS,
from ``resource.getrusage``) is measured per contender. Wall time is the feature build
itself, from file to a pandas DataFrame indexed by customer, after imports. Results are
printed and written to ``benchmarks/results/features.md`` and ``features.json`` (other
sizes: ``features_50M.md``, ...).

Both contenders do the same work: lines with a customer and before the snapshot; orders per
(customer, invoice) with first time, net and gross revenue; per customer frequency,
monetary, first/last purchase, recency, tenure, average order value, inter-purchase time,
return rate, and revenue shares of the top 5 channels and countries plus ``other``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

from keep_notes import write_results

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
RESULTS = HERE / "results"
SNAPSHOT = "2025-01-01"
SHARES = ("channel", "country")
TOP_N = 5


def generate(lines: int, customers: int) -> tuple[Path, Path]:
    """Write the synthetic log as Parquet and CSV (once); return both paths."""
    import duckdb

    DATA.mkdir(parents=True, exist_ok=True)
    stem = DATA / f"log_{lines}_{customers}"
    parquet, csv = stem.with_suffix(".parquet"), stem.with_suffix(".csv")
    if parquet.exists() and csv.exists():
        return parquet, csv
    con = duckdb.connect()
    # Three lines per order; the first `customers` orders give every customer one order, the
    # rest go to hashed (uniformly random) customers.
    con.execute(
        f"""
        CREATE TEMP VIEW log AS
        WITH l AS (SELECT i, i // 3 AS o, hash(i + 7919) AS hl FROM range({lines}) t(i)),
        m AS (SELECT *, hash(o) AS h, hash(o) % 50 = 0 AS cancel FROM l)
        SELECT
          CAST(1000000 + CASE WHEN o < {customers} THEN o ELSE h % {customers} END AS VARCHAR) AS customer_id,
          TIMESTAMP '2023-01-01' + to_seconds(CAST((h // 7) % (730 * 86400) AS BIGINT)) AS date,
          CAST(CASE WHEN cancel THEN -1 ELSE 1 END * (1 + hl % 5) AS DOUBLE) AS quantity,
          CAST(0.5 + (hl // 5) % 5000 / 100.0 AS DOUBLE) AS price,
          quantity * price AS amount,
          CASE WHEN cancel THEN 'C' ELSE '' END || CAST(500000 + o AS VARCHAR) AS invoice,
          ['web', 'store', 'app', 'phone', 'catalogue', 'partner'][CAST(1 + (h // 13) % 6 AS BIGINT)] AS channel,
          ['United Kingdom', 'Germany', 'France', 'EIRE', 'Spain', 'Netherlands', 'Belgium',
           'Switzerland', 'Portugal', 'Australia'][CAST(1 + (h // 17) % 10 AS BIGINT)] AS country
        FROM m
        """
    )
    if not parquet.exists():
        con.execute(f"COPY (SELECT * FROM log) TO '{parquet}' (FORMAT parquet)")
    if not csv.exists():
        con.execute(f"COPY (SELECT * FROM log) TO '{csv}' (FORMAT csv, HEADER)")
    con.close()
    return parquet, csv


def run_segkit(path: str, memory_limit: str | None = None):
    from segkit.features import transaction_features

    return transaction_features(
        path, snapshot_date=SNAPSHOT, share_columns=SHARES, top_n=TOP_N, memory_limit=memory_limit
    )


def run_spark(path: str, memory_limit: str | None = None, session=None):
    """The same features on a local Spark session (``segkit.features.spark``), as pandas."""
    from segkit.features.spark import spark_transaction_features

    return spark_transaction_features(
        session, path, snapshot_date=SNAPSHOT, share_columns=SHARES, top_n=TOP_N, to_pandas=True
    )


class _JvmMeter:
    """Peak resident memory and CPU time of this process's child processes (Spark's JVM),
    sampled every 50 ms from another thread: ``getrusage`` only sees children that exited."""

    def __init__(self) -> None:
        import threading

        import psutil

        self._me = psutil.Process()
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _children(self):
        return self._me.children(recursive=True)

    def cpu_s(self) -> float:
        return sum(sum(c.cpu_times()[:2]) for c in self._children())

    def _sample(self) -> None:
        while not self._stop.is_set():
            rss = sum(c.memory_info().rss for c in self._children()) / 2**20
            self.peak_mb = max(self.peak_mb, rss)
            self._stop.wait(0.05)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def run_pandas(path: str, memory_limit: str | None = None):
    """The same features with a plain pandas groupby (orders first, then customers)."""
    import numpy as np
    import pandas as pd

    cols = ["customer_id", "date", "amount", "invoice", *SHARES]
    if path.endswith(".csv"):
        log = pd.read_csv(path, usecols=cols, parse_dates=["date"], dtype={"customer_id": "str", "invoice": "str"})
    else:
        log = pd.read_parquet(path, columns=cols)
    snapshot = pd.Timestamp(SNAPSHOT)
    log = log[log["customer_id"].notna() & (log["date"] < snapshot)]
    gross_line = log["amount"].clip(lower=0)
    extra = {}
    for col in SHARES:
        top = gross_line.groupby(log[col]).sum().sort_values(ascending=False).index[:TOP_N]
        for value in top:
            extra[f"share_{col}_{value}"] = gross_line.where(log[col] == value, 0.0)
        extra[f"share_{col}_other"] = gross_line.where(~log[col].isin(top), 0.0)
    lines = pd.DataFrame(
        {"customer_id": log["customer_id"], "invoice": log["invoice"], "date": log["date"],
         "net": log["amount"], "gross": gross_line, **extra}
    )
    del log
    orders = lines.groupby(["customer_id", "invoice"], sort=False).agg(
        order_date=("date", "min"), net=("net", "sum"), gross=("gross", "sum"),
        **{k: (k, "sum") for k in extra},
    )
    del lines
    orders = orders.reset_index(level="invoice", drop=True)
    bought = orders["gross"] > 0
    orders["purchase_date"] = orders["order_date"].where(bought)
    orders["is_purchase"] = bought.astype("int64")
    g = orders.groupby(level="customer_id", sort=True)
    cust = g.agg(
        frequency=("is_purchase", "sum"), monetary=("net", "sum"), gross=("gross", "sum"),
        first_any=("order_date", "min"), last_any=("order_date", "max"),
        first_purchase=("purchase_date", "min"), last_purchase=("purchase_date", "max"),
        **{k: (k, "sum") for k in extra},
    )
    first = cust["first_purchase"].fillna(cust["first_any"])
    last = cust["last_purchase"].fillna(cust["last_any"])
    out = pd.DataFrame(index=cust.index)
    out["recency_days"] = (snapshot - last.dt.normalize()).dt.days
    out["frequency"] = cust["frequency"]
    out["monetary"] = cust["monetary"]
    out["tenure_days"] = (snapshot - first.dt.normalize()).dt.days
    freq = cust["frequency"].replace(0, np.nan)
    out["avg_order_value"] = cust["monetary"] / freq
    span = (last.dt.normalize() - first.dt.normalize()).dt.days
    out["avg_days_between_orders"] = (span / (freq - 1)).where(cust["frequency"] > 1)
    out["return_rate"] = (cust["gross"] - cust["monetary"]) / cust["gross"].replace(0, np.nan)
    out["first_purchase"], out["last_purchase"] = first, last
    for k in extra:
        out[k] = (cust[k] / cust["gross"]).where(cust["gross"] > 0, 0.0)
    return out


def worker(contender: str, path: str, memory_limit: str | None = None) -> None:
    """Run one contender in this process and print its figures as JSON."""
    func = {"segkit": run_segkit, "pandas": run_pandas, "spark": run_spark}[contender]
    # Import first so that the timing is the feature build only, as documented (importing
    # pandas, pyarrow and DuckDB takes about a second of CPU).
    import numpy  # noqa: F401
    import pandas  # noqa: F401
    import pyarrow.parquet  # noqa: F401

    if contender == "segkit":
        import segkit.features  # noqa: F401
    extra = {}
    if contender == "spark":
        # The session (JVM start, ~10 s) is started before the clock, as a cluster's would be.
        from segkit.features.spark import local_session

        t0 = time.perf_counter()
        session = local_session(os.cpu_count() or 2)
        extra["session_start_s"] = round(time.perf_counter() - t0, 3)
        func = partial(run_spark, session=session)
        meter = _JvmMeter()
        jvm_cpu0 = meter.cpu_s()
    r0 = resource.getrusage(resource.RUSAGE_SELF)
    base_rss = r0.ru_maxrss / 1024
    start = time.perf_counter()
    if contender == "spark":
        with meter:
            result = func(path, memory_limit)
    else:
        result = func(path, memory_limit)
    wall = time.perf_counter() - start
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    peak = r1.ru_maxrss / 1024  # ru_maxrss is KiB on Linux
    cpu = (r1.ru_utime + r1.ru_stime) - (r0.ru_utime + r0.ru_stime)
    if contender == "spark":
        # The JVM works in a child process: add its CPU and (sampled) peak memory.
        cpu += meter.cpu_s() - jvm_cpu0
        extra["jvm_peak_rss_mb"] = round(meter.peak_mb, 1)
        peak += meter.peak_mb
    print(json.dumps({**extra,
        "wall_s": round(wall, 3),
        "cpu_s": round(cpu, 3),
        "peak_rss_mb": round(peak, 1),
        "rss_after_imports_mb": round(base_rss, 1),
        "customers": int(len(result)),
        "monetary_total": round(float(result["monetary"].sum()), 2),
    }))


def measure(contender: str, path: Path, memory_limit: str | None = None) -> dict:
    start = time.perf_counter()
    extra = ["--memory-limit", memory_limit] if memory_limit else []
    proc = subprocess.run(
        [sys.executable, __file__, "--worker", contender, "--path", str(path), *extra],
        capture_output=True, text=True, check=False,
    )
    if proc.returncode != 0:
        # Recorded, not raised: pandas may run out of memory on the larger logs, and that is
        # a result too.
        reason = (proc.stderr.strip().splitlines() or [f"exit code {proc.returncode}"])[-1]
        print(f"{contender} on {path.name} failed: {reason}", file=sys.stderr)
        return {"failed": reason[:200], "process_s": round(time.perf_counter() - start, 3)}
    figures = json.loads(proc.stdout.strip().splitlines()[-1])
    figures["process_s"] = round(time.perf_counter() - start, 3)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=lambda s: int(s.replace("_", "")), default=10_000_000)
    parser.add_argument("--customers", type=lambda s: int(s.replace("_", "")), default=None,
                        help="distinct customers (default: one per ten lines)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per contender; the best is reported")
    parser.add_argument("--pandas-csv", action="store_true", help="also time pandas reading the CSV (slow)")
    parser.add_argument("--memory-limit", help="also run segkit from Parquet with this DuckDB memory limit, e.g. 600MB")
    parser.add_argument("--no-pandas", action="store_true", help="skip the pandas contender")
    parser.add_argument("--spark", action="store_true",
                        help="also run segkit's Spark path on a local session (needs segkit[spark])")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.path, args.memory_limit)
        return

    if args.customers is None:
        args.customers = max(1, args.lines // 10)
    t0 = time.perf_counter()
    parquet, csv = generate(args.lines, args.customers)
    print(f"data: {parquet.name} ({parquet.stat().st_size / 1e6:.0f} MB), {csv.name} "
          f"({csv.stat().st_size / 1e6:.0f} MB), ready in {time.perf_counter() - t0:.1f} s", flush=True)
    runs = [("segkit", parquet, None)]
    if args.memory_limit:
        runs.append(("segkit", parquet, args.memory_limit))
    if not args.no_pandas:
        runs.append(("pandas", parquet, None))
    if args.spark:
        runs.append(("spark", parquet, None))
    runs.append(("segkit", csv, None))
    if args.pandas_csv:
        runs.append(("pandas", csv, None))
    rows = []
    for contender, path, limit in runs:
        best = None
        for _ in range(args.repeat):
            fig = measure(contender, path, limit)
            if best is None or fig.get("wall_s", float("inf")) < best.get("wall_s", float("inf")):
                best = fig
        label = contender if limit is None else f"{contender} (memory_limit {limit})"
        best.update(contender=label, source=path.suffix.lstrip("."))
        rows.append(best)
        if "failed" in best:
            print(f"{label:7s} {best['source']:8s} FAILED after {best['process_s']:.1f} s: {best['failed']}", flush=True)
            continue
        print(f"{label:7s} {best['source']:8s} wall {best['wall_s']:7.2f} s  cpu {best['cpu_s']:7.2f} s  peak RSS {best['peak_rss_mb']:7.0f} MB  "
              f"customers {best['customers']:,}  monetary {best['monetary_total']:,.2f}", flush=True)
    seg = next(r for r in rows if r["contender"] == "segkit" and r["source"] == "parquet")
    pdx = next((r for r in rows if r["contender"] == "pandas" and r["source"] == "parquet"), None)
    if pdx is None or "failed" in pdx or "failed" in seg:
        verdict = "pandas was not run or did not finish; no speed-up computed."
    else:
        assert seg["customers"] == pdx["customers"], "contenders disagree on the number of customers"
        assert abs(seg["monetary_total"] - pdx["monetary_total"]) < 1e-6 * abs(pdx["monetary_total"]) + 0.01
        verdict = f"segkit is {pdx['wall_s'] / seg['wall_s']:.1f}x faster than pandas from Parquet."
    print(verdict)

    RESULTS.mkdir(parents=True, exist_ok=True)
    meta = {
        "lines": args.lines, "customers": args.customers, "cpus": os.cpu_count(),
        "python": platform.python_version(), "machine": platform.machine(),
        "date": time.strftime("%Y-%m-%d %H:%M"), "repeat": args.repeat,
    }
    try:
        import duckdb
        import pandas as pd

        meta.update(duckdb=duckdb.__version__, pandas=pd.__version__)
    except ImportError:  # pragma: no cover
        pass
    # The 10M default run is the headline file; other sizes get their own.
    tag = "" if args.lines == 10_000_000 else f"_{args.lines // 1_000_000}M"
    (RESULTS / f"features{tag}.json").write_text(json.dumps({"meta": meta, "runs": rows}, indent=2) + "\n")
    lines = [
        f"# Feature build benchmark: {args.lines:,} lines, {args.customers:,} customers",
        "",
        f"{meta['date']}, {meta['cpus']} CPUs, Python {meta['python']}, DuckDB {meta.get('duckdb')}, "
        f"pandas {meta.get('pandas')}. Generated by `benchmarks/bench_features.py`; wall = feature build "
        "from file to a pandas DataFrame (after imports), peak = max RSS of the process "
        "(for Spark: plus its JVM's sampled peak; the session is started before the clock).",
        "",
        "| contender | source | wall (s) | CPU (s) | peak RSS (MB) | customers |",
        "|---|---|---:|---:|---:|---:|",
        *[f"| {r['contender']} | {r['source']} | {r['wall_s']:.2f} | {r['cpu_s']:.2f} | {r['peak_rss_mb']:.0f} | {r['customers']:,} |"
          if "failed" not in r else
          f"| {r['contender']} | {r['source']} | failed after {r['process_s']:.1f} s: {r['failed']} | | | |"
          for r in rows],
        "",
        verdict,
        "",
        f"Load average when the run ended: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs "
        "(the machine is shared; figures under load are pessimistic).",
        "",
    ]
    write_results(RESULTS / f"features{tag}.md", "\n".join(lines))
    print(f"written {RESULTS / f'features{tag}.md'}")


if __name__ == "__main__":
    main()
