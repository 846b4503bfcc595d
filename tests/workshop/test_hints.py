"""Every exercise, given the wrong answer each of its hints warns about, gives that hint.

Each workshop notebook runs here in-process on its own default parameters, with
:func:`segkit.workshop.check` recording the data every exercise is checked on. For each
recorded exercise and each of its :class:`~segkit.workshop.exercise.Mistake`\\ s, the mistake's
answer is computed from those data and checked: it must not count as correct, and it must earn
the mistake's hint. A mistake that cannot be told from the right answer on the notebook's own
data (a data set where the "forgotten" step changes nothing) fails here, so the notebook has to
give data in which the mistake shows.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import matplotlib
import pytest

from segkit import workshop
from segkit.workshop.check import EXERCISES

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks" / "workshop").glob("*.ipynb"))
pytestmark = pytest.mark.slow

def _checked_data(path: Path, monkeypatch) -> dict[str, dict]:
    """Run the notebook's code cells; return the data each exercise was checked on, by id."""
    import matplotlib.pyplot as plt
    from IPython.display import display

    matplotlib.use("Agg")
    recorded: dict[str, dict] = {}
    real = workshop.check

    def recording(exercise_id, answer, **data):
        recorded[exercise_id] = data
        return real(exercise_id, answer, **data)

    monkeypatch.setattr(workshop, "check", recording)
    monkeypatch.chdir(path.parent)
    shared = ROOT.parent / "shared" / "data"
    namespace = {"__name__": "__main__", "display": display}
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        if "parameters" in cell.get("metadata", {}).get("tags", []) and "data_dir" in source:
            source += f"\ndata_dir = {str(os.environ.get('SEGKIT_SHARED_DATA', shared))!r}\n"
        exec(compile(source, f"{path.name}", "exec"), namespace)  # noqa: S102 - our own notebooks
        plt.close("all")
    return recorded


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_mistake_earns_its_hint_on_the_notebooks_data(notebook, monkeypatch):
    if notebook.stem.startswith("07") and not (ROOT.parent / "shared" / "data").is_dir():
        pytest.skip("../shared/data not found")
    recorded = _checked_data(notebook, monkeypatch)
    number = notebook.stem.split("_")[0]
    expected = [ex for ex in EXERCISES if ex.startswith(f"{number}.")]
    assert sorted(recorded) == sorted(expected), "every exercise of the notebook is checked in it"
    missed = []
    for exercise_id, data in recorded.items():
        exercise = EXERCISES[exercise_id]
        for mistake in exercise.mistakes:
            result = exercise.check(mistake.answer(**data), **data)
            if result.correct or mistake.hint not in result.message:
                missed.append(f"{exercise_id}: {mistake.hint[:60]!r} -> {result.message[:80]!r}")
    assert missed == []
