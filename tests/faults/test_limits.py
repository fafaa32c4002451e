"""Request limits over real HTTP: a body over the limit is refused before it is read (by
``Content-Length`` or while a chunked body streams), headers are bounded, and a body that
stops short of its ``Content-Length`` times out with a problem instead of hanging."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from maintrac.api.app import create_app
from maintrac.config import Settings
from maintrac.services.runtime import Runtime
from tests.conftest import Tenant
from tests.faults.conftest import FAST_WAITS, served

MIB = 1024 * 1024


@pytest.fixture(scope="module")
def limited_url(settings: Settings, runtime: Runtime) -> Iterator[str]:
    """The session's app, with a short body timeout."""
    quick = settings.model_copy(update={"body_timeout_seconds": FAST_WAITS["body_timeout_seconds"]})
    app: Starlette = create_app(quick, runtime)
    with served(app) as url:
        yield url


@pytest.fixture
def client(limited_url: str, tenant: Tenant) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=limited_url, timeout=30, headers=tenant.headers()) as c:
        yield c


def _problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["code"] == code
    return body


def _raw_exchange(url: str, head: bytes, body: bytes = b"", wait: float = 10.0) -> bytes:
    """Send ``head`` and ``body`` on a raw socket and read the answer (what a slow or
    lying client does, which no HTTP library will)."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=wait) as sock:
        sock.sendall(head + body)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


def test_a_body_over_the_limit_is_413_without_being_read(limited_url: str, tenant: Tenant) -> None:
    """Content-Length says 500 MB and only the headers are sent: the answer comes at once."""
    token = tenant.headers()["Authorization"]
    head = (
        "POST /v1/work-orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"Authorization: {token}\r\nContent-Length: {500 * MIB}\r\n\r\n"
    ).encode()
    started = time.monotonic()
    answer = _raw_exchange(limited_url, head)
    assert time.monotonic() - started < 5
    status_line, _, rest = answer.partition(b"\r\n")
    assert b" 413 " in status_line, answer[:300]
    body = json.loads(rest.split(b"\r\n\r\n", 1)[1])
    assert body["code"] == "payload_too_large"
    assert body["maxBytes"] == MIB


def test_a_chunked_body_is_counted_and_refused_past_the_limit(client: httpx.Client) -> None:
    sent = 0

    def chunks() -> Iterator[bytes]:
        nonlocal sent
        yield b'{"title": "'
        for _ in range(64):  # 4 MiB in all, unless refused early
            sent += 64 * 1024
            yield b"x" * (64 * 1024)
        yield b'"}'

    response = client.post(
        "/v1/work-orders", content=chunks(), headers={"Content-Type": "application/json"}
    )
    body = _problem(response, 413, "payload_too_large")
    assert body["type"] == "/problems/payload-too-large"


def test_an_unauthenticated_oversized_body_is_413_too(limited_url: str) -> None:
    response = httpx.post(
        limited_url + "/v1/work-orders",
        content=b"x" * (2 * MIB),
        headers={"Content-Type": "application/json"},
    )
    _problem(response, 413, "payload_too_large")


def test_a_body_just_under_the_limit_is_read(client: httpx.Client) -> None:
    raw = json.dumps({"title": "t", "description": "d" * (MIB - 100)}).encode()
    assert len(raw) < MIB
    response = client.post(
        "/v1/work-orders", content=raw, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422, response.text  # too long a description: read, judged


def test_the_sync_push_declares_a_larger_limit(client: httpx.Client) -> None:
    """``x-max-body-bytes`` on the operation: 2 MiB is read (and judged), not refused."""
    record = {"id": "not-a-uuid", "title": "x" * 1000}
    changes = {"work_orders": {"created": [record] * 2100, "updated": [], "deleted": []}}
    raw = json.dumps({"changes": changes, "lastPulledAt": None}).encode()
    assert len(raw) > 2 * MIB
    response = client.post(
        "/v1/sync/push", content=raw, headers={"Content-Type": "application/json"}
    )
    assert response.status_code != 413, response.text
    over = b'{"changes": "' + b"x" * (17 * MIB) + b'"}'
    _problem(
        client.post("/v1/sync/push", content=over, headers={"Content-Type": "application/json"}),
        413,
        "payload_too_large",
    )


def test_headers_over_the_limit_are_431(client: httpx.Client, settings: Settings) -> None:
    many = {f"X-Padding-{i}": "y" * 1000 for i in range(settings.max_header_bytes // 1000 + 1)}
    response = client.get("/v1/work-orders", headers=many)
    body = _problem(response, 431, "header_fields_too_large")
    assert body["maxBytes"] == settings.max_header_bytes


def test_a_body_shorter_than_its_content_length_times_out_with_408(
    limited_url: str, tenant: Tenant
) -> None:
    token = tenant.headers()["Authorization"]
    head = (
        "POST /v1/work-orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"Authorization: {token}\r\nContent-Length: 1000\r\n\r\n"
    ).encode()
    started = time.monotonic()
    answer = _raw_exchange(limited_url, head, b'{"title": "sl')
    took = time.monotonic() - started
    assert b" 408 " in answer.partition(b"\r\n")[0], answer[:300]
    assert b'"code":"request_timeout"' in answer
    assert took < FAST_WAITS["body_timeout_seconds"] + 3


def test_a_chunked_body_within_the_limit_is_served(client: httpx.Client) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"title": '
        yield b'"Chunked"}'

    response = client.post(
        "/v1/work-orders", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 201, response.text
