"""People: created on first use from the token, managed by admins, refused when inactive."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from maintrac.api.security import mint_token
from tests.conftest import TEST_SECRET, Tenant


def _token_with_profile(tenant: Tenant, subject: str, **claims: Any) -> dict[str, str]:
    token = mint_token(
        TEST_SECRET,
        subject=subject,
        tenant_id=tenant.id,
        role="technician",
        permissions=["work_orders:read", "users:read"],
        **claims,
    )
    return {"Authorization": f"Bearer {token}"}


def test_first_request_creates_the_caller(tenant: Tenant) -> None:
    subject = f"user_{uuid.uuid4().hex[:8]}"
    headers = _token_with_profile(tenant, subject, name="Dana Whitfield", email="dana@example.com")
    me = tenant.http.get("/v1/users/me", headers=headers)
    assert me.status_code == 200, me.text
    body = me.json()
    assert body["externalId"] == subject
    assert body["displayName"] == "Dana Whitfield"
    assert body["email"] == "dana@example.com"
    assert body["role"] == "technician"
    assert uuid.UUID(body["id"]).version == 7
    # The same subject is the same user on every later request.
    again = tenant.http.get("/v1/users/me", headers=headers).json()
    assert again["id"] == body["id"]
    listed = tenant.get("/v1/users").json()["data"]
    assert [u["id"] for u in listed].count(body["id"]) == 1


def test_admin_created_user_is_claimed_by_email(tenant: Tenant) -> None:
    created = tenant.create_user(displayName="Sam Ortiz", email="Sam@Example.com")
    assert created["externalId"] is None
    headers = _token_with_profile(tenant, "user_sam", email="sam@example.com", email_verified=True)
    me = tenant.http.get("/v1/users/me", headers=headers).json()
    assert me["id"] == created["id"]
    assert me["externalId"] == "user_sam"


def test_an_unverified_email_claims_nobody(tenant: Tenant) -> None:
    """A token whose e-mail the identity provider does not vouch for cannot take over an
    administrator-created record with that address."""
    boss = tenant.create_user(displayName="Plant Manager", email="boss@plant.example")
    headers = _token_with_profile(tenant, "someone_else", email="BOSS@plant.example")
    me = tenant.http.get("/v1/users/me", headers=headers).json()
    assert me["id"] != boss["id"]
    assert me["email"] is None  # the address stays with the manager's record
    assert tenant.get(f"/v1/users/{boss['id']}").json()["externalId"] is None


def test_deactivated_user_is_refused(tenant: Tenant) -> None:
    headers = _token_with_profile(tenant, "user_leaver")
    me = tenant.http.get("/v1/users/me", headers=headers).json()
    off = tenant.patch(f"/v1/users/{me['id']}", json={"active": False})
    assert off.status_code == 200
    refused = tenant.http.get("/v1/work-orders", headers=headers)
    assert refused.status_code == 403
    assert refused.json()["code"] == "user_inactive"
    tenant.patch(f"/v1/users/{me['id']}", json={"active": True})
    assert tenant.http.get("/v1/work-orders", headers=headers).status_code == 200


def test_user_crud_etag_and_duplicates(tenant: Tenant) -> None:
    created = tenant.post("/v1/users", json={"displayName": "Kim Lee", "email": "kim@example.com"})
    assert created.status_code == 201
    assert created.headers["location"] == f"/v1/users/{created.json()['id']}"
    assert created.headers["etag"] == '"1"'
    url = created.headers["location"]
    stale = tenant.patch(url, json={"role": "planner"}, headers={"If-Match": '"0"'})
    assert stale.status_code == 412
    assert stale.json()["code"] == "precondition_failed"
    ok = tenant.patch(url, json={"role": "planner"}, headers={"If-Match": '"1"'})
    assert ok.status_code == 200
    assert ok.headers["etag"] == '"2"'
    dup = tenant.post("/v1/users", json={"displayName": "Other", "email": "KIM@example.com"})
    assert dup.status_code == 409
    assert dup.json()["code"] == "duplicate"
    assert tenant.delete(url).status_code == 204
    assert tenant.get(url).status_code == 404


def test_users_are_per_tenant(make_tenant: Callable[..., Tenant]) -> None:
    a, b = make_tenant(), make_tenant()
    alex = a.create_user()
    for response in (
        b.get(f"/v1/users/{alex['id']}"),
        b.patch(f"/v1/users/{alex['id']}", json={"active": False}),
        b.delete(f"/v1/users/{alex['id']}"),
    ):
        assert response.status_code == 404
    assert alex["id"] not in [u["id"] for u in b.get("/v1/users").json()["data"]]
    # B cannot assign its work order to A's user: the composite key refuses it.
    refused = b.post("/v1/work-orders", json={"title": "x", "assigneeId": alex["id"]})
    assert refused.status_code == 422, refused.text
    assert refused.json()["code"] == "invalid_reference", refused.text
    assert refused.json().get("errors") == [
        {"pointer": "/assigneeId", "detail": "Does not exist in your tenant."}
    ]
    assert b.get("/v1/work-orders").json()["data"] == []


def test_a_user_cannot_lock_themselves_out(tenant: Tenant) -> None:
    me = tenant.me()
    url = f"/v1/users/{me['id']}"
    for response in (tenant.patch(url, json={"active": False}), tenant.delete(url)):
        assert response.status_code == 409
        assert response.json()["code"] == "self_lockout"
    # Deleting yourself is refused whatever If-Match says (RFC 9110, 13.2.1: the refusal
    # precedes the precondition), a stale ETag included.
    stale = tenant.delete(url, headers={"If-Match": '"999"'})
    assert stale.status_code == 409, stale.text
    assert stale.json()["code"] == "self_lockout"
    assert tenant.get("/v1/users/me").status_code == 200
