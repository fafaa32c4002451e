"""The rules of notices, as pure functions: recipients, preferences, header safety, the
digest's day."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from email.message import EmailMessage
from email.policy import SMTP

from maintrac.core.notices import (
    Kind,
    NotificationPreferences,
    digest_day,
    digest_event_id,
    event_recipients,
    header_text,
    local_time,
    merge_preferences,
)

ASSIGNEE, CREATOR, ACTOR = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


def test_recipients_per_kind_never_the_actor_never_twice() -> None:
    status = Kind.WORK_ORDER_STATUS_CHANGED
    assigned = Kind.WORK_ORDER_ASSIGNED
    assert event_recipients(status, assignee_id=ASSIGNEE, creator_id=CREATOR, actor_id=ACTOR) == [
        ASSIGNEE,
        CREATOR,
    ]
    assert event_recipients(
        status, assignee_id=ASSIGNEE, creator_id=CREATOR, actor_id=ASSIGNEE
    ) == [CREATOR]
    assert event_recipients(status, assignee_id=CREATOR, creator_id=CREATOR, actor_id=ACTOR) == [
        CREATOR
    ]
    assert event_recipients(assigned, assignee_id=ASSIGNEE, creator_id=CREATOR, actor_id=ACTOR) == [
        ASSIGNEE
    ]
    assert event_recipients(assigned, assignee_id=ACTOR, creator_id=None, actor_id=ACTOR) == []
    assert event_recipients(
        Kind.PM_WORK_ORDER_GENERATED, assignee_id=ASSIGNEE, creator_id=None, actor_id=None
    ) == [ASSIGNEE]
    assert (
        event_recipients(
            Kind.PM_WORK_ORDER_GENERATED, assignee_id=None, creator_id=None, actor_id=None
        )
        == []
    )


def test_preferences_default_on_and_merge_only_known_kinds() -> None:
    assert NotificationPreferences.from_stored({}) == NotificationPreferences()
    assert NotificationPreferences.from_stored(None).wants(Kind.OVERDUE_DIGEST)
    off = NotificationPreferences.from_stored({"overdueDigest": False})
    assert not off.wants(Kind.OVERDUE_DIGEST)
    assert off.wants(Kind.WORK_ORDER_ASSIGNED)
    assert NotificationPreferences.from_stored(off.as_stored()) == off
    merged = merge_preferences({"overdueDigest": False, "junk": 1}, {"workOrderAssigned": False})
    assert merged == {"overdueDigest": False, "workOrderAssigned": False}
    assert merge_preferences(merged, {"overdueDigest": True}) == {
        "overdueDigest": True,
        "workOrderAssigned": False,
    }


def test_header_text_cannot_start_a_new_header() -> None:
    hostile = "Pump\r\nBcc: victim@example.com\n\tX-Evil: 1\u2028more\x00"
    cleaned = header_text(hostile)
    assert "\r" not in cleaned
    assert "\n" not in cleaned
    assert cleaned == "Pump Bcc: victim@example.com X-Evil: 1 more"
    message = EmailMessage()
    message["Subject"] = cleaned
    wire = message.as_bytes(policy=SMTP)
    assert b"\r\nBcc:" not in wire
    assert b"\r\nX-Evil" not in wire
    assert header_text("x" * 300, 20) == "x" * 19 + "\u2026"


def test_digest_day_is_the_tenants_local_day_from_the_hour() -> None:
    # 18:30 UTC is 07:30 next day in Auckland (NZDT, +13).
    now = datetime(2026, 12, 1, 18, 30, tzinfo=UTC)
    assert digest_day(now, "Pacific/Auckland", 7) == date(2026, 12, 2)
    assert digest_day(now, "Pacific/Auckland", 8) is None
    assert digest_day(now, "UTC", 7) == date(2026, 12, 1)
    assert digest_day(now, "America/Los_Angeles", 11) is None  # 10:30 there
    tenant, person = uuid.uuid4(), uuid.uuid4()
    day = date(2026, 12, 2)
    assert digest_event_id(tenant, day, person) == digest_event_id(tenant, day, person)
    assert digest_event_id(tenant, day, person) != digest_event_id(
        tenant, date(2026, 12, 3), person
    )


def test_local_time_in_the_tenants_zone() -> None:
    moment = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    assert local_time(moment, "Europe/Berlin") == "2026-07-01 14:00 CEST"
    assert local_time(None, "UTC") == "no due time"
