"""Writing a benchmark's results file without losing what people wrote under it.

Each ``benchmarks/results/*.md`` starts with what its benchmark generated (the latest run's
tables) and may end with notes written by hand: comparisons with earlier code, what a run
showed, on which machine. A benchmark rewrites its part and keeps theirs: everything from the
line :data:`NOTES_MARK` on. Write a new note just below the mark, newest first.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["NOTES_MARK", "write_results"]

#: The line after which a results file is written by hand (kept when the benchmark runs again).
NOTES_MARK = "<!-- notes written by hand: below this line, kept when the benchmark runs again -->"


def write_results(path: str | Path, generated: str) -> None:
    """Write ``generated`` to ``path``, followed by the notes the file already held below :data:`NOTES_MARK`.

    A file without the mark is all generated (nothing to keep); a new file gets the mark, so its
    notes have a place from the first run.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "bench.md"
    >>> write_results(path, "# Run 1\\n")
    >>> _ = path.write_text(path.read_text() + "Faster than yesterday.\\n")  # a note, by hand
    >>> write_results(path, "# Run 2\\n")
    >>> print(path.read_text())  # doctest: +NORMALIZE_WHITESPACE
    # Run 2
    <!-- notes written by hand: below this line, kept when the benchmark runs again -->
    Faster than yesterday.
    """
    path = Path(path)
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    _, mark, notes = old.partition(NOTES_MARK)
    text = generated if generated.endswith("\n") else generated + "\n"
    path.write_text(text + NOTES_MARK + (notes if mark else "\n"), encoding="utf-8")
