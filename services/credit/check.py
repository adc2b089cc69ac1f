"""checkCredit: decide an order against the customer's limits, log it, maybe reserve.

Without a reservation a check only reads and logs. With one, the customer's credit lock
(then its group limits' locks, a namespace of their own, in sorted order) is taken before the
facts are read, so concurrent reservations see each other and never exceed the headroom, and
no two checks can each hold a lock the other waits for; the reservation expires on its own
(`expires_at`, read as a filter), unless an order with its reference confirms it or it is
released. An order already registered under the reference counts on its own: a check of it
holds nothing more; a reference registered as another customer's order, or held live by
another customer (unless registered as this customer's order), is refused: a check never ends
another customer's hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from dbschema.credit_limit_tables import credit_reservations
from dbschema.ids import time_ordered_ids
from dbschema.queries.credit_check_log import CheckLog, ReferenceHeld, write_check
from dbschema.queries.credit_exposure import begin_check, begin_check_inline, lock_groups
from domain.credit.check import CHECK_RULES_VERSION, CheckInput, CheckOutcome, Outcome, decide
from domain.credit.check_input import check_request
from domain.errors import DomainError, NotFound
from domain.money import Money
from services.credit import rates
from services.credit.decisions import decision_event
from services.credit.exposure import Gathered, dossier_missing, gather
from services.credit.topics import TOPIC_DECISION
from services.credit.trail import newest_first
from services.inputs import MoneyIn
from services.paging import Seek
from services.read_session import ReadSession, by_ids
from services.risk.net_basis import net_of_cover
from services.uow import UnitOfWork

#: platform default: a reservation holds headroom for 15 minutes, time enough to key in and
#: confirm an order (the bounds are domain.credit.check_input's).
DEFAULT_TTL_SECONDS = 900
#: A check's transaction (its log entry, its reservation) commits without waiting for the
#: WAL flush: a check moves no money, and on these disks a flush alone takes 5-13 ms. What a
#: database crash can lose is the last fraction of a second (3 x wal_writer_delay, 0.6 s by
#: default) of check log entries and reservations, never a ledger entry, limit, policy or
#: order, which commit durably. True restores a durable commit per check.
DURABLE_CHECKS = False


@dataclass(frozen=True)
class CheckRequest:
    """A credit check as the caller asks for it."""

    customer_id: UUID
    amount: MoneyIn
    order_ref: str | None = None
    reserve: bool = False
    ttl_seconds: int = DEFAULT_TTL_SECONDS


@dataclass(frozen=True)
class ReservationView:
    """Headroom held for an order until it is confirmed, released or expires."""

    id: UUID
    customer_id: UUID
    order_ref: str
    amount: Money
    status: str
    expires_at: datetime
    created_at: datetime
    decision_id: UUID
    order_id: UUID | None


@dataclass(frozen=True)
class CheckResult:
    """The logged decision, its inputs and any reservation taken."""

    decision_id: UUID
    input: CheckInput
    outcome: CheckOutcome
    reservation: ReservationView | None
    #: an order is registered for the customer under the reference: it counts in exposure on
    #: its own, so the check held nothing (its snapshot's `reserve` is false)
    order_registered: bool = False


def reservation_view(row: Any) -> ReservationView:
    """A stored reservation; an ACTIVE one past its expiry reads as EXPIRED."""
    status = row.status
    if status == "ACTIVE" and row.expires_at <= datetime.now(row.expires_at.tzinfo):
        status = "EXPIRED"
    return ReservationView(
        row.id,
        row.customer_id,
        row.order_ref,
        Money(int(row.amount_minor), row.currency.strip()),
        status,
        row.expires_at,
        row.created_at,
        row.decision_id,
        row.order_id,
    )


async def _inputs(
    uow: UnitOfWork, facts: Gathered, money: Money, ref: str | None, reserve: bool, today: date
) -> CheckInput:
    needed = facts.currencies() | {money.currency}
    book = facts.rate_book(needed, today) or await rates.book_for(
        uow.conn, needed, today, facts.policy.base_currency
    )
    missing = None
    if facts.policy.require_complete_dossier:
        missing = await dossier_missing(uow.conn, facts.customer_id, today)
    return CheckInput(
        as_of=today,
        customer_id=str(facts.customer_id),
        customer_status=facts.customer_status,
        rating_class=facts.rating_class,
        hold_reason=facts.hold_reason,
        amount=money,
        order_ref=ref,
        reserve=reserve,
        policy=facts.policy,
        limits=facts.limits,
        exposure=facts.exposure,
        group_members=facts.group_members,
        group_limits=facts.group_limits,
        group_exposure=facts.group_exposure,
        dossier_missing=missing,
        rates=book.rates,
    )


def _ref_taken(message: str) -> DomainError:
    """The refusal of a reference that is another customer's (never naming the customer)."""
    return DomainError("ORDER_REF_TAKEN", message, "orderRef")


def opening(tenant_id: UUID, customer_id: UUID, reserve: bool) -> str:
    """What a check's unit of work may send with its BEGIN: for a reservation, the commit
    mode and the customer's credit lock (one round trip instead of two); else nothing."""
    return begin_check_inline(tenant_id, [customer_id], DURABLE_CHECKS) if reserve else ""


async def _under_group_locks(
    uow: UnitOfWork, facts: Gathered, today: date, ref: str | None, currency: str
) -> Gathered:
    """The facts read again under the locks of every group limit they name (taken after the
    customer's, sorted); a group limit approved between the reads is locked and read too."""
    locked: set[UUID] = set()
    while anchors := {UUID(g.anchor_id) for g in facts.group_limits} - locked:
        await lock_groups(uow.conn, uow.tenant_id, list(anchors))
        locked |= anchors
        facts = await gather(
            uow.conn, uow.tenant_id, facts.customer_id, today, ref, currency=currency
        )
    return facts


async def check_credit(uow: UnitOfWork, req: CheckRequest, today: date) -> CheckResult:
    """Decide, log the decision with its complete snapshot, and reserve when asked."""
    money, ref = check_request(
        req.amount.amount, req.amount.currency, req.order_ref, req.reserve, req.ttl_seconds
    )
    mode = "on" if DURABLE_CHECKS else "off"
    if req.reserve and uow.opening != opening(uow.tenant_id, req.customer_id, True):
        await begin_check(uow.conn, uow.tenant_id, [req.customer_id], DURABLE_CHECKS)
    # without a lock to take first, the commit mode rides on the read: one round trip less
    facts = await gather(
        uow.conn, uow.tenant_id, req.customer_id, today, ref, None if req.reserve else mode,
        money.currency,
    )  # fmt: skip
    if facts.order_of_another:
        # its reservation could never be confirmed, and its exclusion would hide a group
        # member's order from the exposure checked: the reference is not this customer's
        raise _ref_taken("the order reference is another customer's registered order")
    if facts.ref_held_by_another and not facts.order_registered:
        # one live hold per reference, and it is another customer's order in the making: this
        # check must not end it, and a hold of its own could never be confirmed beside it
        raise _ref_taken("another customer holds the order reference: check another reference")
    if req.reserve and facts.group_limits:
        facts = await _under_group_locks(uow, facts, today, ref, money.currency)
    # issue 11 (risk transfer): the tenant may check against the net retained risk
    facts = await net_of_cover(uow, facts, today)
    # a registered order counts in exposure itself (createSalesOrder will never confirm a
    # new hold of it): holding its amount again would count it twice
    reserve = req.reserve and not facts.order_registered
    inp = await _inputs(uow, facts, money, ref, reserve, today)
    outcome = decide(inp)
    verdict = outcome.to_json()
    # known before the insert, so its event can carry it; time-ordered, so a check's rows
    # land at the end of their indexes rather than on a random leaf page each
    decision_id, reservation_id = time_ordered_ids(2)
    hold = None
    if outcome.reserve is not None and ref is not None:
        hold = (outcome.reserve.currency, outcome.reserve.minor, req.ttl_seconds)
    log = CheckLog(
        tenant_id=uow.tenant_id,
        decision_id=decision_id,
        customer_id=req.customer_id,
        snapshot=inp.to_json(),
        outcome=verdict,
        versions={
            "creditPolicy": inp.policy.version,
            "checkRules": CHECK_RULES_VERSION,
            "rates": [r.id for r in inp.rates],
        },
        decided_by=uow.actor.subject,
        request_id=uow.actor.request_id,
        # an approval at order rate is logged, not broadcast: subscribers hear what needs them
        event=None
        if outcome.outcome == Outcome.APPROVED
        else (TOPIC_DECISION, decision_event(decision_id, "CREDIT_CHECK", req.customer_id,
                                             req.customer_id, verdict)),
        # the newest check of an order decides: a refused re-check ends the older hold, and
        # so does a reserving check of a registered order (the order counts instead)
        order_ref=ref if req.reserve or hold is not None else None,
        hold=hold,
        reservation_id=reservation_id,
    )  # fmt: skip
    # the log entry, its event and the reservation change go in one statement
    try:
        row = await write_check(uow.conn, log)
    except ReferenceHeld:  # another customer's hold committed after the read: as if seen
        raise _ref_taken(
            "another customer holds the order reference: check another reference"
        ) from None
    reservation = reservation_view(row) if row is not None else None
    return CheckResult(decision_id, inp, outcome, reservation, facts.order_registered)


def _close(*where: Any) -> Any:
    """Release ACTIVE reservations (EXPIRED for those whose time had passed anyway)."""
    t = credit_reservations
    return (
        t.update()
        .where(t.c.status == "ACTIVE", *where)
        .values(
            status=sa.case((t.c.expires_at <= sa.func.now(), "EXPIRED"), else_="RELEASED"),
            closed_at=sa.func.now(),
        )
    )


async def release_reservation(uow: UnitOfWork, reservation_id: UUID) -> ReservationView:
    """Give held headroom back; releasing twice, or after expiry, changes nothing; a
    reservation an order confirmed is refused (the order counts now: cancel it instead)."""
    t = credit_reservations
    row = (await uow.conn.execute(_close(t.c.id == reservation_id).returning(t))).first()
    if row is None:
        row = (await uow.conn.execute(sa.select(t).where(t.c.id == reservation_id))).first()
        if row is None:
            raise NotFound("id", "reservation")
        if row.status == "CONFIRMED":
            raise DomainError(
                "INVALID_STATUS",
                "an order confirmed this reservation and counts instead: cancel the order",
                "id",
            )
    return reservation_view(row)


async def expire_reservations(uow: UnitOfWork) -> int:
    """Mark lapsed reservations EXPIRED (housekeeping only: they stopped counting when
    their time passed); returns how many."""
    t = credit_reservations
    result = await uow.conn.execute(
        t.update()
        .where(t.c.status == "ACTIVE", t.c.expires_at <= sa.func.now())
        .values(status="EXPIRED", closed_at=sa.func.now())
    )
    return int(result.rowcount or 0)


async def reservations_of(
    session: ReadSession,
    customer_id: UUID,
    live_only: bool,
    after: Seek | None,
    first: int,
) -> tuple[list[ReservationView], bool]:
    """A customer's reservations, newest first; and whether more follow."""
    t = credit_reservations
    query = sa.select(t).where(t.c.customer_id == customer_id)
    if live_only:
        query = query.where(t.c.status == "ACTIVE", t.c.expires_at > sa.func.now())
    rows, more = await newest_first(session, query, [t.c.created_at, t.c.id], after, first)
    return [reservation_view(r) for r in rows], more


async def reservations_by_ids(
    session: ReadSession, ids: list[UUID]
) -> list[ReservationView | None]:
    """Reservations in the order asked (for `node`), None where the tenant has none."""
    t = credit_reservations
    return await by_ids(session, sa.select(t), t.c.id, ids, reservation_view)
