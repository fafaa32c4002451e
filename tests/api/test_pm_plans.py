"""PM plans over real HTTP: CRUD, validation, the due preview, and cross-tenant attacks."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest

from maintrac.core.ids import new_id
from tests.conftest import DatabaseUrls, Tenant

PROBLEM = "application/problem+json"
MONTHLY = {
    "type": "calendar_fixed",
    "intervalCount": 1,
    "intervalUnit": "month",
    "anchorAt": "2030-01-31T08:00:00Z",
}


class Plant:
    """A tenant's assets, meters and reference data for PM plans.

    Each item is created through the API; while another area's endpoints are still being
    built (they answer 500), it is inserted as the schema owner instead, scoped to the
    tenant the same way the app scopes its transactions.
    """

    def __init__(self, tenant: Tenant, urls: DatabaseUrls) -> None:
        self.tenant = tenant
        self.urls = urls

    def _owner_insert(self, table: str, values: dict[str, Any]) -> str:
        row_id = str(new_id())
        columns = ["tenant_id", "id", *values]
        placeholders = ", ".join(["%s"] * len(columns))
        with psycopg.connect(self.urls.owner.replace("+psycopg", "")) as conn:
            conn.execute(
                "SELECT set_config('app.current_tenant', %s, true)", (str(self.tenant.id),)
            )
            conn.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})",
                [str(self.tenant.id), row_id, *values.values()],
            )
        return row_id

    def owner_execute(self, statement: str, params: tuple[Any, ...]) -> None:
        with psycopg.connect(self.urls.owner.replace("+psycopg", "")) as conn:
            conn.execute(
                "SELECT set_config('app.current_tenant', %s, true)", (str(self.tenant.id),)
            )
            conn.execute(statement, params)

    def _create(self, path: str, body: dict[str, Any], table: str) -> str:
        response = self.tenant.post(path, json=body)
        if response.status_code == 201:
            created: str = response.json()["id"]
            return created
        assert response.status_code == 500, response.text  # not implemented yet
        values = {_snake(k): v for k, v in body.items()}
        return self._owner_insert(table, values)

    def asset(self, name: str = "Boiler 2") -> str:
        return self._create("/v1/assets", {"name": name}, "assets")

    def category(self, code: str = "HVAC") -> str:
        return self._create(
            "/v1/asset-categories", {"code": code, "name": f"{code} units"}, "asset_categories"
        )

    def task_code(self, code: str = "INSP") -> str:
        return self._create("/v1/task-codes", {"code": code, "name": "Inspection"}, "task_codes")

    def meter(self, asset_id: str, kind: str = "cumulative") -> str:
        body = {"assetId": asset_id, "name": "Run hours", "unit": "h", "kind": kind}
        return self._create("/v1/meters", body, "meters")

    def reading(self, meter_id: str, value: float, taken_at: str) -> None:
        response = self.tenant.post(
            f"/v1/meters/{meter_id}/readings", json={"value": value, "takenAt": taken_at}
        )
        if response.status_code == 201:
            return
        assert response.status_code == 500, response.text  # not implemented yet
        self._owner_insert(
            "asset_readings", {"meter_id": meter_id, "value": value, "taken_at": taken_at}
        )
        self.owner_execute(
            "UPDATE meters SET last_reading_value = %s, last_reading_at = %s WHERE id = %s",
            (value, taken_at, meter_id),
        )


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


@pytest.fixture
def make_plant(
    make_tenant: Callable[..., Tenant], database_urls: DatabaseUrls
) -> Callable[..., Plant]:
    def make(time_zone: str = "UTC") -> Plant:
        return Plant(make_tenant(time_zone=time_zone), database_urls)

    return make


@pytest.fixture
def plant(make_plant: Callable[..., Plant]) -> Plant:
    return make_plant()


def plan_body(asset_id: str | None, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Monthly boiler inspection",
        "workOrderTemplate": {"title": "Boiler 2 monthly inspection"},
        "trigger": MONTHLY,
    }
    if asset_id is not None:
        body["assetId"] = asset_id
    body.update(fields)
    return body


def create_plan(tenant: Tenant, asset_id: str | None, **fields: Any) -> dict[str, Any]:
    return tenant.create("/v1/pm-plans", plan_body(asset_id, **fields))


def due(tenant: Tenant, plan_id: str, **params: Any) -> dict[str, Any]:
    response = tenant.get(f"/v1/pm-plans/{plan_id}/due", params=params)
    assert response.status_code == 200, response.text
    assert response.json()["nextCursor"] is None
    body: dict[str, Any] = response.json()
    return body


def pointers(response: Any) -> list[str]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    return [e["pointer"] for e in response.json()["errors"]]


# ---------------------------------------------------------------- CRUD


def test_create_get_and_list(plant: Plant) -> None:
    tenant = plant.tenant
    asset, user, code = plant.asset(), tenant.create_user()["id"], plant.task_code()
    template = {
        "title": " Boiler 2 monthly inspection ",
        "description": "Check flue and burner.",
        "taskCodeId": code,
        "priority": "high",
        "assigneeId": user,
        "estimatedHours": 1.5,
    }
    response = tenant.post(
        "/v1/pm-plans",
        json=plan_body(asset, description="Statutory.", workOrderTemplate=template),
    )
    assert response.status_code == 201, response.text
    plan = response.json()
    assert response.headers["location"] == f"/v1/pm-plans/{plan['id']}"
    assert response.headers["etag"] == '"1"'
    assert uuid.UUID(plan["id"]).version == 7
    assert plan["assetId"] == asset
    assert plan["assetCategoryId"] is None
    assert plan["workOrderTemplate"] == {
        **template,
        "title": "Boiler 2 monthly inspection",
        "glCodeId": None,
    }
    assert plan["trigger"] == MONTHLY  # only the calendar fields, no nulls
    assert plan["active"] is True
    assert plan["nextDueAt"] == "2030-01-31T08:00:00Z"
    assert plan["nextDueMeter"] is None
    assert plan["lastCompletedAt"] is None
    assert (plan["leadTimeDays"], plan["lastGeneratedOccurrence"]) == (0, None)

    got = tenant.get(f"/v1/pm-plans/{plan['id']}")
    assert got.status_code == 200
    assert got.json() == plan
    assert got.headers["etag"] == '"1"'

    other_asset = plant.asset("Chiller 1")
    paused = create_plan(tenant, other_asset, active=False)
    category_plan = create_plan(tenant, None, assetCategoryId=plant.category())
    assert category_plan["assetId"] is None

    def listed(query: str = "") -> list[str]:
        response = tenant.get(f"/v1/pm-plans{query}")
        assert response.status_code == 200, response.text
        return [p["id"] for p in response.json()["data"]]

    assert listed() == [category_plan["id"], paused["id"], plan["id"]]  # newest first
    assert listed(f"?assetId={asset}") == [plan["id"]]
    assert listed("?active=false") == [paused["id"]]
    assert listed("?active=true") == [category_plan["id"], plan["id"]]
    first = tenant.get("/v1/pm-plans?limit=2").json()
    assert first["hasMore"] is True
    rest = tenant.get("/v1/pm-plans", params={"limit": 2, "cursor": first["nextCursor"]}).json()
    assert [p["id"] for p in rest["data"]] == [plan["id"]]
    assert rest["hasMore"] is False


def test_update_is_partial_and_uses_if_match(plant: Plant) -> None:
    tenant = plant.tenant
    plan = create_plan(tenant, plant.asset(), description="Keep me.")
    url = f"/v1/pm-plans/{plan['id']}"

    renamed = tenant.patch(url, json={"name": "Boiler check"}, headers={"If-Match": '"1"'})
    assert renamed.status_code == 200, renamed.text
    assert renamed.headers["etag"] == '"2"'
    body = renamed.json()
    assert body["name"] == "Boiler check"
    assert body["description"] == "Keep me."
    assert body["trigger"] == plan["trigger"]

    stale = tenant.patch(url, json={"name": "Lost"}, headers={"If-Match": '"1"'})
    assert stale.status_code == 412
    assert stale.headers["content-type"] == PROBLEM
    assert tenant.get(url).json()["name"] == "Boiler check"

    # The template is replaced whole: what is not sent goes back to its default.
    replaced = tenant.patch(url, json={"workOrderTemplate": {"title": "New title"}}).json()
    assert replaced["workOrderTemplate"] == {
        "title": "New title",
        "description": None,
        "taskCodeId": None,
        "priority": "medium",
        "assigneeId": None,
        "estimatedHours": None,
        "glCodeId": None,
    }

    # A new trigger recomputes the next due point.
    weekly = {
        "type": "calendar_fixed",
        "intervalCount": 2,
        "intervalUnit": "week",
        "anchorAt": "2031-03-03T06:30:00+01:00",
    }
    changed = tenant.patch(url, json={"trigger": weekly, "active": False})
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert body["trigger"] == {**weekly, "anchorAt": "2031-03-03T05:30:00Z"}
    assert body["nextDueAt"] == "2031-03-03T05:30:00Z"
    assert body["active"] is False

    # Nothing changed: same version.
    same = tenant.patch(url, json={"active": False})
    assert same.status_code == 200
    assert same.headers["etag"] == changed.headers["etag"]


def test_delete_is_soft_and_checks_if_match(plant: Plant, database_urls: DatabaseUrls) -> None:
    tenant = plant.tenant
    plan = create_plan(tenant, plant.asset())
    url = f"/v1/pm-plans/{plan['id']}"
    assert tenant.delete(url, headers={"If-Match": '"7"'}).status_code == 412
    assert tenant.delete(url, headers={"If-Match": '"1"'}).status_code == 204
    assert tenant.get(url).status_code == 404
    assert tenant.patch(url, json={"name": "x"}).status_code == 404
    assert tenant.get(f"{url}/due").status_code == 404
    assert tenant.delete(url).status_code == 404
    assert tenant.get("/v1/pm-plans").json()["data"] == []
    with psycopg.connect(database_urls.admin.replace("+psycopg", "")) as conn:
        row = conn.execute(
            "SELECT deleted_at FROM pm_plans WHERE id = %s", (plan["id"],)
        ).fetchone()
    assert row is not None
    assert row[0] is not None


def test_permissions(plant: Plant) -> None:
    tenant = plant.tenant
    plan = create_plan(tenant, plant.asset())
    reader = {"Authorization": f"Bearer {tenant.token(['pm:read'])}"}
    assert tenant.get(f"/v1/pm-plans/{plan['id']}", headers=reader).status_code == 200
    assert tenant.get(f"/v1/pm-plans/{plan['id']}/due", headers=reader).status_code == 200
    refused = tenant.post("/v1/pm-plans", json=plan_body(plan["assetId"]), headers=reader)
    assert refused.status_code == 403
    nobody = {"Authorization": f"Bearer {tenant.token(['work_orders:read'])}"}
    assert tenant.get("/v1/pm-plans", headers=nobody).status_code == 403


# ---------------------------------------------------------------- validation


def test_exactly_one_target(plant: Plant) -> None:
    tenant = plant.tenant
    # The contract's schema says it (if assetId then not assetCategoryId, else
    # assetCategoryId is required); the service checks it again.
    neither = tenant.post("/v1/pm-plans", json=plan_body(None))
    assert pointers(neither) == ["/assetCategoryId"]
    both = tenant.post(
        "/v1/pm-plans", json=plan_body(plant.asset(), assetCategoryId=plant.category())
    )
    assert pointers(both) == [""]
    assert tenant.get("/v1/pm-plans").json()["data"] == []


def test_trigger_fields_by_type(plant: Plant) -> None:
    tenant = plant.tenant
    asset = plant.asset()

    def attempt(trigger: dict[str, Any]) -> list[str]:
        return pointers(tenant.post("/v1/pm-plans", json=plan_body(asset, trigger=trigger)))

    assert attempt({"type": "calendar_fixed", "intervalCount": 1}) == [
        "/trigger/intervalUnit",
        "/trigger/anchorAt",
    ]
    assert attempt({"type": "meter", "meterInterval": 100}) == [
        "/trigger/meterId",
        "/trigger/meterAnchor",
    ]
    assert len(attempt({"type": "calendar_or_meter"})) == 6
    # The trigger is a oneOf on `type`: the tag picks the branch whose errors are told.
    assert attempt({"intervalCount": 1}) == ["/trigger/type"]
    assert attempt({"type": "hourly", "intervalCount": 1}) == ["/trigger/type"]
    # Fields the trigger type does not use are ignored, not stored.
    stray = create_plan(tenant, asset, trigger={**MONTHLY, "meterAnchor": 5, "meterInterval": 1})
    assert stray["trigger"] == MONTHLY
    assert stray["nextDueMeter"] is None
    # Schema failures come first, with their pointers too.
    assert pointers(
        tenant.post("/v1/pm-plans", json=plan_body(asset, trigger={**MONTHLY, "intervalCount": 0}))
    ) == ["/trigger/intervalCount"]
    # An update is checked the same way, against the plan's own asset.
    plan = create_plan(tenant, asset)
    response = tenant.patch(f"/v1/pm-plans/{plan['id']}", json={"trigger": {"type": "meter"}})
    assert pointers(response) == [
        "/trigger/meterId",
        "/trigger/meterInterval",
        "/trigger/meterAnchor",
    ]


def test_meter_must_be_a_cumulative_meter_of_the_plan_asset(plant: Plant) -> None:
    tenant = plant.tenant
    asset, other = plant.asset(), plant.asset("Pump 7")
    trigger = {"type": "meter", "meterInterval": 500, "meterAnchor": 1000}

    foreign = plant.meter(other)
    response = tenant.post(
        "/v1/pm-plans", json=plan_body(asset, trigger={**trigger, "meterId": foreign})
    )
    assert pointers(response) == ["/trigger/meterId"]
    assert "asset" in response.json()["errors"][0]["detail"]

    gauge = plant.meter(asset, kind="gauge")
    response = tenant.post(
        "/v1/pm-plans", json=plan_body(asset, trigger={**trigger, "meterId": gauge})
    )
    assert pointers(response) == ["/trigger/meterId"]
    assert "cumulative" in response.json()["errors"][0]["detail"]

    missing = tenant.post(
        "/v1/pm-plans", json=plan_body(asset, trigger={**trigger, "meterId": str(new_id())})
    )
    assert pointers(missing) == ["/trigger/meterId"]
    assert missing.json()["code"] == "invalid_reference"

    category = tenant.post(
        "/v1/pm-plans",
        json=plan_body(
            None,
            assetCategoryId=plant.category(),
            trigger={**trigger, "meterId": plant.meter(asset)},
        ),
    )
    assert pointers(category) == ["/trigger/meterId"]

    good = create_plan(tenant, asset, trigger={**trigger, "meterId": plant.meter(asset)})
    assert good["nextDueMeter"] == 1000
    assert good["nextDueAt"] is None
    # Replacing the trigger is checked the same way.
    response = tenant.patch(
        f"/v1/pm-plans/{good['id']}", json={"trigger": {**trigger, "meterId": gauge}}
    )
    assert pointers(response) == ["/trigger/meterId"]


def test_references_must_exist(plant: Plant) -> None:
    tenant = plant.tenant
    asset = plant.asset()
    nowhere = str(new_id())
    assert pointers(tenant.post("/v1/pm-plans", json=plan_body(nowhere))) == ["/assetId"]
    assert pointers(tenant.post("/v1/pm-plans", json=plan_body(None, assetCategoryId=nowhere))) == [
        "/assetCategoryId"
    ]
    template = {"title": "x", "taskCodeId": nowhere, "assigneeId": nowhere}
    response = tenant.post("/v1/pm-plans", json=plan_body(asset, workOrderTemplate=template))
    assert pointers(response) == [
        "/workOrderTemplate/taskCodeId",
        "/workOrderTemplate/assigneeId",
    ]
    assert response.json()["code"] == "invalid_reference"


# ---------------------------------------------------------------- the due preview


def test_preview_lists_missed_monthly_occurrences(plant: Plant) -> None:
    tenant = plant.tenant
    anchor = {**MONTHLY, "anchorAt": "2025-01-31T08:00:00Z"}
    plan = create_plan(tenant, plant.asset(), trigger=anchor)
    assert plan["nextDueAt"] == "2025-01-31T08:00:00Z"
    page = due(tenant, plan["id"], until="2025-06-01T00:00:00Z")
    assert page["data"] == [
        {"occurrence": 0, "dueAt": "2025-01-31T08:00:00Z", "dueMeter": None, "reason": "calendar"},
        {"occurrence": 1, "dueAt": "2025-02-28T08:00:00Z", "dueMeter": None, "reason": "calendar"},
        {"occurrence": 2, "dueAt": "2025-03-31T08:00:00Z", "dueMeter": None, "reason": "calendar"},
        {"occurrence": 3, "dueAt": "2025-04-30T08:00:00Z", "dueMeter": None, "reason": "calendar"},
        {"occurrence": 4, "dueAt": "2025-05-31T08:00:00Z", "dueMeter": None, "reason": "calendar"},
    ]
    assert page["hasMore"] is False
    limited = due(tenant, plan["id"], until="2025-06-01T00:00:00Z", limit=2)
    assert [o["occurrence"] for o in limited["data"]] == [0, 1]
    assert limited["hasMore"] is True
    assert due(tenant, plan["id"], until="2025-01-31T07:59:59Z")["data"] == []
    # Default `until` is now: every month since the anchor is due, none in the future.
    now = datetime.now(UTC)
    so_far = due(tenant, plan["id"], limit=200)["data"]
    assert len(so_far) >= 20
    assert all(datetime.fromisoformat(o["dueAt"]) <= now for o in so_far)
    # A paused plan generates nothing.
    tenant.patch(f"/v1/pm-plans/{plan['id']}", json={"active": False})
    assert due(tenant, plan["id"], until="2025-06-01T00:00:00Z") == {
        "data": [],
        "nextCursor": None,
        "hasMore": False,
    }


def test_preview_in_the_tenant_time_zone(make_plant: Callable[..., Plant]) -> None:
    plant = make_plant(time_zone="America/New_York")
    tenant = plant.tenant
    # 09:00 in New York: EST (UTC-5) in January and February, EDT (UTC-4) from 8 March.
    trigger = {**MONTHLY, "anchorAt": "2026-01-31T09:00:00-05:00"}
    plan = create_plan(tenant, plant.asset(), trigger=trigger)
    page = due(tenant, plan["id"], until="2026-05-01T00:00:00Z")
    assert [o["dueAt"] for o in page["data"]] == [
        "2026-01-31T14:00:00Z",
        "2026-02-28T14:00:00Z",
        "2026-03-31T13:00:00Z",
        "2026-04-30T13:00:00Z",
    ]
    # The same plan in a UTC tenant keeps 14:00 UTC instead.
    utc_plant = make_plant()
    utc_plan = create_plan(utc_plant.tenant, utc_plant.asset(), trigger=trigger)
    page = due(utc_plant.tenant, utc_plan["id"], until="2026-05-01T00:00:00Z")
    assert page["data"][2]["dueAt"] == "2026-03-31T14:00:00Z"


def test_preview_of_a_meter_plan_after_readings(plant: Plant) -> None:
    tenant = plant.tenant
    asset = plant.asset()
    meter = plant.meter(asset)
    trigger = {"type": "meter", "meterId": meter, "meterInterval": 250, "meterAnchor": 1000}
    plan = create_plan(tenant, asset, trigger=trigger)
    assert plan["trigger"] == trigger
    assert due(tenant, plan["id"])["data"] == []  # no reading yet

    plant.reading(meter, 900, "2026-01-05T08:00:00Z")
    assert due(tenant, plan["id"])["data"] == []
    plant.reading(meter, 1600.5, "2026-02-05T08:00:00Z")
    page = due(tenant, plan["id"])
    assert page["data"] == [
        {"occurrence": 0, "dueAt": None, "dueMeter": 1000, "reason": "meter"},
        {"occurrence": 1, "dueAt": None, "dueMeter": 1250, "reason": "meter"},
        {"occurrence": 2, "dueAt": None, "dueMeter": 1500, "reason": "meter"},
    ]
    assert page["hasMore"] is False


def test_preview_of_calendar_or_meter(plant: Plant) -> None:
    tenant = plant.tenant
    asset = plant.asset()
    meter = plant.meter(asset)
    trigger = {
        "type": "calendar_or_meter",
        "intervalCount": 3,
        "intervalUnit": "month",
        "anchorAt": "2026-01-01T08:00:00Z",
        "meterId": meter,
        "meterInterval": 250,
        "meterAnchor": 250,
    }
    plan = create_plan(tenant, asset, trigger=trigger)
    assert (plan["nextDueAt"], plan["nextDueMeter"]) == ("2026-01-01T08:00:00Z", 250)
    plant.reading(meter, 800, "2026-02-15T00:00:00Z")
    page = due(tenant, plan["id"], until="2026-05-01T00:00:00Z")
    assert [(o["occurrence"], o["reason"], o["dueAt"], o["dueMeter"]) for o in page["data"]] == [
        (0, "calendar", "2026-01-01T08:00:00Z", 250),
        (1, "meter", "2026-04-01T08:00:00Z", 500),
        (2, "meter", "2026-07-01T08:00:00Z", 750),
    ]


def test_floating_plan_waits_for_its_open_work_order(plant: Plant) -> None:
    tenant = plant.tenant
    trigger = {
        "type": "calendar_floating",
        "intervalCount": 10,
        "intervalUnit": "day",
        "anchorAt": "2026-01-10T09:00:00Z",
    }
    plan = create_plan(tenant, plant.asset(), trigger=trigger)
    far = "2099-01-01T00:00:00Z"
    assert due(tenant, plan["id"], until=far)["data"] == [
        {"occurrence": 0, "dueAt": "2026-01-10T09:00:00Z", "dueMeter": None, "reason": "calendar"}
    ]
    # The generator makes occurrence 0's work order (the real path, asked for now).
    generated = tenant.post(f"/v1/pm-plans/{plan['id']}/generate")
    assert generated.status_code == 201, generated.text
    work_order = generated.json()
    assert (work_order["pmPlanId"], work_order["pmOccurrence"]) == (plan["id"], 0)
    assert due(tenant, plan["id"], until=far)["data"] == []  # open: nothing more is due
    touched = tenant.patch(f"/v1/pm-plans/{plan['id']}", json={"name": "Floating"}).json()
    assert touched["nextDueAt"] is None

    done = tenant.patch(f"/v1/work-orders/{work_order['id']}", json={"status": "complete"})
    assert done.status_code == 200, done.text
    completed_at = datetime.fromisoformat(done.json()["completedAt"])
    page = due(tenant, plan["id"], until=far)["data"]
    assert [o["occurrence"] for o in page] == [1]
    assert datetime.fromisoformat(page[0]["dueAt"]) == completed_at + timedelta(days=10)


def test_until_must_be_a_timestamp(plant: Plant) -> None:
    plan = create_plan(plant.tenant, plant.asset())
    response = plant.tenant.get(f"/v1/pm-plans/{plan['id']}/due", params={"until": "soon"})
    assert response.status_code == 400
    response = plant.tenant.get(f"/v1/pm-plans/{plan['id']}/due", params={"limit": 0})
    assert response.status_code == 400


def test_dates_at_the_edges_of_the_calendar(make_plant: Callable[..., Plant]) -> None:
    plant = make_plant(time_zone="Asia/Kolkata")
    tenant, asset = plant.tenant, plant.asset()
    for anchor in ("0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"):
        response = tenant.post(
            "/v1/pm-plans", json=plan_body(asset, trigger={**MONTHLY, "anchorAt": anchor})
        )
        assert pointers(response) == ["/trigger/anchorAt"]
    # 9999-12-31T23:00Z is already year 10000 in Kolkata: the series simply ends.
    last = create_plan(tenant, asset, trigger={**MONTHLY, "anchorAt": "9999-12-31T23:00:00Z"})
    assert last["nextDueAt"] == "9999-12-31T23:00:00Z"
    page = due(tenant, last["id"], until="9999-12-31T23:59:59-01:00")
    assert [o["dueAt"] for o in page["data"]] == ["9999-12-31T23:00:00Z"]
    first = create_plan(tenant, asset, trigger={**MONTHLY, "anchorAt": "0001-01-01T00:00:00Z"})
    # `until` is compared exactly, even before 0001-01-01T00:00:00Z.
    assert due(tenant, first["id"], until="0001-01-01T00:00:00+01:00")["data"] == []
    assert len(due(tenant, first["id"], until="0001-01-01T00:00:00Z")["data"]) == 1


# ---------------------------------------------------------------- cross-tenant attacks


def test_other_tenant_cannot_see_or_touch_a_plan(make_plant: Callable[..., Plant]) -> None:
    a, b = make_plant(), make_plant()
    plan = create_plan(a.tenant, a.asset(), trigger={**MONTHLY, "anchorAt": "2025-01-01T00:00:00Z"})
    url = f"/v1/pm-plans/{plan['id']}"
    for response in (
        b.tenant.get(url),
        b.tenant.patch(url, json={"name": "Mine now"}),
        b.tenant.patch(url, json={"active": False}, headers={"If-Match": "*"}),
        b.tenant.delete(url),
        b.tenant.get(f"{url}/due"),
    ):
        assert response.status_code == 404, response.text
        assert response.headers["content-type"] == PROBLEM
    assert b.tenant.get("/v1/pm-plans").json()["data"] == []
    assert b.tenant.get(f"/v1/pm-plans?assetId={plan['assetId']}").json()["data"] == []
    # Untouched for its owner.
    assert a.tenant.get(url).json() == plan


def test_other_tenant_cannot_reference_my_items(make_plant: Callable[..., Plant]) -> None:
    a, b = make_plant(), make_plant()
    a_asset = a.asset()
    a_meter = a.meter(a_asset)
    a_code = a.task_code()
    a_user = a.tenant.create_user()["id"]
    a_category = a.category()
    b_asset = b.asset()

    def attempt(body: dict[str, Any]) -> list[str]:
        response = b.tenant.post("/v1/pm-plans", json=body)
        assert response.json()["code"] == "invalid_reference", response.text
        return pointers(response)

    assert attempt(plan_body(a_asset)) == ["/assetId"]
    assert attempt(plan_body(None, assetCategoryId=a_category)) == ["/assetCategoryId"]
    assert attempt(plan_body(b_asset, workOrderTemplate={"title": "x", "taskCodeId": a_code})) == [
        "/workOrderTemplate/taskCodeId"
    ]
    assert attempt(plan_body(b_asset, workOrderTemplate={"title": "x", "assigneeId": a_user})) == [
        "/workOrderTemplate/assigneeId"
    ]
    meter_trigger = {"type": "meter", "meterId": a_meter, "meterInterval": 1, "meterAnchor": 0}
    assert attempt(plan_body(b_asset, trigger=meter_trigger)) == ["/trigger/meterId"]
    # Nor through an update of its own plan.
    plan = create_plan(b.tenant, b_asset)
    response = b.tenant.patch(
        f"/v1/pm-plans/{plan['id']}",
        json={"workOrderTemplate": {"title": "x", "assigneeId": a_user}},
    )
    assert pointers(response) == ["/workOrderTemplate/assigneeId"]
    response = b.tenant.patch(f"/v1/pm-plans/{plan['id']}", json={"trigger": meter_trigger})
    assert pointers(response) == ["/trigger/meterId"]
    assert b.tenant.get("/v1/pm-plans").json()["data"] == [plan]
