"""Guarantors, guarantees, calls, collateral and the net retained risk as GraphQL types."""

from __future__ import annotations

import base64
from datetime import date, datetime
from enum import Enum
from typing import Annotated, Any
from uuid import UUID

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from domain import roles, texts
from domain.risk.waterfall import LeftOut, LeftOutTotal
from schema.context import Context
from schema.customers.types import Customer
from schema.input_rules import guarded, text_arg
from schema.money import Money
from schema.node import load_node, register_node
from schema.relay import Node, to_global_id
from services.risk import collateral as collateral_service
from services.risk import guarantee_calls, guarantee_reads
from services.risk.collateral import CollateralView
from services.risk.guarantee_reads import GuaranteeView, GuarantorView
from services.risk.security_settings import SecuritySettings
from services.risk.waterfall import LineView, PortfolioView, WaterfallView


def _enum(name: str, text: str, values: dict[str, str]) -> Any:
    return strawberry.enum(
        Enum(name, {k: strawberry.enum_value(k, description=v) for k, v in values.items()}),  # type: ignore[misc]
        description=text,
    )


GuaranteeKind = _enum("GuaranteeKind", "The kind of guarantee.", {
    "GENERAL": "一般保证: the guarantor may insist the debtor is pursued first.",
    "JOINT_AND_SEVERAL": "连带责任保证: payment may be demanded from either at once.",
    "BANK_GUARANTEE": "保函: a bank pays on a complying demand.",
    "STANDBY_LC": "A standby letter of credit.",
})  # fmt: skip
GuaranteeScope = _enum("GuaranteeScope", "Which debts a guarantee covers.", {
    "ALL_DEBTS": "Every debt of the customer outstanding or arising until expiry.",
    "NAMED_INVOICES": "Only the invoices named.",
    "UP_TO_AMOUNT": "最高额保证: debts arising while it runs, up to the amount.",
})  # fmt: skip
GuaranteeStatus = _enum("GuaranteeStatus", "Where a guarantee stands.", {
    "ACTIVE": "Securing the customer's debts.",
    "CALLED": "A demand was made on the guarantor.",
    "PAID": "The guarantor paid what was demanded.",
    "RELEASED": "Released (the customer's credit restored, or settled).",
    "EXPIRED": "Its validity ended without a call.",
})  # fmt: skip
GuarantorKind = _enum("GuarantorKind", "Who stands behind the customer.", {
    "COMPANY": "A company.", "PERSON": "A natural person.",
})  # fmt: skip
CollateralForm = _enum("CollateralForm", "How an asset secures a debt.", {
    "PLEDGE": "质押: delivered or registered to us.",
    "MORTGAGE": "抵押: the owner keeps it; the charge is registered.",
})  # fmt: skip
AssetKind = _enum("AssetKind", "What secures a debt.", {
    "EQUIPMENT": "Equipment.", "PROPERTY": "Real property.", "RECEIVABLES": "Receivables.",
    "INVENTORY": "Inventory.", "DEPOSIT": "A cash deposit.",
})  # fmt: skip
WaterfallLayer = _enum("WaterfallLayer", "A step of the net retained risk waterfall.", {
    "NON_RECOURSE": "Sold to a factor without recourse.",
    "INSURED": "The insurer's indemnity share of insured open amounts.",
    "GUARANTEE": "A guarantee, weighted by its kind.",
    "COLLATERAL": "A pledge or mortgage at its coverage value.",
})  # fmt: skip
RiskFigure = _enum("RiskFigure", "What a figure the waterfall left out is.", {
    "RECEIVABLES": "Open receivables.", "ORDERS": "Open orders.",
    "RESERVATIONS": "Live reservations.",
    "EXPOSURE": "Gross exposure, its parts summed (the portfolio's figure).",
    "NON_RECOURSE": "Sold to a factor without recourse.",
    "INSURED": "The insurer's indemnity share.", "GUARANTEE": "A guarantee.",
    "COLLATERAL": "A pledge or mortgage.",
})  # fmt: skip
_PAIR = ("The pair with no rate on or before the date, from/to (USD/CNY): once finance "
         "enters one, the figure counts.")  # fmt: skip
ExposureBasis = _enum("ExposureBasis", "What an option works on.", {
    "GROSS": "Exposure before any cover.", "NET": "The net retained risk after every cover.",
})  # fmt: skip


def _money(value: Any) -> Money:
    return Money.of(value.minor, value.currency)


@strawberry.type(description="A guarantor: a customer on file or an external party.")
class Guarantor(Node):
    raw_id: strawberry.Private[UUID]
    customer_raw: strawberry.Private[UUID | None]
    kind: GuarantorKind = strawberry.field(description="Company or person.")  # type: ignore[valid-type]
    name: str = strawberry.field(description="The guarantor's name.")
    identity_number: str | None = strawberry.field(
        description="Registration or identity number; masked unless your roles need it in full"
        f" ({', '.join(sorted(roles.READ_GUARANTOR_IDENTITY))})."
    )
    identity_masked: bool = strawberry.field(description="Whether the number is shown masked.")
    relationship: str | None = strawberry.field(description="Relationship to the customer.")
    net_worth: Money | None = strawberry.field(description="Net worth, as last assessed.")
    rating: str | None = strawberry.field(description="The guarantor's rating.")
    documents: list[str] = strawberry.field(description="References of documents on file.")
    created_at: datetime = strawberry.field(description="When it was recorded.")

    @strawberry.field(description="The customer on file who is the guarantor, if any.")
    async def customer(self, info: Info[Context, Any]) -> Customer | None:
        if self.customer_raw is None:
            return None
        found = await load_node(info.context, "Customer", self.customer_raw)
        return found if isinstance(found, Customer) else None

    @classmethod
    def of(cls, g: GuarantorView) -> Guarantor:
        """From a guarantor view."""
        return cls(
            id=to_global_id("Guarantor", g.id), raw_id=g.id, customer_raw=g.customer_id,
            kind=GuarantorKind[g.kind], name=g.name, identity_number=g.identity_number,
            identity_masked=g.identity_masked, relationship=g.relationship,
            net_worth=_money(g.net_worth) if g.net_worth else None, rating=g.rating,
            documents=list(g.documents), created_at=g.created_at,
        )  # fmt: skip


@strawberry.type(description="A notice of the daily guarantee clock.")
class GuaranteeNotice:
    kind: str = strawberry.field(
        description="PERIOD_LAPSING, PERIOD_LAPSED, EXPIRING, EXPIRED, PROPOSE_CALL or "
        "PROPOSE_RELEASE."
    )
    invoice_id: strawberry.ID | None = strawberry.field(description="The covered invoice.")
    ends_on: date = strawberry.field(description="The deadline the notice is about.")
    noticed_on: date = strawberry.field(description="The day the clock noticed it.")
    detail: str = strawberry.field(description="What it means, in words.")


@strawberry.type(description="A call on a guarantee: the demand and its letter as sent.")
class GuaranteeCall:
    raw_id: strawberry.Private[UUID]
    called_on: date = strawberry.field(description="When the guarantee was called.")
    demanded: Money = strawberry.field(description="What was demanded from the guarantor.")
    activity_id: strawberry.ID | None = strawberry.field(
        description="Its entry in the customer's evidence chain (a collection activity)."
    )

    @guarded("The demand letter as sent: base64 of the exact PDF bytes.")
    async def letter_pdf_base64(
        self, info: Info[Context, Any],
        lang: Annotated[str, text_arg("zh-CN or en.", texts.SHORT)] = "zh-CN",
    ) -> str | None:  # fmt: skip
        kept = await guarantee_calls.demand_pdf(info.context.session, self.raw_id, lang)
        return base64.b64encode(kept.pdf).decode() if kept else None


@strawberry.type(description="A guarantee securing a customer's debts.")
class Guarantee(Node):
    raw_id: strawberry.Private[UUID]
    customer_raw: strawberry.Private[UUID]
    guarantor_raw: strawberry.Private[UUID]
    reference: str = strawberry.field(description="The guarantee contract's reference.")
    kind: GuaranteeKind = strawberry.field(description="The kind.")  # type: ignore[valid-type]
    scope: GuaranteeScope = strawberry.field(description="Which debts.")  # type: ignore[valid-type]
    amount: Money = strawberry.field(description="The most the guarantor answers for.")
    valid_from: date = strawberry.field(description="First day of validity.")
    valid_to: date = strawberry.field(description="Last day of validity.")
    period_months: int | None = strawberry.field(
        description="The contract's guarantee period (保证期间) in months from each debt's due "
        "date; empty: six months (PRC Civil Code art. 692)."
    )
    status: GuaranteeStatus = strawberry.field(description="Where it stands.")  # type: ignore[valid-type]
    status_on: date | None = strawberry.field(description="When the status last changed.")
    status_note: str | None = strawberry.field(description="Why (for a release).")
    invoice_ids: list[strawberry.ID] = strawberry.field(description="The invoices it names.")
    documents: list[str] = strawberry.field(description="References of documents on file.")
    version: int = strawberry.field(description="Pass back to change it.")

    @strawberry.field(description="The customer whose debts it secures.")
    async def customer(self, info: Info[Context, Any]) -> Customer | None:
        found = await load_node(info.context, "Customer", self.customer_raw)
        return found if isinstance(found, Customer) else None

    @strawberry.field(description="Who stands behind the customer.")
    async def guarantor(self, info: Info[Context, Any]) -> Guarantor | None:
        found = await load_node(info.context, "Guarantor", self.guarantor_raw)
        return found if isinstance(found, Guarantor) else None

    @strawberry.field(description="The call, once called.")
    async def call(self, info: Info[Context, Any]) -> GuaranteeCall | None:
        c = await guarantee_reads.call_of(info.context.session, self.raw_id)
        if c is None:
            return None
        activity = to_global_id("Activity", c.activity_id) if c.activity_id else None
        return GuaranteeCall(raw_id=c.id, called_on=c.called_on, demanded=_money(c.demanded),
                             activity_id=activity)  # fmt: skip

    @strawberry.field(description="The daily clock's notices, newest first (at most 100).")
    async def notices(self, info: Info[Context, Any]) -> list[GuaranteeNotice]:
        found = await guarantee_reads.notices_of(info.context.session, self.raw_id, 100)
        return [
            GuaranteeNotice(
                kind=n.kind, ends_on=n.ends_on, noticed_on=n.noticed_on, detail=n.detail,
                invoice_id=to_global_id("Invoice", n.invoice_id) if n.invoice_id else None,
            )
            for n in found
        ]  # fmt: skip

    @classmethod
    def of(cls, g: GuaranteeView) -> Guarantee:
        """From a guarantee view."""
        return cls(
            id=to_global_id("Guarantee", g.id), raw_id=g.id, customer_raw=g.customer_id,
            guarantor_raw=g.guarantor_id, reference=g.reference, kind=GuaranteeKind[g.kind],
            scope=GuaranteeScope[g.scope], amount=_money(g.amount), valid_from=g.valid_from,
            valid_to=g.valid_to, period_months=g.period_months,
            status=GuaranteeStatus[g.status], status_on=g.status_on, status_note=g.status_note,
            invoice_ids=[to_global_id("Invoice", i) for i in g.invoice_ids],
            documents=list(g.documents), version=g.version,
        )  # fmt: skip


@strawberry.type(description="A pledge or mortgage securing a customer's debts.")
class Collateral(Node):
    raw_id: strawberry.Private[UUID]
    customer_raw: strawberry.Private[UUID]
    reference: str = strawberry.field(description="The security contract's reference.")
    form: CollateralForm = strawberry.field(description="Pledge or mortgage.")  # type: ignore[valid-type]
    asset_kind: AssetKind = strawberry.field(description="The asset.")  # type: ignore[valid-type]
    description: str = strawberry.field(description="What the asset is.")
    appraised_value: Money = strawberry.field(description="The last appraisal.")
    appraised_on: date = strawberry.field(description="When it was appraised.")
    haircut_percent: str = strawberry.field(description="The haircut in percent, 0-100.")
    coverage_value: Money = strawberry.field(description="Appraised x (1 - haircut).")
    reappraisal_due_on: date | None = strawberry.field(
        description="When the next appraisal is due (none for a deposit)."
    )
    registration_ref: str | None = strawberry.field(description="The registration's reference.")
    valid_from: date = strawberry.field(description="First day it secures.")
    valid_to: date | None = strawberry.field(description="Last day it secures (open if empty).")
    status: str = strawberry.field(description="ACTIVE or RELEASED.")
    version: int = strawberry.field(description="Pass back to change it.")

    @strawberry.field(description="The customer whose debts it secures.")
    async def customer(self, info: Info[Context, Any]) -> Customer | None:
        found = await load_node(info.context, "Customer", self.customer_raw)
        return found if isinstance(found, Customer) else None

    @classmethod
    def of(cls, c: CollateralView) -> Collateral:
        """From a collateral view."""
        return cls(
            id=to_global_id("Collateral", c.id), raw_id=c.id, customer_raw=c.customer_id,
            reference=c.reference, form=CollateralForm[c.form], asset_kind=AssetKind[c.asset_kind],
            description=c.description, appraised_value=_money(c.appraised),
            appraised_on=c.appraised_on, haircut_percent=format(c.haircut_percent.normalize(), "f"),
            coverage_value=_money(c.coverage), reappraisal_due_on=c.reappraisal_due_on,
            registration_ref=c.registration_ref, valid_from=c.valid_from, valid_to=c.valid_to,
            status=c.status, version=c.version,
        )  # fmt: skip


@strawberry.type(description="One step of the waterfall, explained.")
class WaterfallLine:
    layer: WaterfallLayer = strawberry.field(description="The kind of cover.")  # type: ignore[valid-type]
    ref: strawberry.ID | None = strawberry.field(description="The guarantee or collateral.")
    label: str = strawberry.field(description="What it is.")
    offered: Money = strawberry.field(description="Its value before weighting.")
    weight_percent: str = strawberry.field(description="The tenant's weight, in percent.")
    weighted: Money = strawberry.field(description="Offered x weight.")
    applied: Money = strawberry.field(description="What it took off (capped by what was left).")
    remaining: Money = strawberry.field(description="What is left after it.")
    capped: bool = strawberry.field(description="Less than its weighted value was used.")
    explanation: str = strawberry.field(description="The line in words.")

    @classmethod
    def of(cls, line: LineView) -> WaterfallLine:
        """From a line view."""
        kind = "Guarantee" if line.layer == "GUARANTEE" else "Collateral"
        return cls(
            layer=WaterfallLayer[line.layer], label=line.label,
            ref=to_global_id(kind, line.ref) if line.ref else None,
            offered=_money(line.offered),
            weight_percent=format(line.weight_percent.normalize(), "f"),
            weighted=_money(line.weighted), applied=_money(line.applied),
            remaining=_money(line.remaining), capped=line.capped, explanation=line.explanation,
        )  # fmt: skip


@strawberry.type(description="A figure left out of the waterfall: no rate converts it.")
class UnconvertedRiskFigure:
    figure: RiskFigure = strawberry.field(description="What it is.")  # type: ignore[valid-type]
    ref: strawberry.ID | None = strawberry.field(description="The guarantee or collateral.")
    label: str = strawberry.field(description="What it is, in words.")
    original: Money = strawberry.field(
        description="The figure in its own currency (a cover's value before weighting)."
    )
    missing_pair: str = strawberry.field(description=_PAIR)

    @classmethod
    def of(cls, u: LeftOut) -> UnconvertedRiskFigure:
        """From a figure left out."""
        kind = "Guarantee" if u.figure == "GUARANTEE" else "Collateral"
        return cls(
            figure=RiskFigure[u.figure], ref=to_global_id(kind, UUID(u.ref)) if u.ref else None,
            label=u.label, original=_money(u.source), missing_pair=u.pair,
        )  # fmt: skip


@strawberry.type(description="Figures of one kind and currency no rate converts, summed.")
class UnconvertedRiskTotal:
    figure: RiskFigure = strawberry.field(description="What they are.")  # type: ignore[valid-type]
    original: Money = strawberry.field(description="Their sum in their own currency.")
    customers: int = strawberry.field(description="How many customers' figures it sums.")
    missing_pair: str = strawberry.field(description=_PAIR)

    @classmethod
    def of(cls, t: LeftOutTotal) -> UnconvertedRiskTotal:
        """From a portfolio total of figures left out."""
        return cls(figure=RiskFigure[t.figure], original=_money(t.source),
                   customers=t.customers, missing_pair=t.pair)  # fmt: skip


@strawberry.type(description="A customer's gross exposure, each cover in turn, and the net.")
class RiskWaterfall:
    customer_id: strawberry.ID = strawberry.field(description="The customer.")
    as_of: date = strawberry.field(description="The date asked.")
    currency: str = strawberry.field(description="Every figure's currency.")
    gross: Money = strawberry.field(
        description="Open receivables, orders and reservations (those a rate converts)."
    )
    lines: list[WaterfallLine] = strawberry.field(description="The covers, in order.")
    net: Money = strawberry.field(description="The net retained risk: what we still carry.")
    unconverted: list[UnconvertedRiskFigure] = strawberry.field(
        description="Figures no rate converts into `currency` on the date, left out of gross "
        "and net (a debt left out makes both short; a cover left out makes the net high)."
    )

    @classmethod
    def of(cls, w: WaterfallView) -> RiskWaterfall:
        """From a waterfall view."""
        return cls(
            customer_id=to_global_id("Customer", w.customer_id), as_of=w.as_of,
            currency=w.currency, gross=_money(w.gross),
            lines=[WaterfallLine.of(x) for x in w.lines], net=_money(w.net),
            unconverted=[UnconvertedRiskFigure.of(u) for u in w.unconverted],
        )  # fmt: skip


@strawberry.type(description="What one layer took off across the portfolio.")
class LayerTotal:
    layer: WaterfallLayer = strawberry.field(description="The layer.")  # type: ignore[valid-type]
    amount: Money = strawberry.field(description="Its total.")


@strawberry.type(description="The waterfall over every customer (caps applied per customer).")
class PortfolioRiskWaterfall:
    as_of: date = strawberry.field(description="The date asked.")
    currency: str = strawberry.field(description="Every figure's currency.")
    customers: int = strawberry.field(description="Customers with exposure.")
    gross: Money = strawberry.field(description="Gross exposure.")
    layers: list[LayerTotal] = strawberry.field(description="What each layer took off.")
    net: Money = strawberry.field(description="The net retained risk.")
    unconverted: list[UnconvertedRiskTotal] = strawberry.field(
        description="Figures no rate converts into `currency` on the date, per kind and "
        "currency, left out of the totals (riskWaterfall lists each customer's)."
    )

    @classmethod
    def of(cls, p: PortfolioView) -> PortfolioRiskWaterfall:
        """From a portfolio view."""
        return cls(
            as_of=p.as_of, currency=p.currency, customers=p.customers, gross=_money(p.gross),
            layers=[LayerTotal(layer=WaterfallLayer[k], amount=_money(v)) for k, v in p.by_layer],
            net=_money(p.net), unconverted=[UnconvertedRiskTotal.of(t) for t in p.unconverted],
        )  # fmt: skip


@strawberry.type(description="The tenant's guarantee and waterfall settings.")
class RiskSecuritySettings:
    check_basis: ExposureBasis = strawberry.field(  # type: ignore[valid-type]
        description="The credit check compares the limit with gross or net exposure."
    )
    provision_basis: ExposureBasis = strawberry.field(  # type: ignore[valid-type]
        description="The provision run's base: gross or net of cover."
    )
    weights: strawberry.scalars.JSON = strawberry.field(
        description='Weight in percent per guarantee kind, e.g. {"GENERAL": "50"}.'
    )
    expiry_warning_days: int = strawberry.field(description="Warn this many days before expiry.")
    period_warning_days: int = strawberry.field(
        description="Warn this many days before a debt's guarantee period lapses."
    )
    version: int = strawberry.field(description="Pass back to change them (0: defaults).")

    @classmethod
    def of(cls, s: SecuritySettings) -> RiskSecuritySettings:
        """From the settings."""
        return cls(
            check_basis=ExposureBasis[s.check_basis],
            provision_basis=ExposureBasis[s.provision_basis],
            weights={k.value: format(v.normalize(), "f") for k, v in s.weights},
            expiry_warning_days=s.expiry_warning_days, period_warning_days=s.period_warning_days,
            version=s.version,
        )  # fmt: skip


def _loader(fn: Any) -> Any:
    def factory(ctx: Context) -> DataLoader[UUID, Any]:
        async def load(ids: list[UUID]) -> list[Any]:
            return await fn(ctx, ids)  # type: ignore[no-any-return]

        return DataLoader(load_fn=load)

    return factory


GUARANTEES = _loader(lambda ctx, ids: guarantee_reads.guarantees_by_ids(ctx.session, ids))
GUARANTORS = _loader(
    lambda ctx, ids: guarantee_reads.guarantors_by_ids(
        ctx.session, ids, ctx.principal.roles if ctx.principal else frozenset()
    )
)
COLLATERAL = _loader(lambda ctx, ids: collateral_service.collateral_by_ids(ctx.session, ids))
register_node("Guarantee", "risk_guarantees", GUARANTEES, Guarantee.of, readers=roles.READ_SECURITY)
register_node("Guarantor", "risk_guarantors", GUARANTORS, Guarantor.of, readers=roles.READ_SECURITY)
register_node(
    "Collateral", "risk_collateral", COLLATERAL, Collateral.of, readers=roles.READ_SECURITY
)
