"""Checked exercises for the training workshops in ``notebooks/workshop/``.

The command line of the workshop: ``python -m segkit.workshop strip [--keep] SRC DST``
writes learner copies, ``python -m segkit.workshop list`` lists the exercises.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable

import pandas as pd

from segkit.exceptions import SegkitError
from segkit.workshop.check import exercises
from segkit.workshop.strip import strip_solutions

__all__ = ["main"]


def main(argv: Iterable[str] | None = None) -> int:
    """``python -m segkit.workshop strip [--keep] SRC DST`` (learner copies) or ``list`` (the exercises).

    Examples
    --------
    >>> main(["strip", "/nowhere", "/tmp/x"])  # prints "error: /nowhere: no such notebook or folder" on stderr
    2
    """
    parser = argparse.ArgumentParser(prog="python -m segkit.workshop", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    strip = sub.add_parser("strip", help="write learner copies of the workshop notebooks (solutions removed)")
    strip.add_argument("src", help="a notebook or a folder of notebooks (the solution versions)")
    strip.add_argument("dst", help="output folder")
    strip.add_argument("--keep", action="store_true", help="keep learner copies that already exist")
    sub.add_parser("list", help="list the exercises")
    args = parser.parse_args(list(argv) if argv is not None else None)
    try:
        if args.command == "strip":
            for path in strip_solutions(args.src, args.dst, overwrite=not args.keep):
                print(path)
        else:
            with pd.option_context("display.max_colwidth", 90, "display.width", 140):
                print(exercises().to_string())
    except SegkitError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0
