"""Optimistic concurrency: a resource's ``version`` is its ETag."""

from __future__ import annotations

import re

from maintrac.core.errors import PreconditionFailed

#: What ``If-Match`` asked for: None (absent), "*" (any), or a version (-1: none we issued).
ExpectedVersion = int | str | None

_ETAG = re.compile(r'^\s*(?:W/)?"(\d{1,18})"\s*$')


def etag(version: int) -> str:
    return f'"{version}"'


def parse_if_match(header: str | None) -> ExpectedVersion:
    """The version an ``If-Match`` header names: None when absent, ``"*"`` for any,
    ``-1`` when it names no version this API could have issued (it then never matches)."""
    if header is None:
        return None
    if header.strip() == "*":
        return "*"
    for candidate in header.split(","):
        match = _ETAG.match(candidate)
        if match:
            return int(match.group(1))
    return -1


def check_version(resource: str, current: int, expected: ExpectedVersion) -> None:
    """Raise PreconditionFailed unless ``expected`` (from If-Match) allows ``current``."""
    if expected is None or expected in ("*", current):
        return
    raise PreconditionFailed(
        f"The {resource} has changed: it is at version {current}"
        + (f", not {expected}." if isinstance(expected, int) and expected >= 0 else ".")
        + " Read it again and retry with its new ETag.",
        currentEtag=etag(current),
    )
