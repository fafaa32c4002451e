"""PM generation end to end: real ``maintrac worker``, ``beat`` and ``relay`` subprocesses,
a private Redis, and a database of this module's own (the tick looks at every tenant).

Every trigger type, lead time, catch-up after an outage, a meter reading generating
within seconds through the outbox with no beat running, two beats and two workers, and a
worker SIGKILLed in the middle of a generation batch.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import text

from maintrac.core import pm
from maintrac.core.meters import NewReading
from maintrac.core.work_orders import Status
from maintrac.db.engine import make_engine
from maintrac.db.transaction import Database
from maintrac.services import meters, outbox, pm_generation, pm_plans, work_orders
from maintrac.services.tenants import provision_tenant
from tests.conftest import DatabaseUrls
from tests.jobs.conftest import Processes, wait_for

TICK = "2"  # PM_TICK_SECONDS for these tests


@dataclass
class Plant:
    db: Database
    tenant: uuid.UUID
    asset: uuid.UUID
    meter: uuid.UUID
    user: uuid.UUID

    def plan(self, schedule: pm.Schedule, *, lead: int = 0, title: str = "PM") -> uuid.UUID:
        new = pm.NewPmPlan(
            name=title,
            template=pm.WorkOrderTemplate(title=title),
            schedule=schedule,
            asset_id=self.asset,
            lead_time_days=lead,
        )
        with self.db.tenant_transaction(self.tenant) as session:
            return pm_plans.create_pm_plan(session, new).id

    def occurrences(self, plan_id: uuid.UUID) -> list[int]:
        with self.db.tenant_transaction(self.tenant) as session:
            return list(
                session.scalars(
                    text(
                        "SELECT pm_occurrence FROM work_orders WHERE pm_plan_id = :p "
                        "ORDER BY pm_occurrence"
                    ),
                    {"p": plan_id},
                )
            )

    def work_order(self, plan_id: uuid.UUID, occurrence: int) -> uuid.UUID:
        with self.db.tenant_transaction(self.tenant) as session:
            found: uuid.UUID = session.execute(
                text("SELECT id FROM work_orders WHERE pm_plan_id = :p AND pm_occurrence = :o"),
                {"p": plan_id, "o": occurrence},
            ).scalar_one()
            return found

    def read(self, value: int) -> None:
        with self.db.tenant_transaction(self.tenant) as session:
            meters.record_reading(session, self.meter, NewReading(Decimal(value)), self.user)


@pytest.fixture
def databases(private_database: DatabaseUrls) -> Iterator[tuple[Database, Database]]:
    owner = Database(make_engine(private_database.owner, pool_size=1))
    app = Database(make_engine(private_database.app, pool_size=2))
    yield owner, app
    owner.dispose()
    app.dispose()


def make_plant(owner: Database, app: Database) -> Plant:
    tenant = provision_tenant(owner, f"Plant {uuid.uuid4().hex[:6]}", "Europe/Berlin")
    ids = {name: uuid.uuid4() for name in ("asset", "meter", "user")}
    here = "NULLIF(current_setting('app.current_tenant', true), '')::uuid"
    with app.tenant_transaction(tenant) as session:
        for statement in (
            f"INSERT INTO assets (tenant_id, id, name) VALUES ({here}, :a, 'Boiler 2')",
            (
                f"INSERT INTO meters (tenant_id, id, asset_id, name, unit, kind) "
                f"VALUES ({here}, :m, :a, 'Run hours', 'h', 'cumulative')"
            ),
            f"INSERT INTO users (tenant_id, id, display_name) VALUES ({here}, :u, 'Tess')",
        ):
            session.execute(
                text(statement), {"a": ids["asset"], "m": ids["meter"], "u": ids["user"]}
            )
    return Plant(app, tenant, ids["asset"], ids["meter"], ids["user"])


def calendar(anchor: datetime, unit: pm.IntervalUnit = pm.IntervalUnit.MONTH) -> pm.Schedule:
    return pm.Schedule(
        pm.TriggerType.CALENDAR_FIXED, interval_count=1, interval_unit=unit, anchor_at=anchor
    )


def _use(processes: Processes, urls: DatabaseUrls) -> None:
    processes.env.update(
        DATABASE_URL=urls.app, MIGRATION_DATABASE_URL=urls.owner, PM_TICK_SECONDS=TICK
    )


def _wait(processes: Processes, predicate: object, timeout: float, what: str) -> None:
    try:
        wait_for(predicate, timeout, what)  # type: ignore[arg-type]
    except AssertionError:
        raise AssertionError(f"{what}\n{processes.log_text()}") from None


def test_every_trigger_lead_time_and_catch_up_with_a_real_worker_and_beat(
    private_database: DatabaseUrls, databases: tuple[Database, Database], processes: Processes
) -> None:
    owner, app = databases
    plant = make_plant(owner, app)
    now = datetime.now(UTC)
    due_now = plant.plan(calendar(now - timedelta(minutes=1)), title="due now")
    ahead = plant.plan(calendar(now + timedelta(days=3)), lead=5, title="lead time")
    not_yet = plant.plan(calendar(now + timedelta(days=3)), lead=1, title="not yet")
    # Down for five days: a daily plan missed 0..4 and is due again now (5).
    missed = plant.plan(
        calendar(now - timedelta(days=5, minutes=1), pm.IntervalUnit.DAY), title="catch-up"
    )
    # Floating, daily, created two days ahead of due: completing its work order makes the
    # next one (due a day after completion) fall inside the lead time at once.
    floating = plant.plan(
        pm.Schedule(
            pm.TriggerType.CALENDAR_FLOATING,
            interval_count=1,
            interval_unit=pm.IntervalUnit.DAY,
            anchor_at=now - timedelta(minutes=1),
        ),
        lead=2,
        title="floating",
    )
    either = plant.plan(
        pm.Schedule(
            pm.TriggerType.CALENDAR_OR_METER,
            interval_count=1,
            interval_unit=pm.IntervalUnit.YEAR,
            anchor_at=now - timedelta(minutes=1),
            meter_id=plant.meter,
            meter_interval=Decimal(1000),
            meter_anchor=Decimal(5000),
        ),
        title="either first",
    )
    _use(processes, private_database)
    processes.worker("w1")
    processes.start("beat")
    processes.start("relay")

    expected = {due_now: [0], ahead: [0], missed: [5], floating: [0], either: [0]}
    _wait(
        processes,
        lambda: all(plant.occurrences(p) == o for p, o in expected.items()),
        60,
        "the first work orders",
    )
    with app.tenant_transaction(plant.tenant) as session:
        skipped = pm_generation.plan_history(session, missed)
    assert [(e.type, e.occurrence_from, e.occurrence_to) for e in skipped] == [("skipped", 0, 4)]

    # Completing the floating plan's work order advances it: the next one follows.
    with app.tenant_transaction(plant.tenant) as session:
        work_orders.update_work_order(
            session, plant.work_order(floating, 0), {"status": Status.COMPLETE}, None
        )
    expected[floating] = [0, 1]
    # The calendar-or-meter plan's next occurrence is a year away, or 6000 on the meter.
    plant.read(6_100)
    expected[either] = [0, 1]
    _wait(
        processes,
        lambda: all(plant.occurrences(p) == o for p, o in expected.items()),
        60,
        "floating and meter follow-ups",
    )
    # Several ticks later nothing more was generated.
    with app.tenant_transaction(plant.tenant) as session:
        seen = session.execute(text("SELECT count(*) FROM work_orders")).scalar_one()
    time.sleep(3 * int(TICK) + 1)
    for plan_id, occurrences in expected.items():
        assert plant.occurrences(plan_id) == occurrences
    assert plant.occurrences(not_yet) == []
    with app.tenant_transaction(plant.tenant) as session:
        assert session.execute(text("SELECT count(*) FROM work_orders")).scalar_one() == seen


def test_a_reading_generates_within_seconds_without_the_tick(
    private_database: DatabaseUrls, databases: tuple[Database, Database], processes: Processes
) -> None:
    owner, app = databases
    plant = make_plant(owner, app)
    plan_id = plant.plan(
        pm.Schedule(
            pm.TriggerType.METER,
            meter_id=plant.meter,
            meter_interval=Decimal(250),
            meter_anchor=Decimal(1000),
        ),
        title="meter",
    )
    _use(processes, private_database)
    processes.worker("w1")
    processes.start("relay")  # no beat: only the outbox can bring the work
    plant.read(900)
    plant.read(1_010)
    started = datetime.now(UTC)
    _wait(processes, lambda: plant.occurrences(plan_id) == [0], 30, "the meter work order")
    assert datetime.now(UTC) - started < timedelta(seconds=30)
    plant.read(1_600)  # past 1250 and 1500: one work order, one skipped
    _wait(processes, lambda: plant.occurrences(plan_id) == [0, 2], 30, "the catch-up")


def test_two_beats_and_two_workers_never_duplicate(
    private_database: DatabaseUrls, databases: tuple[Database, Database], processes: Processes
) -> None:
    owner, app = databases
    plants = [make_plant(owner, app) for _ in range(3)]
    now = datetime.now(UTC)
    plans = [
        (plant, plant.plan(calendar(now - timedelta(minutes=m + 1), pm.IntervalUnit.DAY)))
        for plant in plants
        for m in range(20)
    ]
    # More fall due while they run: anchors a few seconds ahead.
    plans += [
        (plant, plant.plan(calendar(now + timedelta(seconds=5 + s), pm.IntervalUnit.DAY)))
        for plant in plants
        for s in range(0, 8, 2)
    ]
    _use(processes, private_database)
    for name in ("w1", "w2"):
        processes.worker(name)
    for _ in range(2):
        processes.start("beat")
    _wait(
        processes,
        lambda: all(plant.occurrences(p) == [0] for plant, p in plans),
        90,
        "every plan's work order",
    )
    time.sleep(3 * int(TICK))
    processes.stop_all()
    for plant, plan_id in plans:
        assert plant.occurrences(plan_id) == [0]
    assert "maintrac.pm.tick" in processes.log_text()


def test_worker_killed_mid_batch_is_redelivered_and_every_occurrence_has_one_work_order(
    private_database: DatabaseUrls, databases: tuple[Database, Database], processes: Processes
) -> None:
    owner, app = databases
    plant = make_plant(owner, app)
    total = 16_000  # eight batches: long enough to be killed in the middle
    with app.tenant_transaction(plant.tenant) as session:
        session.execute(
            text(
                """
                INSERT INTO pm_plans (tenant_id, id, name, asset_id, wo_title, trigger_type,
                                      interval_count, interval_unit, anchor_at, next_due_at)
                SELECT NULLIF(current_setting('app.current_tenant', true), '')::uuid,
                       uuid_generate_v7(), 'Plan ' || n, :asset, 'Inspect ' || n,
                       'calendar_fixed', 1, 'month', now() - interval '1 hour',
                       now() - interval '1 hour'
                FROM generate_series(1, :total) AS n
                """
            ),
            {"asset": plant.asset, "total": total},
        )
    with app.tenant_transaction(plant.tenant) as session:
        outbox.enqueue(session, pm_generation.GENERATE_TASK, {})  # one message, no beat

    def generated() -> int:
        with app.tenant_transaction(plant.tenant) as session:
            return int(
                session.execute(
                    text("SELECT count(*) FROM work_orders WHERE pm_plan_id IS NOT NULL")
                ).scalar_one()
            )

    _use(processes, private_database)
    fast = {"JOBS_VISIBILITY_TIMEOUT": "8"}
    processes.start("relay")
    first = processes.worker("w1", **fast)
    _wait(processes, lambda: generated() > 0, 120, "the first batches")
    processes.kill(first)  # in the middle: the running batch's transaction is lost
    partial = generated()
    assert 0 < partial < total, partial
    assert partial % pm_generation.BATCH_SIZE == 0  # whole batches only
    processes.worker("w2", **fast)
    _wait(processes, lambda: generated() == total, 180, "the redelivered task to finish")
    with app.tenant_transaction(plant.tenant) as session:
        wrong = session.execute(
            text(
                """
                SELECT count(*) FROM pm_plans p
                WHERE (SELECT count(*) FROM work_orders w WHERE w.pm_plan_id = p.id) <> 1
                   OR p.next_occurrence <> 1
                """
            )
        ).scalar_one()
    assert wrong == 0
