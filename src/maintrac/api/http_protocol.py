"""The HTTP/1.1 protocol the API is served with: uvicorn's httptools protocol, with each
response's header block and its first body bytes written to the socket in one call.

Uvicorn writes a response in two ``transport.write`` calls, the header block when the app
sends ``http.response.start`` and the body when it sends ``http.response.body``: two
``send`` system calls, two TCP segments, two wake-ups of the client. uvloop makes each call
while holding the GIL, and on loopback the kernel runs the receiver's side of TCP inside
that call and may switch to the woken client there: the event loop then holds the GIL
while it is off the CPU, and every handler thread waits for it. Measured on
``GET /v1/work-orders?limit=50`` (``bench/compare.py``, wrk -c16, pairs of alternating
runs): 22% of the GIL-holding samples were in the header write; coalesced, 5-20% more
requests a second and 7-13% less server CPU a request.

``CoalescingTransport`` holds a header block until the next write (the body, which
Starlette sends right after the start), and writes both at once. Nothing waits on it: a
block held at the end of an event-loop turn (a streamed response whose first chunk is
not ready, a ``100 Continue``) is written on the next turn, and closing the transport
writes it first. Bytes and their order are unchanged.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

#: How uvicorn's status line starts (it answers HTTP/1.0 requests with it too).
_STATUS_LINE = b"HTTP/1.1 "
_END_OF_HEADERS = b"\r\n\r\n"


class CoalescingTransport:
    """A transport wrapper that writes a header block together with what follows it."""

    __slots__ = ("_held", "_loop", "_transport")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._held: bytes | None = None

    def write(self, data: bytes) -> None:
        held = self._held
        if held is not None:
            self._held = None
            self._transport.write(held + data)
        elif data.startswith(_STATUS_LINE) and data.endswith(_END_OF_HEADERS):
            self._held = data
            self._loop.call_soon(self.flush)
        else:
            self._transport.write(data)

    def flush(self) -> None:
        """Write a held header block now (a no-op when none is held)."""
        held, self._held = self._held, None
        if held is not None and not self._transport.is_closing():
            self._transport.write(held)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def __getattr__(self, name: str) -> Any:
        # Everything else (is_closing, pause_reading, get_extra_info, abort...) is the
        # transport's own.
        return getattr(self._transport, name)


class CoalescingHttpToolsProtocol(HttpToolsProtocol):
    """Uvicorn's httptools protocol over a ``CoalescingTransport``; pass it as
    ``uvicorn.run(..., http=CoalescingHttpToolsProtocol)``."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(CoalescingTransport(transport, self.loop))  # type: ignore[arg-type]
