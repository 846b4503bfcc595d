"""Learner copies of the workshop notebooks: solutions replaced, outputs cleared.

The notebooks are stored with their solutions, between ``# BEGIN SOLUTION`` and
``# END SOLUTION`` lines in cells tagged ``solution`` (the scheme of nbgrader), so the test
suite proves that every check passes. :func:`strip_solutions` (or
``python -m segkit.workshop strip SRC DST``, ``make workshop``) writes the learner copies,
with each solution replaced by ``answer = ...  # your code here``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from segkit.exceptions import ConfigError, InputNotFoundError

__all__ = ["BEGIN_SOLUTION", "END_SOLUTION", "PLACEHOLDER", "strip_solutions"]

#: Lines that open and close a solution in a cell tagged ``solution``.
BEGIN_SOLUTION = "# BEGIN SOLUTION"
END_SOLUTION = "# END SOLUTION"
#: What a learner copy holds instead of each solution.
PLACEHOLDER = "answer = ...  # your code here"
_SOLUTION_TAG = "solution"
_NBVAL_MARKER = re.compile(r"^\s*#\s*NBVAL_\w+\s*$")


def _strip_source(source: str, where: str) -> str:
    lines = source.splitlines()
    out: list[str] = []
    inside = False
    found = False
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped == BEGIN_SOLUTION:
            if inside:
                raise ConfigError(f"{where}: line {number} opens a solution inside another one")
            inside = found = True
            out.append(line[: len(line) - len(line.lstrip())] + PLACEHOLDER)
        elif stripped == END_SOLUTION:
            if not inside:
                raise ConfigError(f"{where}: line {number} closes a solution that was not opened")
            inside = False
        elif not inside and not _NBVAL_MARKER.match(line):
            out.append(line)
    if inside:
        raise ConfigError(f"{where}: a solution is opened ({BEGIN_SOLUTION}) but never closed ({END_SOLUTION})")
    if not found:
        raise ConfigError(f"{where}: the cell is tagged {_SOLUTION_TAG!r} but has no {BEGIN_SOLUTION!r} line")
    return "\n".join(out)


def strip_solutions(src: str | os.PathLike, dst: str | os.PathLike, *, overwrite: bool = True) -> list[Path]:
    """Write learner copies of workshop notebooks: solutions replaced, outputs cleared.

    In every code cell tagged ``solution``, the lines from ``# BEGIN SOLUTION`` to
    ``# END SOLUTION`` become ``answer = ...  # your code here`` (indented as the first
    line). Outputs, execution counts, the ``solution`` tag and ``# NBVAL_*`` test markers
    are removed from every cell.

    Parameters
    ----------
    src : path
        A notebook, or a folder whose ``*.ipynb`` are all converted.
    dst : path
        The output folder (created), or a ``.ipynb`` path when ``src`` is one notebook.
    overwrite : bool, default True
        Replace existing learner copies; False keeps them (a learner's work survives a
        second ``make workshop``).

    Returns
    -------
    list of Path
        The notebooks written (not those kept).

    Raises
    ------
    InputNotFoundError
        ``src`` does not exist or holds no notebook.
    ConfigError
        A solution marker without its pair, a tagged cell without a solution, or markers
        in a cell that is not tagged ``solution``.

    Examples
    --------
    >>> import tempfile, nbformat
    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> cell = new_code_cell("# BEGIN SOLUTION\\nanswer = 686\\n# END SOLUTION\\ncheck('06.sample_size', answer)",
    ...                      metadata={"tags": ["solution"]})
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     nbformat.write(new_notebook(cells=[cell]), f"{tmp}/ex.ipynb")
    ...     (out,) = strip_solutions(f"{tmp}/ex.ipynb", f"{tmp}/learner")
    ...     print(nbformat.read(out, as_version=4).cells[0].source)
    answer = ...  # your code here
    check('06.sample_size', answer)
    """
    # nbformat only when learner copies are written: every workshop notebook imports this package for check()
    import nbformat

    src, dst = Path(src), Path(dst)
    if src.is_dir():
        notebooks = sorted(p for p in src.glob("*.ipynb") if not p.name.startswith("."))
    elif src.exists():
        notebooks = [src]
    else:
        raise InputNotFoundError(f"{src}: no such notebook or folder")
    if not notebooks:
        raise InputNotFoundError(f"{src}: the folder holds no notebook (*.ipynb)")
    single_file = src.is_file() and dst.suffix == ".ipynb"
    (dst.parent if single_file else dst).mkdir(parents=True, exist_ok=True)
    written = []
    for path in notebooks:
        out = dst if single_file else dst / path.name
        if out.exists() and not overwrite:
            continue
        nb = nbformat.read(path, as_version=4)
        for index, cell in enumerate(nb.cells):
            tags = list(cell.metadata.get("tags", []))
            where = f"{path.name}, cell {index}"
            if cell.cell_type == "code":
                if _SOLUTION_TAG in tags:
                    cell.source = _strip_source(cell.source, where)
                    tags.remove(_SOLUTION_TAG)
                elif BEGIN_SOLUTION in cell.source or END_SOLUTION in cell.source:
                    raise ConfigError(f"{where}: has solution markers but is not tagged {_SOLUTION_TAG!r}")
                else:
                    cell.source = "\n".join(ln for ln in cell.source.splitlines() if not _NBVAL_MARKER.match(ln))
                cell.outputs = []
                cell.execution_count = None
            if tags:
                cell.metadata["tags"] = tags
            else:
                cell.metadata.pop("tags", None)
        nbformat.write(nb, out)
        written.append(out)
    return written
