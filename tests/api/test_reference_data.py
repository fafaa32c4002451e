"""Reference data over real HTTP: asset categories, task codes and GL codes behave alike."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import psycopg
import pytest

from tests.conftest import DatabaseUrls, Tenant

KINDS = ["/v1/asset-categories", "/v1/task-codes", "/v1/gl-codes"]
PROBLEM = "application/problem+json"

pytestmark = pytest.mark.parametrize("path", KINDS)


def _create(tenant: Tenant, path: str, code: str, name: str = "Item", **extra: Any) -> Any:
    return tenant.create(path, {"code": code, "name": name, **extra})


def _codes(tenant: Tenant, path: str, query: str = "") -> list[str]:
    response = tenant.get(f"{path}?limit=200{query}")
    assert response.status_code == 200, response.text
    return [item["code"] for item in response.json()["data"]]


def test_create_get_update_delete(tenant: Tenant, path: str) -> None:
    created = tenant.post(
        path, json={"code": "PUMP", "name": "  Pumps ", "description": "Centrifugal."}
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert created.headers["location"] == f"{path}/{body['id']}"
    assert created.headers["etag"] == '"1"'
    assert uuid.UUID(body["id"]).version == 7
    assert body["code"] == "PUMP"
    assert body["name"] == "Pumps"
    assert body["description"] == "Centrifugal."
    assert body["createdAt"].endswith("Z")
    url = created.headers["location"]

    got = tenant.get(url)
    assert got.status_code == 200
    assert got.json() == body
    assert got.headers["etag"] == '"1"'

    patched = tenant.patch(
        url,
        json={"name": "Pumps and compressors", "description": None},
        headers={"If-Match": '"1"'},
    )
    assert patched.status_code == 200, patched.text
    assert patched.headers["etag"] == '"2"'
    assert patched.json()["name"] == "Pumps and compressors"
    assert patched.json()["description"] is None
    assert patched.json()["code"] == "PUMP"
    assert patched.json()["updatedAt"] > body["updatedAt"]
    assert tenant.get(url).json() == patched.json()

    # Without If-Match the change applies to whatever is current.
    renamed = tenant.patch(url, json={"code": "pumps"})
    assert renamed.status_code == 200
    assert renamed.json()["code"] == "pumps"
    assert renamed.headers["etag"] == '"3"'

    # A change that changes nothing keeps the version.
    same = tenant.patch(url, json={"code": "pumps"}, headers={"If-Match": '"3"'})
    assert same.status_code == 200
    assert same.headers["etag"] == '"3"'

    assert tenant.delete(url, headers={"If-Match": '"3"'}).status_code == 204
    for response in (tenant.get(url), tenant.patch(url, json={"name": "x"}), tenant.delete(url)):
        assert response.status_code == 404, response.text
        assert response.json()["code"] == "not_found"
    assert "pumps" not in _codes(tenant, path)


def test_stale_if_match_is_412_and_changes_nothing(tenant: Tenant, path: str) -> None:
    item = _create(tenant, path, "GEN", "Generators")
    url = f"{path}/{item['id']}"
    assert tenant.patch(url, json={"name": "Gensets"}).headers["etag"] == '"2"'
    current = tenant.get(url).json()

    stale = tenant.patch(url, json={"name": "Lost update"}, headers={"If-Match": '"1"'})
    assert stale.status_code == 412
    assert stale.headers["content-type"] == PROBLEM
    assert stale.json()["code"] == "precondition_failed"
    assert stale.json()["currentEtag"] == '"2"'
    assert tenant.get(url).json() == current

    garbled = tenant.patch(url, json={"name": "Lost update"}, headers={"If-Match": "nonsense"})
    assert garbled.status_code == 412

    refused = tenant.delete(url, headers={"If-Match": '"1"'})
    assert refused.status_code == 412
    assert tenant.get(url).json() == current

    assert tenant.patch(url, json={"name": "Any"}, headers={"If-Match": "*"}).status_code == 200
    assert tenant.delete(url, headers={"If-Match": '"3"'}).status_code == 204


def test_codes_are_unique_ignoring_case_among_live_items(tenant: Tenant, path: str) -> None:
    pump = _create(tenant, path, "PUMP")
    duplicate = tenant.post(path, json={"code": "pump", "name": "Other"})
    assert duplicate.status_code == 409, duplicate.text
    assert duplicate.headers["content-type"] == PROBLEM
    problem = duplicate.json()
    assert problem["type"] == "/problems/duplicate"
    assert problem["code"] == "duplicate"
    assert problem["field"] == "code"

    other = _create(tenant, path, "FAN")
    clash = tenant.patch(f"{path}/{other['id']}", json={"code": "Pump"})
    assert clash.status_code == 409
    assert tenant.get(f"{path}/{other['id']}").json() == other
    assert sorted(_codes(tenant, path)) == ["FAN", "PUMP"]

    # Deleting frees the code.
    assert tenant.delete(f"{path}/{pump['id']}").status_code == 204
    reused = _create(tenant, path, "pump", "Pumps again")
    assert reused["id"] != pump["id"]
    assert tenant.patch(f"{path}/{other['id']}", json={"code": "PUMP"}).status_code == 409


def test_list_by_code_ignoring_case_with_pages_and_search(tenant: Tenant, path: str) -> None:
    names = {
        "delta": "Fourth",
        "Alpha": "First",
        "charlie": "Third item",
        "BRAVO": "Second",
        "echo": "Fifth 100%",
    }
    for code, name in names.items():
        _create(tenant, path, code, name)
    order = ["Alpha", "BRAVO", "charlie", "delta", "echo"]
    assert _codes(tenant, path) == order

    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = tenant.get(path, params=params).json()
        pages += 1
        seen.extend(item["code"] for item in page["data"])
        assert page["hasMore"] == (page["nextCursor"] is not None)
        if not page["hasMore"]:
            break
        cursor = page["nextCursor"]
    assert seen == order
    assert pages == 3

    assert _codes(tenant, path, "&q=LPH") == ["Alpha"]  # code, ignoring case
    assert _codes(tenant, path, "&q=item") == ["charlie"]  # name
    assert _codes(tenant, path, "&q=f") == ["Alpha", "delta", "echo"]  # names
    assert _codes(tenant, path, "&q=%25") == ["echo"]  # % is literal
    assert _codes(tenant, path, "&q=_") == []  # _ is literal
    assert _codes(tenant, path, "&q=zulu") == []
    filtered = tenant.get(path, params={"q": "o", "limit": 1}).json()
    assert [i["code"] for i in filtered["data"]] == ["BRAVO"]
    rest = tenant.get(path, params={"q": "o", "limit": 5, "cursor": filtered["nextCursor"]})
    assert [i["code"] for i in rest.json()["data"]] == ["delta", "echo"]


def test_bad_cursor_and_parameters_are_400(tenant: Tenant, path: str) -> None:
    for query, pointer in (
        ("cursor=garbage", None),
        ("limit=0", "#/query/limit"),
        ("q=", "#/query/q"),
    ):
        response = tenant.get(f"{path}?{query}")
        assert response.status_code == 400, response.text
        if pointer:
            assert [e["pointer"] for e in response.json()["errors"]] == [pointer]
        else:
            assert response.json()["code"] == "invalid_cursor"


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({"name": "No code"}, "/code"),
        ({"code": "PUMP"}, "/name"),
        ({"code": "-PUMP", "name": "Leading dash"}, "/code"),
        ({"code": "A" * 41, "name": "Too long"}, "/code"),
        ({"code": "P U", "name": "Space"}, "/code"),
        ({"code": "PUMP", "name": "   "}, "/name"),
        ({"code": "PUMP", "name": "Pumps", "color": "red"}, "/color"),
    ],
)
def test_invalid_bodies_are_422(
    tenant: Tenant, path: str, body: dict[str, Any], pointer: str
) -> None:
    response = tenant.post(path, json=body)
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "validation_failed"
    assert pointer in [e["pointer"] for e in response.json()["errors"]]
    assert _codes(tenant, path) == []


def test_kinds_are_separate_lists(tenant: Tenant, path: str) -> None:
    item = _create(tenant, path, "SHARED")
    for other in KINDS:
        if other == path:
            continue
        assert _create(tenant, other, "SHARED")["id"] != item["id"]
        assert tenant.get(f"{other}/{item['id']}").status_code == 404
        assert tenant.delete(f"{other}/{item['id']}").status_code == 404
    assert tenant.get(f"{path}/{item['id']}").json() == item


def test_delete_is_soft(tenant: Tenant, path: str, database_urls: DatabaseUrls) -> None:
    item = _create(tenant, path, "OLD")
    assert tenant.delete(f"{path}/{item['id']}").status_code == 204
    table = path.removeprefix("/v1/").replace("-", "_")
    with psycopg.connect(database_urls.admin.replace("+psycopg", "")) as conn:
        row = conn.execute(
            f"SELECT deleted_at FROM {table} WHERE id = %s", (item["id"],)
        ).fetchone()
    assert row is not None
    assert row[0] is not None


def test_other_tenant_cannot_see_or_touch(make_tenant: Callable[..., Tenant], path: str) -> None:
    a, b = make_tenant("Plant A"), make_tenant("Plant B")
    victim = _create(a, path, "SECRET", "Secret item")
    url = f"{path}/{victim['id']}"

    assert _codes(b, path) == []
    assert _codes(b, path, "&q=SECRET") == []
    for response in (
        b.get(url),
        b.patch(url, json={"name": "Hijacked"}),
        b.patch(url, json={"name": "Hijacked"}, headers={"If-Match": '"1"'}),
        b.delete(url),
    ):
        assert response.status_code == 404, response.text
        assert response.json()["code"] == "not_found"

    # A cursor of A's list shows B nothing of A's: it is bound to A, so B's is a 400.
    _create(a, path, "ZZZ")
    cursor = a.get(path, params={"limit": 1}).json()["nextCursor"]
    leaked = b.get(path, params={"cursor": cursor})
    assert leaked.status_code == 400, leaked.text
    assert leaked.json()["code"] == "invalid_cursor"
    assert "data" not in leaked.json()

    # Codes are unique per tenant only.
    assert _create(b, path, "secret")["code"] == "secret"
    assert a.get(url).json() == victim
    assert _codes(a, path) == ["SECRET", "ZZZ"]
