"""Run a reader in a forked child with memory and time limits, and read its JSON report.

The hostile-file tests (``tests/unit/test_hostile_files.py`` for the call loader,
``tests/unit/test_hostile_roster_targets.py`` for the roster and targets readers)
load each file in a child process, so a file that makes a reader allocate without
end or loop forever is killed and reported instead of taking the test run down.
"""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Callable

__all__ = ["run_forked"]


def run_forked(child: Callable[[int], None], time_limit_s: float) -> dict:
    """Run ``child(write_fd)`` in a forked process; the JSON it writes to ``write_fd``.

    Parameters
    ----------
    child : callable
        Runs in the child: sets its own limits, does the work and writes one JSON
        report to the file descriptor it is given.
    time_limit_s : float
        The child's own limit; it is killed 5 s after it.

    Returns
    -------
    dict
        The child's report, or ``{"status": "killed", "reason": ...}`` when it was
        killed (timeout, a signal such as SIGSEGV or SIGKILL from the memory limit) or
        exited without a report.
    """
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 0
        try:
            os.close(read_fd)
            child(write_fd)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(write_fd)
    os.set_blocking(read_fd, False)
    deadline = time.monotonic() + time_limit_s + 5
    chunks = []
    while True:
        try:
            chunk = os.read(read_fd, 1 << 16)
            if chunk:
                chunks.append(chunk)
        except BlockingIOError:
            pass
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(read_fd)
            return {"status": "killed", "reason": "timeout"}
        time.sleep(0.005)
    while True:
        try:
            chunk = os.read(read_fd, 1 << 16)
        except BlockingIOError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(read_fd)
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        reason = "timeout" if sig == signal.SIGALRM else signal.Signals(sig).name
        return {"status": "killed", "reason": reason}
    if not chunks:
        return {"status": "killed", "reason": f"exit {os.WEXITSTATUS(status)}"}
    return json.loads(b"".join(chunks))
