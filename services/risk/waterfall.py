"""The net retained risk of a customer, and of the portfolio, on a date.

Gross exposure comes from the credit decisions' exposure (services.credit.exposure) for one
customer and from its set-wise twin for the portfolio; the covers are read set-wise, converted
into one currency through the rate book, and applied by domain.risk.waterfall.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Protocol, TypeVar
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.queries import risk_security as q
from domain.credit.exposure import ExposureFacts
from domain.credit.rates import RateBook
from domain.money import Money
from domain.risk import collateral as collateral_rules
from domain.risk.guarantees import GuaranteeKind, Scope
from domain.risk.waterfall import Cover, Layer, Waterfall, apply, explain, total
from services.credit import class_policy, rates
from services.credit.exposure import gather, view_currency
from services.read_session import ReadSession
from services.risk import security_settings, transfer_figures
from services.risk.security_settings import SecuritySettings

T = TypeVar("T")


class Runner(Protocol):
    """What the reads need: a ReadSession, or a unit of work's connection (OnConnection)."""

    @property
    def tenant_id(self) -> UUID:
        """The tenant read."""
        ...

    async def run(self, fn: Callable[[AsyncConnection], Awaitable[T]]) -> T:
        """Run a query function on the connection."""
        ...


@dataclass(frozen=True)
class OnConnection:
    """A unit of work's connection as a Runner, so a write path reads covers in its own
    transaction (the credit check, the provision run)."""

    conn: AsyncConnection
    tenant_id: UUID

    async def run(self, fn: Callable[[AsyncConnection], Awaitable[T]]) -> T:
        """Run a query function on the connection."""
        return await fn(self.conn)


KIND_LABELS = {
    GuaranteeKind.GENERAL: "general guarantee (一般保证)",
    GuaranteeKind.JOINT_AND_SEVERAL: "joint-and-several guarantee (连带责任保证)",
    GuaranteeKind.BANK_GUARANTEE: "bank guarantee (保函)",
    GuaranteeKind.STANDBY_LC: "standby letter of credit",
}


@dataclass(frozen=True, slots=True)
class LineView:
    """One applied cover, in the waterfall's currency, with its explanation."""

    layer: Layer
    ref: UUID | None
    label: str
    offered: Money
    weight_percent: Decimal
    weighted: Money
    applied: Money
    remaining: Money
    capped: bool
    explanation: str


@dataclass(frozen=True, slots=True)
class WaterfallView:
    """A customer's gross exposure, each cover applied in order, and the net retained risk."""

    customer_id: UUID
    as_of: date
    currency: str
    gross: Money
    lines: tuple[LineView, ...]
    net: Money


@dataclass(frozen=True, slots=True)
class PortfolioView:
    """The waterfall summed over every customer with exposure (caps applied per customer)."""

    as_of: date
    currency: str
    customers: int
    gross: Money
    by_layer: tuple[tuple[Layer, Money], ...]
    net: Money


def _convert(book: RateBook, minor: int, currency: str, target: str) -> int:
    return book.convert(Money(minor, currency.strip()), target).amount.minor


def _covers(
    book: RateBook, target: str, settings: SecuritySettings, customer: UUID,
    insured: dict[str, int], factored: dict[str, int], guarantees: Iterable[Any],
    collateral: Iterable[Any],
) -> list[Cover]:  # fmt: skip
    """One customer's covers in the target currency."""
    out = []
    if factored:
        minor = sum(_convert(book, m, c, target) for c, m in factored.items())
        out.append(Cover(Layer.NON_RECOURSE, None, "factored without recourse", minor))
    if insured:
        minor = sum(_convert(book, m, c, target) for c, m in insured.items())
        out.append(Cover(Layer.INSURED, None, "insured: the insurer's indemnity share", minor))
    for g in guarantees:
        kind = GuaranteeKind(g.kind)
        amount = int(g.amount_minor)
        label = f"{KIND_LABELS[kind]} {g.reference}"
        if g.scope == Scope.NAMED_INVOICES:
            amount = min(amount, int(g.named_open or 0))
            label += " (named invoices open)"
        offered = _convert(book, amount, g.currency, target)
        out.append(Cover(Layer.GUARANTEE, str(g.id), label, offered, settings.weight(kind)))
    for c in collateral:
        appraised = Money(int(c.appraised_minor), c.currency.strip())
        value = collateral_rules.coverage_value(appraised, c.haircut_percent)
        label = (f"{c.form.lower()} of {c.asset_kind.lower()} {c.reference} (appraised less "
                 f"{c.haircut_percent.normalize():f}% haircut)")  # fmt: skip
        out.append(Cover(Layer.COLLATERAL, str(c.id), label,
                         _convert(book, value.minor, value.currency, target)))  # fmt: skip
    del customer
    return out


def _view(customer_id: UUID, as_of: date, result: Waterfall) -> WaterfallView:
    c = result.currency

    def m(minor: int) -> Money:
        return Money(minor, c)

    lines = tuple(
        LineView(
            line.layer, UUID(line.ref) if line.ref else None, line.label, m(line.offered_minor),
            line.weight_percent, m(line.weighted_minor), m(line.applied_minor),
            m(line.remaining_minor), line.capped, explain(line, c),
        )
        for line in result.lines
    )  # fmt: skip
    return WaterfallView(customer_id, as_of, c, m(result.gross_minor), lines, m(result.net_minor))


def _currencies(*groups: Iterable[Any]) -> set[str]:
    return {r.currency.strip() for rows in groups for r in rows}


async def waterfall_of(
    runner: Runner, customer_id: UUID, as_of: date, facts: ExposureFacts, target: str
) -> Waterfall:
    """One customer's waterfall over exposure facts as the credit decisions read them: the
    covers in one statement, the rates in one more."""
    ids = [customer_id]
    insured = (await transfer_figures.insured_parts(runner, ids, as_of)).get(customer_id, {})
    factored = (await transfer_figures.non_recourse_open_amounts(runner, ids, as_of)).get(
        customer_id, {}
    )

    async def read(conn: AsyncConnection) -> Waterfall:
        stored, guarantees, collateral = await q.customer_covers(conn, customer_id, as_of)
        settings = security_settings.from_row(stored) if stored else SecuritySettings()
        parts = (*facts.receivables, *facts.orders, *facts.reservations)
        found = _currencies(guarantees, collateral) | set(insured) | set(factored) | {target}
        book = await rates.book_for(conn, found | {m.currency for m in parts}, as_of)
        gross_minor = sum(book.convert(m, target).amount.minor for m in parts)
        covers = _covers(book, target, settings, customer_id, insured, factored, guarantees,
                         collateral)  # fmt: skip
        return apply(target, gross_minor, covers)

    return await runner.run(read)


async def risk_waterfall(
    session: ReadSession, customer_id: UUID, as_of: date, currency: str | None = None
) -> WaterfallView:
    """One customer's waterfall, in `currency` or its limit's (else the tenant's base); gross
    exposure as the credit check reads it (services.credit.exposure.gather)."""

    async def facts_of(conn: AsyncConnection) -> tuple[ExposureFacts, str]:
        facts = await gather(conn, session.tenant_id, customer_id, as_of)
        return facts.exposure, view_currency(facts, as_of)

    exposure_facts, limit_currency = await session.run(facts_of)
    target = currency or limit_currency
    result = await waterfall_of(session, customer_id, as_of, exposure_facts, target)
    return _view(customer_id, as_of, result)


async def portfolio_waterfalls(
    session: Runner, as_of: date, currency: str | None = None,
    customer_ids: list[UUID] | None = None,
) -> tuple[str, dict[UUID, Waterfall]]:  # fmt: skip
    """Every customer's waterfall (or those given) in one currency (the tenant's base unless
    given), read set-wise: one statement for exposure and one per kind of cover."""

    async def read(conn: AsyncConnection) -> tuple[Any, ...]:
        policy = await class_policy.load(conn)
        settings = await security_settings.load(conn)
        gross = await q.gross_by_customer(conn, customer_ids)
        guarantees = await q.securing_guarantees(conn, as_of, customer_ids)
        collateral = await q.securing_collateral(conn, as_of, customer_ids)
        return policy.base_currency, settings, gross, guarantees, collateral

    base, settings, gross, guarantees, collateral = await session.run(read)
    target = currency or base
    ids = sorted({r.customer_id for r in gross})
    insured = await transfer_figures.insured_parts(session, ids, as_of)
    factored = await transfer_figures.non_recourse_open_amounts(session, ids, as_of)
    found = _currencies(gross, guarantees, collateral) | {target}
    for figures in (insured, factored):
        found |= {c for per in figures.values() for c in per}
    book = await session.run(lambda conn: rates.book_for(conn, found, as_of))
    exposure_of: dict[UUID, int] = {}
    for r in gross:
        minor = _convert(book, int(r.open), r.currency, target)
        exposure_of[r.customer_id] = exposure_of.get(r.customer_id, 0) + minor
    by_customer_g: dict[UUID, list[Any]] = {}
    for g in guarantees:
        by_customer_g.setdefault(g.customer_id, []).append(g)
    by_customer_c: dict[UUID, list[Any]] = {}
    for c in collateral:
        by_customer_c.setdefault(c.customer_id, []).append(c)
    out = {}
    for cid in ids:
        covers = _covers(book, target, settings, cid, insured.get(cid, {}), factored.get(cid, {}),
                         by_customer_g.get(cid, ()), by_customer_c.get(cid, ()))  # fmt: skip
        out[cid] = apply(target, exposure_of[cid], covers)
    return target, out


async def portfolio_waterfall(
    session: ReadSession, as_of: date, currency: str | None = None
) -> PortfolioView:
    """The portfolio's gross exposure, what each layer takes off, and the net retained risk."""
    target, waterfalls = await portfolio_waterfalls(session, as_of, currency)
    summed = total(target, waterfalls.values())
    return PortfolioView(
        as_of, target, summed.customers, Money(summed.gross_minor, target),
        tuple((layer, Money(minor, target)) for layer, minor in summed.by_layer),
        Money(summed.net_minor, target),
    )  # fmt: skip
