"""``maintrac worker``'s supervisor with real child processes: it restarts a child that
exits with the watchdog's status, passes any other status on, and passes SIGTERM on."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from maintrac.cli.supervisor import supervise
from maintrac.jobs.watchdog import STALL_EXIT_CODE
from tests.conftest import ROOT
from tests.jobs.conftest import wait_for

#: A child that appends a line to a file per run and exits 75 on its first two runs.
CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    runs = Path(sys.argv[1])
    with runs.open("a") as f:
        f.write("run\\n")
    sys.exit(75 if len(runs.read_text().splitlines()) < 3 else int(sys.argv[2]))
    """
)


def test_a_stalled_child_is_restarted_and_another_status_is_passed_on(tmp_path: Path) -> None:
    runs = tmp_path / "runs"
    status = supervise(
        [sys.executable, "-c", CHILD, str(runs), "3"],
        dict(os.environ),
        restart_code=STALL_EXIT_CODE,
    )
    assert status == 3
    assert runs.read_text().splitlines() == ["run", "run", "run"]


def test_sigterm_reaches_the_child_and_stops_the_supervisor(tmp_path: Path) -> None:
    started = tmp_path / "started"
    script = textwrap.dedent(
        f"""
        import os, sys
        from maintrac.cli.supervisor import supervise
        child = "import pathlib, time; pathlib.Path({str(started)!r}).touch(); time.sleep(600)"
        sys.exit(supervise([sys.executable, "-c", child], dict(os.environ), restart_code=75))
        """
    )
    # A session of its own: the SIGTERM goes to the supervisor only, which must pass it on.
    process = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, start_new_session=True)
    try:
        wait_for(started.exists, 30, "the child to start")
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 128 + signal.SIGTERM
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
