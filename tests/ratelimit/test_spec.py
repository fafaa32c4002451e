"""The contract declares the limits: a 429 and both fields on every answer of every operation."""

from __future__ import annotations

from maintrac.api.contract import Contract
from maintrac.api.problems import CATALOG


def test_every_operation_declares_429_and_the_fields_on_each_response() -> None:
    contract = Contract.load()
    checked = 0
    for op in contract:
        where = (op.path, op.method)
        responses = contract.operation_object(op)["responses"]
        assert responses["429"] == {"$ref": "#/components/responses/TooManyRequests"}, where
        for status, response in responses.items():
            if status == "default":
                continue
            headers = contract.resolve(response).get("headers", {})
            assert "RateLimit-Policy" in headers, (*where, status)
            assert "RateLimit" in headers, (*where, status)
            checked += 1
    assert checked > 100


def test_the_429_is_the_rate_limited_problem_with_retry_after() -> None:
    spec = Contract.load().spec
    response = spec["components"]["responses"]["TooManyRequests"]
    assert "Retry-After" in response["headers"]
    example = response["content"]["application/problem+json"]["example"]
    assert example["type"] == CATALOG["rate_limited"].type
    assert example["status"] == CATALOG["rate_limited"].status == 429
