"""The explorer in a real JupyterLab: started on 127.0.0.1 by the test, the explorer notebook run
in headless Chromium, and the segment map checked as drawn (marks, a legend, a hover tooltip)."""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "explore_segments.ipynb"
pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    """JupyterLab on 127.0.0.1 serving a copy of the explorer notebook; stopped after the tests."""
    folder = tmp_path_factory.mktemp("lab")
    shutil.copy(NOTEBOOK, folder / NOTEBOOK.name)
    port, token = _free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(folder / ".jupyter"), "JUPYTER_RUNTIME_DIR": str(folder / ".run")}
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--ip", "127.0.0.1", "--port", str(port), "--no-browser",
         f"--IdentityProvider.token={token}", "--ServerApp.open_browser=False", "--allow-root", "--LabApp.news_url=",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", "--LabApp.expose_app_in_browser=True",
         f"--ServerApp.root_dir={folder}"],
        cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("JupyterLab did not start on 127.0.0.1 within 90 s")
                time.sleep(0.5)
        yield url, token, folder
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def test_explorer_notebook_draws_the_segment_map_in_jupyterlab(jupyterlab):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; `make test` installs it when run as root")
        pytest.skip("chromium not installed")
    from playwright.sync_api import sync_playwright

    url, token, folder = jupyterlab
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        page = browser.new_page(viewport={"width": 1500, "height": 1000})
        outside = []
        page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((url, "data:", "blob:")) else None)
        page.goto(f"{url}/lab/tree/{NOTEBOOK.name}?token={token}")
        page.wait_for_function("window.jupyterapp && document.querySelector('.jp-Notebook')", timeout=90_000)
        page.wait_for_function("() => { const s = document.querySelector('.jp-Notebook-ExecutionIndicator');"
                               "return !s || s.getAttribute('data-status') !== 'busy'; }", timeout=60_000)
        # the kernel is started and idle before the cells run (slow when the machine is busy)
        page.wait_for_function("(() => { const w = window.jupyterapp.shell.currentWidget;"
                               "const k = w && w.sessionContext && w.sessionContext.session"
                               " && w.sessionContext.session.kernel;"
                               "return k && k.status === 'idle'; })()", timeout=180_000)
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        # the map: a Vega view drawn by JupyterLab's own renderer, inside the widget output
        try:
            page.wait_for_selector(".jp-OutputArea .vega-embed canvas, .jp-OutputArea .vega-embed svg",
                                   timeout=480_000)
        except Exception:
            page.screenshot(path=str(ROOT / "reports" / "explorer-failed.png"), full_page=True)
            raise
        page.wait_for_timeout(2000)
        canvas = page.locator(".jp-OutputArea .vega-embed canvas").first
        canvas.scroll_into_view_if_needed()
        box = canvas.bounding_box()
        # JupyterLab's Vega renderer draws on a canvas: count the pixels that are not background
        drawn = page.evaluate("""(() => {
            const c = document.querySelector('.jp-OutputArea .vega-embed canvas');
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let n = 0;
            for (let i = 0; i < d.length; i += 4) { if (d[i + 3] > 0 && (d[i] < 200 || d[i + 1] < 200)) n++; }
            return n; })()""")
        tooltip = ""
        for fy in (0.45, 0.55, 0.35, 0.65, 0.5, 0.4, 0.6):
            for fx in (0.3, 0.45, 0.6, 0.35, 0.5, 0.25, 0.55, 0.4):
                page.mouse.move(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
                page.wait_for_timeout(150)
                tooltip = page.evaluate("(() => { const t = document.getElementById('vg-tooltip-element');"
                                        "return t && t.classList.contains('visible') ? t.innerText : ''; })()")
                if tooltip:
                    break
            if tooltip:
                break
        shot = ROOT / "reports" / "explorer-screenshot.png"
        shot.parent.mkdir(exist_ok=True)
        page.screenshot(path=str(shot), full_page=True)
        errors = page.evaluate("Array.from(document.querySelectorAll('.jp-OutputArea-output[data-mime-type="
                               "\"application/vnd.jupyter.stderr\"]')).map(e => e.innerText)")
        browser.close()
    assert box is not None and box["width"] > 300 and box["height"] > 200, box
    assert drawn > 2000, drawn  # points, axes and legend drawn, not an empty frame
    assert "segment" in tooltip and "customer id" in tooltip and "traits" in tooltip, tooltip
    assert not [e for e in errors if "Traceback" in e or "Error" in e], errors
    assert outside == [], outside
