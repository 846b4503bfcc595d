"""The report's kernel: started early without a debugger, ready as soon as it answers, ended
before it is stopped, stopped whatever state its manager is in, with its own temporary folder and
Arrow allocator."""

from __future__ import annotations

import queue
import sys
from pathlib import Path

import pytest

from segkit.report.kernel import end_kernel, start_kernel, stop_kernel


def test_a_kernel_whose_manager_a_signal_broke_is_still_stopped():
    """A shutdown cut short by a signal leaves the manager raising InvalidStateError on the next
    one; the kernel's process is then killed directly, so no kernel outlives the run."""
    import asyncio
    import subprocess
    import types

    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])

    async def broken_shutdown(now=False):
        raise asyncio.InvalidStateError("invalid state")

    km = types.SimpleNamespace(has_kernel=True, shutdown_kernel=broken_shutdown,
                               provisioner=types.SimpleNamespace(process=process))
    try:
        stop_kernel(km)
        assert process.poll() is not None
    finally:
        process.kill()


@pytest.mark.slow
def test_what_a_kernel_leaves_in_the_temporary_folder_goes_with_it(tmp_path):
    """A kernel shut down from outside never runs its exit handlers: a long log's Parquet parts
    (made under the system's temporary folder) went on filling it after every report. The
    kernel's temporary folder is its own and goes when the kernel is stopped."""
    from jupyter_core.utils import run_sync

    kernel = start_kernel(cwd=tmp_path, preload=False)
    client = kernel.client()
    client.start_channels()
    try:
        run_sync(client.wait_for_ready)(timeout=120)
        code = ("import tempfile, pathlib; d = pathlib.Path(tempfile.mkdtemp(prefix='segkit-log-'));"
                "(d / 'part.parquet').write_bytes(b'x'); open(r'%s', 'w').write(str(d))" % (tmp_path / "where"))
        reply = run_sync(client.execute_interactive)(code, timeout=120)
        assert reply["content"]["status"] == "ok"
    finally:
        client.stop_channels()
    left = Path((tmp_path / "where").read_text())
    assert left.exists() and Path(kernel.segkit_scratch) in left.parents
    stop_kernel(kernel)
    assert not left.exists() and not Path(kernel.segkit_scratch).exists()


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="Arrow is built without jemalloc on Windows")
def test_the_report_kernel_allocates_arrow_memory_with_jemalloc(tmp_path, monkeypatch):
    """A long log's chunks reuse what the previous chunk freed (see ARROW_MEMORY_POOL); an
    allocator the user chose is left alone."""
    from jupyter_core.utils import run_sync

    def backend(where: Path) -> str:
        kernel = start_kernel(cwd=tmp_path, preload=False)
        client = kernel.client()
        client.start_channels()
        try:
            run_sync(client.wait_for_ready)(timeout=120)
            code = f"import pyarrow; open(r'{where}', 'w').write(pyarrow.default_memory_pool().backend_name)"
            assert run_sync(client.execute_interactive)(code, timeout=120)["content"]["status"] == "ok"
        finally:
            client.stop_channels()
            stop_kernel(kernel)
        return where.read_text()

    monkeypatch.delenv("ARROW_DEFAULT_MEMORY_POOL", raising=False)
    assert backend(tmp_path / "ours") == "jemalloc"
    monkeypatch.setenv("ARROW_DEFAULT_MEMORY_POOL", "system")
    assert backend(tmp_path / "theirs") == "system"


def test_the_preload_imports_nothing_a_duckdb_report_without_progress_bars_uses_not():
    """sqlglot (only to write SQL for another engine) and tqdm (only when a bar is shown) cost the
    kernel about 0.2 s of import before the first cell; the report's modules import them where used."""
    import subprocess

    code = ("import importlib, sys\nfrom segkit.report.kernel import PRELOAD_MODULES\n"
            "for name in PRELOAD_MODULES:\n    importlib.import_module(name)\n"
            "print(sorted(m for m in ('sqlglot', 'tqdm') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.fixture
def ready_kernel(tmp_path):
    """A report kernel (without the preload) and a client that waited for it."""
    from jupyter_core.utils import run_sync

    kernel = start_kernel(cwd=tmp_path, preload=False)
    client = kernel.client()
    client.start_channels()
    try:
        run_sync(client.wait_for_ready)(timeout=120)
        yield kernel, client
    finally:
        client.stop_channels()
        stop_kernel(kernel)


@pytest.mark.slow
def test_the_report_kernel_runs_without_the_debugger(ready_kernel, tmp_path):
    """Nothing attaches a debugger to a papermill run; ipykernel imports debugpy as it starts."""
    from jupyter_core.utils import run_sync

    _, client = ready_kernel
    code = ("import sys, ipykernel.debugger\n"
            f"open(r'{tmp_path / 'seen'}', 'w').write(repr((sys.modules.get('debugpy'), "
            "ipykernel.debugger._is_debugpy_available)))")
    assert run_sync(client.execute_interactive)(code, timeout=120)["content"]["status"] == "ok"
    assert (tmp_path / "seen").read_text() == "(None, False)"


class _Channel:
    """A client's channel holding ``messages`` to read (then empty), counting the reads."""

    def __init__(self, *messages):
        self.messages, self.reads = list(messages), 0

    async def get_msg(self, timeout=None):
        self.reads += 1
        if not self.messages:
            raise queue.Empty
        return self.messages.pop(0)


def _waited(client_class) -> _Channel:
    """Let a client of ``client_class`` wait for a kernel that has answered; its IOPub channel after."""
    from jupyter_core.utils import run_sync

    client = client_class()
    client.kernel_info = lambda: None  # the request; the answer is already on the channel
    client._shell_channel = _Channel({"msg_type": "kernel_info_reply", "content": {"protocol_version": "5.3"}})
    client._iopub_channel = _Channel(*({"msg_type": "status", "content": {"execution_state": state}}
                                       for state in ("starting", "busy", "idle")))
    run_sync(client.wait_for_ready)(timeout=10)
    return client._iopub_channel


def test_a_ready_kernel_is_ready_at_its_first_iopub_message():
    """jupyter_client's wait read IOPub until it fell silent for 0.2 s (every report's first cell
    started that much later); the report's client stops at the first message, which shows IOPub
    connected, and leaves the rest of the kernel's start-up status unread."""
    from jupyter_client.asynchronous import AsyncKernelClient

    from segkit.report.kernel import _ready_client

    ours = _waited(_ready_client())
    assert ours.reads == 1 and len(ours.messages) == 2
    theirs = _waited(AsyncKernelClient)
    assert theirs.reads == 4 and not theirs.messages  # read to the end, and once more in vain


@pytest.mark.slow
def test_an_ended_kernel_is_gone_before_it_is_stopped(tmp_path):
    kernel = start_kernel(cwd=tmp_path, preload=False)
    process = kernel.provisioner.process
    end_kernel(kernel)
    assert process.wait(timeout=30) != 0  # killed, not waited for by end_kernel
    stop_kernel(kernel)
    assert not kernel.has_kernel and not Path(kernel.segkit_scratch).exists()
    end_kernel(kernel)  # a stopped kernel is left alone


@pytest.mark.slow
def test_a_jupyter_client_without_the_methods_the_quick_wait_uses_gets_its_own_wait(tmp_path, monkeypatch):
    """The quick wait calls two private methods of jupyter_client's client; where one is gone,
    the client waits as jupyter_client does instead of failing every report."""
    from jupyter_core.utils import run_sync

    from segkit.report import kernel as kernel_module

    monkeypatch.setattr(kernel_module, "_CLIENT_METHODS_USED",
                        (*kernel_module._CLIENT_METHODS_USED, "_a_method_a_later_version_removed"))
    kernel = start_kernel(cwd=tmp_path, preload=False)
    client = kernel.client()
    client.start_channels()
    try:
        run_sync(client.wait_for_ready)(timeout=120)
        with pytest.raises(queue.Empty):  # jupyter_client's wait read IOPub until it fell silent
            run_sync(client.iopub_channel.get_msg)(timeout=0.5)
    finally:
        client.stop_channels()
        stop_kernel(kernel)
