"""The seeded cases the test suite runs, and the tool that lists which of them fail today.

:func:`suite_cases` draws the same cases on every run (a fixed seed, the ``segkit-fuzz``
hypothesis profile): per family of :data:`tests.fuzz.strategies.FAMILIES`,
:data:`PER_FAMILY` cases through the Python path, and :data:`READER_PER_FAMILY` cases of the
file-level families through :func:`segkit.io.read_table` alone; :data:`SCORE_CASES` batches
mutated from :func:`score_base` through ``segkit score``; :data:`CLI_CASES` valid cases
through ``segkit report`` (marked slow in the suite).

``tests/fuzz/known.py`` records the cases that fail today, by defect. When a fix lands, its
cases pass and their strict xfail markers fail the suite: delete those lines of ``known.py``
(or rewrite it: ``.venv/bin/python -m tests.fuzz.suite > tests/fuzz/known.py``, which runs
every case once, a few minutes). Changing the strategies changes the cases:
rewrite ``known.py`` then too.
"""

from __future__ import annotations

import random
import sys
import tempfile
import zlib
from functools import cache
from pathlib import Path

from segkit.pipeline import Analysis
from tests.fuzz import base, defects, harness, strategies
from tests.fuzz.corpus import Case, Shape

__all__ = ["CLI_CASES", "FILE_FAMILIES", "PER_FAMILY", "READER_PER_FAMILY", "SCORE_CASES", "SEED", "fit_score_model",
           "ledger", "run", "score_base", "suite_cases"]

#: The suite's seed (any fixed number: it picks which cases are drawn).
SEED = 20261122
#: Cases per family through the Python path.
PER_FAMILY = 8
#: Families whose damage is in the file itself, also run through the reader alone (cheap).
FILE_FAMILIES = ("names", "encodings", "bytes", "line-ends", "quotes", "structure", "numbers-huge-int",
                 "invoice-numbers", "dates-out-of-range")
READER_PER_FAMILY = 12
#: Batches through ``segkit score``.
SCORE_CASES = 24
#: Valid cases through ``segkit report`` (a kernel each: ~8 s).
CLI_CASES = 2


@cache
def suite_cases() -> dict[str, list[tuple[str, Case]]]:
    """``{path: [(case id, case), ...]}`` for the paths ``python``, ``reader``, ``score`` and ``cli``."""
    python = [(f"{family}-{i:02d}", case) for family in strategies.FAMILIES
              for i, case in enumerate(strategies.draw(strategies.cases(family), PER_FAMILY, _seed(family)))]
    reader = [(f"reader-{family}-{i:02d}", case) for family in FILE_FAMILIES
              for i, case in enumerate(strategies.draw(strategies.cases(family), READER_PER_FAMILY,
                                                       _seed(f"reader-{family}")))]
    batches = strategies.draw(strategies.mutations_of(score_base()), SCORE_CASES, SEED)
    score = [(f"score-{case.family}-{i:02d}", case) for i, case in enumerate(batches)]
    cli = [(f"cli-{i:02d}", case) for i, case in enumerate(strategies.draw(strategies.cases("valid", rows=(30, 60)),
                                                                          CLI_CASES, SEED))]
    return {"python": python, "reader": reader, "score": score, "cli": cli}


def _seed(name: str) -> int:
    """The suite's seed, varied by name: each family draws its own base cases."""
    return SEED + zlib.crc32(name.encode())


@cache
def score_base() -> Case:
    """The customer table the scoring model is fitted on: 60 customers, plain CSV."""
    table = base.customer_table(random.Random(SEED), 60, [f"C{i:04d}" for i in range(60)])
    table.shape = Shape()
    return Case("score", {"customers": table}, {"segmentation": dict(base.FAST_SEGMENTATION)},
                ["score base: 60 customers"])


def fit_score_model(folder: Path) -> Path:
    """Write the report files of :func:`score_base` into ``folder``; return its model.skops."""
    config, _ = score_base().write(folder / "train")
    Analysis(config, verbose=False).write(folder / "model")
    return folder / "model" / "model.skops"


def run(path: str, case: Case, folder: Path, model: Path | None = None) -> harness.Outcome:
    """One suite case through its path, in ``folder``."""
    if path == "reader":
        return harness.run_reader(case, folder)
    if path == "score":
        return harness.run_score(case, folder, model)
    if path == "cli":
        return harness.run_cli_report(case, folder)
    return harness.run_analysis(case, folder)


def ledger() -> str:
    """The text of ``known.py`` for today's code: every suite case that fails, with its defect."""
    failing: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="segkit-fuzz-") as tmp:
        model = fit_score_model(Path(tmp))
        for path, cases in suite_cases().items():
            for case_id, case in cases:
                with tempfile.TemporaryDirectory(prefix="segkit-fuzz-", dir=tmp) as folder:
                    outcome = run(path, case, Path(folder), model)
                if not outcome.ok:
                    found = defects.identify(outcome)
                    failing[case_id] = found.id if found else "new"
                    print(f"{case_id}: {outcome.signature}", file=sys.stderr)
    lines = [f'    "{case_id}": "{defect_id}",' for case_id, defect_id in sorted(failing.items())]
    return KNOWN_HEADER + "\n".join(lines) + "\n}\n"


KNOWN_HEADER = '''"""The suite's cases that fail today, by defect id (see ``tests/fuzz/defects.py``).

Written by ``.venv/bin/python -m tests.fuzz.suite > tests/fuzz/known.py``; when a fix lands,
its cases pass and their strict xfail markers fail the suite: delete those lines.
"""

KNOWN: dict[str, str] = {
'''


if __name__ == "__main__":
    sys.stdout.write(ledger())
