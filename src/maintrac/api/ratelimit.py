"""Rate-limit middleware: every request to the contract's operations spends quota.

It sits just inside the request-context middleware (so a 429 carries ``X-Request-Id`` and
is logged and counted) and outside Connexion's exception handling (so every answer of an
operation, problems included, carries the ``RateLimit-Policy`` and ``RateLimit`` fields of
draft-ietf-httpapi-ratelimit-headers). Routing and authentication run further in, so the
caller is identified here the same way: a bearer token that the same
:class:`~maintrac.api.security.TokenVerifier` verifies names the tenant and subject whose
quotas are spent; a missing or invalid token spends the client address's quota (the 401
itself is then answered inside). The served document, the docs UI and the routes outside
``/v1`` (health, metrics, problem pages) are not limited.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from maintrac.api.problems import starlette_problem
from maintrac.api.security import TokenVerifier
from maintrac.core.errors import DomainError
from maintrac.services.ratelimit import Decision, RateLimiter

_UNLIMITED_SUFFIXES = ("/openapi.json", "/openapi.yaml")


def policy_header(decision: Decision) -> str:
    """``"tenant";q=1200;w=60, "sub";q=300;w=60``"""
    return ", ".join(f'"{q.name}";q={q.limit};w={q.window}' for q in decision.policies)


def limit_header(decision: Decision) -> str:
    """``"tenant";r=1187;t=1, "sub";r=299;t=1``: what is left of each quota, and when it is
    whole again (seconds)."""
    return ", ".join(f'"{s.quota.name}";r={s.remaining};t={s.reset}' for s in decision.states)


class RateLimitMiddleware:
    def __init__(
        self, app: ASGIApp, *, limiter: RateLimiter, verifier: TokenVerifier, base_path: str
    ) -> None:
        self.app = app
        self.limiter = limiter
        self.verifier = verifier
        self.base_path = base_path.rstrip("/")

    def _limited(self, path: str) -> bool:
        if not path.startswith(self.base_path + "/"):
            return False
        rest = path[len(self.base_path) :]
        return not (rest.startswith("/docs") or rest in _UNLIMITED_SUFFIXES)

    async def _decide(self, scope: Scope) -> Decision:
        authorization = b""
        for name, value in scope.get("headers") or []:
            if name == b"authorization":
                authorization = value
                break
        scheme, _, token = authorization.decode("latin-1").partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            try:
                principal = self.verifier.verify(token.strip())
            except DomainError:
                pass  # not a caller we can name: limited by address, refused further in
            else:
                return await self.limiter.check_principal(principal.tenant_id, principal.subject)
        client = scope.get("client")
        return await self.limiter.check_address(str(client[0]) if client else "unknown")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self._limited(str(scope.get("path", ""))):
            await self.app(scope, receive, send)
            return
        decision = await self._decide(scope)
        fields = [(b"ratelimit-policy", policy_header(decision).encode())]
        if decision.states:
            fields.append((b"ratelimit", limit_header(decision).encode()))

        if not decision.allowed:
            response = starlette_problem(
                "rate_limited",
                "Too many requests; retry after the number of seconds in Retry-After.",
                str(scope.get("path", "")),
                {"Retry-After": str(decision.retry_after)},
            )
            response.raw_headers.extend(fields)
            await response(scope, receive, send)
            return

        async def send_with_fields(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *fields]
            await send(message)

        await self.app(scope, receive, send_with_fields)
