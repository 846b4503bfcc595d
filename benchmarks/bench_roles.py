"""Benchmark: how well segkit tells each column's role, basis and kind (issue 14, item 7).

Run by hand (not in the tests; ``tests/io/test_role_benchmark.py`` runs a small slice)::

    .venv/bin/python benchmarks/bench_roles.py [--tables 525] [--seed 14] [--analyse-every 2]

Generates ``--tables`` customer tables and purchase logs with the seeded generator of
``benchmarks/rolebench/`` (every column's true role, basis and kind known), writes each to a
temporary folder, runs segkit's public API on it (read, detect roles, load, build features; the
customer tables of every ``--analyse-every``-th round of shapes also segment and profile), and
scores the answers per role, basis, kind, shape and language, with the commonest confusions, the
crashes, the outcome columns clustered and the identifier columns profiled. Writes
``benchmarks/results/roles.md`` (``--out``). One process, one core.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script: benchmarks.rolebench lives beside this file

from keep_notes import write_results

from benchmarks.rolebench.report import render, summary  # noqa: E402
from benchmarks.rolebench.run import every_round, run_tables  # noqa: E402
from benchmarks.rolebench.score import column_records, figures  # noqa: E402
from benchmarks.rolebench.shapes import make_tables  # noqa: E402


def _commit() -> str:
    try:
        out = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return out.stdout.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=525, help="how many tables to generate (default 525)")
    parser.add_argument("--seed", type=int, default=14, help="seed of the generator (default 14)")
    parser.add_argument("--analyse-every", type=int, default=2,
                        help="segment and profile the customer tables of every N-th round of shapes (0: none)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "roles.md")
    args = parser.parse_args(argv)

    crashed = 0

    def progress(i: int, result) -> None:
        nonlocal crashed
        crashed += result.crash is not None
        if (i + 1) % 25 == 0 or i + 1 == args.tables:
            print(f"{i + 1:>5} tables, {crashed} with a crash", flush=True)

    with tempfile.TemporaryDirectory(prefix="segkit-rolebench-") as folder:
        runs = run_tables(make_tables(args.tables, seed=args.seed), folder, analyse=every_round(args.analyse_every),
                          progress=progress)
    columns = column_records(runs)
    command = f"benchmarks/bench_roles.py --tables {args.tables} --seed {args.seed} --analyse-every {args.analyse_every}"
    text = render(runs, columns, command=command, commit=_commit(), date=dt.date.today().isoformat())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    write_results(args.out, text)
    print(summary(figures(runs, columns)))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
