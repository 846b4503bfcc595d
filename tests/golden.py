"""Golden report files: the results a report folder held when they were last accepted.

``tests/golden/<case>/`` keeps ``segments.csv``, ``profiles.csv``, ``targeting.csv`` (when the
case has a campaign) and ``summary.json`` of the reports that ``tests/test_e2e.py`` builds on
the demo and on the three real data sets. A change that moves code must leave them as they
are; a change that alters results on purpose rewrites them and says why in its commit::

    SEGKIT_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_e2e.py -k golden -p no:xdist

``summary.json`` is compared without what depends on the machine or the moment (timings,
library versions, absolute paths); every other value, numbers included, must match.
"""

from __future__ import annotations

import json
import math
import os
import shutil
from pathlib import Path, PurePosixPath

GOLDEN = Path(__file__).resolve().parent / "golden"
FILES = ("segments.csv", "profiles.csv", "targeting.csv", "summary.json")
#: summary.json keys that say when and where a run happened, not what it found.
_VOLATILE = ("timings", "versions")


def normalise_summary(summary: dict) -> dict:
    """``summary`` without timings and versions, every absolute path cut to its file name."""
    def walk(value):
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, str) and value.startswith("/") and "\n" not in value:
            return PurePosixPath(value).name
        return value

    return walk({k: v for k, v in summary.items() if k not in _VOLATILE})


def _differences(expected, actual, where: str = "") -> list[str]:
    """Where two JSON values differ (numbers equal to 12 significant digits count as equal)."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        out = [f"{where}.{k}: missing" for k in expected if k not in actual]
        out += [f"{where}.{k}: unexpected" for k in actual if k not in expected]
        for k in expected.keys() & actual.keys():
            out += _differences(expected[k], actual[k], f"{where}.{k}")
        return out
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return [f"{where}: {len(actual)} items, expected {len(expected)}"]
        return [d for i, (e, a) in enumerate(zip(expected, actual)) for d in _differences(e, a, f"{where}[{i}]")]
    numbers = (int, float)
    if isinstance(expected, numbers) and isinstance(actual, numbers) and not isinstance(expected, bool):
        if math.isclose(expected, actual, rel_tol=1e-12, abs_tol=1e-12):
            return []
    elif expected == actual:
        return []
    return [f"{where}: {actual!r}, expected {expected!r}"]


def compare_with_golden(out: Path, case: str) -> list[str]:
    """What differs between the report folder ``out`` and the golden files of ``case``.

    With ``SEGKIT_UPDATE_GOLDEN=1`` the golden files are rewritten from ``out`` instead.
    """
    folder = GOLDEN / case
    if os.environ.get("SEGKIT_UPDATE_GOLDEN") == "1":
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for name in FILES:
            if name == "summary.json":
                summary = normalise_summary(json.loads((out / name).read_text(encoding="utf-8")))
                (folder / name).write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
            elif (out / name).exists():
                shutil.copyfile(out / name, folder / name)
        return []
    problems = []
    for name in FILES:
        want, have = folder / name, out / name
        if not want.exists():
            if have.exists():
                problems.append(f"{name}: written, but the golden files have none")
            continue
        if not have.exists():
            problems.append(f"{name}: not written")
        elif name == "summary.json":
            expected = json.loads(want.read_text(encoding="utf-8"))
            actual = normalise_summary(json.loads(have.read_text(encoding="utf-8")))
            problems += [f"summary.json{d}" for d in _differences(expected, actual)[:20]]
        elif have.read_bytes() != want.read_bytes():
            lines = zip(want.read_text(encoding="utf-8").splitlines(), have.read_text(encoding="utf-8").splitlines())
            first = next(((i, w, h) for i, (w, h) in enumerate(lines, 1) if w != h), None)
            problems.append(f"{name}: differs" + (f" from line {first[0]}: {first[2]!r}, expected {first[1]!r}"
                                                   if first else " in length"))
    return problems
