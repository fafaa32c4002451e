"""The served HTTP protocol writes a header block and its body in one call, and never
holds a header block back (``maintrac.api.http_protocol``).

The whole suite's live server (``tests/conftest.py``) and ``maintrac serve`` use it, so
every HTTP test checks that the bytes are unchanged; these tests check the write calls
and that a response whose body comes later still gets its headers out at once.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, StreamingResponse
from starlette.routing import Route

from maintrac.api.http_protocol import CoalescingHttpToolsProtocol, CoalescingTransport

HEADERS = b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\n"


class Recorder(asyncio.Transport):
    """The far end of the wrapper: what reaches the socket, call by call."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.writes.append(bytes(data))

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def get_extra_info(self, name: str, default: object = None) -> object:
        return {"peername": ("127.0.0.1", 1)}.get(name, default)


def test_a_header_block_and_its_body_leave_in_one_write() -> None:
    loop = asyncio.new_event_loop()
    try:
        far = Recorder()
        transport = CoalescingTransport(far, loop)
        transport.write(HEADERS)
        assert far.writes == []
        transport.write(b"hello")
        assert far.writes == [HEADERS + b"hello"]
        transport.write(b"more")  # a body's later chunks pass straight on
        assert far.writes == [HEADERS + b"hello", b"more"]
        loop.run_until_complete(asyncio.sleep(0))  # the scheduled flush has nothing to do
        assert far.writes == [HEADERS + b"hello", b"more"]
    finally:
        loop.close()


def test_a_held_block_is_written_on_the_next_loop_turn_and_on_close() -> None:
    loop = asyncio.new_event_loop()
    try:
        far = Recorder()
        transport = CoalescingTransport(far, loop)
        transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        loop.run_until_complete(asyncio.sleep(0))
        assert far.writes == [b"HTTP/1.1 100 Continue\r\n\r\n"]
        # A second header block right behind a held one goes with it, in order.
        transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        transport.write(HEADERS)
        assert far.writes[1:] == [b"HTTP/1.1 100 Continue\r\n\r\n" + HEADERS]
        transport.write(b"HTTP/1.1 204 No Content\r\n\r\n")
        transport.close()
        assert far.writes[2:] == [b"HTTP/1.1 204 No Content\r\n\r\n"]
        assert far.closed
        # Anything else is the transport's own.
        assert transport.get_extra_info("peername") == ("127.0.0.1", 1)
        assert transport.is_closing()
    finally:
        loop.close()


def test_what_is_not_a_header_block_is_written_at_once() -> None:
    loop = asyncio.new_event_loop()
    try:
        far = Recorder()
        transport = CoalescingTransport(far, loop)
        # uvicorn's own error answer is one write of headers and body.
        whole = b"HTTP/1.1 500 Internal Server Error\r\ncontent-length: 3\r\n\r\nerr"
        transport.write(whole)
        assert far.writes == [whole]
    finally:
        loop.close()


released = threading.Event()


async def _late(_: Request) -> StreamingResponse:
    async def body() -> AsyncIterator[bytes]:
        # The first chunk waits for the client to have seen the headers (or gives up).
        for _ in range(500):
            if released.is_set():
                break
            await asyncio.sleep(0.02)
        yield b"late chunk"

    return StreamingResponse(body(), media_type="text/plain")


async def _plain(_: Request) -> PlainTextResponse:
    return PlainTextResponse("plain body")


@pytest.fixture(scope="module")
def served() -> Iterator[int]:
    app = Starlette(routes=[Route("/late", _late), Route("/plain", _plain)])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host="127.0.0.1",
            port=port,
            log_level="warning",
            lifespan="off",
            http=CoalescingHttpToolsProtocol,
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    yield port
    server.should_exit = True
    thread.join(10)


def _read_until(sock: socket.socket, marker: bytes) -> bytes:
    data = b""
    while marker not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def test_a_streamed_response_gets_its_headers_before_its_first_chunk(served: int) -> None:
    released.clear()
    with socket.create_connection(("127.0.0.1", served), timeout=5) as sock:
        sock.sendall(b"GET /late HTTP/1.1\r\nhost: t\r\n\r\n")
        # If the header block were held until the first chunk, this would time out: the
        # chunk is only produced once the headers have arrived.
        head = _read_until(sock, b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200 OK\r\n")
        assert b"late chunk" not in head
        released.set()
        rest = _read_until(sock, b"0\r\n\r\n")
        assert b"late chunk" in rest


def test_responses_on_one_connection_keep_their_bytes(served: int) -> None:
    with socket.create_connection(("127.0.0.1", served), timeout=5) as sock:
        for _ in range(3):
            sock.sendall(b"GET /plain HTTP/1.1\r\nhost: t\r\n\r\n")
            data = _read_until(sock, b"plain body")
            head, _, body = data.partition(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 200 OK\r\n")
            assert b"content-length: 10" in head
            assert body == b"plain body"
        sock.sendall(b"HEAD /plain HTTP/1.1\r\nhost: t\r\n\r\n")
        head = _read_until(sock, b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200 OK\r\n")
        assert head.endswith(b"\r\n\r\n")
