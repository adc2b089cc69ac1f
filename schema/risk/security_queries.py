"""Read entry points for guarantees, collateral and the net retained risk."""

from __future__ import annotations

from datetime import date
from operator import attrgetter
from typing import Annotated, Any

import strawberry
from graphql import GraphQLError
from strawberry.types import Info

from domain import roles, texts
from domain.dates import in_range
from domain.errors import DomainError
from schema.context import Context
from schema.errors import bad_input
from schema.input_rules import text_arg
from schema.paging import After, Before, First, Last
from schema.permissions import allow, roles_note
from schema.relay import PageInfo, connection, edges_of, row_cursor, slice_of, window
from schema.relay import from_global_id as decode_id
from schema.risk.security_types import (
    Collateral,
    Guarantee,
    PortfolioRiskWaterfall,
    RiskSecuritySettings,
    RiskWaterfall,
)
from services.risk import collateral, guarantee_reads, security_settings, waterfall

READ = roles.READ_SECURITY
#: Portfolio figures are for those who steer the book, not for every reader.
READ_PORTFOLIO = frozenset({roles.CREDIT_MANAGER, roles.FINANCE, roles.ADMIN})
CUSTOMER = strawberry.argument(description="Global id of the customer.")
AS_OF = strawberry.argument(description="The date asked (default today).")
CURRENCY = text_arg(
    "Currency of the figures (default: the customer's limit currency, else the tenant's base "
    "currency).",
    texts.CURRENCY,
)
PORTFOLIO_CURRENCY = text_arg(
    "Currency of the figures (default: the tenant's base currency).", texts.CURRENCY
)


@strawberry.type(description="One guarantee in a page.")
class GuaranteeEdge:
    cursor: str = strawberry.field(description="Pass as `after` to continue after this item.")
    node: Guarantee = strawberry.field(description="The guarantee.")


@strawberry.type(description="A page of a customer's guarantees, oldest validity first.")
class GuaranteeConnection:
    edges: list[GuaranteeEdge] = strawberry.field(description="The items with their cursors.")
    page_info: PageInfo = strawberry.field(description="Paging state.")
    total_count: int = strawberry.field(description="Items matching, all pages.")


@strawberry.type(description="One collateral in a page.")
class CollateralEdge:
    cursor: str = strawberry.field(description="Pass as `after` to continue after this item.")
    node: Collateral = strawberry.field(description="The collateral.")


@strawberry.type(description="A page of a customer's collateral, oldest first.")
class CollateralConnection:
    edges: list[CollateralEdge] = strawberry.field(description="The items with their cursors.")
    page_info: PageInfo = strawberry.field(description="Paging state.")
    total_count: int = strawberry.field(description="Items matching, all pages.")


def _day(value: date | None, today: date) -> date:
    day = value or today
    if not in_range(day):
        raise GraphQLError(
            "asOf must be from 1900-01-01 to 2199-12-31", extensions={"code": "BAD_USER_INPUT"}
        )
    return day


def _customer(global_id: str) -> Any:
    try:
        return decode_id(global_id, "Customer")[1]
    except Exception:  # a wrong id reads as nothing, like any unknown id
        return None


@strawberry.type(description="Guarantee, collateral and net-retained-risk reads.")
class RiskSecurityQuery:
    @strawberry.field(
        description="A customer's guarantees, oldest validity first." + roles_note(READ),
        extensions=allow(READ),
    )
    async def guarantees(
        self, info: Info[Context, Any], customer_id: Annotated[strawberry.ID, CUSTOMER],
        first: First = None, after: After = None, last: Last = None, before: Before = None,
    ) -> GuaranteeConnection:  # fmt: skip
        asked = window(first, after, last, before, info.context.runtime.settings.max_page_size)
        raw = _customer(customer_id)
        found = await guarantee_reads.guarantees_of(info.context.session, raw) if raw else []
        page, more = slice_of(found, asked, attrgetter("id"))
        edges = edges_of(GuaranteeEdge, page, Guarantee.of, lambda g: row_cursor(g.id))
        return connection(GuaranteeConnection, edges, more, len(found), asked)

    @strawberry.field(
        description="A customer's collateral, oldest first." + roles_note(READ),
        extensions=allow(READ),
    )
    async def collateral(
        self, info: Info[Context, Any], customer_id: Annotated[strawberry.ID, CUSTOMER],
        first: First = None, after: After = None, last: Last = None, before: Before = None,
    ) -> CollateralConnection:  # fmt: skip
        asked = window(first, after, last, before, info.context.runtime.settings.max_page_size)
        raw = _customer(customer_id)
        found = await collateral.collateral_of(info.context.session, raw) if raw else []
        page, more = slice_of(found, asked, attrgetter("id"))
        edges = edges_of(CollateralEdge, page, Collateral.of, lambda c: row_cursor(c.id))
        return connection(CollateralConnection, edges, more, len(found), asked)

    @strawberry.field(
        description="A customer's net retained risk on a date: gross exposure, less the part "
        "factored without recourse, the insured part, guarantees x the tenant's weights and "
        "collateral coverage, each capped by what is left." + roles_note(READ),
        extensions=allow(READ),
    )
    async def risk_waterfall(
        self, info: Info[Context, Any], customer_id: Annotated[strawberry.ID, CUSTOMER],
        as_of: Annotated[date | None, AS_OF] = None,
        currency: Annotated[str | None, CURRENCY] = None,
    ) -> RiskWaterfall | None:  # fmt: skip
        raw = _customer(customer_id)
        if raw is None:
            return None
        day = _day(as_of, info.context.today)
        try:
            view = await waterfall.risk_waterfall(info.context.session, raw, day, currency)
        except DomainError as exc:  # a currency with no rate to it: the caller's ask
            raise bad_input(exc) from None
        return RiskWaterfall.of(view)

    @strawberry.field(
        description="The portfolio's net retained risk on a date, in the tenant's base currency "
        "unless another is asked." + roles_note(READ_PORTFOLIO),
        extensions=allow(READ_PORTFOLIO),
    )
    async def portfolio_risk_waterfall(
        self, info: Info[Context, Any], as_of: Annotated[date | None, AS_OF] = None,
        currency: Annotated[str | None, PORTFOLIO_CURRENCY] = None,
    ) -> PortfolioRiskWaterfall:  # fmt: skip
        day = _day(as_of, info.context.today)
        try:
            view = await waterfall.portfolio_waterfall(info.context.session, day, currency)
        except DomainError as exc:  # a currency with no rate to it: the caller's ask
            raise bad_input(exc) from None
        return PortfolioRiskWaterfall.of(view)

    @strawberry.field(
        description="The tenant's guarantee and waterfall settings." + roles_note(READ),
        extensions=allow(READ),
    )
    async def risk_security_settings(self, info: Info[Context, Any]) -> RiskSecuritySettings:
        found = await info.context.session.run(security_settings.load)
        return RiskSecuritySettings.of(found)
