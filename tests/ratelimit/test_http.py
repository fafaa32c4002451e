"""Rate limits over real HTTP: per tenant and per subject, headers, 429, recovery, fail-open."""

from __future__ import annotations

import logging
import re
import time

import httpx
import pytest

from tests.ratelimit.conftest import Limited

POLICY = '"tenant";q=5;w=30, "sub";q=3;w=30'
_ITEM = re.compile(r'"(\w+)";r=(\d+);t=(\d+)')


def remaining(response: httpx.Response) -> dict[str, int]:
    """``RateLimit`` as {policy: remaining}."""
    return {m[1]: int(m[2]) for m in _ITEM.finditer(response.headers["RateLimit"])}


def resets(response: httpx.Response) -> dict[str, int]:
    return {m[1]: int(m[3]) for m in _ITEM.finditer(response.headers["RateLimit"])}


def fail_open_count(limited: Limited) -> float:
    text = limited.http.get("/metrics").text
    match = re.search(r"^maintrac_rate_limiter_fail_open_total (\S+)$", text, re.M)
    assert match, text[:500]
    return float(match[1])


def assert_rate_limited(response: httpx.Response) -> None:
    assert response.status_code == 429, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "/problems/rate-limited"
    assert body["status"] == 429
    assert body["code"] == "rate_limited"
    assert response.headers["X-Request-Id"]
    assert 1 <= int(response.headers["Retry-After"]) <= 30


def test_headers_count_down_both_quotas(limited: Limited) -> None:
    caller = limited.caller(limited.tenants[0])
    first = caller.get()
    assert first.status_code == 200, first.text
    assert first.headers["RateLimit-Policy"] == POLICY
    assert remaining(first) == {"tenant": 4, "sub": 2}
    # One unit comes back every 6 s (tenant) and 10 s (sub): the quota is whole again then.
    assert 1 <= resets(first)["tenant"] <= 6
    assert 1 <= resets(first)["sub"] <= 10
    second = caller.get()
    assert remaining(second) == {"tenant": 3, "sub": 1}
    assert 7 <= resets(second)["sub"] <= 20


def test_a_subject_is_limited_alone(limited: Limited) -> None:
    tenant = limited.tenants[1]
    alice, bob = limited.caller(tenant), limited.caller(tenant)
    assert [alice.get().status_code for _ in range(3)] == [200, 200, 200]
    refused = alice.get()
    assert_rate_limited(refused)
    assert refused.headers["RateLimit-Policy"] == POLICY
    # The subject's quota is spent; the refused request did not spend the tenant's.
    assert remaining(refused) == {"tenant": 2, "sub": 0}
    assert 5 <= int(refused.headers["Retry-After"]) <= 10
    other = bob.get()
    assert other.status_code == 200, other.text
    assert remaining(other) == {"tenant": 1, "sub": 2}


def test_a_tenant_is_limited_across_its_subjects(limited: Limited) -> None:
    tenant, elsewhere = limited.tenants[2], limited.tenants[3]
    a, b, c = (limited.caller(tenant) for _ in range(3))
    assert [a.get().status_code for _ in range(3)] + [b.get().status_code for _ in range(2)] == [
        200
    ] * 5
    refused = c.get()
    assert_rate_limited(refused)
    assert remaining(refused) == {"tenant": 0, "sub": 3}
    assert 1 <= int(refused.headers["Retry-After"]) <= 6
    # Another tenant's quota is its own.
    assert limited.caller(elsewhere).get().status_code == 200


def test_every_answer_of_an_operation_carries_the_fields(limited: Limited) -> None:
    caller = limited.caller(limited.tenants[4])
    missing = caller.get("/v1/work-orders/0193a3c4-7f1e-7c2a-9b0d-3f6e2a1b4c5d")
    assert missing.status_code == 404
    assert missing.headers["RateLimit-Policy"] == POLICY
    assert remaining(missing) == {"tenant": 4, "sub": 2}
    # Outside the contract's operations: not limited, no fields.
    for path in ("/healthz", "/v1/openapi.json", "/problems/rate-limited"):
        response = limited.http.get(path)
        assert response.status_code == 200, path
        assert "RateLimit-Policy" not in response.headers, path


def test_quota_comes_back_after_the_window(limited: Limited) -> None:
    caller = limited.caller(limited.fast_tenant)
    first = caller.get()
    assert first.headers["RateLimit-Policy"] == '"tenant";q=2;w=2, "sub";q=2;w=2'
    assert caller.get().status_code == 200
    refused = caller.get()
    assert_rate_limited(refused)
    time.sleep(int(refused.headers["Retry-After"]) + 0.1)
    again = caller.get()
    assert again.status_code == 200, again.text


def test_unauthenticated_requests_are_limited_by_address(limited: Limited) -> None:
    answers = [
        limited.http.get("/v1/work-orders"),
        limited.http.get("/v1/work-orders", headers={"Authorization": "Bearer not-a-jwt"}),
        limited.http.get("/v1/assets"),
    ]
    for response in answers:
        assert response.status_code == 401
        assert response.headers["RateLimit-Policy"] == '"address";q=3;w=30'
    assert [remaining(r)["address"] for r in answers] == [2, 1, 0]
    assert_rate_limited(limited.http.get("/v1/work-orders"))
    # A valid token is not held back by its address's quota.
    assert limited.caller(limited.tenants[5]).get().status_code == 200


def test_redis_down_fails_open_and_says_so(
    limited: Limited, caplog: pytest.LogCaptureFixture
) -> None:
    caller = limited.caller(limited.tenants[5])
    before = fail_open_count(limited)
    limited.redis.stop()
    try:
        with caplog.at_level(logging.WARNING, logger="maintrac.services.ratelimit"):
            answers = [caller.get() for _ in range(6)]  # twice the subject's quota
        assert [r.status_code for r in answers] == [200] * 6
        for response in answers:
            assert response.headers["RateLimit-Policy"] == POLICY
            assert "RateLimit" not in response.headers  # nothing is known while it is down
        assert fail_open_count(limited) - before == 6
        warnings = [r for r in caplog.records if "failing open" in r.getMessage()]
        assert len(warnings) == 1  # one line per outage, not one per request
    finally:
        limited.redis.start()
    # Redis back (and the half-second pause over): limits apply again.
    time.sleep(0.6)
    back = caller.get()
    assert back.status_code == 200
    assert "RateLimit" in back.headers


def test_frozen_redis_fails_open_too(limited: Limited) -> None:
    caller = limited.caller(limited.tenants[5], subject="frozen")
    before = fail_open_count(limited)
    limited.redis.freeze()
    try:
        response = caller.get()
    finally:
        limited.redis.thaw()
    assert response.status_code == 200
    assert "RateLimit" not in response.headers
    assert fail_open_count(limited) - before == 1
