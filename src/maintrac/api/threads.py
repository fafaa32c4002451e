"""The worker threads that run the contract's (synchronous) handlers.

Every handler does its database work with synchronous psycopg, so it runs off the event
loop. Connexion hands a sync handler to Starlette's ``run_in_threadpool`` (anyio's
``to_thread.run_sync``): per call a capacity-limiter acquisition, a cancel scope, a
``queue.Queue`` put (a Python ``Condition`` per waiter) and a new future, about a tenth of
the event loop's time under load. ``HandlerThreads`` is the same hop through a
``ThreadPoolExecutor`` (a C ``SimpleQueue``): submit, one ``call_soon_threadsafe`` back.

What stays as it was:

* at most ``size`` handlers run at once (``HANDLER_THREADS``, never more than the database
  pool's size: see ``app._lifespan``);
  the others wait, first come first served;
* the handler sees the request's context variables (Connexion's request and context, the
  request id and tenant of the logs), copied as anyio copies them;
* a caller cancelled while its handler runs is let go only once the handler has finished
  (anyio's ``abandon_on_cancel=False``): its transaction is never left half-way by it.
"""

from __future__ import annotations

import asyncio
import contextvars
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


class HandlerThreads:
    """At most ``size`` threads, started as they are needed."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._executor: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def _pool(self) -> ThreadPoolExecutor:
        executor = self._executor
        if executor is None:
            with self._lock:
                if self._executor is None:
                    self._executor = ThreadPoolExecutor(
                        max_workers=self.size, thread_name_prefix="maintrac-handler"
                    )
                executor = self._executor
        return executor

    async def run(self, function: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """``function(*args, **kwargs)`` in one of the threads, in a copy of this context."""
        loop = asyncio.get_running_loop()
        context = contextvars.copy_context()
        done = self._pool().submit(context.run, function, *args, **kwargs)
        try:
            return await asyncio.wrap_future(done, loop=loop)
        except asyncio.CancelledError:
            # Not started yet: it never will be (cancelled with the wrapper). Running:
            # wait for it to finish, however often the caller is cancelled meanwhile.
            while not done.done():
                try:
                    await asyncio.shield(asyncio.wrap_future(done, loop=loop))
                except asyncio.CancelledError:
                    continue
                except BaseException:  # noqa: BLE001  # its outcome is the caller's no more
                    break
            raise

    def close(self) -> None:
        """Let the threads end (running handlers finish first); a later ``run`` starts new
        ones."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=False)
