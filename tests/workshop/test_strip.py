"""segkit.workshop.strip: learner copies of the workshop notebooks, solutions replaced by placeholders."""

from __future__ import annotations

import re

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from segkit import workshop
from segkit.exceptions import ConfigError
from tests.workshop.series import CHECK_CALL, NOTEBOOKS, WORKSHOP, code_cells


def test_strip_solutions_writes_learner_copies(tmp_path):
    written = workshop.strip_solutions(WORKSHOP, tmp_path / "learner")
    assert [p.name for p in written] == [p.name for p in NOTEBOOKS]
    for stored, copy in zip(NOTEBOOKS, written):
        solutions = [c for c in code_cells(stored) if "solution" in c.metadata.get("tags", [])]
        cells = code_cells(copy)
        text = "\n".join(c.source for c in cells)
        assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text and "NBVAL" not in text
        assert text.count(workshop.PLACEHOLDER) == len(solutions)
        assert all(not c.outputs and c.execution_count is None for c in cells)
        assert all("solution" not in c.metadata.get("tags", []) for c in cells)
        # the check calls survive, each after its placeholder
        assert CHECK_CALL.findall(text) == CHECK_CALL.findall("\n".join(c.source for c in solutions))


def test_strip_keeps_indentation_and_code_around_the_solution(tmp_path):
    src = "x = 1\nif x:\n    # BEGIN SOLUTION\n    answer = 2\n    # END SOLUTION\nprint(answer)"
    nb = new_notebook(cells=[new_code_cell(src, metadata={"tags": ["solution", "keep"]})])
    nbformat.write(nb, tmp_path / "a.ipynb")
    (out,) = workshop.strip_solutions(tmp_path / "a.ipynb", tmp_path / "b.ipynb")
    cell = nbformat.read(out, as_version=4).cells[0]
    assert cell.source == "x = 1\nif x:\n    answer = ...  # your code here\nprint(answer)"
    assert cell.metadata["tags"] == ["keep"]


@pytest.mark.parametrize(("source", "tags", "message"), [
    ("# BEGIN SOLUTION\nanswer = 1", ["solution"], "never closed"),
    ("answer = 1\n# END SOLUTION", ["solution"], "not opened"),
    ("# BEGIN SOLUTION\n# BEGIN SOLUTION\n# END SOLUTION", ["solution"], "inside another"),
    ("answer = 1", ["solution"], "has no '# BEGIN SOLUTION' line"),
    ("# BEGIN SOLUTION\nanswer = 1\n# END SOLUTION", [], "not tagged 'solution'"),
], ids=["unclosed", "unopened", "nested", "no-marker", "untagged"])
def test_broken_solution_markers(tmp_path, source, tags, message):
    nbformat.write(new_notebook(cells=[new_code_cell(source, metadata={"tags": tags})]), tmp_path / "n.ipynb")
    with pytest.raises(ConfigError, match=re.escape(message)):
        workshop.strip_solutions(tmp_path / "n.ipynb", tmp_path / "out")
