"""The tenant options of issue 11: the credit check against gross exposure (the default) or
against the net retained risk; the provision base gross or net of cover.

The check's exposure facts gain one negative receivables entry in the limit's currency: the
relief the waterfall finds (gross - net), so the decision's snapshot shows it and a replay of
the decision reproduces it from the snapshot alone (a check logged when a cover with no rate
was carried as a negative entry in its own currency replays that entry as it was). A cover no
rate converts gives no relief, the cautious side (a cover only lowers exposure): the check
does not go to review for it, and the waterfall lists it in `unconverted`. An open item with
no rate stays in the exposure as read and sends the check to review, as on the gross basis.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

import sqlalchemy as sa

from dbschema.risk_security_tables import risk_security_settings
from domain.credit.rates import RateBook
from domain.risk.waterfall import ExposureBasis
from services.credit.exposure import Gathered, view_currency
from services.risk.waterfall import OnConnection, net_relief, portfolio_waterfalls
from services.uow import UnitOfWork

#: A retained share is kept to six decimals (a provision of 10^8 minor units moves < 100).
SHARE_PLACES = Decimal("0.000001")


async def net_of_cover(uow: UnitOfWork, facts: Gathered, as_of: date) -> Gathered:
    """The facts unchanged on the gross basis; on the net basis, less the cover's relief (the
    basis came with the facts: no round trip of its own on the order-time path)."""
    if facts.check_basis != ExposureBasis.NET:
        return facts
    currency = view_currency(facts, as_of)
    runner = OnConnection(uow.conn, uow.tenant_id)
    relief = await net_relief(runner, facts, as_of, currency)
    if not relief.entries:
        return facts
    lowered = (*facts.exposure.receivables, *relief.entries)
    # the check converts with the rates the relief was found with
    return replace(
        facts, exposure=replace(facts.exposure, receivables=lowered), rates=relief.rates,
        rate_currencies=relief.currencies,
    )  # fmt: skip


async def retained_shares(uow: UnitOfWork, as_of: date) -> dict[str, str]:
    """Per customer, net / gross of the waterfall on `as_of` for the provision run on the net
    basis (customers without cover are left out: their share is 1); {} on the gross basis."""
    basis = await uow.conn.scalar(sa.select(risk_security_settings.c.provision_basis))
    if basis != ExposureBasis.NET:
        return {}
    _, waterfalls = await portfolio_waterfalls(OnConnection(uow.conn, uow.tenant_id), as_of)
    shares = {}
    for customer_id, result in waterfalls.items():
        if result.unconverted:  # the share is unknown: refused until finance enters the rate
            left = result.unconverted[0]
            raise RateBook(as_of).missing(left.source.currency, left.target)
        if result.lines and result.gross_minor > 0 and result.net_minor < result.gross_minor:
            share = Decimal(result.net_minor) / Decimal(result.gross_minor)
            shares[str(customer_id)] = str(share.quantize(SHARE_PLACES, ROUND_HALF_EVEN))
    return shares
