"""A small, exactly known data set for report tests, and readers for the files."""

from __future__ import annotations

import csv
import io
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import text

from maintrac.db.transaction import Database
from tests.conftest import Tenant


@dataclass
class Dataset:
    assets: dict[str, dict[str, Any]] = field(default_factory=dict)
    work_orders: dict[str, dict[str, Any]] = field(default_factory=dict)
    plan: dict[str, Any] = field(default_factory=dict)
    people: dict[str, dict[str, Any]] = field(default_factory=dict)
    task_code: dict[str, Any] = field(default_factory=dict)
    gl_code: dict[str, Any] = field(default_factory=dict)


def _sql(db: Database, tenant: Tenant, statement: str, **params: Any) -> None:
    with db.tenant_transaction(tenant.id) as session:
        session.execute(text(statement), params)


def build_dataset(db: Database, tenant: Tenant) -> Dataset:
    """Assets PL > P101 > M1 and OT; seven work orders (four of a PM plan on PL); labour
    in and outside November 2026 by two people, one entry corrected; readings on M1 and
    OT."""
    data = Dataset()
    data.people["me"] = tenant.me()
    other = Tenant(id=tenant.id, http=tenant.http)
    data.people["other"] = other.me()
    data.task_code = tenant.create("/v1/task-codes", {"code": "MECH", "name": "Mechanical"})
    data.gl_code = tenant.create("/v1/gl-codes", {"code": "GL-100", "name": "Maintenance"})
    plant = tenant.create("/v1/assets", {"name": "Plant", "code": "PL"})
    pump = tenant.create(
        "/v1/assets", {"name": "Pump P-101", "code": "P101", "parentId": plant["id"]}
    )
    motor = tenant.create("/v1/assets", {"name": "Motor", "code": "M1", "parentId": pump["id"]})
    other_asset = tenant.create("/v1/assets", {"name": 'Other, "quoted"', "code": "OT"})
    data.assets = {"PL": plant, "P101": pump, "M1": motor, "OT": other_asset}
    assignee = tenant.create_user(displayName="Alex Fitter")
    data.people["assignee"] = assignee

    wo = data.work_orders
    wo["wo1"] = tenant.create_work_order(
        title="Replace belt, pump",
        assetId=pump["id"],
        assigneeId=assignee["id"],
        taskCodeId=data.task_code["id"],
        glCodeId=data.gl_code["id"],
        priority="high",
        dueAt="2026-10-10T08:00:00Z",
        estimatedHours=1.5,
    )
    wo["wo2"] = tenant.create_work_order(
        title="Motor noise", assetId=motor["id"], dueAt="2026-11-05T08:00:00Z"
    )
    wo["wo3"] = tenant.create_work_order(title="Other job", assetId=other_asset["id"])
    data.plan = tenant.create(
        "/v1/pm-plans",
        {
            "name": "Monthly plant check",
            "assetId": plant["id"],
            "workOrderTemplate": {"title": "Plant check", "priority": "medium"},
            "trigger": {
                "type": "calendar_fixed",
                "intervalCount": 1,
                "intervalUnit": "month",
                "anchorAt": "2027-06-01T08:00:00Z",
            },
        },
    )
    pm = [
        ("wo4", "2026-10-15T08:00:00Z", "complete", "2026-10-14T08:00:00Z"),
        ("wo5", "2026-10-20T08:00:00Z", "complete", "2026-10-25T08:00:00Z"),
        ("wo6", "2026-11-10T08:00:00Z", "open", None),
        ("wo7", "2026-11-12T08:00:00Z", "cancelled", None),
    ]
    for occurrence, (name, due, status, completed) in enumerate(pm, start=1000):
        created = tenant.create_work_order(
            title=f"Plant check {name}", assetId=plant["id"], dueAt=due
        )
        _sql(
            db,
            tenant,
            "UPDATE work_orders SET pm_plan_id = :plan, pm_occurrence = :n, status = :status, "
            "completed_at = CAST(:completed AS timestamptz) WHERE id = :id",
            plan=data.plan["id"],
            n=occurrence,
            status=status,
            completed=completed,
            id=created["id"],
        )
        wo[name] = created

    def labour(who: Tenant, work_order: str, minutes: int, at: str, **extra: Any) -> dict[str, Any]:
        return who.create(
            f"/v1/work-orders/{wo[work_order]['id']}/log-entries",
            {"kind": "labor", "minutes": minutes, "loggedAt": at, **extra},
        )

    labour(tenant, "wo1", 30, "2026-11-02T09:00:00Z")
    labour(tenant, "wo1", 45, "2026-11-03T09:00:00Z")
    first = labour(tenant, "wo1", 20, "2026-11-04T09:00:00Z")
    labour(tenant, "wo1", 25, "2026-11-04T09:00:00Z", correctsEntryId=first["id"])
    labour(tenant, "wo1", 15, "2026-09-01T09:00:00Z")  # outside the period
    labour(other, "wo2", 60, "2026-11-20T09:00:00Z")
    labour(other, "wo2", 10, "2026-12-01T00:00:00Z")  # the period's end is exclusive

    hours = tenant.create("/v1/meters", {"assetId": motor["id"], "name": "Run hours", "unit": "h"})
    tenant.create(
        f"/v1/meters/{hours['id']}/readings", {"value": 100, "takenAt": "2026-10-01T06:00:00Z"}
    )
    tenant.create(
        f"/v1/meters/{hours['id']}/readings", {"value": 150.5, "takenAt": "2026-11-01T06:00:00Z"}
    )
    elsewhere = tenant.create(
        "/v1/meters", {"assetId": other_asset["id"], "name": "Cycles", "unit": "cycles"}
    )
    tenant.create(f"/v1/meters/{elsewhere['id']}/readings", {"value": 5})
    for name in wo:  # the final state, as the API shows it
        wo[name] = tenant.get(f"/v1/work-orders/{wo[name]['id']}").json()
    return data


def wait_until_finished(tenant: Tenant, report_id: str, timeout: float = 90) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        body: dict[str, Any] = tenant.get(f"/v1/reports/{report_id}").json()
        if body["status"] in {"succeeded", "failed"}:
            return body
        if time.monotonic() > deadline:
            raise AssertionError(f"report {report_id} still {body['status']} after {timeout} s")
        time.sleep(0.2)


def read_file(content: bytes, fmt: str) -> tuple[list[str], list[list[Any]]]:
    """Header and rows; CSV cells as text ('' for null), xlsx cells as typed values."""
    if fmt == "csv":
        assert content.startswith(b"\xef\xbb\xbf"), "CSV starts with a UTF-8 byte-order mark"
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
        return rows[0], rows[1:]
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    sheet = workbook.worksheets[0]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return [str(v) for v in values[0]], values[1:]


def cell_text(value: Any) -> str:
    """A typed xlsx cell as the CSV writes it (for comparing both formats to one truth)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def uid() -> str:
    return str(uuid.uuid4())
