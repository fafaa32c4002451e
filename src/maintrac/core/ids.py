"""Identifiers: UUIDv7 everywhere (time-ordered, so primary-key indexes stay compact)."""

from __future__ import annotations

import os
import threading
import time
import uuid

#: The version (7) and variant (RFC 9562) bits, set over the random bits.
_VERSION_AND_VARIANT = (0x7 << 76) | (0x2 << 62)
_RANDOM_MASK = ~((0xF << 76) | (0x3 << 62)) & ((1 << 80) - 1)

_lock = threading.Lock()
_last_ms = 0


def _milliseconds(count: int) -> int:
    """The first of ``count`` consecutive timestamps (ms) for new ids: now, or one past
    the last id's when that is not earlier (two ids in one millisecond, or a clock that
    went back), so that ids stay monotonic within the process (as ``uuid6.uuid7``)."""
    global _last_ms  # noqa: PLW0603  # the process-wide monotonic clock
    with _lock:
        first = max(time.time_ns() // 1_000_000, _last_ms + 1)
        _last_ms = first + count - 1
    return first


def new_id() -> uuid.UUID:
    """A new UUIDv7, monotonic within this process: 48 bits of Unix milliseconds, then
    random bits."""
    return new_ids(1)[0]


def new_ids(count: int) -> list[uuid.UUID]:
    """``count`` new ids at once, in ascending order (as many ``new_id`` calls, with one
    read of the random source: bulk writes take several ids per row)."""
    if count <= 0:
        return []
    first = _milliseconds(count)
    noise = os.urandom(10 * count)
    return [
        uuid.UUID(
            int=((first + i) & 0xFFFF_FFFF_FFFF) << 80
            | (int.from_bytes(noise[10 * i : 10 * i + 10]) & _RANDOM_MASK)
            | _VERSION_AND_VARIANT
        )
        for i in range(count)
    ]
