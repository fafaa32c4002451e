"""Rate limits: GCRA quotas in Redis, per tenant, per token subject and per client address.

Business rules:

* An authenticated request spends one unit of its tenant's quota **and** one of its
  subject's (the token's ``sub``, within that tenant); it is refused when either is spent,
  and a refused request spends neither. Unauthenticated requests spend the quota of
  their client address.
* Quotas come from the tenant's plan of service (``RATE_LIMIT_PLANS``: plan -> quotas;
  ``RATE_LIMIT_TENANT_PLANS``: tenant id -> plan; other tenants are on
  ``RATE_LIMIT_DEFAULT_PLAN``). A quota ``q/w`` allows ``q`` requests per ``w`` seconds,
  all of them at once if saved up (GCRA: one unit comes back every ``w/q`` seconds).
* The limiter fails open: when Redis cannot be reached within the short socket timeout
  the request passes, ``maintrac_rate_limiter_fail_open_total`` counts it and one warning
  is logged per outage; Redis is then left alone for ``RATE_LIMIT_RETRY_SECONDS`` so a
  dead Redis costs no latency.

The clock is Redis's (``TIME`` inside the script), so every API process agrees on it.
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import redis.asyncio as aioredis

from maintrac.config import Settings
from maintrac.observability import metrics

logger = logging.getLogger(__name__)

_QUOTA = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*s?\s*$")

#: GCRA over several keys at once, all or nothing. ARGV holds, per key, the emission
#: interval and the window in microseconds. Returns ``allowed`` then, per key, the
#: remaining units, the microseconds until the quota is full again, and the microseconds
#: until one more request would be allowed.
GCRA_LUA: Final = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local allowed = 1
local state = {}
for i = 1, #KEYS do
  local interval = tonumber(ARGV[2 * i - 1])
  local window = tonumber(ARGV[2 * i])
  local tat = tonumber(redis.call('GET', KEYS[i]) or now)
  if tat < now then tat = now end
  local new_tat = tat + interval
  if new_tat - now > window then allowed = 0 end
  state[i] = {tat, new_tat, interval, window}
end
local out = {allowed}
for i = 1, #KEYS do
  local tat, new_tat, interval, window = state[i][1], state[i][2], state[i][3], state[i][4]
  local used = tat
  if allowed == 1 then
    used = new_tat
    local ttl = math.max(1, math.ceil((new_tat - now) / 1000))
    redis.call('SET', KEYS[i], string.format('%d', new_tat), 'PX', ttl)
  end
  out[#out + 1] = math.max(0, math.floor((window - (used - now)) / interval))
  out[#out + 1] = used - now
  out[#out + 1] = math.max(0, new_tat - window - now)
end
return out
"""


@dataclass(frozen=True, slots=True)
class Quota:
    """``limit`` requests per ``window`` seconds, under a policy ``name``."""

    name: str
    limit: int
    window: int

    @classmethod
    def parse(cls, name: str, text: str) -> Quota:
        """``"600/60"`` (or ``"600/60s"``): 600 requests per 60 seconds."""
        match = _QUOTA.match(text)
        if match is None or int(match[1]) < 1 or int(match[2]) < 1:
            raise ValueError(f"Rate limit {name!r}: {text!r} is not 'requests/seconds'.")
        return cls(name, int(match[1]), int(match[2]))

    @property
    def interval_us(self) -> int:
        return math.ceil(self.window * 1_000_000 / self.limit)

    @property
    def window_us(self) -> int:
        return self.window * 1_000_000


@dataclass(frozen=True, slots=True)
class Plan:
    name: str
    tenant: Quota
    sub: Quota


@dataclass(frozen=True, slots=True)
class QuotaState:
    quota: Quota
    remaining: int
    #: Seconds until the quota is whole again.
    reset: int


@dataclass(frozen=True, slots=True)
class Decision:
    """The outcome for one request: allowed or not, and what to tell the client.

    ``states`` is empty when the limiter failed open (nothing is known but the policy).
    """

    allowed: bool
    policies: tuple[Quota, ...]
    states: tuple[QuotaState, ...] = ()
    retry_after: int = 0


class RateLimits:
    """The configured plans and who is on which: pure configuration, no Redis."""

    def __init__(
        self,
        plans: Mapping[str, Plan],
        tenant_plans: Mapping[uuid.UUID, str],
        default_plan: str,
        anonymous: Quota,
    ) -> None:
        if default_plan not in plans:
            raise ValueError(f"RATE_LIMIT_DEFAULT_PLAN {default_plan!r} is not a defined plan.")
        unknown = sorted({p for p in tenant_plans.values() if p not in plans})
        if unknown:
            raise ValueError(f"RATE_LIMIT_TENANT_PLANS names undefined plans: {unknown}.")
        self.plans = dict(plans)
        self.tenant_plans = dict(tenant_plans)
        self.default_plan = default_plan
        self.anonymous = anonymous

    @classmethod
    def from_settings(cls, settings: Settings) -> RateLimits:
        plans = {
            name: Plan(
                name,
                Quota.parse("tenant", quotas.get("tenant", "")),
                Quota.parse("sub", quotas.get("sub", "")),
            )
            for name, quotas in settings.rate_limit_plans.items()
        }
        tenant_plans = {uuid.UUID(k): v for k, v in settings.rate_limit_tenant_plans.items()}
        return cls(
            plans,
            tenant_plans,
            settings.rate_limit_default_plan,
            Quota.parse("address", settings.rate_limit_anonymous),
        )

    def plan_of(self, tenant_id: uuid.UUID) -> Plan:
        return self.plans[self.tenant_plans.get(tenant_id, self.default_plan)]


def _digest(value: str) -> str:
    # Subjects and addresses are caller-controlled: a fixed-length key whatever they hold.
    return hashlib.blake2b(value.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


class RateLimiter:
    """Checks and spends quotas in Redis; fails open when Redis is unreachable."""

    def __init__(
        self,
        limits: RateLimits,
        client: aioredis.Redis,
        *,
        retry_seconds: float = 1.0,
        prefix: str = "maintrac:rl",
    ) -> None:
        self.limits = limits
        self._redis = client
        self._script = client.register_script(GCRA_LUA)
        self._retry_seconds = retry_seconds
        self._prefix = prefix
        self._down_until = 0.0
        self._outage = False

    @classmethod
    def from_settings(cls, settings: Settings) -> RateLimiter:
        timeout = settings.rate_limit_timeout_seconds
        client = aioredis.Redis.from_url(
            settings.rate_limit_redis_url or settings.redis_url,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
            retry_on_timeout=False,
            health_check_interval=0,
        )
        return cls(
            RateLimits.from_settings(settings),
            client,
            retry_seconds=settings.rate_limit_retry_seconds,
        )

    async def close(self) -> None:
        await self._redis.aclose()

    async def check_principal(self, tenant_id: uuid.UUID, subject: str) -> Decision:
        """One request of ``subject`` in ``tenant_id``: both quotas of its plan."""
        plan = self.limits.plan_of(tenant_id)
        keys = [
            f"{self._prefix}:{tenant_id}:tenant",
            f"{self._prefix}:{tenant_id}:sub:{_digest(subject)}",
        ]
        return await self._check(keys, (plan.tenant, plan.sub))

    async def check_address(self, address: str) -> Decision:
        """One unauthenticated request from ``address``."""
        quota = self.limits.anonymous
        return await self._check([f"{self._prefix}:addr:{_digest(address)}"], (quota,))

    async def _check(self, keys: Sequence[str], quotas: tuple[Quota, ...]) -> Decision:
        if self._down_until and time.monotonic() < self._down_until:
            metrics.RATE_LIMITER_FAIL_OPEN.inc()
            return Decision(True, quotas)
        args: list[int] = []
        for quota in quotas:
            args += [quota.interval_us, quota.window_us]
        try:
            raw: Any = await self._script(keys=list(keys), args=args)
        # RedisError and OSError are the expected ones (down, frozen, refused); anything else
        # (a connection bound to another event loop...) must not fail the request either.
        except Exception as exc:  # noqa: BLE001
            return self._fail_open(quotas, exc)
        if self._outage:
            self._outage = False
            self._down_until = 0.0
            logger.info("rate limiter: Redis is reachable again; limits are enforced")
        values = [int(v) for v in raw]
        states = tuple(
            QuotaState(q, values[1 + 3 * i], math.ceil(values[2 + 3 * i] / 1_000_000))
            for i, q in enumerate(quotas)
        )
        if values[0] == 1:
            return Decision(True, quotas, states)
        retry_us = max(values[3 + 3 * i] for i in range(len(quotas)))
        return Decision(False, quotas, states, max(1, math.ceil(retry_us / 1_000_000)))

    def _fail_open(self, quotas: tuple[Quota, ...], exc: Exception) -> Decision:
        metrics.RATE_LIMITER_FAIL_OPEN.inc()
        self._down_until = time.monotonic() + self._retry_seconds
        if not self._outage:
            self._outage = True
            logger.warning(
                "rate limiter failing open: Redis is unreachable (%s: %s); requests pass "
                "unchecked until it answers again",
                type(exc).__name__,
                exc,
            )
        return Decision(True, quotas)
