"""The threads that run the contract's handlers (``api/threads.py``) and their number
(``HANDLER_THREADS``, at most ``DATABASE_POOL_SIZE``)."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import threading
import time
from typing import Any

import anyio
import httpx
import pytest

from maintrac.api.app import create_app
from maintrac.api.threads import HandlerThreads
from maintrac.config import Settings
from maintrac.services.runtime import Runtime
from tests.conftest import Tenant

REQUEST = contextvars.ContextVar("request", default="none")


def test_at_most_size_handlers_run_at_once_and_the_rest_wait_their_turn() -> None:
    threads = HandlerThreads(3)
    running: set[int] = set()
    most = 0
    order: list[int] = []
    lock = threading.Lock()
    first_three = threading.Barrier(3, timeout=10)  # broken (an error) if fewer ever run

    def handler(n: int) -> int:
        nonlocal most
        with lock:
            running.add(n)
            most = max(most, len(running))
        if n < 3:
            first_three.wait()
        time.sleep(0.01)
        with lock:
            running.discard(n)
            order.append(n)
        return n * 10

    async def main() -> list[int]:
        return await asyncio.gather(*(threads.run(handler, n) for n in range(9)))

    try:
        assert asyncio.run(main()) == [n * 10 for n in range(9)]
    finally:
        threads.close()
    assert most == 3  # the barrier needs 3 at once; a fourth never joined them
    assert sorted(order[:3]) == [0, 1, 2]  # first come, first served


def test_a_handler_sees_the_callers_context_and_its_errors_reach_the_caller() -> None:
    threads = HandlerThreads(2)

    def handler() -> str:
        return REQUEST.get()

    def failing() -> None:
        raise LookupError("no such thing")

    async def main() -> tuple[str, str]:
        REQUEST.set("req-1")
        seen = await threads.run(handler)
        try:
            await threads.run(failing)
        except LookupError as exc:
            return seen, str(exc)
        return seen, "no error"

    try:
        assert asyncio.run(main()) == ("req-1", "no such thing")
    finally:
        threads.close()


def test_a_cancelled_caller_is_let_go_only_after_its_running_handler_finished() -> None:
    threads = HandlerThreads(1)
    started = threading.Event()
    finished: list[str] = []

    def slow() -> None:
        started.set()
        time.sleep(0.3)
        finished.append("slow")

    def queued() -> None:
        finished.append("queued")

    async def main() -> float:
        running = asyncio.ensure_future(threads.run(slow))
        waiting = asyncio.ensure_future(threads.run(queued))
        while not started.is_set():
            await asyncio.sleep(0.01)
        t0 = time.monotonic()
        running.cancel()
        waiting.cancel()  # not started yet: it never will be
        with contextlib.suppress(asyncio.CancelledError):
            await running
        took = time.monotonic() - t0
        assert finished == ["slow"]  # its caller was let go only once it had finished
        with contextlib.suppress(asyncio.CancelledError):
            await waiting
        await threads.run(lambda: None)  # the thread is free again
        return took

    try:
        took = asyncio.run(main())
    finally:
        threads.close()
    assert finished == ["slow"]
    assert took >= 0.2  # it waited for the running handler


def test_the_app_runs_handler_threads_handlers_at_once_never_more_than_the_pool(
    settings: Settings, runtime: Runtime, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert Settings.model_fields["handler_threads"].default == 4
    capped = create_app(
        settings.model_copy(update={"handler_threads": 50, "database_pool_size": 5}), runtime
    )
    assert capped.state.handler_threads.size == 5
    app = create_app(settings.model_copy(update={"handler_threads": 3}), runtime)
    used: list[HandlerThreads] = []
    run = HandlerThreads.run

    async def recording(self: HandlerThreads, *args: Any, **kwargs: Any) -> Any:
        used.append(self)
        return await run(self, *args, **kwargs)

    monkeypatch.setattr(HandlerThreads, "run", recording)

    async def request() -> tuple[int, int]:
        async with app.router.lifespan_context(app):
            limiter = anyio.to_thread.current_default_thread_limiter().total_tokens
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                response = await client.get("/v1/work-orders?limit=1", headers=tenant.headers())
        return response.status_code, int(limiter)

    status, limiter = asyncio.run(request())
    assert status == 200
    assert used
    assert all(t is app.state.handler_threads for t in used)
    assert app.state.handler_threads.size == 3
    assert limiter == 3  # whatever else runs in anyio's threads is held to it too
