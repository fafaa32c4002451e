"""The contract, parsed once at start-up: every operation's metadata in one object.

``openapi/openapi.yaml`` is the source of truth for routing, permissions, idempotency and
media types. ``Contract`` reads it once; the app, the authorization table, the method
lists behind ``Allow`` and the spec-driven tests all read ``Contract.operations`` instead
of walking ``paths`` again, so a rule such as "every operation declares
``x-permissions``" is checked in one place, and nothing on the request path touches the
raw document.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

SPEC_PATH = Path(__file__).resolve().parents[3] / "openapi" / "openapi.yaml"

#: The operation keys of an OpenAPI path item, in the order the specification lists them.
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True, slots=True)
class Operation:
    """One operation as the contract declares it."""

    operation_id: str
    #: Upper case: ``GET``, ``PATCH``...
    method: str
    #: As written under ``paths``, without the server's base path: ``/work-orders/{workOrderId}``.
    path: str
    #: The permission codes of ``x-permissions``; a token needs all of them.
    permissions: tuple[str, ...]
    #: Declares the ``Idempotency-Key`` header (a repeated POST replays its first answer).
    idempotent: bool
    #: Declares the ``If-Match`` header (412 when the ETag is stale).
    conditional: bool
    #: The request body's media types (empty when the operation takes no body).
    request_media_types: tuple[str, ...]
    #: Response status (``"200"``, ``"default"``...) -> its media types.
    response_media_types: Mapping[str, tuple[str, ...]]

    @property
    def templated(self) -> bool:
        """Whether the path has parameters (``/users/{userId}``, not ``/users/me``)."""
        return "{" in self.path


@dataclass(frozen=True)
class Contract:
    """The hand-written document: parsed once, served byte-for-byte as JSON and YAML."""

    spec: dict[str, Any]
    yaml_text: bytes
    json_text: bytes
    #: The server's base path (``servers[0].url``): ``/v1``.
    base_path: str
    #: operationId -> operation, by path in document order, then in ``HTTP_METHODS`` order.
    operations: Mapping[str, Operation]

    @classmethod
    def load(cls, path: Path = SPEC_PATH) -> Contract:
        raw = path.read_bytes()
        return cls.from_spec(yaml.safe_load(raw), raw)

    @classmethod
    def from_spec(cls, spec: dict[str, Any], yaml_text: bytes | None = None) -> Contract:
        """The contract of an already parsed document (``yaml_text``: its source, if any).

        Raises ValueError when an operation declares no ``x-permissions``: an operation
        missing from the permission table must never be open to every token.
        """
        json_text = json.dumps(spec).encode()
        servers = spec.get("servers") or [{}]
        base_path = str(servers[0].get("url", "")).rstrip("/")
        operations: dict[str, Operation] = {}
        for path, item in spec.get("paths", {}).items():
            shared = item.get("parameters", [])
            for method in HTTP_METHODS:
                operation = item.get(method)
                if operation is None:
                    continue
                if "x-permissions" not in operation:
                    raise ValueError(f"{method.upper()} {path} declares no x-permissions")
                parameters = [*shared, *operation.get("parameters", [])]
                headers = {
                    str(p.get("name", "")).lower()
                    for p in (_resolve(spec, each) for each in parameters)
                    if p.get("in") == "header"
                }
                body = _resolve(spec, operation.get("requestBody", {}))
                operations[operation["operationId"]] = Operation(
                    operation_id=operation["operationId"],
                    method=method.upper(),
                    path=path,
                    permissions=tuple(operation["x-permissions"]),
                    idempotent="idempotency-key" in headers,
                    conditional="if-match" in headers,
                    request_media_types=tuple(body.get("content", {})),
                    response_media_types={
                        status: tuple(_resolve(spec, response).get("content", {}))
                        for status, response in operation.get("responses", {}).items()
                    },
                )
        return cls(
            spec=spec,
            yaml_text=json_text if yaml_text is None else yaml_text,
            json_text=json_text,
            base_path=base_path,
            operations=operations,
        )

    def resolve(self, node: Mapping[str, Any]) -> Mapping[str, Any]:
        """``node``, or the object its local ``$ref`` names."""
        return _resolve(self.spec, node)

    def operation_object(self, operation: Operation) -> Mapping[str, Any]:
        """The document's own object for ``operation`` (its parameters, body, responses)."""
        document: Mapping[str, Any] = self.spec["paths"][operation.path][operation.method.lower()]
        return document

    def __iter__(self) -> Iterator[Operation]:
        return iter(self.operations.values())

    def permissions(self) -> dict[str, tuple[str, ...]]:
        """operationId -> declared permission codes."""
        return {op.operation_id: op.permissions for op in self}

    def idempotent_operations(self) -> frozenset[str]:
        """The operationIds that declare the Idempotency-Key header (the contract decides)."""
        return frozenset(op.operation_id for op in self if op.idempotent)

    def methods_by_path(self) -> dict[str, list[str]]:
        """Path (without the base path) -> its methods, upper case, in ``HTTP_METHODS`` order."""
        out: dict[str, list[str]] = {}
        for op in self:
            out.setdefault(op.path, []).append(op.method)
        return out


def _resolve(spec: Mapping[str, Any], node: Mapping[str, Any]) -> Mapping[str, Any]:
    """Follow a local ``$ref`` (``#/components/...``) to the object it names."""
    seen = 0
    while "$ref" in node and seen < 16:
        target: Any = spec
        for part in str(node["$ref"]).removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
        seen += 1
    return node
