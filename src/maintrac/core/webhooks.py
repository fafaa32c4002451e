"""Webhook endpoints and deliveries: the rules that need no network or database.

A target URL is https (plain http only where private targets are allowed, for
development), names a host, carries no credentials, and every address its host resolves
to is public (no loopback, private, link-local, shared, multicast or reserved address),
unless private targets are allowed. The check runs when an endpoint is saved and again
before every delivery, on the addresses the connection then uses (DNS may have changed).

Signing follows Standard Webhooks: the secret is ``whsec_`` + base64 of 32 random bytes;
a delivery is signed over ``{webhook-id}.{webhook-timestamp}.{body}`` with HMAC-SHA256,
sent as ``webhook-signature: v1,<base64>`` (one per valid secret, space-separated).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import random
import re
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Final
from urllib.parse import urlsplit

from maintrac.core.errors import DomainError

SECRET_PREFIX: Final = "whsec_"
#: A DNS name, an IPv4 address or (what urlsplit leaves of a bracketed) IPv6 address.
_HOST: Final = re.compile(r"[A-Za-z0-9._-]{1,253}|[0-9A-Fa-f:.]{2,45}")
_RNG: Final = random.Random()  # noqa: S311 - jitter, not a secret


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class WebhookEndpoint:
    id: uuid.UUID
    url: str
    event_types: tuple[str, ...]
    enabled: bool
    description: str | None
    disabled_reason: str | None
    disabled_at: datetime | None
    secret_rotated_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime
    #: Only right after creation or rotation; None everywhere else.
    secret: str | None = None


@dataclass(frozen=True, slots=True)
class Attempt:
    attempted_at: datetime
    status_code: int | None
    duration_ms: int
    error: str | None


@dataclass(frozen=True, slots=True)
class WebhookDelivery:
    id: uuid.UUID
    endpoint_id: uuid.UUID
    event_id: uuid.UUID
    event_type: str
    status: DeliveryStatus
    attempts: tuple[Attempt, ...]
    next_retry_at: datetime | None
    last_error: str | None
    created_at: datetime
    updated_at: datetime


class DeliveryNotRetryable(DomainError):
    """Only a failed delivery of an enabled endpoint can be retried by hand."""

    code = "webhook_delivery_not_retryable"


class TargetRefused(DomainError):
    """A webhook URL the API will not send to (scheme, form, or the addresses its host
    resolves to right now); ``errors`` points at ``/url`` like a validation failure."""

    code = "webhook_target_refused"

    def __init__(self, detail: str) -> None:
        super().__init__(f"/url: {detail}", errors=[{"pointer": "/url", "detail": detail}])


class UnsafeTarget(Exception):
    """A delivery's target is not allowed (not https, or a non-public address)."""


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """One ``v1,<base64>`` signature of ``body`` under ``secret``."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    content = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signature_header(secrets_: Sequence[str], message_id: str, timestamp: int, body: bytes) -> str:
    return " ".join(sign(s, message_id, timestamp, body) for s in secrets_)


def check_url(url: str, *, allow_private: bool) -> tuple[str, int]:
    """The URL's host and port, or TargetRefused naming what is wrong with it."""
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
    except ValueError:
        raise TargetRefused("Is not a valid URL.") from None
    allowed = ("https", "http") if allow_private else ("https",)

    def bad(detail: str) -> TargetRefused:
        return TargetRefused(detail)

    if parts.scheme not in allowed:
        raise bad("Must be an https URL.")
    if not hostname or not _HOST.fullmatch(hostname):
        raise bad("Must name a host (a DNS name or an IP address).")
    if parts.username or parts.password:
        raise bad("Must not carry credentials; authenticate the request by its signature.")
    if parts.fragment:
        raise bad("Must not have a fragment.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise bad("Has an invalid port.") from None
    return hostname, port


def is_public(address: str) -> bool:
    """True for an address on the public Internet (IPv4-mapped IPv6 judged as IPv4)."""
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check_addresses(addresses: Sequence[str], *, allow_private: bool) -> None:
    """Raises UnsafeTarget unless every address is public (or private ones are allowed)."""
    if not addresses:
        raise UnsafeTarget("the host resolves to no address")
    if allow_private:
        return
    refused = [a for a in addresses if not is_public(a)]
    if refused:
        raise UnsafeTarget("the host resolves to a non-public address (" + ", ".join(refused) + ")")


def backoff_seconds(
    attempt: int, base: float, cap: float, rng: random.Random | None = None
) -> float:
    """The wait after failed attempt number ``attempt`` (1 = the first): base * 2^(n-1),
    capped, with "equal jitter" (between half and all of it), so retries of many
    deliveries that failed together spread out."""
    ceiling = min(cap, base * float(2 ** min(attempt - 1, 40)))
    jitter = (rng or _RNG).uniform(0, ceiling / 2)
    return ceiling / 2 + jitter


def event_body(event: dict[str, Any]) -> dict[str, Any]:
    """The event as sent: exactly these keys."""
    keys = ("id", "type", "occurredAt", "tenantId", "actorId", "data")
    return {k: event.get(k) for k in keys}
