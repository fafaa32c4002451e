"""JSON responses from the generated contract models, with an explicit content type.

Handlers return ConnexionResponse objects (not dicts): an operation that declares both
``application/json`` and ``application/problem+json`` makes Connexion refuse to guess the
content type of a bare dict (connexion#1956).
"""

from __future__ import annotations

import orjson
from connexion.lifecycle import ConnexionResponse
from pydantic import BaseModel

from maintrac.api.request_context import current_request_id
from maintrac.core.concurrency import etag


def json_response(
    model: BaseModel,
    status: int = 200,
    headers: dict[str, str] | None = None,
    *,
    version: int | None = None,
    location: str | None = None,
) -> ConnexionResponse:
    """``version`` becomes the ETag; ``location`` the Location of a created resource."""
    out = dict(headers or {})
    if version is not None:
        out["ETag"] = etag(version)
    if location is not None:
        out["Location"] = location
    return _json(model.model_dump_json(by_alias=True).encode(), status, out)


def payload_response(payload: object, status: int = 200) -> ConnexionResponse:
    """A JSON document built without a model, for large payloads (a sync pull of tens of
    thousands of records): the contract is still enforced by response validation in tests."""
    return _json(orjson.dumps(payload), status, {})


def _json(body: bytes, status: int, headers: dict[str, str]) -> ConnexionResponse:
    request_id = current_request_id()
    if request_id:
        headers["X-Request-Id"] = request_id
    return ConnexionResponse(
        status_code=status,
        mimetype="application/json",
        content_type="application/json",
        body=body,
        headers=headers,
    )


def empty_response(status: int = 204) -> ConnexionResponse:
    return ConnexionResponse(status_code=status, body=b"", headers={})
