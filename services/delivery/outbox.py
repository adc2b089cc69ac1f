"""Deliveries: one archived document to one recipient, queued in the caller's transaction and
sent by a job that retries with backoff.

A delivery counts as sent only when the channel accepted it (SMTP: 250 after DATA), and only
then is the activity recorded, with the message id; the last failed attempt (or a failure no
retry can mend) records a FAILED activity the collector sees in the evidence chain.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from dbschema.delivery_tables import document_deliveries
from dbschema.queries import jobs as job_queries
from dbschema.queries.events import record_event
from domain.recipients import Recipient
from services.collections.activities import ActivityIn, record_activity
from services.delivery.archive import ArchivedDocument, content_in, digest
from services.delivery.channels import EMAIL, Accepted, Attachment, DeliveryFailed, Outgoing
from services.delivery.registry import open_channel
from services.jobs.catalogue import DELIVER_DOCUMENT, DocumentDelivery
from services.jobs.requests import request_job
from services.read_session import ReadSession, by_ids
from services.statements.monthly import mark_sent
from services.uow import UnitOfWork

#: The evidence-chain kind of the activity each kind of document records.
ACTIVITY_KIND = {
    "PRE_DUE_REMINDER": "REMINDER",
    "REMINDER": "DUNNING_LETTER",
    "DEMAND": "DUNNING_LETTER",
    "LAWYER": "DUNNING_LETTER",
    "STATEMENT": "STATEMENT",
}
#: Attempts before a delivery is given up (the job's first run and its retries).
MAX_ATTEMPTS = DELIVER_DOCUMENT.retry.max_retries + 1
ERROR_CHARS = 1000  #: the server's last answer kept on a failed delivery


@dataclass(frozen=True)
class DeliveryRecord:
    """A delivery as it stands."""

    id: UUID
    document_id: UUID
    channel: str
    recipient_name: str | None
    recipient_address: str
    lang: str
    status: str
    attempts: int
    message_id: str | None
    last_error: str | None
    sent_at: datetime | None


@dataclass(frozen=True)
class DeliveryOutcome:
    """What one attempt did: SENT, FAILED (for good), or ALREADY (a redelivered job)."""

    delivery_id: UUID
    outcome: str
    message_id: str | None = None
    reason: str | None = None


class RetryLater(Exception):
    """A failed attempt worth repeating: the job runner records it and the broker retries."""


def _record(row: Any) -> DeliveryRecord:
    return DeliveryRecord(**{k: row._mapping[k] for k in DeliveryRecord.__dataclass_fields__})


async def _insert(uow: UnitOfWork, document: ArchivedDocument, **values: Any) -> Any:
    """A delivery row of an archived document."""
    return (
        await uow.conn.execute(
            document_deliveries.insert()
            .values(
                tenant_id=uow.tenant_id,
                document_id=document.id,
                customer_id=document.customer_id,
                created_by=uow.actor.subject,
                **values,
            )
            .returning(document_deliveries)
        )
    ).one()


async def queue_email(
    uow: UnitOfWork, document: ArchivedDocument, recipient: Recipient, subject: str, body: str
) -> DeliveryRecord:
    """An e-mail of the document to one recipient, sent by a job after this commit."""
    row = await _insert(
        uow,
        document,
        channel=EMAIL,
        recipient_name=recipient.name,
        recipient_address=recipient.address,
        lang=recipient.language,
        subject=subject,
        body=body,
    )
    job_id = await request_job(
        uow, DELIVER_DOCUMENT, DocumentDelivery(row.id), dedupe_key=f"deliver:{row.id}"
    )
    await uow.conn.execute(
        document_deliveries.update().where(document_deliveries.c.id == row.id).values(job_id=job_id)
    )
    return _record(row)


async def record_handed_over(
    uow: UnitOfWork, document: ArchivedDocument, channel: str, recipient: str, note: str
) -> tuple[DeliveryRecord, UUID]:
    """A printed document a person sends by post, courier or hand: recorded as sent now."""
    activity = await record_activity(
        uow,
        ActivityIn(
            document.customer_id,
            ACTIVITY_KIND[document.kind],
            datetime.now(UTC),
            "SENT",
            note,
            document_id=document.id,
        ),
    )
    row = await _insert(
        uow,
        document,
        channel=channel,
        recipient_name=None,
        recipient_address=recipient,
        lang=document.lang,
        subject=note,
        body="",
        status="SENT",
        sent_at=sa.func.now(),
        activity_id=activity.activity_id,
    )
    return _record(row), activity.activity_id


async def record_not_sent(
    uow: UnitOfWork, customer_id: UUID, activity_kind: str, outcome: str, note: str
) -> UUID:
    """A document that could not leave (no mail server, no address): the collector sees why."""
    activity = await record_activity(
        uow, ActivityIn(customer_id, activity_kind, datetime.now(UTC), outcome, note)
    )
    return activity.activity_id


async def deliver(uow: UnitOfWork, delivery_id: UUID) -> DeliveryOutcome:
    """Send one delivery (the job's work): SENT when accepted; RetryLater while attempts
    remain; FAILED, with an activity saying why, after the last one or a permanent refusal."""
    row = (
        await uow.conn.execute(
            sa.select(document_deliveries)
            .where(document_deliveries.c.id == delivery_id)
            .with_for_update()
        )
    ).first()
    if row is None or row.status != "PENDING":
        return DeliveryOutcome(delivery_id, "ALREADY")
    attempt = await job_queries.attempts(uow.conn, row.job_id) if row.job_id else 1
    archived = await content_in(uow, row.document_id)
    assert archived is not None  # the foreign key keeps it
    channel = await open_channel(uow, row.channel)
    try:
        if channel is None:
            raise DeliveryFailed("no mail server is configured", permanent=True)
        attachments: tuple[Attachment, ...] = ()
        if archived.document.kind != "PRE_DUE_REMINDER":  # a notice is the e-mail itself
            attachments = (
                Attachment(
                    archived.document.filename, archived.document.media_type, archived.content
                ),
            )
        accepted = await channel.send(
            Outgoing(row.recipient_address, row.recipient_name, row.subject, row.body, attachments)
        )
    except DeliveryFailed as failed:
        problem = failed
    except Exception as exc:  # unforeseen: retried like a passing failure, recorded at the last
        problem = DeliveryFailed(f"{type(exc).__name__}: {exc}", permanent=False)
    else:
        return await _sent(uow, row, archived.document, attempt, accepted)
    if not problem.permanent and attempt < MAX_ATTEMPTS:
        raise RetryLater(f"attempt {attempt} of {MAX_ATTEMPTS}: {problem.reason}") from problem
    return await _failed(uow, row, archived.document, attempt, problem.reason)


def _who(row: Any) -> str:
    return (
        f"{row.recipient_name} <{row.recipient_address}>"
        if row.recipient_name
        else str(row.recipient_address)
    )


async def _conclude(
    uow: UnitOfWork,
    row: Any,
    document: ArchivedDocument,
    outcome: str,
    note: str,
    **values: Any,
) -> None:
    """The delivery's end: its activity in the evidence chain, then the delivery row."""
    what = f"{document.kind} {document.number or document.filename}"
    activity = await record_activity(
        uow,
        ActivityIn(
            document.customer_id,
            ACTIVITY_KIND[document.kind],
            datetime.now(UTC),
            outcome,
            f"{what} {note}",
            document_id=document.id,
        ),
    )
    await uow.conn.execute(
        document_deliveries.update()
        .where(document_deliveries.c.id == row.id)
        .values(status=outcome, activity_id=activity.activity_id, **values)
    )


async def _sent(
    uow: UnitOfWork, row: Any, document: ArchivedDocument, attempt: int, accepted: Accepted
) -> DeliveryOutcome:
    note = f"e-mailed to {_who(row)}; message id {accepted.message_id}"
    await _conclude(
        uow,
        row,
        document,
        "SENT",
        note,
        attempts=attempt,
        message_id=accepted.message_id,
        server_reply=accepted.reply[:ERROR_CHARS],
        message=accepted.raw,
        message_sha256=digest(accepted.raw),
        sent_at=sa.func.now(),
        last_error=None,
    )
    if document.statement_id is not None:
        await mark_sent(uow, document.statement_id)
    await _event(uow, "collections.document_sent", row, document, messageId=accepted.message_id)
    return DeliveryOutcome(row.id, "SENT", message_id=accepted.message_id)


async def _failed(
    uow: UnitOfWork, row: Any, document: ArchivedDocument, attempt: int, reason: str
) -> DeliveryOutcome:
    note = f"could not be e-mailed to {_who(row)} after {attempt} attempt(s): {reason}"
    await _conclude(
        uow,
        row,
        document,
        "FAILED",
        note,
        attempts=attempt,
        last_error=reason[:ERROR_CHARS],
        failed_at=sa.func.now(),
    )
    await _event(uow, "collections.delivery_failed", row, document, reason=reason[:ERROR_CHARS])
    return DeliveryOutcome(row.id, "FAILED", reason=reason)


async def _event(
    uow: UnitOfWork, topic: str, row: Any, document: ArchivedDocument, **extra: str
) -> None:
    await record_event(
        uow.conn,
        uow.tenant_id,
        topic,
        {
            "customerId": str(document.customer_id),
            "documentId": str(document.id),
            "kind": document.kind,
            "number": document.number,
            "channel": row.channel,
            "recipient": row.recipient_address,
            **extra,
        },
    )


async def deliveries_of(uow: UnitOfWork, document_ids: list[UUID]) -> list[DeliveryRecord]:
    """The deliveries of some documents, oldest first."""
    rows = await uow.conn.execute(
        sa.select(document_deliveries)
        .where(document_deliveries.c.document_id.in_(document_ids))
        .order_by(document_deliveries.c.created_at)
    )
    return [_record(r) for r in rows]


async def deliveries_by_ids(session: ReadSession, ids: list[UUID]) -> list[DeliveryRecord | None]:
    """Deliveries in the order asked (for `node`), None where the tenant has none."""
    t = document_deliveries
    return await by_ids(session, sa.select(t), t.c.id, ids, _record)
