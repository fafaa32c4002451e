"""The ASGI application: the 3.1 contract wired to handlers, plus ops and docs routes.

Routes outside the contract: ``/healthz`` (process up), ``/readyz`` (database
reachable), ``/metrics`` (Prometheus, see ``api/telemetry.py``), ``/v1/openapi.json`` and
``/v1/openapi.yaml`` (the hand-written document, served as written), ``/v1/docs/``
(Swagger UI) and ``/problems/{slug}`` (what each problem type means). Everything else is
an operation of ``openapi/openapi.yaml``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from collections.abc import AsyncIterator, Callable
from html import escape
from typing import Any

import anyio.to_thread
import connexion
import pydantic
from connexion.exceptions import ProblemException
from connexion.lifecycle import ConnexionRequest, ConnexionResponse
from connexion.middleware import MiddlewarePosition
from connexion.options import SwaggerUIOptions
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Match, Mount, Route
from starlette.types import Receive, Scope, Send

from maintrac.api import openapi31, telemetry
from maintrac.api.authorization import bearer_handler
from maintrac.api.contract import Contract
from maintrac.api.handlers import (
    assets,
    meters,
    pm_plans,
    reference_data,
    reports,
    sync,
    users,
    webhooks,
    work_log,
    work_orders,
)
from maintrac.api.limits import RequestLimits, limits
from maintrac.api.operations import Handler, make_resolver
from maintrac.api.problems import (
    CATALOG,
    domain_error_handler,
    http_exception_handler,
    problem_response,
    request_instance,
    starlette_problem,
    unavailable_handler,
    unexpected_error_handler,
    validation_error_handler,
)
from maintrac.api.ratelimit import RateLimitMiddleware
from maintrac.api.request_context import RequestContextMiddleware
from maintrac.api.security import TokenVerifier
from maintrac.api.threads import HandlerThreads
from maintrac.config import Settings, get_settings
from maintrac.core.errors import DomainError
from maintrac.core.pagination import CursorCodec
from maintrac.db.errors import CommitOutcomeUnknown, DatabaseUnavailable
from maintrac.db.transaction import RetryableConflict
from maintrac.services import health
from maintrac.services.ratelimit import RateLimiter
from maintrac.services.runtime import Runtime, open_runtime

logger = logging.getLogger(__name__)

HANDLERS: dict[str, Handler] = {
    **work_orders.HANDLERS,
    **work_log.HANDLERS,
    **users.HANDLERS,
    **reference_data.HANDLERS,
    **assets.HANDLERS,
    **meters.HANDLERS,
    **pm_plans.HANDLERS,
    **sync.HANDLERS,
    **webhooks.HANDLERS,
    **reports.HANDLERS,
}


def create_app(settings: Settings | None = None, runtime: Runtime | None = None) -> Starlette:
    """The whole service: the contract's operations under ``/v1`` plus the routes outside it.

    A ``runtime`` passed in stays the caller's to close; one opened here closes at shutdown.
    """
    settings = settings or get_settings()
    contract = Contract.load()
    owns_runtime = runtime is None
    runtime = runtime or open_runtime(settings)
    telemetry.setup(settings, runtime)
    allowed = AllowedMethods(contract)
    threads = HandlerThreads(settings.effective_handler_threads())
    api = contract_api(contract, settings, runtime, allowed, threads)
    app = ServiceApp(
        routes=[
            *service_routes(contract, settings, runtime),
            *allowed.shadow_routes(),
            Mount("/", app=api),
        ],
        exception_handlers=outer_exception_handlers(allowed),
        middleware=outer_middleware(),
        lifespan=_lifespan(runtime if owns_runtime else None, threads),
    )
    app.state.runtime = runtime
    app.state.contract = contract
    app.state.contract_api = api
    app.state.handler_threads = threads
    return app


def contract_api(
    contract: Contract,
    settings: Settings,
    runtime: Runtime,
    allowed: AllowedMethods,
    threads: HandlerThreads | None = None,
) -> connexion.AsyncApp:
    """The Connexion app: routes and validates by the 3.1 document, authenticates every
    operation and runs each handler inside its tenant transaction, in ``threads``
    (``HANDLER_THREADS``, at most one per pooled database connection; see ``_lifespan``)."""
    api = connexion.AsyncApp(__name__)
    verifier = TokenVerifier.from_settings(settings)
    openapi31.add_api(
        api,
        contract.spec,
        resolver=make_resolver(
            _with_placeholders(HANDLERS, contract),
            runtime.database,
            CursorCodec(settings.effective_cursor_secret()),
            contract.idempotent_operations(),
        ),
        pythonic_params=True,
        strict_validation=True,
        validate_responses=settings.validate_responses,
        response_sample=settings.response_validation_sample,
        threads=threads or HandlerThreads(settings.effective_handler_threads()),
        security_map={"bearer": bearer_handler(verifier, contract.permissions())},
        swagger_ui_options=SwaggerUIOptions(
            serve_spec=False,
            swagger_ui_path="/docs",
            swagger_ui_config={
                "url": "/v1/openapi.json",
                "persistAuthorization": True,
                "displayOperationId": True,
            },
        ),
    )
    for error, handler in api_error_handlers(allowed, settings.unavailable_retry_after_seconds):
        api.add_error_handler(error, handler)
    api.add_middleware(RequestContextMiddleware, position=MiddlewarePosition.BEFORE_EXCEPTION)
    if settings.effective_rate_limits_enabled():
        api.add_middleware(
            RateLimitMiddleware,
            position=MiddlewarePosition.BEFORE_EXCEPTION,
            limiter=RateLimiter.from_settings(settings),
            verifier=verifier,
            base_path=contract.base_path,
        )
    api.add_middleware(
        RequestLimits,
        position=MiddlewarePosition.BEFORE_SECURITY,
        **limits(settings, contract.spec),
    )
    return api


ErrorHandler = Callable[[ConnexionRequest, Exception], ConnexionResponse]


def api_error_handlers(
    allowed: AllowedMethods, retry_after: int = 2
) -> list[tuple[type[Exception] | int, ErrorHandler]]:
    """What each failure inside the contract's routes answers, as problem+json.

    Connexion picks the handler of the exception's closest class, so ``Exception`` (500)
    only catches what nothing more specific does.
    """

    def method_not_allowed(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
        # Connexion routes each operation separately, so Starlette's Allow would name only
        # one operation's method: the contract knows them all.
        if isinstance(exc, HTTPException):
            exc.headers = {**(exc.headers or {}), "Allow": allowed.header(request.url.path)}
        return http_exception_handler(request, exc)

    return [
        (DomainError, domain_error_handler),
        (openapi31.RequestValidationFailed, validation_error_handler),
        (pydantic.ValidationError, _pydantic_error_handler),
        (405, method_not_allowed),
        (ProblemException, http_exception_handler),
        (HTTPException, http_exception_handler),
        (RetryableConflict, _busy_handler),
        (DatabaseUnavailable, unavailable_handler(retry_after)),
        (CommitOutcomeUnknown, unavailable_handler(retry_after)),
        (Exception, unexpected_error_handler),
    ]


#: gzip level of responses over 4 KiB. Measured on a 5 MB first sync pull: level 9 (the
#: middleware's default) 93-110 ms for 266 KiB, level 5 45 ms for 286 KiB, level 1 23 ms
#: for 344 KiB; 5 halves the CPU for 7% more bytes.
GZIP_LEVEL = 5


def outer_middleware() -> list[Middleware]:
    """Middleware around every route, the contract's and the others."""
    # A first sync pull is megabytes of JSON; compressed, about a twentieth of that.
    return [Middleware(GZipMiddleware, minimum_size=4096, compresslevel=GZIP_LEVEL)]


class ServiceApp(Starlette):
    """The Starlette app, with a direct lane into the contract's mount.

    A request for a path that none of the routes outside the contract can match ends in the
    last route, ``Mount("/")`` of the Connexion app, whatever else the outer stack does: its
    ``ServerErrorMiddleware`` and ``ExceptionMiddleware`` never act on it (Connexion's own
    answer every error inside, and re-raise only after a response has started) and its
    router tries every other route first. Such a request goes through the same ``outer_middleware``
    (gzip) straight into the mount, with the scope the router would have given it. Any
    other request (lifespan, a path another route may match, a ``root_path``) takes the
    whole stack as before.
    """

    def __init__(self, *, routes: list[Any], **kwargs: Any) -> None:
        super().__init__(routes=routes, **kwargs)
        *others, mount = routes
        if not isinstance(mount, Mount) or mount.path != "":
            raise TypeError("the last route must be the contract's Mount('/')")
        self._mount = mount
        self._literal = {r.path for r in others if "{" not in getattr(r, "path", "{")}
        self._patterns = [r.path_regex for r in others if "{" in getattr(r, "path", "{")]
        lane: Any = mount.app
        for middleware in reversed(outer_middleware()):
            factory, args, options = middleware
            lane = factory(lane, *args, **options)
        self._lane = lane

    def _outside_contract(self, path: str) -> bool:
        return path in self._literal or any(p.match(path) for p in self._patterns)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and not scope.get("root_path")
            and not self._outside_contract(scope["path"])
        ):
            scope["app"] = self
            scope.setdefault("router", self.router)
            match, child = self._mount.matches(scope)
            if match is Match.FULL:
                scope["route"] = self._mount
                scope.update(child)
                await self._lane(scope, receive, send)
                return
        await super().__call__(scope, receive, send)


def outer_exception_handlers(allowed: AllowedMethods) -> dict[Any, Any]:
    """404/405 outside the contract's routes (a path no route can match, such as one with
    a newline, or a shadowed concrete path) in the same problem format."""

    async def outer_problem(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 404)
        path = request.url.path
        if status == 405:
            return starlette_problem(
                "method_not_allowed",
                f"{request.method} is not a method of {path}.",
                path,
                {"Allow": allowed.header(path)},
            )
        return starlette_problem("not_found", "There is no endpoint at this path.", path)

    return {404: outer_problem, 405: outer_problem}


def service_routes(contract: Contract, settings: Settings, runtime: Runtime) -> list[Route]:
    """The routes outside the contract: health, metrics, the served document, problem pages."""
    return [
        *health_routes(runtime, settings),
        Route("/metrics", telemetry.metrics_endpoint(settings, runtime)),
        *document_routes(contract),
        *problem_routes(),
    ]


def health_routes(runtime: Runtime, settings: Settings) -> list[Route]:
    """``/healthz``: the process is up; ``/readyz``: what each dependency says.

    ``/readyz`` answers 503 (with ``Retry-After``) only when the API cannot serve, that is
    when the database does not answer within ``READYZ_TIMEOUT_SECONDS``; Redis down is
    ``degraded`` (200): jobs wait in the outbox and reads bypass the cache.
    """

    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    # Threads of their own: the request threads (HANDLER_THREADS of them) may all be
    # busy, and a probe queued behind them would report a healthy database as down.
    limiters = {"database": anyio.CapacityLimiter(2), "redis": anyio.CapacityLimiter(2)}

    async def probe(name: str, check: Callable[[], health.Check]) -> health.Check:
        started = time.perf_counter()
        try:
            # A deadline of its own: a frozen dependency must not hang the probe. A check
            # still running at the deadline is abandoned (it ends by its own timeouts).
            return await asyncio.wait_for(
                anyio.to_thread.run_sync(check, abandon_on_cancel=True, limiter=limiters[name]),
                settings.readyz_timeout_seconds,
            )
        except TimeoutError:
            waited = round((time.perf_counter() - started) * 1000, 1)
            return health.Check(False, waited, "timeout")

    async def readyz(request: Request) -> Response:
        database, redis_check = await asyncio.gather(
            probe("database", lambda: health.check_database(runtime.database)),
            probe(
                "redis",
                lambda: health.check_redis(settings.redis_url, settings.readyz_timeout_seconds),
            ),
        )
        checks = {
            name: {
                "status": "up" if c.up else "down",
                "latencyMs": c.latency_ms,
                **({"error": c.error} if c.error else {}),
            }
            for name, c in (("database", database), ("redis", redis_check))
        }
        if not database.up:
            logger.warning("readiness check failed: database %s", database.error)
            return starlette_problem(
                "service_unavailable",
                "The database is not reachable.",
                request.url.path,
                {"Retry-After": str(settings.unavailable_retry_after_seconds)},
                extra={"checks": checks},
            )
        status = "ready" if redis_check.up else "degraded"
        return JSONResponse({"status": status, "checks": checks})

    return [Route("/healthz", healthz), Route("/readyz", readyz)]


def document_routes(contract: Contract) -> list[Route]:
    """The hand-written document, as written (YAML) and as JSON."""

    async def openapi_json(_: Request) -> Response:
        return Response(contract.json_text, media_type="application/json")

    async def openapi_yaml(_: Request) -> Response:
        return Response(contract.yaml_text, media_type="application/yaml")

    return [
        Route(f"{contract.base_path}/openapi.json", openapi_json),
        Route(f"{contract.base_path}/openapi.yaml", openapi_yaml),
    ]


def problem_routes() -> list[Route]:
    """``/problems`` and ``/problems/{slug}``: what each problem ``type`` means."""

    async def problem_page(request: Request) -> Response:
        slug = request.path_params["slug"]
        for code, kind in CATALOG.items():
            if kind.slug == slug:
                return HTMLResponse(_problem_html(code, kind.title, kind.status, kind.explanation))
        return HTMLResponse("<h1>Unknown problem type</h1>", status_code=404)

    async def problem_index(_: Request) -> Response:
        items = "".join(
            f'<li><a href="/problems/{k.slug}">{k.slug}</a> ({k.status}): {k.title}</li>'
            for k in CATALOG.values()
        )
        return HTMLResponse(f"<!doctype html><title>Problem types</title><ul>{items}</ul>")

    return [Route("/problems", problem_index), Route("/problems/{slug}", problem_page)]


def _pydantic_error_handler(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    # The request schemas already passed JSON Schema validation; this is a safety net for
    # a value the generated model reads more strictly than the schema does.
    if not isinstance(exc, pydantic.ValidationError):
        raise TypeError(exc)
    errors = [
        {"pointer": "".join(f"/{p}" for p in e["loc"]), "detail": e["msg"] + "."}
        for e in exc.errors(include_url=False)
    ]
    return problem_response(
        "validation_failed",
        "The request body has invalid fields.",
        instance=request_instance(request),
        errors=errors,
    )


def _busy_handler(request: ConnexionRequest, _exc: Exception) -> ConnexionResponse:
    # Lost a race with concurrent writers three times in a row: nothing was changed.
    return problem_response(
        "service_unavailable",
        "The request collided with concurrent changes and was not applied; retry it.",
        instance=request_instance(request),
        headers={"Retry-After": "1"},
    )


def _not_implemented(*_args: Any, **_kwargs: Any) -> ConnexionResponse:
    raise NotImplementedError


def _with_placeholders(handlers: dict[str, Handler], contract: Contract) -> dict[str, Handler]:
    """Every operationId of the spec gets a handler; one still being built fails loudly.

    ``tests/api/test_handlers_complete.py`` fails while any placeholder is in use.
    """
    out = dict(handlers)
    for operation_id in contract.operations:
        out.setdefault(operation_id, _not_implemented)
    return out


def _lifespan(runtime: Runtime | None, threads: HandlerThreads) -> Any:
    """Size anyio's worker threads to the handler threads too; at shutdown let the handler threads
    end and close the runtime, when the app opened it (a caller's is theirs).

    Sync handlers run in ``threads``: ``HANDLER_THREADS``, never more than pooled
    connections (``DATABASE_POOL_SIZE``). With more threads than pooled connections, a
    burst checks out overflow connections that the pool closes again when they come back:
    hundreds of new PostgreSQL sessions per second under steady load. With at most the
    pool size of handlers at once, requests queue for a thread instead, and every one
    reuses a pooled connection. Whatever else runs in anyio's threads (40 by default) is
    held to the same number.
    """

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = threads.size
        yield
        threads.close()
        if runtime is not None:
            runtime.close()

    return lifespan


class AllowedMethods:
    """The methods the contract declares for each path, for ``Allow`` headers."""

    def __init__(self, contract: Contract) -> None:
        self._base = contract.base_path
        entries = []
        for path, declared in contract.methods_by_path().items():
            methods = list(declared)
            if "GET" in methods:
                methods.append("HEAD")
            pattern = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(self._base + path))
            entries.append((path, "{" in path, re.compile(f"^{pattern}$"), methods))
        # Concrete paths first: /users/me is not /users/{userId}.
        self._entries = sorted(entries, key=lambda e: e[1])

    def methods(self, path: str) -> list[str]:
        for _, _templated, regex, methods in self._entries:
            if regex.match(path):
                return methods
        return []

    def header(self, path: str) -> str:
        return ", ".join(self.methods(path))

    def shadow_routes(self) -> list[Route]:
        """Routes answering 405 for concrete paths that a templated path would swallow
        (``PATCH /users/me`` must not reach ``/users/{userId}`` and fail on its id)."""
        base = self._base
        routes = []
        templated = [e for e in self._entries if e[1]]
        for path, is_templated, _, methods in self._entries:
            if is_templated or not any(t[2].match(base + path) for t in templated):
                continue
            other = [m for m in ("POST", "PUT", "PATCH", "DELETE") if m not in methods]
            if other:
                routes.append(Route(base + path, _refuse_method, methods=other))
        return routes


async def _refuse_method(_request: Request) -> Response:
    raise HTTPException(status_code=405)


def _problem_html(code: str, title: str, status: int, explanation: str) -> str:
    return (
        "<!doctype html><meta charset=utf-8>"
        f"<title>{escape(title)}</title>"
        f"<h1>{escape(title)}</h1>"
        f"<p>HTTP status <b>{status}</b>; problem code <code>{escape(code)}</code>.</p>"
        f"<p>{escape(explanation)}</p>"
        '<p><a href="/problems">All problem types</a></p>'
    )
