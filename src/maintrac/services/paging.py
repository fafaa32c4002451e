"""Cursor pages for any list: decode the client's cursor, cut one extra row, encode the next.

Keys travel as JSON strings (UUIDs, ISO timestamps, decimals) and are parsed back by the
caller's ``parse`` functions; a key that does not parse is an invalid cursor.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from maintrac.core.errors import InvalidCursor
from maintrac.core.pagination import CursorCodec, Page

Row = TypeVar("Row")
Item = TypeVar("Item")

Parser = Callable[[str], Any]


def as_uuid(value: str) -> uuid.UUID:
    return uuid.UUID(value)


def as_datetime(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("naive timestamp in cursor")
    return moment


def as_decimal(value: str) -> Decimal:
    return Decimal(value)


def decode_after(
    codec: CursorCodec, cursor: str | None, sort: str, parsers: Sequence[Parser]
) -> list[Any] | None:
    """The key after which the page starts, or None for the first page."""
    if cursor is None:
        return None
    key = codec.decode(cursor, sort)
    if len(key) != len(parsers) or not all(isinstance(k, str) for k in key):
        raise InvalidCursor("The cursor is not one this API issued.")
    try:
        return [parse(value) for parse, value in zip(parsers, key, strict=True)]
    except (ValueError, InvalidOperation) as exc:
        raise InvalidCursor("The cursor is not one this API issued.") from exc


def make_page(
    rows: Sequence[Row],
    limit: int,
    *,
    codec: CursorCodec,
    sort: str,
    key: Callable[[Row], Sequence[Any]],
    convert: Callable[[Row], Item],
) -> Page[Item]:
    """``rows`` was fetched with ``limit + 1``: the extra row only says another page exists."""
    shown = rows[:limit]
    next_cursor = None
    if len(rows) > limit and shown:
        next_cursor = codec.encode(sort, [_text(v) for v in key(shown[-1])])
    return Page(items=[convert(r) for r in shown], next_cursor=next_cursor)


def _text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)
