"""Request limits, enforced before anything reads the request: an ASGI middleware.

Placed after Connexion's routing (so it knows the operation) and before security and
validation (so neither an anonymous caller nor the JSON parser ever holds more than the
limit in memory):

* **Headers**: all header names and values together at most ``max_header_bytes``, else
  431 ``header-fields-too-large``.
* **Body size**: at most ``max_body_bytes`` (1 MiB by default), or what the operation
  declares with ``x-max-body-bytes`` (the sync push declares more). A ``Content-Length``
  above the limit is refused without reading a byte; a chunked body is counted as it
  arrives and refused the moment it passes the limit. Both are 413 ``payload-too-large``.
  (A chunked body within the limit is then passed on with its ``Content-Length``:
  Connexion's validators would otherwise take it for no body at all.)
* **Slow bodies**: the whole body must arrive within ``body_timeout`` seconds of the
  request's start; a body that stops short of its ``Content-Length`` is 408
  ``request-timeout`` instead of holding a worker forever.
* **No Content-Type**: a body sent to an operation that takes JSON without saying what
  it is gets 415, like any other media type it does not accept.

Each refusal closes the connection (``Connection: close``): the rest of the body is
never read.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from maintrac.api.problems import problem_response
from maintrac.config import Settings

#: Keys of a path item that are operations (OpenAPI 3.1).
_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
#: The vendor extension an operation uses to accept a larger body than the default.
MAX_BODY_EXTENSION = "x-max-body-bytes"


class _Refused(Exception):
    def __init__(self, code: str, detail: str, extra: dict[str, Any] | None = None) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.extra = extra or {}


@dataclass(frozen=True, slots=True)
class _Body:
    limit: int
    required: bool


class RequestLimits:
    """The ASGI middleware; ``spec`` is the contract, read once for per-operation limits."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        spec: Mapping[str, Any],
        max_body_bytes: int,
        max_header_bytes: int,
        body_timeout: float,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_header_bytes = max_header_bytes
        self.body_timeout = body_timeout
        self.bodies: dict[str, _Body] = {}
        for item in spec.get("paths", {}).values():
            for method, operation in item.items():
                if method in _METHODS and "requestBody" in operation:
                    self.bodies[operation["operationId"]] = _Body(
                        int(operation.get(MAX_BODY_EXTENSION, max_body_bytes)),
                        bool(operation["requestBody"].get("required")),
                    )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            checked = self._check(scope, receive)
            if _chunked(scope):
                scope, checked = await _buffered(scope, checked)
            await self.app(scope, checked, tracking_send)
        except _Refused as refused:
            if started:  # too late to answer: let the server drop the connection
                raise
            await _send_problem(send, scope, refused)

    def _check(self, scope: Scope, receive: Receive) -> Receive:
        headers: list[tuple[bytes, bytes]] = scope.get("headers") or []
        size = sum(len(name) + len(value) for name, value in headers)
        if size > self.max_header_bytes:
            raise _Refused(
                "header_fields_too_large",
                f"The request headers total {size} bytes; the limit is {self.max_header_bytes}.",
                {"maxBytes": self.max_header_bytes},
            )
        values = {name.lower(): value for name, value in headers}
        routing = scope.get("extensions", {}).get("connexion_routing", {})
        body = self.bodies.get(routing.get("operation_id") or "")
        limit = body.limit if body else self.max_body_bytes
        declared = values.get(b"content-length")
        length = int(declared) if declared is not None and declared.isdigit() else None
        has_body = (length or 0) > 0 or b"transfer-encoding" in values
        if body is not None and b"content-type" not in values and (has_body or body.required):
            raise _Refused(
                "unsupported_media_type",
                "Send the request body as 'application/json' (the Content-Type header is missing).",
            )
        if length is not None and length > limit:
            raise _Refused(*_too_large(limit))
        return self._counting(receive, limit, time.monotonic() + self.body_timeout)

    def _counting(self, receive: Receive, limit: int, deadline: float) -> Receive:
        received = 0

        async def counted() -> Message:
            nonlocal received
            try:
                message = await asyncio.wait_for(receive(), max(deadline - time.monotonic(), 0))
            except TimeoutError:
                raise _Refused(
                    "request_timeout",
                    f"The request body did not arrive within {self.body_timeout:g} seconds.",
                ) from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _Refused(*_too_large(limit))
            return message

        return counted


def _chunked(scope: Scope) -> bool:
    names = {name.lower() for name, _ in scope.get("headers") or []}
    return b"transfer-encoding" in names and b"content-length" not in names


async def _buffered(scope: Scope, receive: Receive) -> tuple[Scope, Receive]:
    """Read a chunked body whole (``receive`` counts it against the limit), and pass it on
    with a ``Content-Length``: Connexion's validators take a body without one for none."""
    chunks: list[bytes] = []
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    body = b"".join(chunks)
    headers = [(k, v) for k, v in scope["headers"] if k.lower() != b"transfer-encoding"]
    headers.append((b"content-length", str(len(body)).encode()))
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return {**scope, "headers": headers}, replay


def _too_large(limit: int) -> tuple[str, str, dict[str, Any]]:
    return (
        "payload_too_large",
        f"The request body is larger than the {limit} bytes this operation accepts.",
        {"maxBytes": limit},
    )


async def _send_problem(send: Send, scope: Scope, refused: _Refused) -> None:
    response = problem_response(
        refused.code,
        refused.detail,
        instance=quote(str(scope.get("path", "")), safe="/:@!$&'()*+,;=-._~"),
        extra=refused.extra,
        headers={"Connection": "close"},
    )
    body = response.body if isinstance(response.body, bytes) else b""
    headers = [
        (k.lower().encode(), str(v).encode())
        for k, v in (response.headers or {}).items()
        if k.lower() not in ("content-type", "content-length")
    ]
    headers += [
        (b"content-type", b"application/problem+json"),
        (b"content-length", str(len(body)).encode()),
    ]
    await send({"type": "http.response.start", "status": response.status_code, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def limits(settings: Settings, spec: Mapping[str, Any]) -> dict[str, Any]:
    """The middleware's options from the settings and the contract."""
    return {
        "spec": spec,
        "max_body_bytes": settings.max_body_bytes,
        "max_header_bytes": settings.max_header_bytes,
        "body_timeout": settings.body_timeout_seconds,
    }
