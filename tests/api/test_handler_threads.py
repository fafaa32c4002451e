"""The threads that run the contract's handlers (``api/threads.py``) and their number
(``HANDLER_THREADS``, at most ``DATABASE_POOL_SIZE``)."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import threading
import time

from maintrac.api.app import create_app
from maintrac.api.threads import HandlerThreads
from maintrac.config import Settings
from maintrac.services.runtime import Runtime

REQUEST = contextvars.ContextVar("request", default="none")


def test_at_most_size_handlers_run_at_once_and_the_rest_wait_their_turn() -> None:
    threads = HandlerThreads(3)
    running = 0
    most = 0
    order: list[int] = []
    lock = threading.Lock()

    def handler(n: int) -> int:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.05)
        with lock:
            running -= 1
            order.append(n)
        return n * 10

    async def main() -> list[int]:
        return await asyncio.gather(*(threads.run(handler, n) for n in range(9)))

    try:
        assert asyncio.run(main()) == [n * 10 for n in range(9)]
    finally:
        threads.close()
    assert most == 3
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
        for task in (running, waiting):
            with contextlib.suppress(asyncio.CancelledError):
                await task
        took = time.monotonic() - t0
        await threads.run(lambda: None)  # the thread is free again
        return took

    try:
        took = asyncio.run(main())
    finally:
        threads.close()
    assert finished == ["slow"]
    assert took >= 0.2  # it waited for the running handler


def test_the_app_runs_handler_threads_handlers_at_once_never_more_than_the_pool(
    settings: Settings, runtime: Runtime
) -> None:
    assert Settings.model_fields["handler_threads"].default == 4
    few = create_app(settings.model_copy(update={"handler_threads": 3}), runtime)
    assert few.state.handler_threads.size == 3
    capped = create_app(
        settings.model_copy(update={"handler_threads": 50, "database_pool_size": 5}), runtime
    )
    assert capped.state.handler_threads.size == 5
