"""E-mail notices end to end: API change -> event -> worker -> a real SMTP server.

A relay and a worker run as real processes; the SMTP server is aiosmtpd on loopback.
Each test checks what arrived (recipients, subject, links, parts) and that it arrived once.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import text

from maintrac.db.transaction import Database
from maintrac.services import notices, outbox
from tests.conftest import Tenant
from tests.jobs.conftest import Processes
from tests.notices.conftest import Received, SmtpServer, wait_until


def _person(tenant: Tenant, name: str) -> tuple[dict[str, Any], dict[str, str]]:
    """A user with an e-mail address, and headers to call the API as them."""
    subject = f"{name.lower()}-{uuid.uuid4().hex[:8]}"
    address = f"{subject}@example.test"
    user = tenant.create_user(displayName=name, email=address, externalId=subject)
    return user, {"Authorization": f"Bearer {tenant.token(subject=subject)}"}


def _notifications(db: Database, tenant_id: uuid.UUID) -> list[dict[str, Any]]:
    with db.tenant_transaction(tenant_id) as session:
        rows = session.execute(
            text(
                "SELECT kind, recipient_id, status, attempts, last_error, message_id "
                "FROM notifications ORDER BY created_at, id"
            )
        )
        return [dict(row._mapping) for row in rows]


def _arrived(smtp: SmtpServer, address: str, count: int, processes: Processes) -> list[Received]:
    try:
        wait_until(lambda: len(smtp.catcher.to(address)) >= count, 60, f"mail to {address}")
    except AssertionError:
        raise AssertionError(processes.log_text()) from None
    return smtp.catcher.to(address)


def _tenant_mail(smtp: SmtpServer, *people: dict[str, Any]) -> list[Received]:
    """Mails to these people (the session database holds other tests' tenants, whose
    pending notices a relay started here may also send)."""
    addresses = {p["email"] for p in people}
    with smtp.catcher.lock:
        return [r for r in smtp.catcher.received if addresses & set(r.rcpt_tos)]


def _settle(db: Database, tenant_id: uuid.UUID) -> None:
    """Until no notice of the tenant is queued or sending (then nothing more will come)."""
    wait_until(
        lambda: all(
            n["status"] not in ("queued", "sending") for n in _notifications(db, tenant_id)
        ),
        60,
        "notices to settle",
    )
    time.sleep(1.0)


def test_assignment_mails_the_new_assignee_once_with_subject_links_and_both_parts(
    runtime_db: Database,
    mailing: Processes,
    smtp_server: SmtpServer,
    make_tenant: Callable[..., Tenant],
) -> None:
    tenant = make_tenant("Riverside Plant", "Europe/Berlin")
    tenant.me()
    fitter, _ = _person(tenant, "Fitter")
    asset = tenant.create("/v1/assets", {"name": "Pump P-101"})
    order = tenant.create_work_order(
        title="Replace seal", assetId=asset["id"], dueAt="2026-12-03T13:30:00Z"
    )
    assigned = tenant.patch(f"/v1/work-orders/{order['id']}", json={"assigneeId": fitter["id"]})
    assert assigned.status_code == 200, assigned.text

    (mail,) = _arrived(smtp_server, fitter["email"], 1, mailing)
    message = mail.message
    assert mail.rcpt_tos == [fitter["email"]]
    assert mail.mail_from == "notices@maintrac.test"
    number = order["number"]
    assert message["Subject"] == (
        f"[Riverside Plant] Work order #{number} assigned to you: Replace seal"
    )
    assert message["To"].addresses[0].addr_spec == fitter["email"]
    assert message["Message-ID"].startswith("<notice.")
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_content_type() == "multipart/alternative"
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert plain is not None
    assert html is not None
    link = f"https://app.maintrac.test/work-orders/{order['id']}"
    for part in (plain.get_content(), html.get_content()):
        assert link in part
        assert "Pump P-101" in part
        assert "Riverside Plant" in part
        assert "2026-12-03 14:30 CET" in part  # 13:30 UTC in the tenant's time zone

    _settle(runtime_db, tenant.id)
    assert len(_tenant_mail(smtp_server, fitter)) == 1  # once
    (record,) = _notifications(runtime_db, tenant.id)
    assert record["status"] == "sent"
    assert record["attempts"] == 1
    assert record["message_id"] == message["Message-ID"]


def test_status_change_mails_assignee_and_creator_never_the_actor_and_honours_preferences(
    runtime_db: Database,
    mailing: Processes,
    smtp_server: SmtpServer,
    make_tenant: Callable[..., Tenant],
) -> None:
    tenant = make_tenant("Harbour Depot")
    tenant.me()
    planner, as_planner = _person(tenant, "Planner")
    fitter, as_fitter = _person(tenant, "Fitter")
    quiet, as_quiet = _person(tenant, "Quiet")
    gone, _ = _person(tenant, "Gone")

    created = tenant.post("/v1/work-orders", json={"title": "Oil gearbox"}, headers=as_planner)
    assert created.status_code == 201, created.text
    order = created.json()
    path = f"/v1/work-orders/{order['id']}"
    # The planner assigns the fitter (one mail, to the fitter), then the admin (not the
    # planner, not the fitter) moves it on: the fitter and the planner (creator) are told.
    assert tenant.patch(path, json={"assigneeId": fitter["id"]}, headers=as_planner).is_success
    _arrived(smtp_server, fitter["email"], 1, mailing)
    assert tenant.patch(path, json={"status": "in_progress"}).is_success
    to_fitter = _arrived(smtp_server, fitter["email"], 2, mailing)
    to_planner = _arrived(smtp_server, planner["email"], 1, mailing)
    assert "is now in_progress" in to_fitter[-1].message["Subject"]
    assert to_planner[0].message["Subject"] == to_fitter[-1].message["Subject"]
    plain = to_planner[0].message.get_body(("plain",))
    assert plain is not None
    assert "from open to in_progress" in plain.get_content()

    # The fitter changes the status himself: only the planner hears of it.
    assert tenant.patch(path, json={"status": "on_hold"}, headers=as_fitter).is_success
    _arrived(smtp_server, planner["email"], 2, mailing)

    # Preferences: "quiet" turns assignment notices off for themselves; "gone" is
    # deactivated. Neither gets a mail; both are recorded as skipped with the reason.
    turned_off = tenant.patch(
        "/v1/users/me",
        json={"notificationPreferences": {"workOrderAssigned": False}},
        headers=as_quiet,
    )
    assert turned_off.status_code == 200, turned_off.text
    assert turned_off.json()["notificationPreferences"] == {
        "workOrderAssigned": False,
        "workOrderStatusChanged": True,
        "pmWorkOrderGenerated": True,
        "overdueDigest": True,
    }
    assert tenant.patch(f"/v1/users/{gone['id']}", json={"active": False}).is_success
    other = tenant.create_work_order(title="Grease bearings")
    other_path = f"/v1/work-orders/{other['id']}"
    assert tenant.patch(other_path, json={"assigneeId": quiet["id"]}).is_success
    assert tenant.patch(other_path, json={"assigneeId": gone["id"]}).is_success
    _settle(runtime_db, tenant.id)

    assert smtp_server.catcher.to(quiet["email"]) == []
    assert smtp_server.catcher.to(gone["email"]) == []
    assert len(smtp_server.catcher.to(fitter["email"])) == 2
    assert len(smtp_server.catcher.to(planner["email"])) == 2
    assert len(_tenant_mail(smtp_server, planner, fitter, quiet, gone)) == 4
    records = _notifications(runtime_db, tenant.id)
    skipped = {r["recipient_id"]: r["last_error"] for r in records if r["status"] == "skipped"}
    assert skipped == {
        uuid.UUID(quiet["id"]): "turned off in the recipient's notificationPreferences",
        uuid.UUID(gone["id"]): "recipient deactivated",
    }
    assert [r["status"] for r in records].count("sent") == 4


def test_smtp_down_then_up_the_notice_arrives_after_the_retry_once(
    runtime_db: Database,
    mailing: Processes,
    smtp_server: SmtpServer,
    make_tenant: Callable[..., Tenant],
) -> None:
    tenant = make_tenant()
    tenant.me()
    fitter, _ = _person(tenant, "Fitter")
    smtp_server.stop()  # connection refused: a temporary failure
    order = tenant.create_work_order()
    assert tenant.patch(
        f"/v1/work-orders/{order['id']}", json={"assigneeId": fitter["id"]}
    ).is_success

    def retried() -> bool:
        records = _notifications(runtime_db, tenant.id)
        return bool(records) and records[0]["attempts"] >= 2 and records[0]["status"] == "queued"

    try:
        wait_until(retried, 60, "two failed tries")
    except AssertionError:
        raise AssertionError(mailing.log_text()) from None
    (record,) = _notifications(runtime_db, tenant.id)
    assert "ConnectionRefusedError" in record["last_error"]

    smtp_server.start()
    (mail,) = _arrived(smtp_server, fitter["email"], 1, mailing)
    assert f"#{order['number']}" in mail.message["Subject"]
    _settle(runtime_db, tenant.id)
    assert len(_tenant_mail(smtp_server, fitter)) == 1
    (record,) = _notifications(runtime_db, tenant.id)
    assert record["status"] == "sent"
    assert record["attempts"] >= 3


def test_a_permanent_refusal_is_not_retried(
    runtime_db: Database,
    mailing: Processes,
    smtp_server: SmtpServer,
    make_tenant: Callable[..., Tenant],
) -> None:
    tenant = make_tenant()
    tenant.me()
    fitter, _ = _person(tenant, "Fitter")
    smtp_server.catcher.refuse[fitter["email"].lower()] = "550 5.1.1 No such mailbox"
    order = tenant.create_work_order()
    assert tenant.patch(
        f"/v1/work-orders/{order['id']}", json={"assigneeId": fitter["id"]}
    ).is_success
    try:
        wait_until(
            lambda: [r["status"] for r in _notifications(runtime_db, tenant.id)] == ["failed"],
            60,
            "the refusal to be recorded",
        )
    except AssertionError:
        raise AssertionError(mailing.log_text()) from None
    time.sleep(3)  # a retry (1 s backoff) would have happened by now
    (record,) = _notifications(runtime_db, tenant.id)
    assert record["attempts"] == 1
    assert "550" in record["last_error"]
    assert _tenant_mail(smtp_server, fitter) == []


def test_a_stale_sending_is_marked_failed_and_not_sent_again(
    runtime_db: Database,
    mailing: Processes,
    smtp_server: SmtpServer,
    make_tenant: Callable[..., Tenant],
) -> None:
    """A worker killed after committing ``sending``: the next delivery finds it past the
    lease and marks it failed (outcome unknown) instead of sending a possible second copy."""
    tenant = make_tenant()
    tenant.me()
    fitter, _ = _person(tenant, "Fitter")
    order = tenant.create_work_order()
    assert tenant.patch(
        f"/v1/work-orders/{order['id']}", json={"assigneeId": fitter["id"]}
    ).is_success
    _arrived(smtp_server, fitter["email"], 1, mailing)
    _settle(runtime_db, tenant.id)
    # Make the record look like a send that died an hour ago, and deliver it again.
    with runtime_db.tenant_transaction(tenant.id) as session:
        notification_id = session.execute(
            text("UPDATE notifications SET status = 'sending', sending_at = :at RETURNING id"),
            {"at": datetime.now(UTC) - timedelta(hours=1)},
        ).scalar_one()
        outbox.enqueue(session, notices.SEND_TASK, {"notification_id": str(notification_id)})
    wait_until(
        lambda: _notifications(runtime_db, tenant.id)[0]["status"] == "failed",
        60,
        "the stale send to be marked",
    )
    (record,) = _notifications(runtime_db, tenant.id)
    assert record["last_error"].startswith("outcome unknown")
    time.sleep(1)
    assert len(_tenant_mail(smtp_server, fitter)) == 1
