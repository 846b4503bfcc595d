"""The stored workshop series (notebooks/workshop/), as the workshop tests read it."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
WORKSHOP = ROOT / "notebooks" / "workshop"
NOTEBOOKS = sorted(WORKSHOP.glob("*.ipynb"))
CHECK_CALL = re.compile(r"""workshop\.check\(\s*["']([\w.]+)["']""")


def code_cells(path: Path) -> list:
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
