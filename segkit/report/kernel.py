"""The report's Jupyter kernel: started early, with the report's modules imported as it starts.

:func:`start_kernel` launches the kernel in the background as soon as ``segkit report``
starts, so that its start and imports (about three seconds) overlap with the work the
command still does before the first cell; :func:`stop_kernel` ends it and removes its folder
of temporary files. The kernel's environment (:func:`kernel_environment`) names Arrow's
allocator; its stderr goes nowhere (cell output comes through Jupyter's messages).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from segkit._handoff import MODEL_HANDOFF_ENV

__all__ = ["ARROW_MEMORY_POOL", "PRELOAD_MODULES", "kernel_environment", "start_kernel", "stop_kernel"]


#: Modules the report notebook needs, imported by the kernel as it starts (see
#: :func:`start_kernel`): about three seconds of imports that then overlap with the work
#: the calling process still has to do before the first cell runs.
PRELOAD_MODULES = (
    "pandas",
    "IPython.display",
    "segkit.pipeline",
    "segkit.plots",
    "segkit.report.narrative",
    "segkit.report.sections",
    "segkit.report.tables",
    "segkit.segment",
    "segkit.profile",
    "segkit.value",
    "segkit.target",
)


#: Run at kernel start after the imports, so that every figure is drawn once. The inline
#: backend shows each figure at the end of its cell; pyplot also hooks a redraw of every open
#: figure into the end of each cell, which the inline backend's display then draws again (a
#: third of the report's figure time, measured). The first figure selects the backend, which
#: installs the hook; then pyplot's own call removes it. Only the report's kernel does this:
#: the notebook opened in JupyterLab behaves as usual.
_DRAW_ONCE = (
    "import matplotlib.pyplot as plt",
    "plt.close(plt.figure())",
    "plt.uninstall_repl_displayhook()",
)


#: Arrow's allocator in the report kernel, unless the environment names one: jemalloc keeps the
#: memory a chunk of a long log freed for the next chunk, where mimalloc (Arrow's default) hands
#: it back to the system and every chunk faults its pages in again. The report of a 10.3M-line
#: log: 42.8-44.1 -> 40.0-40.5 s, 12 -> 10 s of system time, peak 1.24 -> 1.15 GB
#: (benchmarks/results/end_to_end.md). Arrow falls back to its default where it was built
#: without jemalloc (Windows), as it does for any name it does not know.
ARROW_MEMORY_POOL = "jemalloc"


def kernel_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment a report kernel starts with: ours, with :data:`ARROW_MEMORY_POOL` as
    Arrow's allocator unless ``ARROW_DEFAULT_MEMORY_POOL`` is set already.

    Examples
    --------
    >>> kernel_environment({"PATH": "/bin"})["ARROW_DEFAULT_MEMORY_POOL"]
    'jemalloc'
    >>> kernel_environment({"ARROW_DEFAULT_MEMORY_POOL": "system"})["ARROW_DEFAULT_MEMORY_POOL"]
    'system'
    """
    env = dict(os.environ if environ is None else environ)
    env.setdefault("ARROW_DEFAULT_MEMORY_POOL", ARROW_MEMORY_POOL)
    return env


def start_kernel(kernel_name: str = "python3", *, cwd: str | Path | None = None, preload: bool = True):
    """Start a report kernel now and return its (async) kernel manager.

    The kernel starts in the background: this returns as soon as the process is launched,
    and with ``preload`` the kernel imports :data:`PRELOAD_MODULES` while the caller goes on
    (reading the config, importing papermill...). Hand it to :func:`run_report` as
    ``kernel=``; ``run_report`` shuts it down when it is done. If you do not pass it on,
    call :func:`stop_kernel`.

    Parameters
    ----------
    kernel_name : str
        Jupyter kernel to start.
    cwd : str or Path, optional
        Working folder of the kernel (default: the current folder).
    preload : bool
        Import the report's modules at kernel start.
    """
    from jupyter_core.utils import run_sync

    args = ["--HistoryManager.hist_file=:memory:"]  # as nbclient does: no history database
    if preload:
        # Imported quietly (if an import fails here, the notebook's own import cell raises the
        # error where the report can say so) and without the garbage collector (segkit._imports).
        code = "; ".join([*(f"import {m}" for m in PRELOAD_MODULES), *_DRAW_ONCE])
        args.append("--IPKernelApp.exec_lines=from segkit._imports import collector_paused\n"
                    f"with collector_paused():\n    try:\n        {code}\n    except Exception:\n        pass")
    km = _quiet_kernel_manager()(kernel_name=kernel_name)
    # The kernel's temporary files (a long log's Parquet parts, DuckDB's spills) go to a folder
    # of its own, removed by stop_kernel: a kernel shut down from outside never runs its exit
    # handlers, and a report of 10M lines left 400 MB of parts behind in the system's temp.
    km.segkit_scratch = tempfile.mkdtemp(prefix="segkit-kernel-")
    # The kernel hands the fitted model over instead of importing skops (see segkit.report.runner._save_model).
    env = {**kernel_environment(), MODEL_HANDOFF_ENV: "1", "TMPDIR": km.segkit_scratch}
    try:
        run_sync(km.start_kernel)(extra_arguments=args, cwd=str(cwd or Path.cwd()), env=env)
    except BaseException:
        shutil.rmtree(km.segkit_scratch, ignore_errors=True)
        raise
    return km


def stop_kernel(km) -> None:
    """Stop a kernel from :func:`start_kernel` (at once) and release its resources, its folder
    of temporary files included.

    A shutdown that a signal cut short leaves the manager in a state where the next shutdown
    raises (asyncio's InvalidStateError): the kernel's process is then killed directly.
    """
    from jupyter_core.utils import run_sync

    try:
        if not km.has_kernel:
            return
        try:
            run_sync(km.shutdown_kernel)(now=True)
        except RuntimeError:  # already gone
            pass
        except Exception:  # noqa: BLE001 - the manager is broken; the process must still end
            process = getattr(getattr(km, "provisioner", None), "process", None)
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()
    finally:
        scratch = getattr(km, "segkit_scratch", None)  # the kernel is gone (stopped or killed)
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def _quiet_kernel_manager() -> type:
    """A kernel manager whose kernel process writes nothing to our stderr.

    Cell output reaches the notebook through Jupyter's messages, not the process's stderr;
    what the process itself prints there (its start-up warnings, "KeyboardInterrupt caught
    in kernel" when a failed run shuts it down) would break the CLI's one-line errors.
    """
    from jupyter_client.manager import AsyncKernelManager

    class QuietKernelManager(AsyncKernelManager):
        async def _async_launch_kernel(self, kernel_cmd, **kw):  # the documented override point
            kw["stderr"] = subprocess.DEVNULL
            return await super()._async_launch_kernel(kernel_cmd, **kw)

    return QuietKernelManager
