"""Small real tasks for the delivery tests, loaded into a real worker with
``maintrac worker --include tests.jobs.probe_tasks``.

Each creates a work order (through the service, in the task's tenant transaction), so
"nothing twice" is a count of real rows.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from sqlalchemy import text

from maintrac.core.work_orders import NewWorkOrder
from maintrac.db.transaction import TenantSession
from maintrac.jobs.base import tenant_task
from maintrac.jobs.schedule import register
from maintrac.services import work_orders


@tenant_task("tests.probe")
def probe(
    session: TenantSession,
    title: str,
    started_file: str | None = None,
    sleep_first_time: float = 0.0,
    fail: bool = False,
) -> None:
    """Create one work order titled ``title``; the first delivery may sleep mid-task (after
    its run was recorded, before it commits), and ``fail`` always raises."""
    if fail:
        raise RuntimeError(f"probe {title} was told to fail")
    work_orders.create_work_order(session, NewWorkOrder(title=title), None)
    if started_file is not None:
        marker = Path(started_file)
        first = not marker.exists()
        marker.write_text(str(os.getpid()))
        if first and sleep_first_time:
            time.sleep(sleep_first_time)


@tenant_task("tests.probe_unrecorded", once=False)
def probe_unrecorded(session: TenantSession, title: str) -> None:
    """Like ``probe`` for a task that does not record its own run (``once=False``, as the
    tasks that are idempotent by their own records): ``TenantTask`` records it after."""
    work_orders.create_work_order(session, NewWorkOrder(title=title), None)


@tenant_task("tests.tick")
def tick(session: TenantSession, slot: int) -> None:
    """Periodic: one work order per tick, only in the tenant the test watches."""
    tenant = session.execute(text("SELECT current_setting('app.current_tenant', true)")).scalar()
    if tenant != os.environ.get("PROBE_TENANT"):
        return
    work_orders.create_work_order(session, NewWorkOrder(title=f"tick {slot}"), None)


if os.environ.get("PROBE_TICK_SECONDS"):
    register("tests.tick", "tests.tick", float(os.environ["PROBE_TICK_SECONDS"]))
