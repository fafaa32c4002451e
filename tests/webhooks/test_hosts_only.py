"""WEBHOOKS_HOSTS_ONLY: an egress allow-list for isolated deployments (the contract-stock
run). Only the hosts in WEBHOOKS_HOSTS resolve; every other host, an IP address too, is
refused as unresolvable, when an endpoint is saved and before an attempt connects, and DNS
is never asked."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from maintrac.config import get_settings
from maintrac.core.ids import new_id
from maintrac.services import webhooks as service
from tests.conftest import Tenant
from tests.webhooks.receiver import Receiver

LISTED = "hooks.example.test"


class _NoDns:
    """Stands in for the service module's ``socket``: a lookup fails the test."""

    SOCK_STREAM = socket.SOCK_STREAM

    @staticmethod
    def getaddrinfo(*args: Any, **_kwargs: Any) -> Any:
        raise AssertionError(f"DNS was asked for {args[0]!r}")


@pytest.fixture
def hosts_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The API in this process: private targets allowed (as in the stock run), LISTED ->
    127.0.0.1, nothing else."""
    monkeypatch.setenv("WEBHOOKS_ALLOW_PRIVATE", "true")
    monkeypatch.setenv("WEBHOOKS_HOSTS", json.dumps({LISTED.upper(): ["127.0.0.1"]}))
    monkeypatch.setenv("WEBHOOKS_HOSTS_ONLY", "true")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def _create(tenant: Tenant, url: str) -> Any:
    return tenant.post(
        "/v1/webhook-endpoints", json={"url": url, "eventTypes": ["work_order.created"]}
    )


@pytest.mark.usefixtures("hosts_only")
def test_only_listed_hosts_are_accepted(tenant: Tenant, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service, "socket", _NoDns)
    assert _create(tenant, f"http://{LISTED}:9/in").status_code == 201
    for url in (
        "http://127.0.0.1:9/in",  # a loopback literal, allowed by WEBHOOKS_ALLOW_PRIVATE alone
        "https://93.184.216.34/in",
        "https://[::1]/in",
        "https://example.org/in",
        "http://localhost:6379/",
        f"https://sub.{LISTED}/in",
    ):
        response = _create(tenant, url)
        assert response.status_code == 422, (url, response.text)
        assert response.json()["errors"][0]["pointer"] == "/url"


def test_without_the_setting_other_hosts_still_resolve(
    tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WEBHOOKS_ALLOW_PRIVATE", "true")
    monkeypatch.setenv("WEBHOOKS_HOSTS", json.dumps({LISTED: ["127.0.0.1"]}))
    get_settings.cache_clear()
    try:
        assert _create(tenant, "http://127.0.0.1:9/in").status_code == 201
        assert _create(tenant, f"http://{LISTED}:9/in").status_code == 201
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def _policy(hosts_only: bool) -> service.Policy:
    return service.Policy(
        allow_private=True,
        hosts={LISTED: ("127.0.0.1",)},
        hosts_only=hosts_only,
        timeout=2,
        retry_base=1,
        retry_max=1,
        retry_window=timedelta(seconds=1),
        disable_after=timedelta(days=1),
        previous_secret=timedelta(hours=1),
    )


def _planned(url: str) -> service.PlannedAttempt:
    return service.PlannedAttempt(
        delivery_id=new_id(),
        endpoint_id=new_id(),
        url=url,
        secrets=("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",),
        message_id="msg_1",
        body=b"{}",
        last=True,
    )


def test_an_attempt_connects_only_to_a_listed_host(
    receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Saved before the setting was on (or before the list changed): the attempt is
    refused without connecting, and without asking DNS."""
    monkeypatch.setattr(service, "socket", _NoDns)
    port = receiver.url.split(":")[2].split("/")[0]
    refused = service.send(_planned(receiver.url), _policy(hosts_only=True))
    assert refused.status_code is None
    assert refused.error is not None
    assert refused.error.startswith("Refused target"), refused.error
    assert receiver.count() == 0

    listed = service.send(_planned(f"http://{LISTED}:{port}/hooks"), _policy(hosts_only=True))
    assert (listed.status_code, listed.error) == (200, None)
    assert receiver.count() == 1
    assert receiver.snapshot()[0].headers["host"] == f"{LISTED}:{port}"

    monkeypatch.undo()
    assert service.send(_planned(receiver.url), _policy(hosts_only=False)).status_code == 200
    assert receiver.count() == 2
