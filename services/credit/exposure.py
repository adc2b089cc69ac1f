"""A customer's credit facts read in one statement, and its standing against its limits.

`gather` reads what a check decides from (policy, class, hold, limits, group, open items);
`exposure` turns it into the customer's and its group's standing for the exposure query,
with the same pure functions the check uses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.queries.credit_exposure import credit_facts
from domain.credit import class_policy as policy_rules
from domain.credit.check import GroupLimit
from domain.credit.class_policy import CreditPolicy
from domain.credit.exposure import Breakdown, ExposureFacts, Standing, breakdown, standing
from domain.credit.limits import LimitInForce, LimitKind, LimitRecord, LimitScope, in_force
from domain.credit.rates import ExchangeRate, RateBook
from domain.credit_file import completeness
from domain.errors import NotFound
from domain.money import Money
from services.credit import rates
from services.customers.credit_files import facts_on, policy_on
from services.read_session import ReadSession


@dataclass(frozen=True)
class Gathered:
    """One customer's credit facts as read, before any rule is applied."""

    customer_id: UUID
    customer_status: str
    rating_class: str | None
    hold_reason: str | None
    policy: CreditPolicy
    limits: tuple[LimitRecord, ...]
    exposure: ExposureFacts
    group_members: tuple[str, ...]
    group_limits: tuple[GroupLimit, ...]
    group_exposure: ExposureFacts | None
    now: str
    #: the tenant's check basis (GROSS or NET of cover, issue 11), read in the same trip
    check_basis: str = "GROSS"
    #: the newest rates among `rate_currencies` on the facts' date, read in the same trip
    rates: tuple[ExchangeRate, ...] = ()
    rate_currencies: frozenset[str] = frozenset()
    #: an order is registered for the customer under the excluded reference (any status): it
    #: counts on its own, so a check of it must not hold its amount again
    order_registered: bool = False
    #: the excluded reference is another customer's registered order (any status): no order
    #: of this customer can ever carry it
    order_of_another: bool = False
    #: another customer holds the excluded reference live (a reservation not yet expired)
    ref_held_by_another: bool = False

    def rate_book(self, currencies: Iterable[str], as_of: date) -> RateBook | None:
        """The rate book over `currencies` from the rates read with the facts (what
        rates.book_for would read), crossing through the tenant's base currency, or None when
        they name a currency the read did not."""
        base = self.policy.base_currency
        currencies = {c.strip() for c in currencies} | {base}
        if not currencies <= self.rate_currencies:
            return None
        if len(currencies) < 2:
            return RateBook(as_of, base=base)
        return RateBook.of(
            as_of, [r for r in self.rates if r.base in currencies and r.quote in currencies], base
        )

    def currencies(self) -> set[str]:
        """Every currency a computation over these facts may meet."""
        found = {self.policy.base_currency}
        found |= {r.amount.currency for r in self.limits}
        found |= {r.amount.currency for g in self.group_limits for r in g.records}
        for facts in (self.exposure, self.group_exposure):
            if facts is not None:
                items = (*facts.receivables, *facts.orders, *facts.reservations)
                found |= {m.currency for m in items}
        return found


def _rate(raw: list[Any]) -> ExchangeRate:
    id_, _seq, base, quote, rate, effective_on = raw
    return rates.stored_rate(id_, base, quote, Decimal(rate), date.fromisoformat(effective_on))


def _record(raw: list[Any]) -> LimitRecord:
    id_, seq, scope, kind, minor, currency, valid_from, valid_to, _customer = raw
    return LimitRecord(
        str(id_),
        int(seq),
        LimitScope(scope),
        LimitKind(kind),
        Money(int(minor), str(currency).strip()),
        date.fromisoformat(valid_from),
        date.fromisoformat(valid_to) if valid_to else None,
    )


def _facts(
    receivables: Iterable[list[Any]],
    orders: Iterable[list[Any]],
    reservations: Iterable[list[Any]],
    members: set[str],
) -> ExposureFacts:
    """Per-currency sums over the given customers (rows are per customer and currency)."""

    def total(rows: Iterable[list[Any]], column: int) -> tuple[Money, ...]:
        sums: dict[str, int] = {}
        for row in rows:
            if row[0] in members:
                sums[row[1]] = sums.get(row[1], 0) + int(row[column])
        return tuple(Money(m, c) for c, m in sorted(sums.items()) if m)

    receivables = list(receivables)
    days = [int(r[4]) for r in receivables if r[0] in members]
    return ExposureFacts(
        total(receivables, 2),
        total(orders, 2),
        total(reservations, 2),
        total(receivables, 3),
        max(days, default=0),
    )


async def gather(
    conn: AsyncConnection,
    tenant_id: UUID,
    customer_id: UUID,
    as_of: date,
    exclude_ref: str | None = None,
    commit_mode: str | None = None,
    currency: str | None = None,
) -> Gathered:
    """Read one customer's credit facts (its group's too when a group limit covers it), and
    the rates among their currencies and `currency`; the open order and live reservation of
    `exclude_ref` are left out (the order checked), and whether it is registered is read."""
    raw = await credit_facts(
        conn, tenant_id, customer_id, as_of, exclude_ref, policy_rules.DEFAULT_GROUP_KINDS,
        commit_mode, currency, policy_rules.DEFAULT_BASE_CURRENCY,
    )  # fmt: skip
    if raw.get("customer") is None:
        raise NotFound("customerId", "customer")
    version, overrides = raw.get("policy") or (0, {})
    status, rating = raw["customer"]
    held, reason = raw.get("hold") or (False, None)
    anchors: dict[str, list[LimitRecord]] = {}
    for item in raw.get("groupLimits") or []:
        anchors.setdefault(str(item[8]), []).append(_record(item))
    me = str(customer_id)
    members = {str(m) for m in raw.get("members") or [me]}
    rows = (raw.get("receivables") or [], raw.get("orders") or [], raw.get("reservations") or [])
    owner = raw.get("orderCustomer")
    return Gathered(
        customer_id=customer_id,
        customer_status=status,
        rating_class=rating,
        hold_reason=reason if held else None,
        policy=policy_rules.effective(overrides, int(version)),
        limits=tuple(_record(item) for item in raw.get("limits") or []),
        exposure=_facts(*rows, {me}),
        group_members=tuple(sorted(members)) if anchors else (),
        group_limits=tuple(GroupLimit(a, tuple(r)) for a, r in sorted(anchors.items())),
        group_exposure=_facts(*rows, members) if anchors else None,
        now=str(raw["now"]),
        check_basis=raw.get("checkBasis") or "GROSS",
        rates=tuple(_rate(item) for item in raw.get("rates") or []),
        rate_currencies=frozenset(str(c).strip() for c in raw.get("rateCurrencies") or []),
        order_registered=owner is not None and str(owner) == me,
        order_of_another=owner is not None and str(owner) != me,
        ref_held_by_another=bool(raw.get("refHeldByAnother")),
    )


async def dossier_missing(conn: AsyncConnection, customer_id: UUID, as_of: date) -> tuple[str, ...]:
    """The dossier items the tenant's completeness policy finds absent or stale."""
    facts = await facts_on(conn, [customer_id])
    policy = await policy_on(conn)
    return tuple(m.key for m in completeness(facts[customer_id], policy.items, as_of).missing)


@dataclass(frozen=True)
class ExposureView:
    """A customer's exposure and standing on a date, with the figures' conversions."""

    customer_id: UUID
    as_of: date
    policy_version: int
    hold_reason: str | None
    facts: ExposureFacts
    exposure: Breakdown
    limit: LimitInForce
    standing: Standing | None
    groups: tuple[tuple[str, LimitInForce, Standing], ...]
    group_members: tuple[str, ...]
    read_at: datetime


def view_currency(facts: Gathered, as_of: date) -> str:
    """The currency exposure is shown in: the standard limit's in force, else the base's (also
    the net retained risk's, issue 11)."""
    force = in_force(facts.limits, as_of)
    return force.standard.amount.currency if force.standard else facts.policy.base_currency


def standing_of(force: LimitInForce, facts: ExposureFacts, book: RateBook) -> Standing | None:
    """A limit in force against exposure (None without a standard limit)."""
    if force.standard is None:
        return None
    return standing(force.standard.amount, [i.amount for i in force.increases], facts, book)


async def exposure(session: ReadSession, customer_id: UUID, as_of: date) -> ExposureView:
    """Open receivables + open orders + live reservations of a customer and its group,
    against the limits in force on `as_of` (balances are those of now)."""

    async def run(conn: AsyncConnection) -> ExposureView:
        facts = await gather(conn, session.tenant_id, customer_id, as_of)
        needed = facts.currencies()
        base = facts.policy.base_currency
        book = facts.rate_book(needed, as_of) or await rates.book_for(conn, needed, as_of, base)
        force = in_force(facts.limits, as_of)
        currency = view_currency(facts, as_of)
        groups = []
        for group in facts.group_limits:
            group_force = in_force(group.records, as_of)
            assert facts.group_exposure is not None
            group_standing = standing_of(group_force, facts.group_exposure, book)
            if group_standing is not None:
                groups.append((group.anchor_id, group_force, group_standing))
        return ExposureView(
            customer_id=customer_id,
            as_of=as_of,
            policy_version=facts.policy.version,
            hold_reason=facts.hold_reason,
            facts=facts.exposure,
            exposure=breakdown(facts.exposure, currency, book),
            limit=force,
            standing=standing_of(force, facts.exposure, book),
            groups=tuple(groups),
            group_members=facts.group_members,
            read_at=datetime.fromisoformat(facts.now),
        )

    return await session.run(run)
