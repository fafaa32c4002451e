"""The Contract object: every operation's metadata, read once from the hand-written spec."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
import yaml

from maintrac.api.contract import SPEC_PATH, Contract

CONTRACT = Contract.load()


def _minimal(**operation: Any) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "servers": [{"url": "/v2/"}],
        "paths": {
            "/things/{thingId}": {
                "parameters": [{"$ref": "#/components/parameters/Key"}],
                "patch": {
                    "operationId": "updateThing",
                    "x-permissions": ["things:write"],
                    "parameters": [{"name": "If-Match", "in": "header", "schema": {}}],
                    "requestBody": {"$ref": "#/components/requestBodies/Thing"},
                    "responses": {"200": {"$ref": "#/components/responses/Thing"}},
                    **operation,
                },
                "summary": "not an operation",
            }
        },
        "components": {
            "parameters": {"Key": {"name": "Idempotency-Key", "in": "header", "schema": {}}},
            "requestBodies": {"Thing": {"content": {"application/merge-patch+json": {}}}},
            "responses": {"Thing": {"description": "x", "content": {"application/json": {}}}},
        },
    }


def test_reads_every_operation_with_its_metadata() -> None:
    contract = Contract.from_spec(_minimal())
    (op,) = contract
    assert contract.base_path == "/v2"
    assert op.operation_id == "updateThing"
    assert (op.method, op.path, op.templated) == ("PATCH", "/things/{thingId}", True)
    assert op.permissions == ("things:write",)
    # Header parameters count wherever they are declared: inline, by $ref, path-level.
    assert op.idempotent
    assert op.conditional
    assert op.request_media_types == ("application/merge-patch+json",)
    assert op.response_media_types == {"200": ("application/json",)}


def test_an_operation_without_x_permissions_is_refused() -> None:
    spec = _minimal()
    del spec["paths"]["/things/{thingId}"]["patch"]["x-permissions"]
    with pytest.raises(
        ValueError, match=re.escape("PATCH /things/{thingId} declares no x-permissions")
    ):
        Contract.from_spec(spec)


def test_headers_not_declared_are_not_assumed() -> None:
    spec = _minimal(parameters=[])
    del spec["paths"]["/things/{thingId}"]["parameters"]
    (op,) = Contract.from_spec(spec)
    assert not op.idempotent
    assert not op.conditional


def test_the_projects_contract() -> None:
    spec = yaml.safe_load(SPEC_PATH.read_bytes())
    declared = {
        operation["operationId"]
        for item in spec["paths"].values()
        for key, operation in item.items()
        if isinstance(operation, dict) and "operationId" in operation
    }
    assert set(CONTRACT.operations) == declared
    assert CONTRACT.base_path == "/v1"
    # Every POST but the two sync calls takes an Idempotency-Key; every PATCH and DELETE
    # takes If-Match, and nothing else does.
    posts = {op.operation_id for op in CONTRACT if op.method == "POST"}
    assert CONTRACT.idempotent_operations() == posts - {"syncPull", "syncPush"}
    assert {op.operation_id for op in CONTRACT if op.conditional} == {
        op.operation_id for op in CONTRACT if op.method in ("PATCH", "DELETE")
    }
    get = CONTRACT.operations["getWorkOrder"]
    assert get.permissions == ("work_orders:read",)
    assert get.response_media_types["200"] == ("application/json",)
    assert get.response_media_types["404"] == ("application/problem+json",)
    assert CONTRACT.methods_by_path()["/work-orders/{workOrderId}"] == ["GET", "DELETE", "PATCH"]
    assert CONTRACT.permissions()["deleteAsset"] == ("assets:write",)


def test_the_document_is_kept_as_written() -> None:
    assert SPEC_PATH.read_bytes() == CONTRACT.yaml_text
    assert yaml.safe_load(CONTRACT.json_text) == CONTRACT.spec
    # Parsing does not change the document it was given.
    spec = _minimal()
    before = copy.deepcopy(spec)
    Contract.from_spec(spec)
    assert spec == before
