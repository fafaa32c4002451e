"""Opaque, signed keyset cursors.

A cursor holds the sort it was issued for and the key of the last row returned. It is
base64url(HMAC || JSON), so a client can neither forge one nor reuse one with another
sort order. The HMAC also covers a ``scope`` that is not in the payload (the caller's
fingerprint of the tenant and the query), so a cursor replayed in another scope fails
verification like a forged one, and the cursor's format does not depend on the scope.
Keyset pagination (``WHERE key < :last``) stays correct while rows are inserted
concurrently: no row present when paging started is skipped or repeated.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from maintrac.core.errors import InvalidCursor

T = TypeVar("T")

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
_MAC_BYTES = 16


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None

    @property
    def has_more(self) -> bool:
        return self.next_cursor is not None


class CursorCodec:
    """Encodes and verifies cursors with a server-side secret."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) < 16:
            raise ValueError("cursor secret must be at least 16 bytes")
        self._secret = secret

    def _mac(self, scope: bytes, payload: bytes) -> bytes:
        # Length-prefixed, so that no (scope, payload) pair can pass for another.
        message = len(scope).to_bytes(4, "big") + scope + payload
        return hmac.digest(self._secret, message, "sha256")[:_MAC_BYTES]

    def encode(self, sort: str, key: list[Any], *, scope: bytes = b"") -> str:
        payload = json.dumps({"s": sort, "k": key}, separators=(",", ":")).encode()
        mac = self._mac(scope, payload)
        return base64.urlsafe_b64encode(mac + payload).rstrip(b"=").decode()

    def decode(self, cursor: str, sort: str, *, scope: bytes = b"") -> list[Any]:
        """The key stored in ``cursor``; InvalidCursor when garbled, forged, issued in
        another ``scope`` (tenant, query), or for another sort."""
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        except (binascii.Error, ValueError) as exc:
            raise InvalidCursor("The cursor is not one this API issued.") from exc
        mac, payload = raw[:_MAC_BYTES], raw[_MAC_BYTES:]
        if len(mac) != _MAC_BYTES or not hmac.compare_digest(mac, self._mac(scope, payload)):
            raise InvalidCursor(
                "The cursor is not one this API issued for this list, these filters and "
                "your tenant; start again without a cursor."
            )
        data = json.loads(payload)
        if data.get("s") != sort:
            raise InvalidCursor(
                "The cursor was issued for another sort order; start again without a cursor.",
                issuedFor=data.get("s"),
            )
        key = data.get("k")
        if not isinstance(key, list):
            raise InvalidCursor("The cursor is not one this API issued.")
        return key
