"""What a report folder holds, and how it is written so that it is whole or absent.

A report replaces its folder whole: :func:`check_out_dir` refuses, before anything runs, a
target whose contents that would destroy; the report is built in a temporary folder beside
the target and :func:`publish_folder` swaps it into place. Single files (scores, comparisons)
are written next to their target and renamed into place by :func:`write_csv_atomic` and
:func:`write_text_atomic`, so a reader never sees half a file.

Examples
--------
>>> import tempfile
>>> import pandas as pd
>>> folder = Path(tempfile.mkdtemp())
>>> write_csv_atomic(pd.DataFrame({"customer_id": ["a"], "segment": [2]}), folder / "scored.csv").read_text().split()
['customer_id,segment', 'a,2']
"""

from __future__ import annotations

import math
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from segkit.exceptions import ConfigError

if TYPE_CHECKING:  # `segkit report` checks --out before it starts the kernel: no pandas import here
    import pandas as pd

__all__ = ["CSV_OPTIONS", "REQUIRED_OUTPUTS", "check_out_dir", "full_number", "publish_folder", "write_csv_atomic",
           "write_text_atomic"]

#: Files every report folder holds (``targeting.csv`` too when campaign data exists).
REQUIRED_OUTPUTS = ("report.html", "report.ipynb", "segments.csv", "profiles.csv", "summary.json", "model.skops")

#: Files that mark a folder as an earlier report (``summary.json``) or batch (``index.html``).
_REPORT_MARKERS = ("summary.json", "index.html")


#: Significant digits a CSV keeps after the decimal point (the digits before it are all written).
SIGNIFICANT_DIGITS = 6
#: Below this magnitude (p-values of overwhelming differences, never money, shares or counts) a
#: number keeps an exponent: 1.36421e-132, not 131 zeros.
TINY = 1e-12


def full_number(value: float) -> str:
    """A float as a CSV writes it: in full, never in scientific notation.

    Every digit before the decimal point is written (a revenue of 6,529,548 is ``6529548``,
    not ``6.52955e+06``); after it, digits up to :data:`SIGNIFICANT_DIGITS` significant ones,
    trailing zeros dropped. Only a number below :data:`TINY` in magnitude (a p-value such as
    1e-132) keeps an exponent, with as many significant digits. The same value always gives the
    same text, so files stay byte-identical across runs.

    Examples
    --------
    >>> [full_number(v) for v in (6529548.0, 6529548.4, 1234.5678, 0.5, 3.0, -0.0, 0.000123456789, 2e-9)]
    ['6529548', '6529548', '1234.57', '0.5', '3', '0', '0.000123457', '0.000000002']
    >>> full_number(1.3642137e-132)
    '1.36421e-132'
    """
    x = float(value)
    if x == 0 or not math.isfinite(x):
        return "0" if x == 0 else str(x)
    if abs(x) < TINY:
        return f"{x:.{SIGNIFICANT_DIGITS}g}"
    digits = math.floor(math.log10(abs(x))) + 1
    text = f"{x:.{max(0, SIGNIFICANT_DIGITS - digits)}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


#: How segkit writes every CSV: no row numbers, ``\n`` line ends, numbers in full.
CSV_OPTIONS = {"index": False, "lineterminator": "\n", "float_format": full_number}


def check_out_dir(out: str | Path) -> None:
    """Refuse an output path whose contents publishing the report would destroy.

    A report replaces its folder whole, so the folder must be new, empty, or an earlier
    report or batch (it holds ``summary.json`` or ``index.html``). A file, or a folder of
    other files (the data, a home folder), is an error before anything runs.

    Raises
    ------
    ConfigError
        ``out`` is a file, or a folder that is not an earlier report and not empty.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "customers.csv").write_text("id,age\\n1,30\\n")
    >>> check_out_dir(folder / "new-report")
    >>> check_out_dir(folder)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    segkit.exceptions.ConfigError: --out ...: folder holds other files (customers.csv) and would be replaced whole; ...
    """
    out = Path(out)
    if out.is_file():
        raise ConfigError(f"--out {out}: is a file; expected a folder to write the report into")
    if not out.is_dir() or any((out / name).is_file() for name in _REPORT_MARKERS):
        return
    held = sorted(p.name for p in out.iterdir())
    if held:
        shown = ", ".join(held[:5]) + (f" and {len(held) - 5} more" if len(held) > 5 else "")
        raise ConfigError(
            f"--out {out}: folder holds other files ({shown}) and would be replaced whole; "
            f"expected a new or empty folder, or an earlier report folder"
        )


def publish_folder(tmp: Path, out: Path) -> None:
    """Swap the finished temporary folder ``tmp`` into place at ``out``; an old report is replaced whole.

    ``tmp`` must sit beside ``out`` (same file system) and is gone afterwards: renamed to ``out``.
    """
    check_out_dir(out)
    final = out.parent / f".{out.name}.ready-{os.getpid()}"
    shutil.rmtree(final, ignore_errors=True)
    os.rename(tmp, final)  # tmp must not be removed by the caller's cleanup after this
    old = None
    if out.exists():
        old = out.parent / f".{out.name}.old-{os.getpid()}"
        os.rename(out, old)
    os.rename(final, out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _write_atomic(path: Path, write: Callable[[str], object]) -> Path:
    """Call ``write(tmp)`` on a temporary file next to ``path``, then rename it into place,
    so the file is whole or absent."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def write_csv_atomic(frame: pd.DataFrame, path: Path) -> Path:
    """Write a CSV next to its target and rename it into place, so it is whole or absent."""
    return _write_atomic(path, lambda tmp: frame.to_csv(tmp, **CSV_OPTIONS))


def write_text_atomic(path: Path, text: str) -> Path:
    """Write UTF-8 text next to its target and rename it into place, so it is whole or absent."""
    return _write_atomic(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
