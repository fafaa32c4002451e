"""E-mail notices: who is told about what, and what may go into a mail header.

Rules (issue 10):

* a work order is assigned, or created assigned (not by a PM plan) -> the new assignee;
* its status changes -> its assignee and the person who created it;
* a PM plan generates a work order -> its assignee;
* once a day, at ``NOTICES_DIGEST_HOUR`` in the tenant's time zone -> each assignee with
  overdue work (due before now, not complete or cancelled), one digest per person per day.

Nobody is mailed about their own action; a deactivated or deleted user, or one without an
e-mail address, gets nothing; each person can turn each kind off (all on by default).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Final
from zoneinfo import ZoneInfo


class Kind(StrEnum):
    WORK_ORDER_ASSIGNED = "work_order_assigned"
    WORK_ORDER_STATUS_CHANGED = "work_order_status_changed"
    PM_WORK_ORDER_GENERATED = "pm_work_order_generated"
    OVERDUE_DIGEST = "overdue_digest"


class Status(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"


#: Statuses after which nothing more is sent.
FINAL: Final = frozenset({Status.SENT, Status.FAILED, Status.SKIPPED})

#: The domain event type -> the kind of notice it gives. A work order created already
#: assigned is an assignment for its assignee (unless a PM plan generated it: that one
#: has its own notice, ``pm_plan.work_order_generated``).
EVENT_KINDS: Final = {
    "work_order.created": Kind.WORK_ORDER_ASSIGNED,
    "work_order.assigned": Kind.WORK_ORDER_ASSIGNED,
    "work_order.status_changed": Kind.WORK_ORDER_STATUS_CHANGED,
    "pm_plan.work_order_generated": Kind.PM_WORK_ORDER_GENERATED,
}

#: Kind -> its key in ``notificationPreferences`` (the wire name, stored as is).
PREFERENCE_KEYS: Final = {
    Kind.WORK_ORDER_ASSIGNED: "workOrderAssigned",
    Kind.WORK_ORDER_STATUS_CHANGED: "workOrderStatusChanged",
    Kind.PM_WORK_ORDER_GENERATED: "pmWorkOrderGenerated",
    Kind.OVERDUE_DIGEST: "overdueDigest",
}


@dataclass(frozen=True, slots=True)
class NotificationPreferences:
    """Which notices a person gets; every kind is on unless turned off."""

    work_order_assigned: bool = True
    work_order_status_changed: bool = True
    pm_work_order_generated: bool = True
    overdue_digest: bool = True

    @classmethod
    def from_stored(cls, stored: Mapping[str, object] | None) -> NotificationPreferences:
        stored = stored or {}
        return cls(*(stored.get(PREFERENCE_KEYS[kind], True) is not False for kind in Kind))

    def wants(self, kind: Kind) -> bool:
        return bool(getattr(self, kind.value))

    def as_stored(self) -> dict[str, bool]:
        """Every kind by its wire name, as ``users.notification_preferences`` holds it."""
        return {PREFERENCE_KEYS[kind]: self.wants(kind) for kind in Kind}


def merge_preferences(
    stored: Mapping[str, object] | None, changes: Mapping[str, bool]
) -> dict[str, bool]:
    """The stored object after turning the kinds in ``changes`` (wire keys) on or off."""
    known = set(PREFERENCE_KEYS.values())
    merged = {k: bool(v) for k, v in (stored or {}).items() if k in known}
    merged.update({k: bool(v) for k, v in changes.items() if k in known})
    return merged


def event_recipients(
    kind: Kind,
    *,
    assignee_id: uuid.UUID | None,
    creator_id: uuid.UUID | None,
    actor_id: uuid.UUID | None,
) -> list[uuid.UUID]:
    """Who is told about an event of ``kind`` (before preferences and activity), in order,
    without duplicates and without the person who acted."""
    if kind is Kind.WORK_ORDER_STATUS_CHANGED:
        candidates: Iterable[uuid.UUID | None] = (assignee_id, creator_id)
    else:
        candidates = (assignee_id,)
    chosen: list[uuid.UUID] = []
    for person in candidates:
        if person is not None and person != actor_id and person not in chosen:
            chosen.append(person)
    return chosen


#: A digest event id derives from (tenant, local day, person), so one day's digest is one
#: record however often the periodic task runs.
DIGEST_NAMESPACE: Final = uuid.UUID("8b0e9f3e-2a52-4c8e-9d1b-5b7f4f6a1c27")


def digest_event_id(tenant_id: uuid.UUID, day: date, recipient_id: uuid.UUID) -> uuid.UUID:
    return uuid.uuid5(DIGEST_NAMESPACE, f"{tenant_id}:{day.isoformat()}:{recipient_id}")


def digest_day(now: datetime, time_zone: str, hour: int) -> date | None:
    """The tenant's local day whose digest is due at ``now``, or None before ``hour``.

    Due from ``hour`` until the end of the local day: a run missed at the hour (a worker
    down) still sends that day's digest later the same day, never twice.
    """
    local = now.astimezone(_zone(time_zone))
    if local.time() < time(hour=hour):
        return None
    return local.date()


def local_time(moment: datetime | None, time_zone: str) -> str:
    """``moment`` as the tenant reads it, e.g. ``2026-12-02 14:30 CET``."""
    if moment is None:
        return "no due time"
    return moment.astimezone(_zone(time_zone)).strftime("%Y-%m-%d %H:%M %Z")


def _zone(time_zone: str) -> ZoneInfo:
    try:
        return ZoneInfo(time_zone)
    except (KeyError, ValueError):  # a tenant's zone was validated when set; be safe
        return ZoneInfo("UTC")


_UNSAFE = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")


def header_text(value: str, limit: int = 200) -> str:
    """``value`` made safe for a mail header: control characters (CR and LF above all,
    which would start a new header) become one space, and the result is cut to ``limit``."""
    cleaned = " ".join(_UNSAFE.sub(" ", value).split())
    if len(cleaned) > limit:
        cleaned = cleaned[: limit - 1].rstrip() + "\u2026"
    return cleaned


def retry_delay(attempts: int, base: float, cap: float) -> timedelta:
    """Backoff before the next try after ``attempts`` failed ones: base * 2^(n-1), capped."""
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


@dataclass(frozen=True, slots=True)
class Person:
    """A possible recipient, as the rules need them."""

    id: uuid.UUID
    display_name: str
    email: str | None
    active: bool
    preferences: NotificationPreferences

    def refusal(self, kind: Kind) -> str | None:
        """Why this person gets no notice of ``kind`` (None: they get it)."""
        if not self.active:
            return "recipient deactivated"
        if not self.email:
            return "recipient has no e-mail address"
        if not self.preferences.wants(kind):
            return "turned off in the recipient's notificationPreferences"
        return None


@dataclass(frozen=True, slots=True)
class Notification:
    id: uuid.UUID
    event_id: uuid.UUID
    kind: Kind
    recipient_id: uuid.UUID
    work_order_id: uuid.UUID | None
    payload: dict[str, object]
    status: Status
    attempts: int
    last_error: str | None
    message_id: str | None
    sending_at: datetime | None
    sent_at: datetime | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class WorkOrderFacts:
    """A work order as a notice shows it (read when the mail is written)."""

    id: uuid.UUID
    number: int
    title: str
    status: str
    priority: str
    asset_name: str | None
    due_at: datetime | None


@dataclass(frozen=True, slots=True)
class TenantFacts:
    id: uuid.UUID
    name: str
    time_zone: str
