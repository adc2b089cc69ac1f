"""The net retained risk of a customer, and of the portfolio, on a date.

Gross exposure comes from the credit decisions' exposure (services.credit.exposure) for one
customer and from its set-wise twin for the portfolio; the covers are read set-wise, converted
into one currency through the rate book, and applied by domain.risk.waterfall. A figure no
rate converts is left out of the totals and listed (`unconverted`), as the credit check does;
only a currency the caller asks with no rate to the customer's own (or the tenant's base) is
refused, on `currency`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Protocol, TypeVar
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.queries import risk_security as q
from domain.credit.exposure import ExposureFacts, ExposurePart, breakdown
from domain.credit.rates import ExchangeRate, RateBook
from domain.money import Money
from domain.risk import collateral as collateral_rules
from domain.risk.guarantees import GuaranteeKind, Scope
from domain.risk.waterfall import (
    HUNDRED,
    Cover,
    Figure,
    Layer,
    LeftOut,
    LeftOutTotal,
    Waterfall,
    apply,
    explain,
    relief,
    total,
)
from services.credit import class_policy, rates
from services.credit.exposure import Gathered, gather, view_currency
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
PART_LABELS = {
    ExposurePart.RECEIVABLES: "open receivables",
    ExposurePart.ORDERS: "open orders",
    ExposurePart.RESERVATIONS: "live reservations",
}
#: The portfolio reads a customer's gross per currency with its parts summed.
EXPOSURE_LABEL = "open receivables, orders and reservations"


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
    #: figures no rate converts into `currency`: in neither gross nor net
    unconverted: tuple[LeftOut, ...] = ()


@dataclass(frozen=True, slots=True)
class PortfolioView:
    """The waterfall summed over every customer with exposure (caps applied per customer)."""

    as_of: date
    currency: str
    customers: int
    gross: Money
    by_layer: tuple[tuple[Layer, Money], ...]
    net: Money
    #: figures no rate converts into `currency`, per kind and currency: in neither total
    unconverted: tuple[LeftOutTotal, ...] = ()


@dataclass(frozen=True)
class NetRelief:
    """What a check on the net basis takes off exposure (domain.risk.waterfall.relief), and
    the rates the waterfall converted with, among `currencies`."""

    entries: tuple[Money, ...]
    rates: tuple[ExchangeRate, ...]
    currencies: frozenset[str]


class _Covers:
    """One customer's covers in the target currency, and those no rate converts."""

    def __init__(self, book: RateBook, target: str) -> None:
        self.book, self.target = book, target
        self.covers: list[Cover] = []
        self.left: list[LeftOut] = []

    def convert(
        self, layer: Layer, ref: str | None, label: str, value: Money, weight: Decimal = HUNDRED
    ) -> int | None:
        """The value in the target currency, or None (listed as left out) without a rate."""
        found = self.book.try_convert(value, self.target)
        if found is None:
            self.left.append(LeftOut(Figure(layer.value), ref, label, value, self.target, weight))
            return None
        return found.amount.minor

    def add(
        self, layer: Layer, ref: str | None, label: str, value: Money, weight: Decimal = HUNDRED
    ) -> None:
        """One cover, converted (or left out)."""
        if (minor := self.convert(layer, ref, label, value, weight)) is not None:
            self.covers.append(Cover(layer, ref, label, minor, weight))

    def summed(self, layer: Layer, label: str, figures: dict[str, int]) -> None:
        """A layer summed over currencies: what converts is one cover, each other currency is
        left out on its own."""
        found = [self.convert(layer, None, label, Money(m, c.strip()))
                 for c, m in sorted(figures.items())]  # fmt: skip
        if kept := [m for m in found if m is not None]:
            self.covers.append(Cover(layer, None, label, sum(kept)))


def _covers(
    book: RateBook, target: str, settings: SecuritySettings, insured: dict[str, int],
    factored: dict[str, int], guarantees: Iterable[Any], collateral: Iterable[Any],
) -> _Covers:  # fmt: skip
    """One customer's covers in the target currency (a cover no rate converts left out)."""
    out = _Covers(book, target)
    if factored:
        out.summed(Layer.NON_RECOURSE, "factored without recourse", factored)
    if insured:
        out.summed(Layer.INSURED, "insured: the insurer's indemnity share", insured)
    for g in guarantees:
        kind = GuaranteeKind(g.kind)
        amount = int(g.amount_minor)
        label = f"{KIND_LABELS[kind]} {g.reference}"
        if g.scope == Scope.NAMED_INVOICES:
            amount = min(amount, int(g.named_open or 0))
            label += " (named invoices open)"
        offered = Money(amount, g.currency.strip())
        out.add(Layer.GUARANTEE, str(g.id), label, offered, settings.weight(kind))
    for c in collateral:
        appraised = Money(int(c.appraised_minor), c.currency.strip())
        value = collateral_rules.coverage_value(appraised, c.haircut_percent)
        label = (f"{c.form.lower()} of {c.asset_kind.lower()} {c.reference} (appraised less "
                 f"{c.haircut_percent.normalize():f}% haircut)")  # fmt: skip
        out.add(Layer.COLLATERAL, str(c.id), label, value)
    return out


def _asked(book: RateBook, target: str, home: str | None) -> None:
    """A currency the caller asked with no rate to the customer's own (or the base) is the
    caller's to change: refused on `currency`, as the check refuses an order's currency."""
    if home is not None and target != home and book.route(target, home) is None:
        raise book.missing(target, home, "currency")


def _merged(
    read: RateBook, known: Sequence[ExchangeRate], known_currencies: frozenset[str]
) -> RateBook:
    """The rates already known among `known_currencies`, plus those read for other pairs."""
    fresh = [r for r in read.rates
             if not (r.base in known_currencies and r.quote in known_currencies)]  # fmt: skip
    return RateBook.of(read.as_of, [*known, *fresh], read.base)


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
    return WaterfallView(customer_id, as_of, c, m(result.gross_minor), lines, m(result.net_minor),
                         result.unconverted)  # fmt: skip


def _currencies(*groups: Iterable[Any]) -> set[str]:
    return {r.currency.strip() for rows in groups for r in rows}


async def _waterfall(
    runner: Runner, customer_id: UUID, as_of: date, facts: ExposureFacts, target: str,
    home: str | None, known: Sequence[ExchangeRate], known_currencies: frozenset[str],
    base: str,
) -> tuple[Waterfall, RateBook, frozenset[str]]:  # fmt: skip
    """The waterfall, the rate book it converted with (crossing through the tenant's `base`
    where no direct pair converts) and the currencies the book is over."""
    ids = [customer_id]
    insured = (await transfer_figures.insured_parts(runner, ids, as_of)).get(customer_id, {})
    factored = (await transfer_figures.non_recourse_open_amounts(runner, ids, as_of)).get(
        customer_id, {}
    )

    async def read(conn: AsyncConnection) -> tuple[Waterfall, RateBook, frozenset[str]]:
        stored, guarantees, collateral = await q.customer_covers(conn, customer_id, as_of)
        settings = security_settings.from_row(stored) if stored else SecuritySettings()
        parts = (*facts.receivables, *facts.orders, *facts.reservations)
        found = _currencies(guarantees, collateral) | set(insured) | set(factored) | {target}
        needed = frozenset(found | {m.currency for m in parts} | ({home} if home else set()))
        needed |= known_currencies | {base}  # the book is then over every pair among them
        if needed == known_currencies:  # the rates read with the facts are enough
            book = RateBook.of(as_of, known, base)
        else:
            read_book = await rates.book_for(conn, needed, as_of, base)
            book = _merged(read_book, known, known_currencies)
        _asked(book, target, home)
        gross = breakdown(facts, target, book)  # as the check converts: what has no rate, listed
        left = [LeftOut(Figure(u.part.value), None, PART_LABELS[u.part], u.source, target)
                for u in gross.unconverted]  # fmt: skip
        covers = _covers(book, target, settings, insured, factored, guarantees, collateral)
        result = apply(target, gross.total.minor, covers.covers, [*left, *covers.left])
        return result, book, needed

    return await runner.run(read)


async def net_relief(runner: Runner, facts: Gathered, as_of: date, target: str) -> NetRelief:
    """What a check on the net basis takes off its facts' exposure: converted with the rates
    read with the facts (so the relief and the decision agree), plus those read for the
    currencies only the covers name."""
    result, book, currencies = await _waterfall(
        runner, facts.customer_id, as_of, facts.exposure, target, None, facts.rates,
        facts.rate_currencies, facts.policy.base_currency,
    )  # fmt: skip
    return NetRelief(relief(result), book.rates, currencies)


async def risk_waterfall(
    session: ReadSession, customer_id: UUID, as_of: date, currency: str | None = None
) -> WaterfallView:
    """One customer's waterfall, in `currency` or its limit's (else the tenant's base); gross
    exposure as the credit check reads it (services.credit.exposure.gather)."""

    async def facts_of(conn: AsyncConnection) -> tuple[Gathered, str]:
        facts = await gather(conn, session.tenant_id, customer_id, as_of)
        return facts, view_currency(facts, as_of)

    facts, home = await session.run(facts_of)
    result, _, _ = await _waterfall(
        session, customer_id, as_of, facts.exposure, currency or home, home, facts.rates,
        facts.rate_currencies, facts.policy.base_currency,
    )  # fmt: skip
    return _view(customer_id, as_of, result)


async def portfolio_waterfalls(
    session: Runner, as_of: date, currency: str | None = None,
    customer_ids: list[UUID] | None = None,
) -> tuple[str, dict[UUID, Waterfall]]:  # fmt: skip
    """Every customer's waterfall (or those given) in one currency (the tenant's base unless
    given), read set-wise: one statement for exposure and one per kind of cover; a figure no
    rate converts is listed in its waterfall's `unconverted`."""

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
    found = _currencies(gross, guarantees, collateral) | {target, base}
    for figures in (insured, factored):
        found |= {c for per in figures.values() for c in per}
    book = await session.run(lambda conn: rates.book_for(conn, found, as_of, base))
    _asked(book, target, base)
    exposure_of: dict[UUID, int] = {}
    left_of: dict[UUID, list[LeftOut]] = {}
    for r in gross:
        money = Money(int(r.open), r.currency.strip())
        converted = book.try_convert(money, target)
        if converted is None:
            left = LeftOut(Figure.EXPOSURE, None, EXPOSURE_LABEL, money, target)
            left_of.setdefault(r.customer_id, []).append(left)
        minor = 0 if converted is None else converted.amount.minor
        exposure_of[r.customer_id] = exposure_of.get(r.customer_id, 0) + minor
    by_customer_g: dict[UUID, list[Any]] = {}
    for g in guarantees:
        by_customer_g.setdefault(g.customer_id, []).append(g)
    by_customer_c: dict[UUID, list[Any]] = {}
    for c in collateral:
        by_customer_c.setdefault(c.customer_id, []).append(c)
    out = {}
    for cid in ids:
        covers = _covers(book, target, settings, insured.get(cid, {}), factored.get(cid, {}),
                         by_customer_g.get(cid, ()), by_customer_c.get(cid, ()))  # fmt: skip
        out[cid] = apply(target, exposure_of[cid], covers.covers,
                         [*left_of.get(cid, ()), *covers.left])  # fmt: skip
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
        Money(summed.net_minor, target), summed.unconverted,
    )  # fmt: skip
