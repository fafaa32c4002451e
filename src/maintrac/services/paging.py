"""Cursor pages for any list: decode the client's cursor, fetch one extra row, encode the next.

A cursor is bound to what it pages through: the tenant and the query (the list, its
filters and path parameters) go into the cursor's MAC, not into its payload, so a cursor
replayed under another tenant or with other filters is an invalid cursor (400) while its
format stays ``base64url(mac || payload)``. The sort travels in the payload (a cursor for
another sort is refused with its own message), the page size is not bound (a client may
change ``limit`` between pages).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from decimal import InvalidOperation
from typing import Any, TypeVar

import orjson

from maintrac.core.errors import InvalidCursor
from maintrac.core.pagination import CursorCodec, Page
from maintrac.db.paging import Keyset
from maintrac.db.transaction import TenantSession, tenant_of

Item = TypeVar("Item")

#: Fetches up to ``limit`` items after the key (None: from the start), in keyset order.
Fetch = Callable[[Sequence[Any] | None, int], list[Item]]


def query_scope(tenant: object, query: Mapping[str, Any]) -> bytes:
    """A canonical fingerprint of the tenant and the query a cursor belongs to.

    Filter values are compared as text; a list filter is a set (``status=open,closed``
    is the same query as ``status=closed,open``); an absent filter equals None.
    """

    def text(value: Any) -> str:
        if isinstance(value, datetime):
            try:
                return value.astimezone(UTC).isoformat()  # one instant, however written
            except OverflowError:  # at the calendar's edge (year 1 or 9999): as written
                return value.isoformat()
        return str(value)

    def canonical(value: Any) -> Any:
        if isinstance(value, list | tuple | set | frozenset):
            return sorted({text(v) for v in value})
        return None if value is None else text(value)

    source = {"tenant": str(tenant), "query": {k: canonical(v) for k, v in query.items()}}
    document: bytes | None
    try:
        document = orjson.dumps(source, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:  # a lone surrogate, which json.dumps escapes
        document = None
    if document is None or not document.isascii() or b"\\" in document or b"\x7f" in document:
        # Escapes (non-ASCII, control characters) as json.dumps writes them: the same
        # bytes as ever, so a cursor issued before stays valid. Without any, the two agree.
        document = json.dumps(source, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(document).digest()


def paginate(  # noqa: PLR0917  # one page: where, which list, how many
    session: TenantSession,
    codec: CursorCodec,
    keyset: Keyset[Item],
    cursor: str | None,
    limit: int,
    query: Mapping[str, Any],
    fetch: Fetch[Item],
) -> Page[Item]:
    """One page of ``fetch``: ``query`` names the list and its filters (the cursor's scope)."""
    scope = query_scope(tenant_of(session), query)
    after = decode_after(codec, cursor, keyset, scope)
    return make_page(fetch(after, limit + 1), limit, codec=codec, keyset=keyset, scope=scope)


def decode_after(
    codec: CursorCodec, cursor: str | None, keyset: Keyset[Any], scope: bytes
) -> list[Any] | None:
    """The key after which the page starts, or None for the first page."""
    if cursor is None:
        return None
    key = codec.decode(cursor, keyset.name, scope=scope)
    try:
        return keyset.parse(key)
    except (ValueError, InvalidOperation) as exc:
        raise InvalidCursor("The cursor is not one this API issued.") from exc


def make_page(
    items: Sequence[Item],
    limit: int,
    *,
    codec: CursorCodec,
    keyset: Keyset[Item],
    scope: bytes,
) -> Page[Item]:
    """``items`` was fetched with ``limit + 1``: the extra one only says another page exists."""
    shown = list(items[:limit])
    next_cursor = None
    if len(items) > limit and shown:
        next_cursor = codec.encode(keyset.name, keyset.key(shown[-1]), scope=scope)
    return Page(items=shown, next_cursor=next_cursor)
