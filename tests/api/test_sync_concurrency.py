"""No change is ever missed: devices pull while others write, against the real database.

Writers create, rename and delete work orders through the API, and service-level writers
hold their transactions open across pulls (they write, then wait until a pull that began
after the write has finished, then commit: the pull could not see the row, so it must come
in a later one). Devices pull in a loop, each from its previous ``timestamp``, and keep the
last version of every record they were sent. After the writers stop, each device pulls
once more; then every work order's final state must be what that device holds.
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime

import httpx
import psycopg

from maintrac.core.work_orders import NewWorkOrder
from maintrac.db.engine import make_engine
from maintrac.db.transaction import Database
from maintrac.services import work_orders
from tests.conftest import DatabaseUrls, Tenant

API_WRITERS = 3
SLOW_WRITERS = 2
DEVICES = 3
#: Writers run at least this long, and on until enough happened: the race is counted,
#: not timed, so a loaded machine only makes the test slower. The budget is a guard
#: against a hang (a stuck writer or puller), far above what a loaded CI machine needs.
WRITE_SECONDS = 3.0
WRITE_BUDGET = 120.0
ENOUGH_API_WRITES = 20
ENOUGH_SLOW_TRANSACTIONS = 4
ENOUGH_PULLS = 10
#: A slow writer commits anyway after this long without a pull (keeps the test bounded if
#: the timed puller died; it pulls until every writer has stopped, so it never should).
SLOW_WAIT_LIMIT = 30.0

Version = tuple[str, int] | None  # (title, updated_at ms), None: deleted


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


@dataclass
class Device:
    """A puller: its chain of timestamps and the last version of each record it was sent."""

    client: httpx.Client
    last: int | None = None
    pulls: int = 0
    held: dict[str, Version] = field(default_factory=dict)

    def pull(self) -> None:
        response = self.client.post("/v1/sync/pull", json={"lastPulledAt": self.last})
        assert response.status_code == 200, response.text
        body = response.json()
        changes = body["changes"]["work_orders"]
        ids = [r["id"] for r in changes["created"] + changes["updated"]] + changes["deleted"]
        assert len(ids) == len(set(ids)), "a record came twice in one pull"
        for record in changes["created"] + changes["updated"]:
            self.held[record["id"]] = (record["title"], record["updated_at"])
        for record_id in changes["deleted"]:
            self.held[record_id] = None
        self.last = body["timestamp"]
        self.pulls += 1


class PullClock:
    """Counts pulls begun and finished by one device, so a writer can wait for one that
    began after its write."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self.begun = 0
        self.finished = 0

    def begin(self) -> None:
        with self._cond:
            self.begun += 1

    def finish(self) -> None:
        with self._cond:
            self.finished += 1
            self._cond.notify_all()

    def wait_for_a_pull_after_now(self, limit: float) -> bool:
        with self._cond:
            target = self.begun + 1
            return self._cond.wait_for(lambda: self.finished >= target, timeout=limit)


def _final_states(database_urls: DatabaseUrls, tenant: Tenant) -> dict[str, Version]:
    with psycopg.connect(database_urls.admin.replace("+psycopg", "")) as conn:
        rows = conn.execute(
            "SELECT id, title, updated_at, deleted_at FROM work_orders WHERE tenant_id = %s",
            (tenant.id,),
        ).fetchall()
    return {
        str(i): None if deleted_at is not None else (title, _ms(updated_at))
        for i, title, updated_at, deleted_at in rows
    }


def test_no_change_is_ever_missed(
    make_tenant: Callable[..., Tenant], database_urls: DatabaseUrls, live_url: str
) -> None:
    tenant = make_tenant()
    actor = uuid.UUID(tenant.me()["id"])
    headers = tenant.headers()
    database = Database(make_engine(database_urls.app, pool_size=SLOW_WRITERS))
    stop_writing = threading.Event()
    stop_pulling = threading.Event()
    clock = PullClock()
    straddled: list[int] = []  # per slow transaction: pulls that ran while it was open
    api_writes: list[int] = []  # one item per create-and-rename
    devices = [
        Device(httpx.Client(base_url=live_url, headers=headers, timeout=30)) for _ in range(DEVICES)
    ]

    def api_writer(k: int) -> int:
        rng = random.Random(k)
        live: list[str] = []
        with httpx.Client(base_url=live_url, headers=headers, timeout=30) as client:
            n = 0
            while not stop_writing.is_set():
                n += 1
                created = client.post("/v1/work-orders", json={"title": f"api {k}.{n}"})
                assert created.status_code == 201, created.text
                live.append(created.json()["id"])
                target = rng.choice(live)
                renamed = client.patch(
                    f"/v1/work-orders/{target}", json={"title": f"api {k}.{n} renamed"}
                )
                assert renamed.status_code == 200, renamed.text
                api_writes.append(k)
                if n % 5 == 0:
                    gone = live.pop(rng.randrange(len(live)))
                    assert client.delete(f"/v1/work-orders/{gone}").status_code == 204
        return n

    def slow_writer(k: int) -> int:
        mine: list[uuid.UUID] = []
        n = 0
        while not stop_writing.is_set():
            n += 1
            with database.tenant_transaction(tenant.id) as session:
                if n % 2 == 1 or not mine:
                    made = work_orders.create_work_order(
                        session, NewWorkOrder(title=f"slow {k}.{n}"), actor
                    )
                    mine.append(made.id)
                else:
                    work_orders.update_work_order(
                        session, mine[n % len(mine)], {"title": f"slow {k}.{n} renamed"}, actor
                    )
                # Written (stamped with this transaction's id and start time); now stay
                # open across a whole pull, at least 200 ms.
                began = clock.begun
                time.sleep(0.2)
                clock.wait_for_a_pull_after_now(SLOW_WAIT_LIMIT)
                straddled.append(clock.finished - began)
        return n

    def enough() -> bool:
        return (
            len(api_writes) >= ENOUGH_API_WRITES
            and len(straddled) >= ENOUGH_SLOW_TRANSACTIONS
            and all(d.pulls >= ENOUGH_PULLS for d in devices)
        )

    def puller(device: Device, timed: bool) -> None:
        while not stop_pulling.is_set():
            if timed:
                clock.begin()
            device.pull()
            if timed:
                clock.finish()
            time.sleep(0.005)

    started = time.monotonic()
    for device in devices:
        device.pull()  # a first, full sync of the (empty) tenant
    try:
        with ThreadPoolExecutor(DEVICES) as pulling:
            pullers = [
                pulling.submit(puller, device, index == 0) for index, device in enumerate(devices)
            ]
            with ThreadPoolExecutor(API_WRITERS + SLOW_WRITERS) as writing:
                writers = [writing.submit(api_writer, k) for k in range(API_WRITERS)]
                writers += [writing.submit(slow_writer, k) for k in range(SLOW_WRITERS)]
                writing_since = time.monotonic()
                while True:
                    spent = time.monotonic() - writing_since
                    if spent >= WRITE_BUDGET or (spent >= WRITE_SECONDS and enough()):
                        break
                    if any(f.done() for f in writers + pullers):
                        break  # one failed: its error is raised below
                    time.sleep(0.05)
                stop_writing.set()
                written = [w.result() for w in writers]
            time.sleep(0.05)
            stop_pulling.set()
            for p in pullers:
                p.result()
        for device in devices:
            device.pull()  # the final pull, after every writer committed

        final = _final_states(database_urls, tenant)
    finally:
        stop_writing.set()
        stop_pulling.set()
        for device in devices:
            device.client.close()
        database.dispose()

    took = f"in {time.monotonic() - started:.1f}s"
    # The race was real: work was done, pulls ran all along, and every slow transaction
    # stayed open across at least one whole pull.
    assert len(api_writes) >= ENOUGH_API_WRITES, (written, took)
    assert all(d.pulls >= ENOUGH_PULLS for d in devices), ([d.pulls for d in devices], took)
    assert len(straddled) >= ENOUGH_SLOW_TRANSACTIONS, (straddled, took)
    assert all(n >= 1 for n in straddled), (straddled, took)
    assert any(v is None for v in final.values()), "no deletes happened"
    for index, device in enumerate(devices):
        missing = {i: v for i, v in final.items() if device.held.get(i, "never") != v}
        assert not missing, f"device {index} missed the final state of {len(missing)} record(s)"
        assert set(device.held) == set(final)


def test_many_devices_pulling_at_once_all_succeed(
    make_tenant: Callable[..., Tenant], database_urls: DatabaseUrls
) -> None:
    """Pulls of one tenant in the same millisecond each get a checkpoint of their own, or
    share an older one: never a failure, and every timestamp handed out has a checkpoint."""
    tenant = make_tenant()
    tenant.create_work_order()
    last = tenant.post("/v1/sync/pull", json={"lastPulledAt": None}).json()["timestamp"]
    barrier = threading.Barrier(8)

    def burst(_: int) -> list[httpx.Response]:
        barrier.wait()
        return [tenant.post("/v1/sync/pull", json={"lastPulledAt": last}) for _ in range(8)]

    with ThreadPoolExecutor(8) as pool:
        responses = [r for batch in pool.map(burst, range(8)) for r in batch]

    assert [r.status_code for r in responses if r.status_code != 200] == []
    stamps = {r.json()["timestamp"] for r in responses}
    with psycopg.connect(database_urls.admin.replace("+psycopg", "")) as conn:
        recorded = {
            row[0]
            for row in conn.execute(
                "SELECT pulled_at FROM sync_checkpoints WHERE tenant_id = %s", (tenant.id,)
            )
        }
    assert stamps <= recorded
