"""The notebooks themselves: only calls to the package, a numbered series covering every exercise,
outputs only where checked, and learner copies that run from top to bottom in under a minute."""

from __future__ import annotations

import ast

import nbformat
import pytest

from segkit import workshop
from tests.workshop.series import CHECK_CALL, NOTEBOOKS, ROOT, WORKSHOP, code_cells


def test_notebooks_define_no_function_or_class():
    """The brief: notebooks only call the package (every notebook under notebooks/, not only the workshop)."""
    offenders = []
    for path in sorted((ROOT / "notebooks").rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        for index, cell in enumerate(code_cells(path)):
            source = "\n".join(ln for ln in cell.source.splitlines() if not ln.lstrip().startswith(("%", "!")))
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                    offenders.append(f"{path.relative_to(ROOT)} cell {index}: {type(node).__name__}")
    assert offenders == []


def test_workshop_series_is_numbered_and_covers_every_exercise():
    assert [p.name[:3] for p in NOTEBOOKS] == [f"{i:02d}_" for i in range(1, len(NOTEBOOKS) + 1)]
    assert len(NOTEBOOKS) >= 7
    used = []
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        assert nb.metadata["kernelspec"]["name"] == "python3"
        assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith(f"# {int(path.name[:2])}. ")
        ids = CHECK_CALL.findall("\n".join(c.source for c in code_cells(path)))
        assert 2 <= len(ids) <= 4, (path.name, ids)
        assert all(i.startswith(path.name[:2] + ".") for i in ids), (path.name, ids)
        used += ids
    assert sorted(used) == sorted(workshop.EXERCISES)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_notebooks_keep_only_checked_outputs(path):
    for cell in code_cells(path):
        checked = "# NBVAL_CHECK_OUTPUT" in cell.source
        if "solution" in cell.metadata.get("tags", []):
            assert checked and "# BEGIN SOLUTION" in cell.source, cell.source
            (output,) = cell.outputs
            assert output["data"]["text/plain"].endswith(": correct")
        else:
            assert not checked and not cell.outputs, cell.source


@pytest.fixture(scope="module")
def learner_copies(tmp_path_factory):
    return workshop.strip_solutions(WORKSHOP, tmp_path_factory.mktemp("learner"))


@pytest.mark.slow
@pytest.mark.parametrize("name", [p.name for p in NOTEBOOKS], ids=lambda n: n[:2])
def test_learner_copy_runs_and_reports_open_exercises(name, learner_copies, tmp_path, request):
    import papermill as pm

    parameters = {}
    if name.startswith("07_"):
        parameters["data_dir"] = str(request.getfixturevalue("shared_data"))
    (copy,) = [p for p in learner_copies if p.name == name]
    out = tmp_path / name
    pm.execute_notebook(str(copy), str(out), parameters=parameters, kernel_name="python3", cwd=str(WORKSHOP),
                        progress_bar=False, execution_timeout=120)
    texts = [o["data"]["text/plain"] for c in code_cells(out) if CHECK_CALL.search(c.source) for o in c.outputs
             if "data" in o]
    n_exercises = len(CHECK_CALL.findall("\n".join(c.source for c in code_cells(WORKSHOP / name))))
    assert len(texts) == n_exercises and all(t.endswith(": not answered yet") for t in texts), texts


@pytest.mark.slow
def test_real_data_notebook_says_clearly_when_data_are_missing(learner_copies, tmp_path):
    """Without the data, the notebook stops at its first data cell with a segkit error naming the fix."""
    import papermill as pm

    (copy,) = [p for p in learner_copies if p.name.startswith("07_")]
    with pytest.raises(pm.PapermillExecutionError) as info:
        pm.execute_notebook(str(copy), str(tmp_path / "out.ipynb"), parameters={"data_dir": str(tmp_path / "nothing")},
                            kernel_name="python3", cwd=str(WORKSHOP), progress_bar=False, execution_timeout=120)
    assert info.value.ename == "InputNotFoundError"
    assert f"shared data not found: {tmp_path / 'nothing'} does not exist" in info.value.evalue
    assert "papermill -p data_dir PATH" in info.value.evalue
