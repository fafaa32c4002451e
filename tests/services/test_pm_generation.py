"""PM generation against the real database, as the app role (RLS applies), before any
worker: every trigger type, lead time, paused plans, the catch-up policy, the plan's
history, "generate the next one now", and two generators racing on one tenant."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import text

from maintrac.core import pm
from maintrac.core.work_orders import Priority, Status
from maintrac.db.transaction import Database
from maintrac.services import pm_generation, pm_plans, work_orders
from maintrac.services.runtime import Runtime
from tests.conftest import Tenant

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


class Site:
    """A tenant with an asset, a meter, a user and reference data (made through the API),
    and plans made through the service."""

    def __init__(self, tenant: Tenant, db: Database) -> None:
        self.tenant, self.db = tenant, db
        self.asset = uuid.UUID(tenant.create("/v1/assets", {"name": "Boiler 2"})["id"])
        self.user = uuid.UUID(tenant.create_user(displayName="Tess Tech")["id"])
        self.task = uuid.UUID(
            tenant.create("/v1/task-codes", {"code": "INSP", "name": "Inspection"})["id"]
        )
        self.gl = uuid.UUID(tenant.create("/v1/gl-codes", {"code": "6100", "name": "Maint."})["id"])
        meter = {"assetId": str(self.asset), "name": "Run hours", "unit": "h", "kind": "cumulative"}
        self.meter = uuid.UUID(tenant.create("/v1/meters", meter)["id"])

    def plan(self, schedule: pm.Schedule, *, lead: int = 0, active: bool = True) -> uuid.UUID:
        template = pm.WorkOrderTemplate(
            title="Boiler 2 inspection",
            description="Check flue and burner.",
            task_code_id=self.task,
            priority=Priority.HIGH,
            assignee_id=self.user,
            estimated_hours=Decimal("1.50"),
            gl_code_id=self.gl,
        )
        new = pm.NewPmPlan(
            name="Boiler plan",
            template=template,
            schedule=schedule,
            asset_id=self.asset,
            active=active,
            lead_time_days=lead,
        )
        with self.db.tenant_transaction(self.tenant.id) as session:
            return pm_plans.create_pm_plan(session, new).id

    def run(self, now: datetime = NOW, **kwargs: Any) -> pm_generation.RunResult:
        with self.db.tenant_transaction(self.tenant.id) as session:
            return pm_generation.generate_due(session, now, **kwargs)

    def work_orders(self, plan_id: uuid.UUID) -> list[dict[str, Any]]:
        page = self.tenant.get("/v1/work-orders", params={"pmPlanId": str(plan_id), "limit": 200})
        assert page.status_code == 200, page.text
        data: list[dict[str, Any]] = page.json()["data"]
        return sorted(data, key=lambda w: w["pmOccurrence"])

    def get_plan(self, plan_id: uuid.UUID) -> pm.PmPlan:
        with self.db.tenant_transaction(self.tenant.id) as session:
            return pm_plans.get_pm_plan(session, plan_id)

    def history(self, plan_id: uuid.UUID) -> list[tuple[str, int, int]]:
        with self.db.tenant_transaction(self.tenant.id) as session:
            entries = pm_generation.plan_history(session, plan_id)
        return [(e.type, e.occurrence_from, e.occurrence_to) for e in entries]

    def reasons(self, plan_id: uuid.UUID) -> list[tuple[int, str]]:
        """(occurrence, why) of each generated work order, from its ``created`` event."""
        found = []
        for wo in self.work_orders(plan_id):
            events = self.tenant.get(f"/v1/work-orders/{wo['id']}/events").json()["data"]
            found.append((wo["pmOccurrence"], events[0]["changes"]["pmReason"]["to"]))
        return found

    def read(self, value: int, at: datetime) -> None:
        body = {"value": value, "takenAt": at.isoformat().replace("+00:00", "Z")}
        response = self.tenant.post(f"/v1/meters/{self.meter}/readings", json=body)
        assert response.status_code == 201, response.text


@pytest.fixture
def site(tenant: Tenant, runtime: Runtime) -> Site:
    return Site(tenant, runtime.database)


@pytest.fixture
def make_site(make_tenant: Callable[..., Tenant], runtime: Runtime) -> Callable[[], Site]:
    return lambda: Site(make_tenant(), runtime.database)


def daily(
    anchor: datetime, count: int = 1, unit: pm.IntervalUnit = pm.IntervalUnit.DAY
) -> pm.Schedule:
    return pm.Schedule(
        pm.TriggerType.CALENDAR_FIXED, interval_count=count, interval_unit=unit, anchor_at=anchor
    )


def test_a_due_plan_makes_exactly_one_work_order_from_its_template(site: Site) -> None:
    plan_id = site.plan(daily(NOW - timedelta(hours=1), 1, pm.IntervalUnit.MONTH))
    result = site.run()
    assert (result.created, result.skipped) == (1, 0)
    [wo] = site.work_orders(plan_id)
    assert wo["title"] == "Boiler 2 inspection"
    assert wo["description"] == "Check flue and burner."
    assert (wo["assetId"], wo["assigneeId"]) == (str(site.asset), str(site.user))
    assert (wo["taskCodeId"], wo["glCodeId"]) == (str(site.task), str(site.gl))
    assert (wo["priority"], wo["estimatedHours"], wo["status"]) == ("high", 1.5, "open")
    assert (wo["pmPlanId"], wo["pmOccurrence"]) == (str(plan_id), 0)
    assert wo["dueAt"] == "2026-12-01T11:00:00Z"
    events = site.tenant.get(f"/v1/work-orders/{wo['id']}/events").json()["data"]
    assert events[0]["type"] == "created"
    assert events[0]["actorId"] is None  # made by the system
    assert events[0]["changes"]["pmPlanId"]["to"] == str(plan_id)
    assert events[0]["changes"]["pmOccurrence"]["to"] == 0
    assert events[0]["changes"]["pmReason"]["to"] == "calendar"

    plan = site.get_plan(plan_id)
    assert plan.next_occurrence == 1
    assert plan.next_due_at == datetime(2027, 1, 1, 11, 0, tzinfo=UTC)
    assert (plan.last_generated_occurrence, plan.last_generated_at) == (0, NOW)
    assert site.history(plan_id) == []

    again = site.run(NOW + timedelta(minutes=1))
    assert again.created == 0
    assert len(site.work_orders(plan_id)) == 1


def test_catch_up_makes_one_work_order_for_the_newest_missed_occurrence(site: Site) -> None:
    plan_id = site.plan(daily(NOW - timedelta(days=5, hours=1)))  # 0..5 are all past
    result = site.run()
    assert (result.created, result.skipped) == (1, 5)
    [wo] = site.work_orders(plan_id)
    assert wo["pmOccurrence"] == 5
    assert wo["dueAt"] == "2026-12-01T11:00:00Z"
    assert site.history(plan_id) == [("skipped", 0, 4)]
    assert site.get_plan(plan_id).next_occurrence == 6
    # After an outage of three more days: again one work order, two more skipped.
    later = site.run(NOW + timedelta(days=3))
    assert (later.created, later.skipped) == (1, 2)
    assert [w["pmOccurrence"] for w in site.work_orders(plan_id)] == [5, 8]


def test_lead_time_creates_the_work_order_days_before_it_is_due(site: Site) -> None:
    soon = site.plan(daily(NOW + timedelta(days=3), 1, pm.IntervalUnit.MONTH), lead=5)
    later = site.plan(daily(NOW + timedelta(days=3), 1, pm.IntervalUnit.MONTH), lead=2)
    assert site.run().created == 1
    [wo] = site.work_orders(soon)
    assert wo["dueAt"] == (NOW + timedelta(days=3)).isoformat().replace("+00:00", "Z")
    assert site.work_orders(later) == []
    assert site.run(NOW + timedelta(days=1)).created == 1
    assert len(site.work_orders(later)) == 1


def test_lead_time_generates_each_upcoming_occurrence_once(site: Site) -> None:
    plan_id = site.plan(
        daily(NOW + timedelta(hours=1)), lead=3
    )  # due in 1 h, 1 d 1 h, 2 d 1 h, ...
    assert site.run().created == 3
    assert site.run(NOW + timedelta(minutes=30)).created == 0
    assert site.run(NOW + timedelta(hours=2)).created == 1  # +3 d 1 h entered the window
    assert [w["pmOccurrence"] for w in site.work_orders(plan_id)] == [0, 1, 2, 3]


def test_a_paused_plan_generates_nothing_until_resumed(site: Site, runtime: Runtime) -> None:
    plan_id = site.plan(daily(NOW - timedelta(hours=1)), active=False)
    with runtime.database.system_transaction() as system:
        assert site.tenant.id not in pm_generation.tenants_with_due_plans(system, NOW)
    assert site.run().created == 0
    with runtime.database.tenant_transaction(site.tenant.id) as session:
        pm_plans.update_pm_plan(session, plan_id, {"active": True})
    with runtime.database.system_transaction() as system:
        assert site.tenant.id in pm_generation.tenants_with_due_plans(system, NOW)
    assert site.run().created == 1


def test_floating_plan_counts_from_the_completion_of_its_work_order(site: Site) -> None:
    schedule = pm.Schedule(
        pm.TriggerType.CALENDAR_FLOATING,
        interval_count=10,
        interval_unit=pm.IntervalUnit.DAY,
        anchor_at=NOW - timedelta(days=1),
    )
    plan_id = site.plan(schedule)
    assert site.run().created == 1
    assert site.run(NOW + timedelta(days=30)).created == 0  # open: nothing more is due
    [wo] = site.work_orders(plan_id)
    done = site.tenant.patch(f"/v1/work-orders/{wo['id']}", json={"status": "complete"})
    assert done.status_code == 200, done.text
    completed_at = datetime.fromisoformat(done.json()["completedAt"])
    plan = site.get_plan(plan_id)
    assert plan.last_completed_at == completed_at
    assert plan.next_due_at == completed_at + timedelta(days=10)
    assert site.run(completed_at + timedelta(days=9)).created == 0
    assert site.run(completed_at + timedelta(days=10, seconds=1)).created == 1
    second = site.work_orders(plan_id)[1]
    assert second["pmOccurrence"] == 1
    assert datetime.fromisoformat(second["dueAt"]) == completed_at + timedelta(days=10)


def test_meter_plan_is_generated_when_a_reading_crosses_the_threshold(site: Site) -> None:
    schedule = pm.Schedule(
        pm.TriggerType.METER,
        meter_id=site.meter,
        meter_interval=Decimal(500),
        meter_anchor=Decimal(500),
    )
    plan_id = site.plan(schedule)
    site.read(499, NOW - timedelta(hours=2))
    with site.db.tenant_transaction(site.tenant.id) as session:
        assert pm_generation.plans_reached_by_reading(session, site.meter, Decimal(499)) == []
    assert site.run().created == 0
    site.read(1_600, NOW - timedelta(hours=1))  # past 500, 1000 and 1500 at once
    with site.db.tenant_transaction(site.tenant.id) as session:
        reached = pm_generation.plans_reached_by_reading(session, site.meter, Decimal(1_600))
    assert reached == [plan_id]
    result = site.run(plan_ids=reached)
    assert (result.created, result.skipped) == (1, 2)
    [wo] = site.work_orders(plan_id)
    assert wo["pmOccurrence"] == 2
    assert site.history(plan_id) == [("skipped", 0, 1)]
    assert site.reasons(plan_id) == [(2, "meter")]
    assert site.get_plan(plan_id).next_due_meter == Decimal(2_000)


def test_calendar_or_meter_generates_by_whichever_comes_first(site: Site) -> None:
    schedule = pm.Schedule(
        pm.TriggerType.CALENDAR_OR_METER,
        interval_count=1,
        interval_unit=pm.IntervalUnit.MONTH,
        anchor_at=NOW + timedelta(days=10),
        meter_id=site.meter,
        meter_interval=Decimal(1000),
        meter_anchor=Decimal(1000),
    )
    plan_id = site.plan(schedule)
    assert site.run().created == 0
    site.read(1_200, NOW - timedelta(minutes=5))  # the meter comes first for occurrence 0
    assert site.run().created == 1
    assert site.reasons(plan_id) == [(0, "meter")]
    # Occurrence 1: the calendar (a month after the anchor) comes first.
    assert site.run(NOW + timedelta(days=42)).created == 1
    assert site.reasons(plan_id) == [(0, "meter"), (1, "calendar")]


def test_due_tenants_lists_ids_only_and_tenants_stay_apart(
    make_site: Callable[[], Site], runtime: Runtime
) -> None:
    due, idle = make_site(), make_site()
    due.plan(daily(NOW - timedelta(hours=1)))
    idle.plan(daily(NOW + timedelta(days=30)))
    with runtime.database.system_transaction() as system:
        tenants = pm_generation.tenants_with_due_plans(system, NOW)
        # The worker's own session still sees no plan of any tenant.
        assert system.execute(text("SELECT count(*) FROM pm_plans")).scalar_one() == 0
    assert due.tenant.id in tenants
    assert idle.tenant.id not in tenants
    assert idle.run().created == 0  # its own transaction finds nothing due
    assert due.run().created == 1


def test_generate_next_now_is_idempotent(site: Site) -> None:
    plan_id = site.plan(daily(NOW + timedelta(days=20), 1, pm.IntervalUnit.MONTH))
    with site.db.tenant_transaction(site.tenant.id) as session:
        first = pm_generation.generate_next(session, plan_id, site.user, NOW)
    with site.db.tenant_transaction(site.tenant.id) as session:
        again = pm_generation.generate_next(session, plan_id, site.user, NOW)
    assert first.created
    assert not again.created
    assert first.work_order.id == again.work_order.id
    assert first.work_order.pm_occurrence == 0
    assert first.work_order.due_at == NOW + timedelta(days=20)
    assert site.reasons(plan_id) == [(0, "manual")]
    assert site.run(NOW + timedelta(days=21)).created == 0  # occurrence 0 is done
    with site.db.tenant_transaction(site.tenant.id) as session:
        work_orders.update_work_order(
            session, first.work_order.id, {"status": Status.CANCELLED}, None
        )
        third = pm_generation.generate_next(session, plan_id, site.user, NOW)
    assert third.created
    assert third.work_order.pm_occurrence == 1


def test_two_generators_racing_on_one_tenant_never_duplicate(site: Site) -> None:
    plan_ids = [site.plan(daily(NOW - timedelta(minutes=m + 1))) for m in range(40)]
    barrier = threading.Barrier(2)
    results: list[pm_generation.RunResult] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait()
            while True:
                result = site.run(limit=7)
                results.append(result)
                if not result.more:
                    return
        except BaseException as exc:  # noqa: BLE001  # reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert sum(r.created for r in results) == 40
    for plan_id in plan_ids:
        assert [w["pmOccurrence"] for w in site.work_orders(plan_id)] == [0]


def test_a_plan_centuries_behind_jumps_to_its_newest_occurrence(site: Site) -> None:
    # Daily since the year 1: about 740,000 occurrences are past. Stepping through them
    # 5,000 at a time (as the generator once did) took minutes and recursed once per step
    # in "generate next"; the catch-up policy wants one work order for the newest missed
    # occurrence and the rest recorded as one skipped range.
    anchor = datetime(1, 1, 1, 12, 0, tzinfo=UTC)
    days_past = (NOW - anchor).days  # occurrence numbers 0..this are due by NOW
    manual = site.plan(daily(anchor, 1, pm.IntervalUnit.DAY))
    with site.db.tenant_transaction(site.tenant.id) as session:
        made = pm_generation.generate_next(session, manual, site.user, NOW)
    assert made.created
    assert made.work_order.pm_occurrence == days_past
    assert made.work_order.due_at == NOW
    assert site.history(manual) == [("skipped", 0, days_past - 1)]

    automatic = site.plan(daily(anchor, 1, pm.IntervalUnit.DAY))
    for _ in range(3):  # a run may stop after recording the history; the next generates
        site.run()
    assert [w["pmOccurrence"] for w in site.work_orders(automatic)] == [days_past]
    assert site.history(automatic) == [("skipped", 0, days_past - 1)]
    assert site.get_plan(automatic).next_occurrence == days_past + 1
