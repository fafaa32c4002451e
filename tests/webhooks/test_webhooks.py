"""Webhooks end to end: the API, a real worker and relay (subprocesses), a real Redis and
a real HTTP receiver. Signatures are verified with the PyPI ``standardwebhooks`` package,
and every body received is validated against the spec's top-level ``webhooks`` schemas."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from maintrac.config import get_settings
from tests.conftest import Tenant
from tests.jobs.conftest import Processes, wait_for
from tests.webhooks.conftest import FAST_RETRIES, private_targets, validate_against_spec
from tests.webhooks.receiver import Receiver

ALL_TYPES = [
    "work_order.created",
    "work_order.updated",
    "work_order.status_changed",
    "work_order.assigned",
    "pm_plan.work_order_generated",
    "meter.reading_recorded",
]


def _start(processes: Processes, **env: str) -> None:
    settings = {**FAST_RETRIES, **env}
    processes.start("relay", **settings)
    processes.worker("w1", **settings)


def _endpoint(tenant: Tenant, url: str, types: list[str] | None = None) -> dict[str, Any]:
    return tenant.create("/v1/webhook-endpoints", {"url": url, "eventTypes": types or ALL_TYPES})


def _deliveries(tenant: Tenant, endpoint_id: str) -> list[dict[str, Any]]:
    response = tenant.get(f"/v1/webhook-endpoints/{endpoint_id}/deliveries")
    assert response.status_code == 200, response.text
    data: list[dict[str, Any]] = response.json()["data"]
    return data


def _wait(
    processes: Processes, predicate: Callable[[], Any], what: str, timeout: float = 60
) -> Any:
    try:
        return wait_for(predicate, timeout, what)
    except AssertionError:
        raise AssertionError(f"{what}\n{processes.log_text()}") from None


@pytest.mark.usefixtures("allow_private")
def test_events_arrive_signed_valid_and_ordered_by_sequence(
    processes: Processes, receiver: Receiver, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    endpoint = _endpoint(tenant, receiver.url)
    secret = endpoint["secret"]
    assert secret.startswith("whsec_")
    assert tenant.get(f"/v1/webhook-endpoints/{endpoint['id']}").json()["secret"] is None
    _start(processes)

    me = tenant.me()
    order = tenant.create_work_order()
    url = f"/v1/work-orders/{order['id']}"
    assert (
        tenant.patch(url, json={"status": "in_progress", "assigneeId": me["id"]}).status_code == 200
    )
    assert tenant.patch(url, json={"priority": "urgent"}).status_code == 200
    asset = tenant.create("/v1/assets", {"name": "Pump P-101"})
    meter = tenant.create("/v1/meters", {"assetId": asset["id"], "name": "Hours", "unit": "h"})
    tenant.create(f"/v1/meters/{meter['id']}/readings", {"value": 12.5})
    assert tenant.post(f"/v1/webhook-endpoints/{endpoint['id']}/test").status_code == 202

    _wait(processes, lambda: receiver.count() >= 6, "six deliveries")
    received = receiver.snapshot()
    events = []
    for request in received:
        Webhook(secret).verify(request.body, request.headers)
        with pytest.raises(WebhookVerificationError):
            Webhook("whsec_" + "A" * 44).verify(request.body, request.headers)
        event = validate_against_spec(request.body)
        assert request.headers["webhook-id"] == event["id"]
        assert event["tenantId"] == str(tenant.id)
        events.append(event)
    assert sorted(e["type"] for e in events) == sorted(
        [
            "work_order.created",
            "work_order.status_changed",
            "work_order.assigned",
            "work_order.updated",
            "meter.reading_recorded",
            "ping",
        ]
    )
    of_order = sorted(
        (e for e in events if e["type"].startswith("work_order.")),
        key=lambda e: e["data"]["sequence"],
    )
    assert [e["type"] for e in of_order] == [
        "work_order.created",
        "work_order.status_changed",
        "work_order.assigned",
        "work_order.updated",
    ]
    assert [e["data"]["sequence"] for e in of_order] == [1, 2, 3, 4]
    assert of_order[-1]["data"]["workOrder"]["priority"] == "urgent"

    deliveries = _wait(
        processes,
        lambda: (
            (d := _deliveries(tenant, endpoint["id"]))
            and len(d) == 6
            and all(x["status"] == "succeeded" for x in d)
            and d
        ),
        "six succeeded deliveries",
    )
    assert all(d["attempts"][0]["statusCode"] == 200 for d in deliveries)
    assert receiver.count() == 6  # nothing twice

    # Rotation: for 24 h both secrets sign, so a receiver can switch without a gap.
    rotated = tenant.post(f"/v1/webhook-endpoints/{endpoint['id']}/rotate-secret")
    assert rotated.status_code == 200, rotated.text
    new_secret = rotated.json()["secret"]
    assert new_secret.startswith("whsec_")
    assert new_secret != secret
    tenant.post(f"/v1/webhook-endpoints/{endpoint['id']}/test")
    _wait(processes, lambda: receiver.count() >= 7, "the ping after rotation")
    last = receiver.snapshot()[-1]
    assert len(last.headers["webhook-signature"].split(" ")) == 2
    Webhook(new_secret).verify(last.body, last.headers)
    Webhook(secret).verify(last.body, last.headers)


@pytest.mark.usefixtures("allow_private")
def test_retries_after_500_and_after_a_timeout_then_succeeds(
    processes: Processes, receiver: Receiver, make_tenant: Callable[..., Tenant]
) -> None:
    answers = {1: (500, 0.0), 2: (200, 3.0)}  # a 500, then an answer slower than the 1 s timeout
    receiver.answer = lambda n: answers.get(n, (200, 0.0))
    tenant = make_tenant()
    endpoint = _endpoint(tenant, receiver.url, ["work_order.created"])
    _start(processes)
    tenant.create_work_order(title="retried")

    (delivery,) = _wait(
        processes,
        lambda: (d := _deliveries(tenant, endpoint["id"])) and d[0]["status"] == "succeeded" and d,
        "the delivery to succeed on its third attempt",
    )
    codes = [a["statusCode"] for a in delivery["attempts"]]
    assert codes == [500, None, 200], delivery
    assert "HTTP 500" in delivery["attempts"][0]["error"]
    assert "Timed out" in delivery["attempts"][1]["error"]
    assert delivery["attempts"][2]["error"] is None
    assert delivery["nextRetryAt"] is None
    ids = {r.headers["webhook-id"] for r in receiver.snapshot()}
    assert ids == {delivery["eventId"]}  # one event id on every attempt: receivers dedupe


@pytest.mark.usefixtures("allow_private")
def test_an_endpoint_failing_continuously_is_disabled_and_a_failed_delivery_can_be_retried(
    processes: Processes, receiver: Receiver, make_tenant: Callable[..., Tenant]
) -> None:
    healthy = {"now": False}
    receiver.answer = lambda _n: (200, 0.0) if healthy["now"] else (503, 0.0)
    tenant = make_tenant()
    endpoint = _endpoint(tenant, receiver.url, ["work_order.created"])
    _start(processes, WEBHOOKS_DISABLE_AFTER_SECONDS="2", WEBHOOKS_RETRY_WINDOW_SECONDS="60")
    tenant.create_work_order(title="never answered")
    url = f"/v1/webhook-endpoints/{endpoint['id']}"

    disabled = _wait(
        processes,
        lambda: (e := tenant.get(url).json()) and not e["enabled"] and e,
        "the endpoint to be disabled",
    )
    assert "HTTP 503" in disabled["disabledReason"]
    assert disabled["disabledAt"] is not None
    (delivery,) = _wait(
        processes,
        lambda: (d := _deliveries(tenant, endpoint["id"])) and d[0]["status"] == "failed" and d,
        "the delivery to fail",
    )
    assert len(delivery["attempts"]) >= 2
    retry = f"{url}/deliveries/{delivery['id']}/retry"
    refused = tenant.post(retry)
    assert refused.status_code == 409, refused.text
    assert refused.json()["code"] == "webhook_delivery_not_retryable"

    healthy["now"] = True
    assert tenant.patch(url, json={"enabled": True}).json()["disabledReason"] is None
    retried = tenant.post(retry)
    assert retried.status_code == 202, retried.text
    assert retried.json()["status"] == "pending"
    (done,) = _wait(
        processes,
        lambda: (d := _deliveries(tenant, endpoint["id"])) and d[0]["status"] == "succeeded" and d,
        "the retried delivery to succeed",
    )
    assert done["attempts"][-1]["statusCode"] == 200
    assert tenant.post(retry).status_code == 409  # succeeded: nothing to retry


@pytest.mark.usefixtures("allow_private")
def test_delivery_time_check_refuses_a_private_target_without_the_flag(
    processes: Processes, receiver: Receiver, make_tenant: Callable[..., Tenant]
) -> None:
    """Saved while private targets were allowed; the worker, without the flag, re-checks
    the resolved address before connecting (as it would after a DNS change) and refuses."""
    tenant = make_tenant()
    endpoint = _endpoint(tenant, receiver.url)
    _start(processes, WEBHOOKS_ALLOW_PRIVATE="false")
    tenant.post(f"/v1/webhook-endpoints/{endpoint['id']}/test")
    (delivery,) = _wait(
        processes,
        lambda: (d := _deliveries(tenant, endpoint["id"])) and d[0]["attempts"] and d,
        "the first attempt",
    )
    assert "Refused target" in delivery["attempts"][0]["error"], delivery
    assert delivery["attempts"][0]["statusCode"] is None
    assert receiver.count() == 0


def test_the_api_refuses_plain_http_and_private_targets_without_the_flag(
    tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without WEBHOOKS_ALLOW_PRIVATE (production): https and public addresses only."""
    private_targets(monkeypatch, allowed=False)
    for url in (
        "http://example.com/hooks",
        "https://127.0.0.1/hooks",
        "https://localhost/hooks",
        "https://10.1.2.3/hooks",
        "https://192.168.0.10/hooks",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hooks",
        "https://[::ffff:127.0.0.1]/hooks",
        "https://user:pw@example.com/hooks",
        "https://no-such-host.invalid/hooks",
    ):
        response = tenant.post(
            "/v1/webhook-endpoints", json={"url": url, "eventTypes": ["work_order.created"]}
        )
        assert response.status_code == 422, (url, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["errors"][0]["pointer"] == "/url"


@pytest.mark.parametrize(
    ("address", "status"), [("93.184.216.34", 201), ("10.1.2.3", 422), ("127.0.0.1", 422)]
)
def test_webhooks_hosts_stand_in_for_dns_and_are_checked_like_it(
    tenant: Tenant, monkeypatch: pytest.MonkeyPatch, address: str, status: int
) -> None:
    """WEBHOOKS_HOSTS gives a host its addresses without DNS (a deployment whose DNS
    cannot resolve the target): they must still be public."""
    private_targets(monkeypatch, allowed=False)
    monkeypatch.setenv("WEBHOOKS_HOSTS", json.dumps({"Hooks.Example.TEST": [address]}))
    get_settings.cache_clear()
    try:
        response = tenant.post(
            "/v1/webhook-endpoints",
            json={"url": "https://hooks.example.test/in", "eventTypes": ["work_order.created"]},
        )
    finally:
        monkeypatch.delenv("WEBHOOKS_HOSTS")
        get_settings.cache_clear()
    assert response.status_code == status, response.text
    if status == 422:
        assert response.json()["errors"][0]["pointer"] == "/url"


@pytest.mark.usefixtures("allow_private")
def test_endpoint_crud_and_secret_shown_once(tenant: Tenant) -> None:
    created = _endpoint(tenant, "http://127.0.0.1:9/hooks", ["work_order.created"])
    url = f"/v1/webhook-endpoints/{created['id']}"
    listed = tenant.get("/v1/webhook-endpoints").json()
    assert [e["id"] for e in listed["data"]] == [created["id"]]
    assert listed["data"][0]["secret"] is None
    etag = tenant.get(url).headers["etag"]
    patched = tenant.patch(
        url,
        json={"eventTypes": ["work_order.assigned"], "description": "ERP"},
        headers={"If-Match": etag},
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["eventTypes"] == ["work_order.assigned"]
    assert tenant.patch(url, json={"enabled": False}, headers={"If-Match": etag}).status_code == 412
    unknown = tenant.patch(url, json={"eventTypes": ["work_order.exploded"]})
    assert unknown.status_code == 422
    assert tenant.delete(url).status_code == 204
    assert tenant.get(url).status_code == 404
    assert tenant.get("/v1/webhook-endpoints").json()["data"] == []


@pytest.mark.usefixtures("allow_private")
def test_another_tenant_cannot_see_or_touch_an_endpoint_or_its_deliveries(
    make_tenant: Callable[..., Tenant],
) -> None:
    owner, attacker = make_tenant(), make_tenant()
    endpoint = _endpoint(owner, "http://127.0.0.1:9/hooks")
    ping = owner.post(f"/v1/webhook-endpoints/{endpoint['id']}/test").json()
    base = f"/v1/webhook-endpoints/{endpoint['id']}"
    attempts = [
        attacker.get(base),
        attacker.patch(base, json={"url": "http://127.0.0.1:10/x"}),
        attacker.delete(base),
        attacker.post(f"{base}/rotate-secret"),
        attacker.post(f"{base}/test"),
        attacker.get(f"{base}/deliveries"),
        attacker.post(f"{base}/deliveries/{ping['id']}/retry"),
    ]
    assert [r.status_code for r in attempts] == [404] * len(attempts)
    assert attacker.get("/v1/webhook-endpoints").json()["data"] == []
    assert owner.get(base).json()["url"] == "http://127.0.0.1:9/hooks"
    assert len(owner.get(f"{base}/deliveries").json()["data"]) == 1


def test_webhooks_need_the_webhooks_manage_permission(tenant: Tenant) -> None:
    headers = tenant.headers(["work_orders:read", "work_orders:write"])
    response = tenant.http.get("/v1/webhook-endpoints", headers=headers)
    assert response.status_code == 403
    assert json.loads(response.text)["code"] == "permission_denied"
