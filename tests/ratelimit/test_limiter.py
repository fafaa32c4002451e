"""The limiter itself against a real redis-server: GCRA arithmetic, all-or-nothing, config."""

from __future__ import annotations

import asyncio
import uuid

import pytest
import redis.asyncio as aioredis
from prometheus_client import REGISTRY

from maintrac.config import Settings
from maintrac.services.ratelimit import Plan, Quota, RateLimiter, RateLimits
from tests.ratelimit.conftest import RedisServer


def _limits(tenant: str = "4/40", sub: str = "2/40") -> RateLimits:
    plan = Plan("p", Quota.parse("tenant", tenant), Quota.parse("sub", sub))
    return RateLimits({"p": plan}, {}, "p", Quota.parse("address", "1/60"))


def _run(redis_server: RedisServer, body: object) -> None:
    async def main() -> None:
        client = aioredis.Redis.from_url(redis_server.url, socket_timeout=1)
        limiter = RateLimiter(_limits(), client, prefix=f"t:{uuid.uuid4().hex}")
        try:
            await body(limiter)  # type: ignore[operator]
        finally:
            await limiter.close()

    asyncio.run(main())


def test_gcra_spends_a_burst_then_refuses_with_the_time_to_one_unit(
    redis_server: RedisServer,
) -> None:
    async def body(limiter: RateLimiter) -> None:
        tenant = uuid.uuid4()
        first = await limiter.check_principal(tenant, "s")
        second = await limiter.check_principal(tenant, "s")
        third = await limiter.check_principal(tenant, "s")
        assert (first.allowed, second.allowed, third.allowed) == (True, True, False)
        assert [s.remaining for s in first.states] == [3, 1]
        assert [s.remaining for s in second.states] == [2, 0]
        # sub: 2 per 40 s, one unit back every 20 s; both spent just now.
        assert 19 <= third.retry_after <= 20
        assert 39 <= third.states[1].reset <= 40
        # The refusal spent nothing: the tenant still has 2, and another subject gets one.
        assert third.states[0].remaining == 2
        other = await limiter.check_principal(tenant, "t")
        assert other.allowed
        assert [s.remaining for s in other.states] == [1, 1]

    _run(redis_server, body)


def test_subjects_of_different_tenants_do_not_share_a_quota(redis_server: RedisServer) -> None:
    async def body(limiter: RateLimiter) -> None:
        for _ in range(2):
            assert (await limiter.check_principal(uuid.uuid4(), "same-sub")).allowed
        a = uuid.uuid4()
        assert (await limiter.check_principal(a, "same-sub")).allowed
        assert (await limiter.check_principal(a, "same-sub")).allowed
        assert not (await limiter.check_principal(a, "same-sub")).allowed

    _run(redis_server, body)


def test_a_key_expires_once_its_quota_is_whole(redis_server: RedisServer) -> None:
    async def body(limiter: RateLimiter) -> None:
        await limiter.check_address("192.0.2.1")
        keys = [k async for k in limiter._redis.scan_iter(match=f"{limiter._prefix}:*")]
        assert len(keys) == 1
        ttl = await limiter._redis.pttl(keys[0])
        assert 59_000 <= ttl <= 60_000

    _run(redis_server, body)


def _fail_open_total() -> float:
    return REGISTRY.get_sample_value("maintrac_rate_limiter_fail_open_total") or 0.0


def test_unreachable_redis_allows_and_pauses() -> None:
    async def main() -> None:
        client = aioredis.Redis(port=1, socket_connect_timeout=0.05, socket_timeout=0.05)
        limiter = RateLimiter(_limits(), client, retry_seconds=60)
        before = _fail_open_total()
        decisions = [await limiter.check_address("192.0.2.9") for _ in range(3)]
        assert all(d.allowed and not d.states for d in decisions)
        assert _fail_open_total() - before == 3
        # Paused: the later calls did not try Redis again.
        assert limiter._down_until > 0
        await limiter.close()

    asyncio.run(main())


@pytest.mark.parametrize("text", ["", "10", "0/60", "10/0", "ten/60", "10/60m"])
def test_bad_quotas_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="requests/seconds"):
        Quota.parse("tenant", text)


def test_quota_forms() -> None:
    assert Quota.parse("sub", " 300 / 60s ") == Quota("sub", 300, 60)
    assert Quota("sub", 300, 60).interval_us == 200_000


def test_plans_from_settings() -> None:
    tenant = uuid.uuid4()
    limits = RateLimits.from_settings(
        Settings(
            rate_limit_plans={"small": {"tenant": "10/60", "sub": "5/60"}, **_default_plans()},
            rate_limit_tenant_plans={str(tenant): "small"},
        )
    )
    assert limits.plan_of(tenant).tenant == Quota("tenant", 10, 60)
    assert limits.plan_of(uuid.uuid4()).name == "standard"


def _default_plans() -> dict[str, dict[str, str]]:
    return dict(Settings().rate_limit_plans)


def test_a_tenant_on_an_undefined_plan_is_a_start_up_error() -> None:
    with pytest.raises(ValueError, match="undefined plans"):
        RateLimits.from_settings(Settings(rate_limit_tenant_plans={str(uuid.uuid4()): "gold"}))
    with pytest.raises(ValueError, match="not a defined plan"):
        RateLimits.from_settings(Settings(rate_limit_default_plan="gold"))
    with pytest.raises(ValueError, match="requests/seconds"):
        RateLimits.from_settings(Settings(rate_limit_plans={"standard": {"tenant": "1/1"}}))


def test_on_unless_said_otherwise_except_in_tests() -> None:
    assert Settings(environment="production").effective_rate_limits_enabled()
    assert Settings(environment="development").effective_rate_limits_enabled()
    assert not Settings(environment="test").effective_rate_limits_enabled()
    assert Settings(environment="test", rate_limits_enabled=True).effective_rate_limits_enabled()
