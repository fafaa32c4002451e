"""``notificationPreferences`` on the user resource: on by default, each person changes
their own (``PATCH /v1/users/me``, no permission needed), an administrator anyone's."""

from __future__ import annotations

import uuid
from typing import Any

from tests.conftest import Tenant

ALL_ON = {
    "workOrderAssigned": True,
    "workOrderStatusChanged": True,
    "pmWorkOrderGenerated": True,
    "overdueDigest": True,
}


def test_defaults_on_and_each_person_turns_their_own_off(tenant: Tenant) -> None:
    assert tenant.me()["notificationPreferences"] == ALL_ON
    subject = f"viewer-{uuid.uuid4().hex[:8]}"
    viewer = {"Authorization": f"Bearer {tenant.token(permissions=[], subject=subject)}"}
    changed = tenant.patch(
        "/v1/users/me",
        json={"notificationPreferences": {"overdueDigest": False, "workOrderAssigned": False}},
        headers=viewer,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["notificationPreferences"] == {
        **ALL_ON,
        "overdueDigest": False,
        "workOrderAssigned": False,
    }
    again = tenant.patch(
        "/v1/users/me",
        json={"notificationPreferences": {"overdueDigest": True}},
        headers=viewer,
    )
    assert again.json()["notificationPreferences"] == {**ALL_ON, "workOrderAssigned": False}
    assert tenant.me()["notificationPreferences"] == ALL_ON  # the admin's own are untouched


def test_an_administrator_sets_anyones_and_bad_input_is_a_problem(tenant: Tenant) -> None:
    user = tenant.create_user(displayName="Ola", email="ola@example.test")
    assert user["notificationPreferences"] == ALL_ON
    changed = tenant.patch(
        f"/v1/users/{user['id']}", json={"notificationPreferences": {"pmWorkOrderGenerated": False}}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["notificationPreferences"]["pmWorkOrderGenerated"] is False
    bodies: list[dict[str, Any]] = [
        {"notificationPreferences": {"unknownKind": False}},
        {"notificationPreferences": {}},
        {"notificationPreferences": {"overdueDigest": "no"}},
        {"displayName": "x"},
    ]
    for body in bodies:
        refused = tenant.patch("/v1/users/me", json=body)
        assert refused.status_code in (400, 422), (body, refused.text)
        assert refused.headers["content-type"].startswith("application/problem+json")
