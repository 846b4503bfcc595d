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

import contextlib
import errno
import math
import os
import re
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from segkit.exceptions import ConfigError, OutputError

if TYPE_CHECKING:  # `segkit report` checks --out before it starts the kernel: no pandas import here
    import pandas as pd

__all__ = ["CSV_OPTIONS", "REQUIRED_OUTPUTS", "Interrupted", "check_out_dir", "check_writable", "failed_notebook_path",
           "full_number", "full_numbers", "output_error", "partial_folder", "publish_folder", "remove_stale_partials", "stop_on_signals",
           "write_csv", "write_csv_atomic", "write_text_atomic"]

#: Files every report folder holds (``targeting.csv`` too when campaign data exists).
REQUIRED_OUTPUTS = ("report.html", "report.ipynb", "segments.csv", "profiles.csv", "summary.json", "model.skops")

#: Files that mark a folder as an earlier report (``summary.json``) or batch (``index.html``).
_REPORT_MARKERS = ("summary.json", "index.html")


#: Below this magnitude (p-values of overwhelming differences, never money, shares or counts) a
#: number keeps an exponent: 1.3642137e-132, not 131 zeros.
TINY = 1e-12
#: From this magnitude on a number keeps an exponent too: no money, share or count is this big
#: (numbers read are refused above it), and 1e+300 in full would be 301 digits.
HUGE = 1e15


def full_number(value: float) -> str:
    """A float as a CSV writes it: exactly, and in full, never in scientific notation.

    The text is the shortest that reads back as the same float (what ``repr`` gives, so a
    revenue of 6,529,548.40 is ``6529548.4``, never ``6529548`` or ``6.52955e+06``), written
    positionally with trailing zeros dropped (``3``, not ``3.0``). Only a number below
    :data:`TINY` in magnitude (a p-value such as 1e-132) or from :data:`HUGE` up keeps an
    exponent, again with the shortest exact digits. The same value always gives the same
    text, so files stay byte-identical across runs.

    Examples
    --------
    >>> [full_number(v) for v in (6529548.0, 6529548.4, 1234.5678, 0.1 + 0.2, 3.0, -0.0, 0.000123456789, 2e-9)]
    ['6529548', '6529548.4', '1234.5678', '0.30000000000000004', '3', '0', '0.000123456789', '0.000000002']
    >>> full_number(1.3642137e-132), full_number(2.5e20)
    ('1.3642137e-132', '2.5e+20')
    """
    import numpy as np

    x = float(value)
    if x == 0 or not math.isfinite(x):
        return "0" if x == 0 else str(x)
    if abs(x) < TINY or abs(x) >= HUGE:
        return np.format_float_scientific(x, unique=True, trim="-")
    return np.format_float_positional(x, unique=True, trim="-")


def full_numbers(values) -> list[str | None]:
    """:func:`full_number` of every value of a float array, ``None`` for NaN (a blank cell).

    Python's ``repr`` gives the same shortest exact digits, positionally, from 1e-4 to 1e16;
    there it is used (1.5 s against numpy's 3.6 s per million values, which matters in a
    ``segments.csv`` of a million customers), and :func:`full_number` elsewhere.

    Examples
    --------
    >>> import numpy as np
    >>> full_numbers(np.array([6529548.0, 0.1 + 0.2, np.nan, 2e-9]))
    ['6529548', '0.30000000000000004', None, '0.000000002']
    """
    import numpy as np

    out: list[str | None] = []
    for x in np.asarray(values, dtype=float).tolist():
        if x != x:
            out.append(None)
        elif 1e-4 <= abs(x) < HUGE:
            text = repr(x)
            out.append(text[:-2] if text.endswith(".0") else text)
        else:
            out.append(full_number(x))
    return out


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
    A run stopped by SIGINT or SIGTERM (:func:`stop_on_signals`) before this point publishes
    nothing; the swap itself runs with those signals held, so it is never cut in half.
    """
    check_out_dir(out)
    with _signals_held():
        check_not_stopped()
        final = out.parent / f".{out.name}.ready-{os.getpid()}"
        shutil.rmtree(final, ignore_errors=True)
        try:
            os.rename(tmp, final)  # tmp must not be removed by the caller's cleanup after this
            old = None
            if out.exists():
                old = out.parent / f".{out.name}.old-{os.getpid()}"
                os.rename(out, old)
            os.rename(final, out)
        except OSError as err:
            raise output_error(err, out) from err
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


# --------------------------------------------------------------------------- faults

def output_error(err: OSError, path: str | Path) -> OutputError:
    """A file-system error (no permission, read-only, no space, not a folder) as one line naming the path."""
    return OutputError(f"{path}: cannot write ({err.strerror or err}); expected a folder this user can write to"
                       + (", with free space" if err.errno == errno.ENOSPC else ""))


def check_writable(out: str | Path) -> None:
    """Refuse, before anything runs, an ``--out`` whose parent folder cannot be created or written.

    Raises
    ------
    OutputError
        One line naming the path and the reason (permission denied, read-only file system...).
    """
    parent = Path(out).absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=f".{Path(out).name}.", suffix=".probe", dir=parent)
        os.close(fd)
        os.unlink(probe)
    except OSError as err:
        raise output_error(err, parent) from err


#: The hidden folders a run leaves beside ``--out`` while it works: ``.<out>.<pid>.<random>.partial``
#: (the report being built), ``.<out>.ready-<pid>`` and ``.<out>.old-<pid>`` (the swap).
_RUN_FOLDER = re.compile(r"^\..+\.(?:(?P<pid>\d+)\.[^.]+\.partial|(?:ready|old)-(?P<pid2>\d+))$")


def partial_folder(out: Path) -> Path:
    """Create the hidden folder beside ``out`` that a run builds its report in, named with the
    run's process id so that a later run can tell whether it is still at work."""
    try:
        return Path(tempfile.mkdtemp(prefix=f".{out.name}.{os.getpid()}.", suffix=".partial", dir=out.parent))
    except OSError as err:
        raise output_error(err, out.parent) from err


def remove_stale_partials(parent: str | Path) -> list[Path]:
    """Remove the hidden folders of earlier runs into ``parent`` whose process is gone (killed, or
    the machine restarted); return them. Folders of runs still at work are left alone.

    Examples
    --------
    >>> import tempfile
    >>> parent = Path(tempfile.mkdtemp())
    >>> (parent / ".report.999999999.abc.partial").mkdir()
    >>> (parent / f".report.{os.getpid()}.xyz.partial").mkdir()
    >>> [p.name for p in remove_stale_partials(parent)]
    ['.report.999999999.abc.partial']
    """
    removed = []
    try:
        entries = list(Path(parent).iterdir())
    except OSError:
        return removed
    for entry in entries:
        match = _RUN_FOLDER.match(entry.name)
        if not match or not entry.is_dir() or entry.is_symlink():
            continue
        pid = int(match["pid"] or match["pid2"])
        if not _running_since(pid, entry):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


def _running_since(pid: int, folder: Path) -> bool:
    """Whether process ``pid`` exists and is the one that made ``folder`` (not a later process
    given the same id: on Linux, one started after the folder was made is another)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return pid < 2**22  # another user's live process (or an impossible id: gone)
    proc = Path(f"/proc/{pid}")
    try:
        return proc.stat().st_mtime <= folder.stat().st_mtime + 1
    except OSError:
        return True


def failed_notebook_path(out: str | Path) -> Path:
    """Where a failed run keeps its executed notebook: ``<out>.failed.ipynb`` beside ``--out``,
    named after the run's folder, so runs into one parent never overwrite each other's."""
    out = Path(out)
    return out.parent / f"{out.name}.failed.ipynb"


class Interrupted(KeyboardInterrupt):
    """The run was stopped by a signal (SIGINT or SIGTERM) and published nothing."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    def __str__(self) -> str:
        return f"stopped by {signal.Signals(self.signum).name}; nothing was published"


_stopped: list[int] = []  # the signals received while stop_on_signals was in force


def check_not_stopped() -> None:
    """Raise :class:`Interrupted` if a stop signal arrived (even one a library swallowed)."""
    if _stopped:
        raise Interrupted(_stopped[0])


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM stop the run: :class:`Interrupted` is raised (a
    KeyboardInterrupt, so clean-up runs as for Ctrl-C) and remembered, so that a library that
    swallows it still cannot let the run publish (:func:`check_not_stopped`).

    An error that ends the block after a stop signal arrived is the stop's doing (the interrupt
    landed inside a library, say the kernel client's event loop, which failed another way): it
    leaves the block as :class:`Interrupted`, chained to that error.

    Only the main thread can take signals; elsewhere this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        _stopped.append(signum)
        raise Interrupted(signum)

    before = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    except Exception as err:
        if _stopped:
            raise Interrupted(_stopped[0]) from err
        raise
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)
        _stopped.clear()


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM (delivered when the block ends): the swap of folders is not cut."""
    held = {signal.SIGINT, signal.SIGTERM}
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, held)


def _write_atomic(path: Path, write: Callable[[str], object]) -> Path:
    """Call ``write(tmp)`` on a temporary file next to ``path``, then rename it into place,
    so the file is whole or absent."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as err:
        raise output_error(err, path.parent) from err
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    except OSError as err:
        raise output_error(err, path) from err
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def write_csv(frame: pd.DataFrame, path) -> None:
    """Write a table as segkit writes every CSV: :data:`CSV_OPTIONS` (numbers in full, see
    :func:`full_number`) and no ``inf``.

    An infinite figure (the standardised difference of a feature constant inside and outside
    a segment: infinitely many standard deviations) is no number a spreadsheet can use; the
    cell is left blank, as a figure that cannot be given is everywhere in the report files.

    Examples
    --------
    >>> import tempfile
    >>> import pandas as pd
    >>> path = Path(tempfile.mkdtemp()) / "t.csv"
    >>> write_csv(pd.DataFrame({"feature": ["age", "spend"], "effect_size": [float("-inf"), 6529548.4]}), path)
    >>> path.read_text()
    'feature,effect_size\\nage,\\nspend,6529548.4\\n'
    """
    import numpy as np
    import pandas as pd

    infinite = [c for c in frame.select_dtypes("number").columns
                if np.isinf(frame[c].to_numpy(dtype="float64", na_value=np.nan)).any()]
    if infinite:
        frame = frame.assign(**{c: frame[c].replace([np.inf, -np.inf], np.nan) for c in infinite})
    floats = [i for i, dtype in enumerate(frame.dtypes) if dtype.kind == "f"]
    if floats and len(frame) > 1000:  # long tables: the numbers as text first (full_numbers), at C speed
        frame = frame.copy(deep=False)
        for i in floats:
            frame.isetitem(i, pd.array(full_numbers(frame.iloc[:, i].to_numpy()), dtype=object))
    frame.to_csv(path, **CSV_OPTIONS)


def write_csv_atomic(frame: pd.DataFrame, path: Path) -> Path:
    """Write a CSV (:func:`write_csv`) next to its target and rename it into place, so it is whole or absent."""
    return _write_atomic(path, lambda tmp: write_csv(frame, tmp))


def write_text_atomic(path: Path, text: str) -> Path:
    """Write UTF-8 text next to its target and rename it into place, so it is whole or absent."""
    return _write_atomic(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
