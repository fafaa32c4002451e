"""``maintrac worker``'s supervisor: the Celery worker runs as a child process, restarted
when its watchdog stopped it (exit status ``STALL_EXIT_CODE``, see ``jobs/watchdog.py``).

Any other exit is the supervisor's exit too (a crash loop is for the process manager to
see, not to hide). SIGTERM and SIGINT stop it: the child gets a SIGTERM (Celery's warm
shutdown) and the supervisor returns the child's status. The child stays in the
supervisor's process group, so a signal to the group (``make dev``, a test, systemd's
``KillMode=control-group``) reaches both.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from types import FrameType

log = logging.getLogger("maintrac.worker.supervisor")

#: Restart delays: doubled after each quick stall, back to the first after a long run.
FIRST_BACKOFF = 1.0
MAX_BACKOFF = 30.0
#: A child that ran this long before stalling restarts after FIRST_BACKOFF again.
STEADY_SECONDS = 120.0


def supervise(
    command: list[str],
    env: dict[str, str],
    *,
    restart_code: int,
    on_exit: Callable[[int], None] = lambda _pid: None,
) -> int:
    stop = threading.Event()
    child: subprocess.Popen[bytes] | None = None

    def _signalled(_signum: int, _frame: FrameType | None) -> None:
        stop.set()
        if child is not None and child.poll() is None:
            child.send_signal(signal.SIGTERM)

    previous = {s: signal.signal(s, _signalled) for s in (signal.SIGTERM, signal.SIGINT)}
    backoff = FIRST_BACKOFF
    restarts = 0
    try:
        while True:
            started = time.monotonic()
            child = subprocess.Popen(command, env=env)
            if stop.is_set():  # a signal between the fork and the assignment
                child.send_signal(signal.SIGTERM)
            status = child.wait()
            on_exit(child.pid)
            if stop.is_set() or status != restart_code:
                return status if status >= 0 else 128 - status  # killed by signal N: 128 + N
            ran = time.monotonic() - started
            if ran >= STEADY_SECONDS:
                backoff = FIRST_BACKOFF
            restarts += 1
            log.warning(
                "worker %d exited with status %d (stalled) after %.0f s; restart %d in %.0f s",
                child.pid,
                status,
                ran,
                restarts,
                backoff,
                extra={"restarts": restarts, "exit_status": status},
            )
            if stop.wait(backoff):
                return status
            backoff = min(backoff * 2, MAX_BACKOFF)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
