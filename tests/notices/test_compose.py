"""Recording and composing notices in the database, in-process (no worker): the events
the API wrote are handed to the subscriber as the fan-out would; the mail is rendered by
``prepare``. Header injection from titles, HTML escaping, idempotency per (event,
recipient), and the daily digest."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from email.policy import SMTP
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import text

from maintrac.db.transaction import Database
from maintrac.db.webhooks import work_order_sequence
from maintrac.services import events, notices, work_orders
from maintrac.services.events import DISPATCH_TASK
from tests.conftest import Tenant

SETTINGS = notices.MailSettings(
    mail_from="MainTrac <notices@maintrac.test>", app_base_url="https://app.test/"
)


def _person(tenant: Tenant, name: str) -> dict[str, Any]:
    subject = f"p-{uuid.uuid4().hex[:12]}"
    return tenant.create_user(displayName=name, email=f"{subject}@example.test", externalId=subject)


def _dispatch(db: Database, tenant_id: uuid.UUID) -> list[uuid.UUID]:
    """Hand every event in the outbox to the notice subscriber, twice (a redelivery)."""
    queued: list[uuid.UUID] = []
    with db.tenant_transaction(tenant_id) as session:
        rows = session.execute(
            text("SELECT args FROM outbox_messages WHERE task = :t ORDER BY id"),
            {"t": DISPATCH_TASK},
        )
        events = [dict(row.args)["event"] for row in rows]
        for event in events:
            queued += notices.on_event(session, {**event, "tenantId": str(tenant_id)})
        for event in events:
            assert notices.on_event(session, {**event, "tenantId": str(tenant_id)}) == []
    return queued


def test_a_hostile_title_cannot_add_headers_and_is_escaped_in_html(
    runtime_db: Database, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant("Plant <North>\r\nBcc: x@evil.test")
    tenant.me()
    fitter = _person(tenant, "Fitter\r\nCc: y@evil.test")
    title = "Pump\r\nBcc: victim@evil.test\r\n\r\n<script>alert(1)</script>"
    order = tenant.create_work_order(title=title)
    assert "\n" in order["title"]  # the API keeps the line breaks; the mail must not
    assert tenant.patch(
        f"/v1/work-orders/{order['id']}", json={"assigneeId": fitter["id"]}
    ).is_success
    (queued,) = _dispatch(runtime_db, tenant.id)
    with runtime_db.tenant_transaction(tenant.id) as session:
        outgoing = notices.prepare(session, queued, SETTINGS, datetime.now(UTC))
    assert outgoing is not None
    wire = outgoing.message.as_bytes(policy=SMTP)
    head, _, _ = wire.partition(b"\r\n\r\n")
    header_names = [
        line.split(b":", 1)[0] for line in head.split(b"\r\n") if line[:1] not in (b" ", b"\t")
    ]
    assert b"Bcc" not in header_names
    assert b"Cc" not in header_names
    assert outgoing.message["To"].addresses[0].addr_spec == fitter["email"]
    assert "\n" not in outgoing.message["Subject"]
    html = outgoing.message.get_body(("html",))
    assert html is not None
    assert "<script>" not in html.get_content()
    assert "&lt;script&gt;" in html.get_content()
    assert f"https://app.test/work-orders/{order['id']}" in html.get_content()
    with runtime_db.tenant_transaction(tenant.id) as session:
        record = notices.get_notification(session, queued)
        assert record is not None
        assert record.status == "sending"
        # Another delivery while the first is sending: nothing to send, it looks later.
        assert notices.prepare(session, queued, SETTINGS, datetime.now(UTC)) is None


def test_digest_once_per_local_day_per_assignee_from_the_hour(
    runtime_db: Database, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant("Digest Works", "Pacific/Auckland")
    tenant.me()
    ana, ben, cat = _person(tenant, "Ana"), _person(tenant, "Ben"), _person(tenant, "Cat")
    past = (datetime.now(UTC) - timedelta(days=2)).isoformat()
    future = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    for title, who, due in (
        ("Late one", ana, past),
        ("Late two", ana, past),
        ("Not yet", ana, future),
        ("Ben late", ben, past),
        ("Cat late", cat, past),
    ):
        tenant.create_work_order(title=title, assigneeId=who["id"], dueAt=due)
    done = tenant.create_work_order(title="Done late", assigneeId=ben["id"], dueAt=past)
    assert tenant.patch(f"/v1/work-orders/{done['id']}", json={"status": "complete"}).is_success
    quiet = tenant.patch(
        f"/v1/users/{cat['id']}", json={"notificationPreferences": {"overdueDigest": False}}
    )
    assert quiet.status_code == 200, quiet.text

    # 07:30 in Auckland today (whatever the date and the season): the work above was due
    # two days ago, so it is overdue then; before 08:00 nothing, from 07:00 one each.
    auckland = ZoneInfo("Pacific/Auckland")
    today = datetime.now(auckland).date()
    early = datetime.combine(today, time(7, 30), auckland).astimezone(UTC)
    with runtime_db.tenant_transaction(tenant.id) as session:
        assert notices.queue_digests(session, early, hour=8) == []
        queued = notices.queue_digests(session, early, hour=7)
        assert len(queued) == 2  # Ana and Ben; Cat turned it off
        assert notices.queue_digests(session, early + timedelta(hours=3), hour=7) == []
        # The next local day is a new digest.
        tomorrow = datetime.combine(today + timedelta(days=1), time(7, 30), auckland)
        assert len(notices.queue_digests(session, tomorrow.astimezone(UTC), hour=7)) == 2
        outgoing = [notices.prepare(session, q, SETTINGS, early) for q in queued]
    subjects = {
        o.message["To"].addresses[0].display_name: o.message["Subject"] for o in outgoing if o
    }
    assert subjects == {
        "Ana": "[Digest Works] 2 overdue work orders",
        "Ben": "[Digest Works] 1 overdue work order",
    }
    ana_mail = next(o for o in outgoing if o and "Ana" in str(o.message["To"]))
    plain = ana_mail.message.get_body(("plain",))
    assert plain is not None
    body = plain.get_content()
    assert "Late one" in body
    assert "Late two" in body
    assert "Not yet" not in body
    # Due times in the tenant's zone: NZDT or NZST, whichever held two days ago.
    assert datetime.fromisoformat(past).astimezone(auckland).strftime("%Z") in body


def test_created_assigned_and_pm_generated_notify_the_assignee_once(
    runtime_db: Database, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    tenant.me()
    fitter = _person(tenant, "Fitter")
    unassigned = tenant.create_work_order(title="Nobody's yet")
    direct = tenant.create_work_order(title="Straight to Fitter", assigneeId=fitter["id"])
    with runtime_db.tenant_transaction(tenant.id) as session:
        generated = work_orders.get_work_order(session, uuid.UUID(direct["id"]))
        # As PM generation emits it (db.pm_generation.insert_generated), for a
        # work order whose plan is made up here.
        events.emit(
            session,
            "pm_plan.work_order_generated",
            {
                "pmPlanId": str(uuid.uuid4()),
                "occurrence": 3,
                "sequence": work_order_sequence(session, generated.id),
                "workOrder": events.work_order_snapshot(generated),
            },
        )
    queued = _dispatch(runtime_db, tenant.id)
    with runtime_db.tenant_transaction(tenant.id) as session:
        records = [notices.get_notification(session, q) for q in queued]
        subjects = []
        for record in records:
            assert record is not None
            assert record.recipient_id == uuid.UUID(fitter["id"])
            out = notices.prepare(session, record.id, SETTINGS, datetime.now(UTC))
            assert out is not None
            subjects.append(out.message["Subject"])
    assert [r.kind for r in records if r] == ["work_order_assigned", "pm_work_order_generated"]
    assert subjects == [
        f"[Test Plant] Work order #{direct['number']} assigned to you: Straight to Fitter",
        f"[Test Plant] New PM work order #{direct['number']}: Straight to Fitter",
    ]
    assert unassigned["id"] not in {str(r.work_order_id) for r in records if r}
