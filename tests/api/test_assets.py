"""Assets over real HTTP: the hierarchy, its rules, filters, and attacks from another tenant."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Any

import psycopg
import pytest

from maintrac.core.assets import NewAsset
from maintrac.db.assets import descendant_ids
from maintrac.services import assets as asset_service
from maintrac.services.runtime import Runtime
from tests.conftest import DatabaseUrls, Tenant

PROBLEM = "application/problem+json"


def _asset(tenant: Tenant, name: str, **fields: Any) -> dict[str, Any]:
    return tenant.create("/v1/assets", {"name": name, **fields})


def _category(tenant: Tenant, code: str) -> dict[str, Any]:
    return tenant.create("/v1/asset-categories", {"code": code, "name": f"Category {code}"})


def _ids(tenant: Tenant, query: str = "") -> list[str]:
    response = tenant.get(f"/v1/assets?limit=200&{query}")
    assert response.status_code == 200, response.text
    return [a["id"] for a in response.json()["data"]]


def _tree(tenant: Tenant) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """site > building > equipment."""
    site = _asset(tenant, "North site", code="SITE-N")
    building = _asset(tenant, "Building 1", parentId=site["id"], code="BLD-1")
    equipment = _asset(tenant, "Boiler 2", parentId=building["id"], code="BLR-002")
    return site, building, equipment


def _assert_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    problem: dict[str, Any] = response.json()
    assert problem["code"] == code
    return problem


def test_create_get_update_delete(tenant: Tenant) -> None:
    category = _category(tenant, "BOILER")
    created = tenant.post(
        "/v1/assets",
        json={
            "name": "  Boiler 2 ",
            "code": "BLR-002",
            "categoryId": category["id"],
            "location": "Plant room B, level -1",
            "serialNumber": "SN-88123",
            "manufacturer": "Viessmann",
            "model": "Vitoplex 200",
            "description": "Gas-fired, 1.2 MW.",
        },
    )
    assert created.status_code == 201, created.text
    body = created.json()
    url = f"/v1/assets/{body['id']}"
    assert created.headers["location"] == url
    assert created.headers["etag"] == '"1"'
    assert uuid.UUID(body["id"]).version == 7
    assert body["name"] == "Boiler 2"
    assert body["status"] == "in_service"
    assert body["parentId"] is None
    assert body["categoryId"] == category["id"]
    assert body["serialNumber"] == "SN-88123"

    got = tenant.get(url)
    assert got.json() == body
    assert got.headers["etag"] == '"1"'

    patched = tenant.patch(
        url,
        json={"status": "down", "categoryId": None, "code": None, "location": None},
        headers={"If-Match": '"1"'},
    )
    assert patched.status_code == 200, patched.text
    assert patched.headers["etag"] == '"2"'
    changed = patched.json()
    assert (changed["status"], changed["categoryId"], changed["code"]) == ("down", None, None)
    assert changed["location"] is None
    assert changed["model"] == "Vitoplex 200"
    assert changed["updatedAt"] > body["updatedAt"]
    assert tenant.get(url).json() == changed

    unchanged = tenant.patch(url, json={"status": "down"})
    assert unchanged.headers["etag"] == '"2"'

    assert tenant.delete(url, headers={"If-Match": '"2"'}).status_code == 204
    for response in (tenant.get(url), tenant.patch(url, json={"name": "x"}), tenant.delete(url)):
        _assert_problem(response, 404, "not_found")
    assert _ids(tenant) == []


def test_stale_if_match_is_412_and_changes_nothing(tenant: Tenant) -> None:
    asset = _asset(tenant, "Pump P-101")
    url = f"/v1/assets/{asset['id']}"
    tenant.patch(url, json={"name": "Pump P-101A"})
    current = tenant.get(url).json()
    stale = tenant.patch(url, json={"status": "retired"}, headers={"If-Match": '"1"'})
    assert _assert_problem(stale, 412, "precondition_failed")["currentEtag"] == '"2"'
    _assert_problem(tenant.delete(url, headers={"If-Match": '"1"'}), 412, "precondition_failed")
    assert tenant.get(url).json() == current


def test_hierarchy_and_filters(tenant: Tenant) -> None:
    boilers, pumps = _category(tenant, "BOILER"), _category(tenant, "PUMP")
    site, building, boiler = _tree(tenant)
    tenant.patch(f"/v1/assets/{boiler['id']}", json={"categoryId": boilers["id"]})
    pump = _asset(
        tenant, "Pump P-1", parentId=building["id"], categoryId=pumps["id"], status="down"
    )
    other_site = _asset(tenant, "South site", status="retired")
    assert building["parentId"] == site["id"]
    assert boiler["parentId"] == building["id"]

    # Newest first.
    everything = [other_site["id"], pump["id"], boiler["id"], building["id"], site["id"]]
    assert _ids(tenant) == everything
    assert _ids(tenant, f"parentId={site['id']}") == [building["id"]]
    assert _ids(tenant, f"parentId={building['id']}") == [pump["id"], boiler["id"]]
    assert _ids(tenant, f"parentId={boiler['id']}") == []
    assert _ids(tenant, f"parentId={uuid.uuid4()}") == []
    assert _ids(tenant, "root=true") == [other_site["id"], site["id"]]
    assert _ids(tenant, "root=false") == [pump["id"], boiler["id"], building["id"]]
    assert _ids(tenant, f"categoryId={boilers['id']}") == [boiler["id"]]
    assert _ids(tenant, f"categoryId={pumps['id']}&parentId={building['id']}") == [pump["id"]]
    assert _ids(tenant, "status=down") == [pump["id"]]
    assert _ids(tenant, "status=down&status=retired") == [other_site["id"], pump["id"]]
    assert _ids(tenant, "status=in_service&root=true") == [site["id"]]
    assert _ids(tenant, f"root=true&parentId={site['id']}") == []

    seen: list[str] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = tenant.get("/v1/assets", params=params).json()
        seen.extend(a["id"] for a in page["data"])
        if not page["hasMore"]:
            assert page["nextCursor"] is None
            break
        cursor = page["nextCursor"]
    assert seen == everything


@pytest.mark.parametrize(
    "query",
    ["parentId=42", "categoryId=x", "root=maybe", "status=broken", "cursor=garbage", "limit=201"],
)
def test_bad_list_parameters_are_400(tenant: Tenant, query: str) -> None:
    response = tenant.get(f"/v1/assets?{query}")
    assert response.status_code == 400, response.text


def test_moves_keep_the_hierarchy_a_tree(tenant: Tenant) -> None:
    site, building, equipment = _tree(tenant)
    before = {a["id"]: tenant.get(f"/v1/assets/{a['id']}").json() for a in (site, building)}
    for mover, target in (
        (site, site),  # itself
        (site, building),  # its child
        (site, equipment),  # its grandchild
        (building, equipment),  # its child
        (building, building),
    ):
        response = tenant.patch(
            f"/v1/assets/{mover['id']}", json={"parentId": target["id"], "name": "Moved"}
        )
        problem = _assert_problem(response, 409, "asset_hierarchy_cycle")
        assert problem["type"] == "/problems/asset-hierarchy-cycle"
    for asset_id, asset in before.items():
        assert tenant.get(f"/v1/assets/{asset_id}").json() == asset

    # Legal moves: equipment straight under the site, the building to the top.
    moved = tenant.patch(f"/v1/assets/{equipment['id']}", json={"parentId": site["id"]})
    assert moved.status_code == 200, moved.text
    assert moved.json()["parentId"] == site["id"]
    top = tenant.patch(f"/v1/assets/{building['id']}", json={"parentId": None})
    assert top.json()["parentId"] is None
    # Now the site may go under the building: it is no longer the building's ancestor.
    assert (
        tenant.patch(f"/v1/assets/{site['id']}", json={"parentId": building["id"]}).json()[
            "parentId"
        ]
        == building["id"]
    )
    assert _ids(tenant, "root=true") == [building["id"]]


def test_delete_with_live_children_is_409(tenant: Tenant) -> None:
    site, building, equipment = _tree(tenant)
    for parent in (site, building):
        problem = _assert_problem(
            tenant.delete(f"/v1/assets/{parent['id']}"), 409, "asset_has_children"
        )
        assert problem["type"] == "/problems/asset-has-children"
        assert tenant.get(f"/v1/assets/{parent['id']}").status_code == 200

    assert tenant.delete(f"/v1/assets/{equipment['id']}").status_code == 204
    assert tenant.delete(f"/v1/assets/{building['id']}").status_code == 204
    # A child moved away no longer holds its parent.
    child = _asset(tenant, "Annex", parentId=site["id"])
    tenant.patch(f"/v1/assets/{child['id']}", json={"parentId": None})
    assert tenant.delete(f"/v1/assets/{site['id']}").status_code == 204
    assert _ids(tenant) == [child["id"]]


def test_references_must_be_live_items_of_the_tenant(tenant: Tenant) -> None:
    site = _asset(tenant, "Site")
    gone = _asset(tenant, "Demolished")
    tenant.delete(f"/v1/assets/{gone['id']}")
    category = _category(tenant, "OLD")
    tenant.delete(f"/v1/asset-categories/{category['id']}")

    for body, field in (
        ({"parentId": str(uuid.uuid4())}, "parentId"),
        ({"parentId": gone["id"]}, "parentId"),
        ({"categoryId": str(uuid.uuid4())}, "categoryId"),
        ({"categoryId": category["id"]}, "categoryId"),
    ):
        created = tenant.post("/v1/assets", json={"name": "Orphan", **body})
        problem = _assert_problem(created, 422, "invalid_reference")
        assert problem["type"] == "/problems/invalid-reference"
        assert problem["errors"] == [
            {"pointer": f"/{field}", "detail": "Does not exist in your tenant."}
        ]
        patched = tenant.patch(f"/v1/assets/{site['id']}", json=body)
        assert _assert_problem(patched, 422, "invalid_reference")["errors"][0]["pointer"] == (
            f"/{field}"
        )
    assert _ids(tenant) == [site["id"]]
    assert tenant.get(f"/v1/assets/{site['id']}").json()["name"] == "Site"


def test_asset_codes_are_unique_ignoring_case(tenant: Tenant) -> None:
    first = _asset(tenant, "Boiler", code="BLR-1")
    _assert_problem(
        tenant.post("/v1/assets", json={"name": "B", "code": "blr-1"}), 409, "duplicate"
    )
    second = _asset(tenant, "Other boiler", code="BLR-2")
    _assert_problem(
        tenant.patch(f"/v1/assets/{second['id']}", json={"code": "Blr-1"}), 409, "duplicate"
    )
    # Assets without a code do not clash.
    _asset(tenant, "Untagged 1")
    _asset(tenant, "Untagged 2", code=None)
    # Deleting frees the code.
    tenant.delete(f"/v1/assets/{first['id']}")
    assert tenant.patch(f"/v1/assets/{second['id']}", json={"code": "blr-1"}).status_code == 200


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({}, "/name"),
        ({"name": "   "}, "/name"),
        ({"name": "x" * 201}, "/name"),
        ({"name": "ok", "code": "no spaces"}, "/code"),
        ({"name": "ok", "status": "broken"}, "/status"),
        ({"name": "ok", "parentId": "not-a-uuid"}, "/parentId"),
        ({"name": "ok", "location": "x" * 501}, "/location"),
        ({"name": "ok", "version": 3}, "/version"),
    ],
)
def test_invalid_bodies_are_422(tenant: Tenant, body: dict[str, Any], pointer: str) -> None:
    response = tenant.post("/v1/assets", json=body)
    problem = _assert_problem(response, 422, "validation_failed")
    assert pointer in [e["pointer"] for e in problem["errors"]]
    assert _ids(tenant) == []


def test_descendant_ids(
    tenant: Tenant, make_tenant: Callable[..., Tenant], runtime: Runtime
) -> None:
    site, building, equipment = _tree(tenant)
    pump = _asset(tenant, "Pump", parentId=building["id"])
    annex = _asset(tenant, "Annex", parentId=site["id"])
    scrapped = _asset(tenant, "Scrapped", parentId=annex["id"])
    tenant.delete(f"/v1/assets/{scrapped['id']}")
    other = _asset(tenant, "Other site")
    stranger = make_tenant()
    foreign = _asset(stranger, "Foreign site", parentId=None)

    def ids(asset: dict[str, Any] | str) -> set[str]:
        asset_id = uuid.UUID(asset if isinstance(asset, str) else asset["id"])
        with runtime.database.tenant_transaction(tenant.id) as session:
            found = descendant_ids(session, asset_id)
        assert len(found) == len(set(found))
        return {str(i) for i in found}

    assert ids(site) == {a["id"] for a in (site, building, equipment, pump, annex)}
    assert ids(building) == {building["id"], equipment["id"], pump["id"]}
    assert ids(equipment) == {equipment["id"]}
    assert ids(annex) == {annex["id"]}
    assert ids(other) == {other["id"]}
    assert ids(scrapped) == set()
    assert ids(str(uuid.uuid4())) == set()
    assert ids(foreign) == set()
    # Moves are followed.
    tenant.patch(f"/v1/assets/{building['id']}", json={"parentId": other["id"]})
    assert ids(site) == {site["id"], annex["id"]}
    assert ids(other) == {other["id"], building["id"], equipment["id"], pump["id"]}


def test_other_tenant_cannot_see_or_touch(make_tenant: Callable[..., Tenant]) -> None:
    a, b = make_tenant("Plant A"), make_tenant("Plant B")
    site, building, _ = _tree(a)
    category = _category(a, "SECRET")
    a.patch(f"/v1/assets/{building['id']}", json={"categoryId": category["id"]})
    url = f"/v1/assets/{site['id']}"

    assert _ids(b) == []
    assert _ids(b, f"parentId={site['id']}") == []
    assert _ids(b, f"categoryId={category['id']}") == []
    for response in (
        b.get(url),
        b.patch(url, json={"name": "Hijacked"}),
        b.patch(url, json={"parentId": None}),
        b.delete(url),
        b.delete(f"/v1/assets/{building['id']}"),
    ):
        _assert_problem(response, 404, "not_found")
    # A cursor is bound to its tenant: replayed by another tenant it is refused, not
    # answered with an empty page.
    cursor = a.get("/v1/assets?limit=1").json()["nextCursor"]
    _assert_problem(b.get(f"/v1/assets?cursor={cursor}"), 400, "invalid_cursor")


def test_other_tenant_cannot_reference_its_items(
    make_tenant: Callable[..., Tenant], database_urls: DatabaseUrls
) -> None:
    a, b = make_tenant("Plant A"), make_tenant("Plant B")
    a_site = _asset(a, "A site")
    a_category = _category(a, "A-CAT")
    for body, field in (
        ({"parentId": a_site["id"]}, "parentId"),
        ({"categoryId": a_category["id"]}, "categoryId"),
    ):
        created = b.post("/v1/assets", json={"name": "Trojan", **body})
        problem = _assert_problem(created, 422, "invalid_reference")
        assert problem["errors"][0]["pointer"] == f"/{field}"
    # Nothing was created, seen from outside RLS.
    with psycopg.connect(database_urls.admin.replace("+psycopg", "")) as conn:
        row = conn.execute("SELECT count(*) FROM assets WHERE tenant_id = %s", (b.id,)).fetchone()
    assert row == (0,)

    own = _asset(b, "B site")
    for body, field in (
        ({"parentId": a_site["id"]}, "parentId"),
        ({"categoryId": a_category["id"]}, "categoryId"),
    ):
        moved = b.patch(f"/v1/assets/{own['id']}", json=body)
        assert (
            _assert_problem(moved, 422, "invalid_reference")["errors"][0]["pointer"] == f"/{field}"
        )
    assert b.get(f"/v1/assets/{own['id']}").json() == own
    # And A's tree is untouched.
    assert _ids(a) == [a_site["id"]]
    assert a.get(f"/v1/assets/{a_site['id']}").json() == a_site


def _in_background(call: Callable[[], Any]) -> tuple[threading.Thread, list[Any]]:
    out: list[Any] = []
    thread = threading.Thread(target=lambda: out.append(call()), daemon=True)
    thread.start()
    return thread, out


def test_concurrent_moves_cannot_make_a_cycle(tenant: Tenant, runtime: Runtime) -> None:
    """A > A1 and B > B1: moving A under B1 while B moves under A1 would close a loop
    through rows neither move locks; the tenant's hierarchy lock makes the second wait."""
    a = _asset(tenant, "A")
    a1 = _asset(tenant, "A1", parentId=a["id"])
    b = _asset(tenant, "B")
    b1 = _asset(tenant, "B1", parentId=b["id"])
    with runtime.database.tenant_transaction(tenant.id) as session:
        asset_service.update_asset(session, uuid.UUID(a["id"]), {"parent_id": uuid.UUID(b1["id"])})
        thread, out = _in_background(
            lambda: tenant.patch(f"/v1/assets/{b['id']}", json={"parentId": a1["id"]})
        )
        thread.join(timeout=1.0)
        assert thread.is_alive(), "the second move did not wait"
    thread.join(timeout=20)
    _assert_problem(out[0], 409, "asset_hierarchy_cycle")
    assert tenant.get(f"/v1/assets/{a['id']}").json()["parentId"] == b1["id"]
    assert tenant.get(f"/v1/assets/{b['id']}").json()["parentId"] is None


def test_delete_waits_for_a_child_being_added(tenant: Tenant, runtime: Runtime) -> None:
    site = _asset(tenant, "Site")
    with runtime.database.tenant_transaction(tenant.id) as session:
        asset_service.create_asset(
            session, NewAsset(name="New child", parent_id=uuid.UUID(site["id"]))
        )
        thread, out = _in_background(lambda: tenant.delete(f"/v1/assets/{site['id']}"))
        thread.join(timeout=1.0)
        assert thread.is_alive(), "the delete did not wait"
    thread.join(timeout=20)
    _assert_problem(out[0], 409, "asset_has_children")


def test_child_cannot_be_added_under_an_asset_being_deleted(
    tenant: Tenant, runtime: Runtime
) -> None:
    site = _asset(tenant, "Site")
    with runtime.database.tenant_transaction(tenant.id) as session:
        asset_service.delete_asset(session, uuid.UUID(site["id"]))
        thread, out = _in_background(
            lambda: tenant.post("/v1/assets", json={"name": "Late", "parentId": site["id"]})
        )
        thread.join(timeout=1.0)
        assert thread.is_alive(), "the create did not wait"
    thread.join(timeout=20)
    _assert_problem(out[0], 422, "invalid_reference")
    assert _ids(tenant) == []
