"""The report's Jupyter kernel: started early, with the report's modules imported as it starts.

:func:`start_kernel` launches the kernel in the background as soon as ``segkit report``
starts, so that its start and imports (about two seconds) overlap with the work the
command still does before the first cell; :func:`stop_kernel` ends it and removes its folder
of temporary files (:func:`end_kernel` kills it first, to be stopped later without waiting).
The kernel runs without ipykernel's debugger and draws each figure once
(:mod:`segkit.report.inline`); its client starts the first cell as soon as it is ready. Its
environment (:func:`kernel_environment`) names Arrow's allocator; its stderr goes nowhere
(cell output comes through Jupyter's messages).
"""

from __future__ import annotations

import functools
import math
import os
import queue
import shutil
import subprocess
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

from segkit._handoff import MODEL_HANDOFF_ENV

__all__ = ["ARROW_MEMORY_POOL", "PRELOAD_MODULES", "end_kernel", "kernel_environment", "start_kernel", "stop_kernel"]


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
        # Then figures are set up to be drawn once each (segkit.report.inline).
        code = "; ".join([*(f"import {m}" for m in PRELOAD_MODULES), "import segkit.report.inline",
                          "segkit.report.inline.configure()"])
        args.append("--IPKernelApp.exec_lines=from segkit._imports import collector_paused\n"
                    f"with collector_paused():\n    try:\n        {code}\n    except Exception:\n        pass")
    km = _report_kernel_manager()(kernel_name=kernel_name)
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


def end_kernel(km) -> None:
    """Kill a kernel from :func:`start_kernel` and go on without waiting for its process to end.

    Call :func:`stop_kernel` later, as always: it then finds the process gone at once, where
    jupyter_client waits for a dying kernel in steps of 0.1 s (every report waited one step
    after its last cell). A kernel already stopped is left alone.
    """
    from jupyter_core.utils import run_sync

    provisioner = getattr(km, "provisioner", None)
    if km.has_kernel and provisioner is not None:
        run_sync(provisioner.kill)()


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


def _report_kernel_manager() -> type:
    """The report kernel's manager: jupyter_client's, with three changes for a kernel no one
    watches or debugs.

    - Its process writes nothing to our stderr. Cell output reaches the notebook through
      Jupyter's messages; what the process itself prints there (its start-up warnings,
      "KeyboardInterrupt caught in kernel" when a failed run shuts it down) would break the
      CLI's one-line errors.
    - ipykernel's Python kernel starts without its debugger (:data:`_LAUNCH_WITHOUT_DEBUGGER`).
    - Its clients are :func:`_ready_client` ones.
    """
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class ReportKernelManager(AsyncKernelManager):
        @default("client_factory")
        def _ready_clients(self) -> type:
            return _ready_client()

        async def _async_launch_kernel(self, kernel_cmd, **kw):  # the documented override point
            kw["stderr"] = subprocess.DEVNULL
            return await super()._async_launch_kernel(_without_debugger(kernel_cmd), **kw)

    return ReportKernelManager


#: ipykernel's own launcher (``python -m ipykernel_launcher``), with ``import debugpy`` failing:
#: ipykernel imports debugpy as it starts (0.1 s of CPU at every report's start, measured) for a
#: debugger that nothing attaches to in a papermill run, and takes a failed import for debugpy
#: not being installed. The kernel then runs as usual, without the debugger.
_LAUNCH_WITHOUT_DEBUGGER = (
    "import sys; sys.modules.setdefault('debugpy', None)\n"
    "if sys.path[0] == '':\n    del sys.path[0]  # as ipykernel_launcher; the kernel adds it back\n"
    "from ipykernel import kernelapp; kernelapp.launch_new_instance()"
)


def _without_debugger(kernel_cmd: list[str]) -> list[str]:
    """``kernel_cmd`` with ipykernel's launcher run as :data:`_LAUNCH_WITHOUT_DEBUGGER`; any
    other kernel's command as it is.

    Examples
    --------
    >>> cmd = _without_debugger(["python", "-m", "ipykernel_launcher", "-f", "k.json"])
    >>> cmd[:2], cmd[2] == _LAUNCH_WITHOUT_DEBUGGER, cmd[3:]
    (['python', '-c'], True, ['-f', 'k.json'])
    >>> _without_debugger(["R", "--slave", "-e", "IRkernel::main()"])
    ['R', '--slave', '-e', 'IRkernel::main()']
    """
    cmd = list(kernel_cmd)
    for i in range(1, len(cmd) - 1):
        if cmd[i] == "-m" and cmd[i + 1] == "ipykernel_launcher":
            cmd[i:i + 2] = ["-c", _LAUNCH_WITHOUT_DEBUGGER]
            break
    return cmd


#: What :func:`_ready_client` calls of jupyter_client's client that is not its public API.
_CLIENT_METHODS_USED = ("_handle_kernel_info_reply", "_async_is_alive")


@functools.lru_cache(maxsize=1)
def _ready_client() -> type:
    """A kernel client whose wait for a ready kernel ends as soon as the kernel is ready.

    jupyter_client's waits for a reply to kernel_info and one message on IOPub, and then until
    IOPub has been silent for 0.2 s, to drop the kernel's start-up messages: every report's
    first cell started 0.2 s later for it. nbclient (papermill's executor) takes from IOPub
    only the messages that answer its own requests, so nothing needs dropping. Up to that last
    step the wait does what jupyter_client's does (jupyter_client 8: its ``_async_wait_for_ready``),
    with two of its client's own methods; a jupyter_client without them gets its own wait.
    """
    from jupyter_client.asynchronous import AsyncKernelClient

    class ReadyClient(AsyncKernelClient):
        async def wait_for_ready(self, timeout: float | None = None) -> None:
            if not all(callable(getattr(self, name, None)) for name in _CLIENT_METHODS_USED):
                return await super().wait_for_ready(timeout)
            deadline = time.monotonic() + (math.inf if timeout is None else timeout)
            while True:
                self.kernel_info()
                try:
                    reply = await self.shell_channel.get_msg(timeout=1)
                except queue.Empty:
                    pass
                else:
                    if reply["msg_type"] == "kernel_info_reply":
                        try:  # IOPub connected: the kernel's status for that request arrived
                            await self.iopub_channel.get_msg(timeout=0.2)
                        except queue.Empty:
                            pass
                        else:
                            self._handle_kernel_info_reply(reply)
                            return
                if not await self._async_is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")

    return ReadyClient
