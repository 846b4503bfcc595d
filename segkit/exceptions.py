"""Exceptions and warnings raised by segkit.

Every failure a user can cause (a bad file, a wrong column, a broken config) is a
:class:`SegkitError`. Each subclass also inherits the matching builtin so that generic
handlers (``except ValueError``) keep working. Messages name the file, the column, an
example value with its row, and what was expected; the command line prints them as one
line and exits with status 2.

Examples
--------
>>> from segkit.exceptions import DataError, SegkitError
>>> err = DataError("orders.csv: column 'Price' has 1 non-numeric value (e.g. 'abc' at row 3); expected numbers")
>>> isinstance(err, SegkitError), isinstance(err, ValueError)
(True, True)
"""

from __future__ import annotations

__all__ = [
    "SegkitError",
    "InputError",
    "InputNotFoundError",
    "DataError",
    "ColumnError",
    "ConfigError",
    "SegmentationError",
    "ModelError",
    "ReportError",
    "StaleResultError",
    "OutputError",
    "SegkitWarning",
    "quote",
]

#: The most characters of a value an error message quotes (issue 19: one line stays one line).
QUOTE_LIMIT = 80


def quote(value, limit: int = QUOTE_LIMIT) -> str:
    """A value as a message quotes it: its ``repr``, cut to about ``limit`` characters.

    Every message that shows a value from the data or the config goes through here, so a
    200,000-character cell never makes a 200,000-character error line. numpy and pandas
    scalars are shown as the Python values they hold (``1.5``, not ``np.float64(1.5)``).

    Examples
    --------
    >>> quote("abc"), quote(3)
    ("'abc'", '3')
    >>> quote("x" * 5000)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' (5,000 characters)"
    """
    item = getattr(value, "item", None)
    if callable(item) and type(value).__module__ == "numpy":
        try:
            value = item()
        except (TypeError, ValueError):
            pass
    text = repr(value)
    if len(text) <= limit:
        return text
    if isinstance(value, str | bytes):
        size = f"{len(value):,} {'characters' if isinstance(value, str) else 'bytes'}"
        shown = repr(value[:limit])[: max(limit - 20, 10)]
        return f"{shown}...{text[-1]} ({size})"
    return f"{text[: max(limit - 20, 10)]}... ({len(text):,} characters)"


class SegkitError(Exception):
    """Root of every error segkit raises on purpose."""


class InputError(SegkitError, ValueError):
    """An input file cannot be read: empty, header only, binary, unknown format."""


class InputNotFoundError(SegkitError, FileNotFoundError):
    """An input path (file, folder or glob) matches nothing."""


class DataError(SegkitError, ValueError):
    """Values in the data are not what was expected (text in a number column, bad dates...)."""


class ColumnError(SegkitError, KeyError):
    """A column named in the config or needed by a step is not in the data."""

    def __str__(self) -> str:  # KeyError would wrap the message in quotes
        return str(self.args[0]) if self.args else ""


class ConfigError(SegkitError, ValueError):
    """The configuration is broken: bad YAML, an unknown key, an invalid value."""


class SegmentationError(SegkitError, ValueError):
    """Segmentation cannot run as asked (too few customers, k out of range...)."""


class ModelError(SegkitError, ValueError):
    """A saved segmentation cannot be loaded or does not fit the data to score."""


class ReportError(SegkitError, RuntimeError):
    """The report notebook failed; the message names the section and the error."""


class StaleResultError(SegkitError, RuntimeError):
    """A result was computed before a setting it depends on changed; the message says which
    stage to run again."""


class OutputError(SegkitError, OSError):
    """An output cannot be written: no permission, a read-only file system, no space left.
    The message names the path."""


class SegkitWarning(UserWarning):
    """Something was changed or dropped on the way, and the analyst should know."""


def user_stacklevel() -> int:
    """The ``stacklevel`` that makes ``warnings.warn`` point at the first caller outside segkit.

    A warning then names the analyst's own line (a notebook cell, a script) instead of
    segkit's source, however deep inside segkit it was raised::

        warnings.warn("...", SegkitWarning, stacklevel=user_stacklevel())

    Examples
    --------
    >>> user_stacklevel()  # called from outside segkit (here, a doctest): the caller itself
    1
    """
    import inspect
    from pathlib import Path

    package = str(Path(__file__).resolve().parent)
    frame = inspect.currentframe()
    frame = frame.f_back if frame is not None else None  # the frame that is about to warn
    level = 1
    while frame is not None and str(Path(frame.f_code.co_filename).resolve()).startswith(package):
        frame = frame.f_back
        level += 1
    return level
