"""Fuzz segkit by hand: thousands of generated inputs, every outcome counted, defects catalogued.

Run by hand (the test suite runs a few hundred seeded cases: ``tests/fuzz/test_fuzz.py``)::

    .venv/bin/python benchmarks/fuzz.py --cases 1000 --seed 19 [--jobs 1] [--cli-cases 12]

Cases come from the hypothesis strategies of ``tests/fuzz/strategies.py`` (every family, in
equal shares), drawn with a fixed seed. Each runs through the Python path
(``Analysis(config)``, every stage, ``write()``) in a worker process with a time limit (a
worker over the hard limit is killed and replaced). ``--score-cases`` batches, mutated from
one fitted table, go through ``segkit score``; ``--cli-cases`` of the cases that reported on
the Python path go through ``segkit report`` (notebook and HTML: ~8 s each).

Every failure is grouped by kind (:attr:`tests.fuzz.harness.Outcome.signature`), named
with its entry of the catalogue (``tests/fuzz/defects.py``) when it has one, and reduced
(rows, columns, shape, config keys dropped while it fails the same way) to a small
reproducer. Writes ``benchmarks/results/fuzz.md``.
"""

from __future__ import annotations

import argparse
import collections
import multiprocessing
import platform
import re
import sys
import tempfile
import time
from collections.abc import Callable
from multiprocessing.connection import wait
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from keep_notes import write_results

import segkit  # noqa: E402
from tests.fuzz import defects, harness, strategies, suite  # noqa: E402
from tests.fuzz.corpus import Case  # noqa: E402

RESULT = ROOT / "benchmarks" / "results" / "fuzz.md"
PATHS: dict[str, Callable] = {"python": harness.run_analysis, "cli": harness.run_cli_report}


# ----------------------------------------------------------------------------- workers


def _worker(conn, limits: dict[str, float]) -> None:
    """Run the tasks sent on ``conn`` (``(path, case, model)``) and send back their outcomes."""
    while True:
        task = conn.recv()
        if task is None:
            return
        path, case, model = task
        with tempfile.TemporaryDirectory(prefix="segkit-fuzz-") as tmp:
            if path == "score":
                outcome = harness.run_score(case, tmp, model, limit=limits[path])
            else:
                outcome = PATHS[path](case, tmp, limit=limits[path])
        conn.send(outcome)


class Pool:
    """Worker processes (forked after the imports) that run one case at a time each; a worker
    past the hard time limit is killed, its case counted as a hang, and a new worker started."""

    def __init__(self, jobs: int, limits: dict[str, float], grace: float = 60.0) -> None:
        self.limits, self.grace = limits, grace
        self.context = multiprocessing.get_context("fork")
        self.workers = [self._start() for _ in range(jobs)]

    def _start(self):
        parent, child = self.context.Pipe()
        process = self.context.Process(target=_worker, args=(child, self.limits), daemon=True)
        process.start()
        return process, parent

    def _hard_limit(self, path: str) -> float:
        """Wall-clock seconds after which a worker is killed: past the harness's own limits
        (CPU time with a wall-clock backstop; wall-clock time for the report's kernel)."""
        return self.limits[path] * (1 if path == "cli" else harness.WALL_FACTOR) + self.grace

    def run(self, tasks: list[tuple[str, Case, str | None]], progress=None) -> list[harness.Outcome]:
        results: list[harness.Outcome | None] = [None] * len(tasks)
        pending = list(enumerate(tasks))
        busy: dict[int, tuple[int, float]] = {}  # worker slot -> (task index, start time)
        done = 0
        while pending or busy:
            for slot in range(len(self.workers)):
                if slot not in busy and pending:
                    index, task = pending.pop(0)
                    self.workers[slot][1].send(task)
                    busy[slot] = (index, time.monotonic())
            ready = wait([self.workers[s][1] for s in busy], timeout=5)
            for slot in list(busy):
                process, conn = self.workers[slot]
                index, started = busy[slot]
                if conn in ready:
                    try:
                        results[index] = conn.recv()
                    except EOFError:  # the worker died (a crash of the interpreter itself)
                        results[index] = harness.Outcome("crash", f"worker died (exit {process.exitcode})",
                                                         "WorkerDied", path=tasks[index][0])
                        self.workers[slot] = self._start()
                elif time.monotonic() - started > self._hard_limit(tasks[index][0]):
                    process.kill()
                    results[index] = harness.Outcome("hang", "killed after the hard time limit", "Killed",
                                                     path=tasks[index][0],
                                                     seconds=round(time.monotonic() - started, 1))
                    self.workers[slot] = self._start()
                else:
                    continue
                del busy[slot]
                done += 1
                if progress:
                    progress(done, len(tasks), results[index])
        return results

    def close(self) -> None:
        for process, conn in self.workers:
            conn.send(None)
            process.join(timeout=10)


# ----------------------------------------------------------------------------- reducing


def reduce(case: Case, outcome: harness.Outcome, path: str, pool: Pool, model: str | None,
           budget: int) -> tuple[Case, harness.Outcome, int]:
    """The smallest variant of ``case`` found (within ``budget`` runs) that still ends with the
    signature of ``outcome``; returns it, its outcome and the runs spent."""
    signature = outcome.signature
    runs = 0
    improved = True
    while improved and runs < budget:
        improved = False
        for candidate in case.smaller():
            if runs >= budget:
                break
            if candidate.size() > case.size():
                continue
            runs += 1
            (found,) = pool.run([(path, candidate, model)])
            if found.signature == signature:
                case, outcome, improved = candidate, found, True
                break
    return case, outcome, runs


# ----------------------------------------------------------------------------- report


def _row(*cells) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def write_markdown(args, runs: list[tuple[str, Case, harness.Outcome]], reduced: dict, seconds: float) -> str:
    by_path = collections.defaultdict(collections.Counter)
    by_family = collections.defaultdict(collections.Counter)
    kinds: dict[str, list[tuple[str, Case, harness.Outcome]]] = collections.defaultdict(list)
    for path, case, outcome in runs:
        by_path[path][outcome.status] += 1
        if path == "python":
            by_family[case.family]["ok" if outcome.ok else "defect"] += 1
        if not outcome.ok:
            kinds[outcome.signature].append((path, case, outcome))
    statuses = ["report", "refused", "crash", "hang", "input-changed", "nan-written", "bad-output", "small-cell",
                "error-lines", "error-long", "error-unclear"]
    lines = [
        "# Fuzz run",
        "",
        f"`benchmarks/fuzz.py --cases {args.cases} --seed {args.seed} --score-cases {args.score_cases} "
        f"--cli-cases {args.cli_cases} --jobs {args.jobs}`: segkit {segkit.__version__}, Python "
        f"{platform.python_version()}, {platform.machine()}, {seconds / 60:.1f} min wall time with "
        f"{args.jobs} worker(s). Cases come from the strategies in `tests/fuzz/strategies.py` (the same "
        "seed gives the same cases); each one ends either as it should (`report`: every stage ran and the "
        "files were written; `refused`: a one-line `SegkitError`) or as a defect (`crash`: another exception; "
        f"`hang`: over {args.limit:g} s of CPU time; `input-changed`; `nan-written`: NaN or inf in a written CSV "
        "or JSON; `bad-output`: a control character or a blank segment name written; `small-cell`: a responder "
        "count under `privacy.min_cell_size` in `targeting.csv`; `error-lines` / `error-long` / `error-unclear`: "
        f"an error message of several lines, over {harness.MAX_ERROR_CHARS} characters, or quoting Python's "
        "reprs or the internal name `X`).",
        "",
        "## Outcomes",
        "",
        _row("path", "cases", *statuses),
        _row(*["---"] + ["---:"] * (len(statuses) + 1)),
    ]
    names = {"python": "Python path (`Analysis` ... `write`)", "score": "`segkit score`", "cli": "`segkit report`"}
    for path in ("python", "score", "cli"):
        if by_path[path]:
            lines.append(_row(names[path], sum(by_path[path].values()), *(by_path[path][s] for s in statuses)))
    lines += ["", "By family (Python path): cases that ended as they should / with a defect.", "",
              _row("family", "ok", "defect"), _row("---", "---:", "---:")]
    lines += [_row(f"`{family}`", c["ok"], c["defect"]) for family, c in sorted(by_family.items())]
    lines += ["", "## Defects by kind", ""]
    if not kinds:
        lines.append("None found.")
    else:
        lines += [_row("defect", "kind (status: exception in function)", "cases", "paths", "families"),
                  _row("---", "---", "---:", "---", "---")]
    ordered = sorted(kinds.items(), key=lambda kv: (_defect_id(kv[1][0][2]), -len(kv[1])))
    for signature, hits in ordered:
        lines.append(_row(_defect_id(hits[0][2]), f"`{signature}`", len(hits),
                          ", ".join(sorted({p for p, _, _ in hits})),
                          ", ".join(sorted({c.family for _, c, _ in hits}))))
    for signature, hits in ordered:
        path, case, outcome = min(hits, key=lambda h: h[1].size())
        small, outcome, spent = reduced.get(signature, (case, outcome, 0))
        known = defects.identify(outcome)
        lines += ["", f"### {_defect_id(outcome)}: `{signature}`", ""]
        if known is not None:
            lines += [f"**{known.title}.** Raised in {known.where}. Right outcome: {known.right}", ""]
        lines += [f"{len(hits)} case(s); paths {', '.join(sorted({p for p, _, _ in hits}))}. The smallest, reduced "
                  f"in {spent} runs (family `{small.family}`: {'; '.join(small.mutations)[:300]}), ends with: "
                  f"`{_redact(outcome.message)[:300]}`", "", "```", small.reproducer(), "```"]
    refusals = collections.Counter((o.exception, o.where) for _, _, o in runs if o.status == "refused")
    example = {(o.exception, o.where): o.message for _, _, o in runs if o.status == "refused"}
    lines += ["", "## Refusals", "", "The most common `SegkitError`s (the property holds; listed to show what the "
              "generated inputs exercise).", "", _row("error", "raised in", "cases", "example"),
              _row("---", "---", "---:", "---")]
    lines += [_row(exc or "(exit 2)", where or "-", n, f"`{_redact(example[(exc, where)])[:140]}`")
              for (exc, where), n in refusals.most_common(12)]
    slow = sorted(runs, key=lambda r: -r[2].seconds)[:5]
    lines += ["", "## Slowest cases", "", _row("path", "family", "seconds", "outcome"),
              _row("---", "---", "---:", "---")]
    lines += [_row(p, c.family, f"{o.seconds:.1f}", o.signature) for p, c, o in slow]
    lines += ["", "## Catalogue", "", "Each defect kind the suite knows, with a hand-made minimal reproducer, "
              "where it is raised and what the right outcome is: `tests/fuzz/defects.py` (the test suite runs "
              "every reproducer: marked `xfail(strict=True)` while the defect is open, as a plain test once "
              "fixed, so that the fix cannot come undone unnoticed).", ""]
    lines += [_row("id", "title", "status", "seen in this run"), _row("---", "---", "---", "---:")]
    seen = collections.Counter(_defect_id(o) for _, _, o in runs if not o.ok)
    status = {d.id: "fixed" if d.id in defects.FIXED else "open" for d in [*defects.DEFECTS, *defects.SILENT]}
    lines += [_row(d.id, d.title, status[d.id], seen.get(d.id, 0)) for d in defects.DEFECTS]
    lines += [_row(d.id, f"{d.title} (reads a value wrongly without failing: its own test)", status[d.id], "-")
              for d in defects.SILENT]
    return "\n".join(lines) + "\n"


def _redact(message: str) -> str:
    """A message without the run's temporary folder, on one line."""
    return " ".join(re.sub(r"/\S*?/in/", "", message).replace("`", "'").split())


def _defect_id(outcome: harness.Outcome) -> str:
    known = defects.identify(outcome)
    return known.id if known is not None else "new"


# ----------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000, help="cases through the Python path")
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--score-cases", type=int, default=100, help="mutated batches through `segkit score`")
    parser.add_argument("--cli-cases", type=int, default=12, help="reported cases run again through `segkit report`")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (the machine is shared: keep it low)")
    parser.add_argument("--limit", type=float, default=60.0, help="CPU seconds per case (the report: wall-clock)")
    parser.add_argument("--reduce-budget", type=int, default=60, help="runs spent reducing each defect kind")
    parser.add_argument("--out", type=Path, default=RESULT)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    say = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    say(f"drawing {args.cases} cases (seed {args.seed})")
    cases = strategies.draw(strategies.any_case(), args.cases, args.seed)
    limits = {"python": args.limit, "score": args.limit, "cli": max(args.limit, 300.0)}
    with tempfile.TemporaryDirectory(prefix="segkit-fuzz-model-") as tmp:
        model, base = str(suite.fit_score_model(Path(tmp))), suite.score_base()
        score_cases = strategies.draw(strategies.mutations_of(base), args.score_cases, args.seed) \
            if args.score_cases else []
        pool = Pool(args.jobs, limits)

        def progress(done, total, outcome):
            if done % 50 == 0 or not outcome.ok:
                say(f"  {done}/{total} {outcome.signature}")

        say(f"python path: {len(cases)} cases")
        python = pool.run([("python", c, None) for c in cases], progress)
        runs = [("python", c, o) for c, o in zip(cases, python, strict=True)]
        say(f"segkit score: {len(score_cases)} batches")
        scored = pool.run([("score", c, model) for c in score_cases], progress)
        runs += [("score", c, o) for c, o in zip(score_cases, scored, strict=True)]
        reported = [c for c, o in zip(cases, python, strict=True) if o.status == "report"][: args.cli_cases]
        say(f"segkit report: {len(reported)} cases")
        cli = pool.run([("cli", c, None) for c in reported], progress)
        runs += [("cli", c, o) for c, o in zip(reported, cli, strict=True)]

        reduced = {}
        failures: dict[str, list[tuple[str, Case, harness.Outcome]]] = collections.defaultdict(list)
        for path, case, outcome in runs:
            if not outcome.ok:
                failures[outcome.signature].append((path, case, outcome))
        for signature, hits in failures.items():
            path, case, outcome = min(hits, key=lambda h: h[1].size())
            budget = args.reduce_budget if path != "cli" else min(args.reduce_budget, 8)
            say(f"reducing {signature} ({case.size()} bytes)")
            reduced[signature] = reduce(case, outcome, path, pool, model, budget)
        pool.close()
    text = write_markdown(args, runs, reduced, time.perf_counter() - started)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    write_results(args.out, text)
    say(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
