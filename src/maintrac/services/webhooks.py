"""Webhook use cases: endpoints, the deliveries an event owes, and one delivery attempt.

Rules:

* An endpoint gets the event types it lists while it is enabled. Its target must pass
  ``core.webhooks.check_url`` and resolve to public addresses (``WEBHOOKS_ALLOW_PRIVATE``
  lifts both for development); checked when saved and again before every attempt. A host
  listed in ``WEBHOOKS_HOSTS`` resolves to the addresses given there instead of DNS's;
  with ``WEBHOOKS_HOSTS_ONLY`` no other host resolves (an egress allow-list).
* Each domain event becomes one delivery per subscribed endpoint (unique per event and
  endpoint), created by the event fan-out in its transaction; each attempt is an outbox
  message, so nothing is sent for a rolled-back change and nothing is lost while the
  broker is down.
* An attempt first schedules the next one (timeout + exponential backoff with jitter) in
  its own short transaction, then sends (no transaction is held during the HTTP call),
  then records the result. A worker that dies mid-attempt therefore still leaves the next
  attempt scheduled: delivery is at least once; receivers deduplicate on ``webhook-id``.
* A delivery that has not succeeded within the retry window (24 h) is failed; a failed
  delivery can be retried by hand (a new window). An endpoint whose every attempt failed
  for ``WEBHOOKS_DISABLE_AFTER_SECONDS`` is disabled with the reason; enabling it again
  (PATCH ``enabled: true``) clears the reason.
"""

from __future__ import annotations

import json
import socket
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final, TypedDict

import httpx

from maintrac.config import Settings
from maintrac.core import webhooks as rules
from maintrac.core.concurrency import ExpectedVersion, check_version
from maintrac.core.errors import InvalidFields, NotFound
from maintrac.core.ids import new_id
from maintrac.core.pagination import CursorCodec, Page
from maintrac.core.webhooks import (
    Attempt,
    DeliveryNotRetryable,
    DeliveryStatus,
    TargetRefused,
    UnsafeTarget,
    WebhookDelivery,
    WebhookEndpoint,
)
from maintrac.db import webhooks as repo
from maintrac.db.transaction import TenantSession
from maintrac.services import outbox
from maintrac.services.events import EVENT_TYPES, tenant_of, timestamp
from maintrac.services.paging import paginate

#: The outbox task of one delivery attempt.
DELIVER_TASK: Final = "maintrac.webhooks.deliver"
PING: Final = "ping"
USER_AGENT: Final = "MainTrac-Webhooks/1"
#: Stored response excerpts and errors are cut to this length.
MAX_ERROR_CHARS: Final = 500


@dataclass(frozen=True, slots=True)
class Policy:
    allow_private: bool
    #: ``WEBHOOKS_HOSTS``: lower-case host name -> the addresses used instead of DNS.
    hosts: Mapping[str, tuple[str, ...]]
    #: ``WEBHOOKS_HOSTS_ONLY``: a host not in ``hosts`` does not resolve (DNS is not asked).
    hosts_only: bool
    timeout: float
    retry_base: float
    retry_max: float
    retry_window: timedelta
    disable_after: timedelta
    previous_secret: timedelta

    @classmethod
    def from_settings(cls, settings: Settings) -> Policy:
        return cls(
            allow_private=settings.webhooks_allow_private,
            hosts={h.lower(): tuple(a) for h, a in settings.webhooks_hosts.items()},
            hosts_only=settings.webhooks_hosts_only,
            timeout=settings.webhooks_timeout_seconds,
            retry_base=settings.webhooks_retry_base_seconds,
            retry_max=settings.webhooks_retry_max_seconds,
            retry_window=timedelta(seconds=settings.webhooks_retry_window_seconds),
            disable_after=timedelta(seconds=settings.webhooks_disable_after_seconds),
            previous_secret=timedelta(hours=settings.webhooks_previous_secret_hours),
        )


class EndpointChanges(TypedDict, total=False):
    url: str
    event_types: Sequence[str]
    enabled: bool
    description: str | None


def _not_found(endpoint_id: uuid.UUID) -> NotFound:
    return NotFound(f"No webhook endpoint {endpoint_id}.", resource="webhook_endpoint")


def resolve(
    host: str, port: int, hosts: Mapping[str, Sequence[str]], *, hosts_only: bool = False
) -> list[str]:
    """Every address ``host`` resolves to (empty when it does not resolve): the ones
    ``hosts`` (``WEBHOOKS_HOSTS``) lists for it, else DNS's; with ``hosts_only``
    (``WEBHOOKS_HOSTS_ONLY``) none for a host not listed, an IP address included."""
    fixed = hosts.get(host.lower())
    if fixed is not None:
        return list(fixed)
    if hosts_only:
        return []
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError, ValueError):  # unknown name, or not a name at all
        return []
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def check_target(url: str, policy: Policy) -> None:
    """TargetRefused (422) unless ``url`` is an allowed target right now."""
    host, port = rules.check_url(url, allow_private=policy.allow_private)
    try:
        addresses = resolve(host, port, policy.hosts, hosts_only=policy.hosts_only)
        rules.check_addresses(addresses, allow_private=policy.allow_private)
    except UnsafeTarget as exc:
        raise TargetRefused(f"Refused: {exc}.") from None


def _event_types(types: Sequence[str]) -> list[str]:
    unknown = [t for t in types if t not in EVENT_TYPES]
    if unknown or not types:
        raise InvalidFields([{"pointer": "/eventTypes", "detail": "Must list known event types."}])
    return list(dict.fromkeys(types))


# ---------------------------------------------------------------- endpoints


def create_endpoint(  # noqa: PLR0917 - the resource's fields
    session: TenantSession,
    url: str,
    event_types: Sequence[str],
    enabled: bool,
    description: str | None,
    policy: Policy,
) -> WebhookEndpoint:
    """A new endpoint with a new secret (returned this once)."""
    check_target(url, policy)
    return repo.insert_endpoint(
        session,
        url=url,
        event_types=_event_types(event_types),
        enabled=enabled,
        description=description,
        secret=rules.new_secret(),
    )


def get_endpoint(session: TenantSession, endpoint_id: uuid.UUID) -> WebhookEndpoint:
    found = repo.get_endpoint(session, endpoint_id)
    if found is None:
        raise _not_found(endpoint_id)
    return found


def list_endpoints(
    session: TenantSession, limit: int, cursor: str | None, codec: CursorCodec
) -> Page[WebhookEndpoint]:
    return paginate(
        session,
        codec,
        repo.ENDPOINTS_NEWEST_FIRST,
        cursor,
        limit,
        {"list": "webhook_endpoints"},
        lambda after, size: repo.list_endpoints(
            session, after=after[0] if after else None, limit=size
        ),
    )


def update_endpoint(
    session: TenantSession,
    endpoint_id: uuid.UUID,
    changes: EndpointChanges,
    expected_version: ExpectedVersion,
    policy: Policy,
) -> WebhookEndpoint:
    """Enabling a disabled endpoint clears its disabled reason and failure streak."""
    current = repo.get_endpoint(session, endpoint_id, for_update=True)
    if current is None:
        raise _not_found(endpoint_id)
    check_version("webhook endpoint", current.version, expected_version)
    values: dict[str, Any] = {}
    if "url" in changes:
        check_target(changes["url"], policy)
        values["url"] = changes["url"]
    if "event_types" in changes:
        values["event_types"] = _event_types(changes["event_types"])
    if "description" in changes:
        values["description"] = changes["description"]
    if "enabled" in changes:
        values["enabled"] = changes["enabled"]
        if changes["enabled"]:
            values.update(disabled_reason=None, disabled_at=None, failing_since=None)
    if not values:
        return current
    return repo.update_endpoint(session, endpoint_id, values)


def delete_endpoint(
    session: TenantSession, endpoint_id: uuid.UUID, expected_version: ExpectedVersion
) -> None:
    """Soft delete; its pending deliveries fail at their next attempt."""
    current = repo.get_endpoint(session, endpoint_id, for_update=True)
    if current is None:
        raise _not_found(endpoint_id)
    check_version("webhook endpoint", current.version, expected_version)
    repo.update_endpoint(session, endpoint_id, {"deleted_at": datetime.now(UTC)})


def rotate_secret(
    session: TenantSession, endpoint_id: uuid.UUID, policy: Policy
) -> WebhookEndpoint:
    """A new secret (returned this once); the old one keeps signing for 24 h."""
    get_endpoint(session, endpoint_id)
    return repo.rotate_secret(session, endpoint_id, rules.new_secret(), policy.previous_secret)


# ---------------------------------------------------------------- deliveries


def _schedule_first(
    session: TenantSession, endpoint_id: uuid.UUID, event: dict[str, Any]
) -> WebhookDelivery | None:
    delivery_id = new_id()
    attempt = outbox.enqueue(session, DELIVER_TASK, {"delivery_id": str(delivery_id)})
    # An event already owed to the endpoint inserts nothing; its message then finds no
    # delivery scheduled under its id and does nothing.
    return repo.insert_delivery(
        session, delivery_id=delivery_id, endpoint_id=endpoint_id, event=event, attempt_id=attempt
    )


def on_event(session: TenantSession, event: dict[str, Any]) -> int:
    """The event fan-out's subscriber: one delivery per subscribed endpoint."""
    body = rules.event_body(event)
    owed = 0
    for endpoint_id in repo.subscribed_endpoint_ids(session, str(event["type"])):
        if _schedule_first(session, endpoint_id, body) is not None:
            owed += 1
    return owed


def send_ping(session: TenantSession, endpoint_id: uuid.UUID) -> WebhookDelivery:
    """A ``ping`` event to this endpoint only (whatever types it lists, even disabled:
    testing an endpoint is how its owner checks it before enabling it again)."""
    endpoint = get_endpoint(session, endpoint_id)
    event = {
        "id": str(new_id()),
        "type": PING,
        "occurredAt": timestamp(datetime.now(UTC)),
        "tenantId": str(tenant_of(session)),
        "actorId": None,
        "data": {"endpointId": str(endpoint.id), "message": "Test event from MainTrac."},
    }
    delivery = _schedule_first(session, endpoint.id, event)
    if delivery is None:  # a new event id is never owed yet
        raise RuntimeError("a new ping event was already owed")
    return delivery


def list_deliveries(
    session: TenantSession,
    endpoint_id: uuid.UUID,
    limit: int,
    cursor: str | None,
    codec: CursorCodec,
) -> Page[WebhookDelivery]:
    get_endpoint(session, endpoint_id)
    return paginate(
        session,
        codec,
        repo.DELIVERIES_NEWEST_FIRST,
        cursor,
        limit,
        {"list": "webhook_deliveries", "endpoint_id": endpoint_id},
        lambda after, size: repo.list_deliveries(
            session, endpoint_id, after=after[0] if after else None, limit=size
        ),
    )


def retry_delivery(
    session: TenantSession, endpoint_id: uuid.UUID, delivery_id: uuid.UUID
) -> WebhookDelivery:
    """A failed delivery is attempted again now, with a new retry window."""
    endpoint = get_endpoint(session, endpoint_id)
    delivery = repo.get_delivery(session, endpoint_id, delivery_id)
    if delivery is None:
        raise NotFound(f"No delivery {delivery_id}.", resource="webhook_delivery")
    if delivery.status is not DeliveryStatus.FAILED:
        raise DeliveryNotRetryable(
            f"The delivery is {delivery.status.value}; only a failed one can be retried.",
            status=delivery.status.value,
        )
    if not endpoint.enabled:
        raise DeliveryNotRetryable(
            "The endpoint is disabled; enable it first.", status=delivery.status.value
        )
    attempt = outbox.enqueue(session, DELIVER_TASK, {"delivery_id": str(delivery_id)})
    return repo.schedule_attempt(
        session, delivery_id, attempt, datetime.now(UTC), restart_window=True
    )


# ---------------------------------------------------------------- one attempt


@dataclass(frozen=True, slots=True)
class PlannedAttempt:
    delivery_id: uuid.UUID
    endpoint_id: uuid.UUID
    url: str
    secrets: tuple[str, ...]
    message_id: str
    body: bytes
    #: the last attempt of the retry window: a failure fails the delivery
    last: bool


def begin_attempt(
    session: TenantSession, delivery_id: uuid.UUID, attempt_id: uuid.UUID, policy: Policy
) -> PlannedAttempt | None:
    """Claim the attempt ``attempt_id`` and schedule the next one; None when there is
    nothing to send (already done, superseded, endpoint gone or disabled, window over)."""
    claimed = repo.claim_attempt(session, delivery_id, attempt_id)
    if claimed is None:
        return None
    target = repo.target(session, claimed.endpoint_id)
    is_ping = claimed.payload.get("type") == PING
    if target.deleted:
        repo.fail_delivery(session, delivery_id, "The endpoint was deleted.")
        return None
    if not target.enabled and not is_ping:
        repo.fail_delivery(session, delivery_id, "The endpoint is disabled.")
        return None
    now = datetime.now(UTC)
    window_end = claimed.window_started_at + policy.retry_window
    if claimed.attempt_count > 0 and now >= window_end:
        repo.fail_delivery(
            session,
            delivery_id,
            f"Gave up after {claimed.attempt_count} attempts over the retry window.",
        )
        return None
    wait = policy.timeout + rules.backoff_seconds(
        claimed.attempt_count + 1, policy.retry_base, policy.retry_max
    )
    last = now + timedelta(seconds=wait) >= window_end
    if not last:
        # Scheduled before sending: if this worker dies mid-attempt, the retry still runs.
        following = outbox.enqueue(
            session, DELIVER_TASK, {"delivery_id": str(delivery_id)}, delay=timedelta(seconds=wait)
        )
        repo.schedule_attempt(session, delivery_id, following, now + timedelta(seconds=wait))
    return PlannedAttempt(
        delivery_id=delivery_id,
        endpoint_id=claimed.endpoint_id,
        url=target.url,
        secrets=target.secrets,
        message_id=str(claimed.payload["id"]),
        body=json.dumps(claimed.payload, separators=(",", ":")).encode(),
        last=last,
    )


def send(planned: PlannedAttempt, policy: Policy) -> Attempt:
    """POST the signed body, connecting only to the checked address; never raises."""
    started = time.monotonic()
    attempted_at = datetime.now(UTC)
    status: int | None = None
    error: str | None = None
    try:
        host, port = rules.check_url(planned.url, allow_private=policy.allow_private)
        addresses = resolve(host, port, policy.hosts, hosts_only=policy.hosts_only)
        rules.check_addresses(addresses, allow_private=policy.allow_private)
        response = _post_pinned(planned, host, addresses[0], policy.timeout)
        status = response.status_code
        if not 200 <= status < 300:
            error = f"HTTP {status}: {response.text[:200]}"
    except TargetRefused as exc:
        error = f"Refused target: {exc}"
    except UnsafeTarget as exc:
        error = f"Refused target: {exc}"
    except httpx.TimeoutException:
        error = f"Timed out after {policy.timeout:g} s"
    except httpx.HTTPError as exc:
        error = f"{type(exc).__name__}: {exc}"
    except (ValueError, UnicodeError, OSError) as exc:  # a URL httpx cannot send to
        error = f"{type(exc).__name__}: {exc}"
    duration_ms = int((time.monotonic() - started) * 1000)
    return Attempt(
        attempted_at, status, duration_ms, None if error is None else error[:MAX_ERROR_CHARS]
    )


def _post_pinned(
    planned: PlannedAttempt, host: str, address: str, timeout: float
) -> httpx.Response:
    """The request goes to ``address`` (the one that was checked: a second DNS lookup
    could answer differently), with the real host in ``Host`` and as the TLS server name,
    so the certificate is verified for the host."""
    url = httpx.URL(planned.url)
    timestamp = int(time.time())
    headers = {
        "Host": url.netloc.decode(),
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "webhook-id": planned.message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": rules.signature_header(
            planned.secrets, planned.message_id, timestamp, planned.body
        ),
    }
    with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client:
        request = client.build_request(
            "POST",
            url.copy_with(host=address),
            content=planned.body,
            headers=headers,
            extensions={"sni_hostname": host},
        )
        return client.send(request)


def finish_attempt(
    session: TenantSession, planned: PlannedAttempt, attempt: Attempt, policy: Policy
) -> bool:
    """Record ``attempt``; returns True when it disabled the endpoint."""
    if attempt.error is None:
        status = DeliveryStatus.SUCCEEDED
    elif planned.last:
        status = DeliveryStatus.FAILED
    else:
        status = DeliveryStatus.PENDING
    repo.record_attempt(session, planned.delivery_id, attempt, status)
    return repo.record_endpoint_result(
        session, planned.endpoint_id, error=attempt.error, disable_after=policy.disable_after
    )
