"""Guarantee and collateral mutations, and the tenant's risk-security settings."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from domain import roles, texts
from domain.errors import DomainError
from schema.context import Context
from schema.input_rules import text
from schema.ledger.mutations.postings import AllocationLineInput
from schema.money import DecimalString, MoneyInput
from schema.mutation import INPUT, decode, respond
from schema.permissions import allow, roles_note
from schema.risk.errors import RISK
from schema.risk.security_types import (
    AssetKind,
    Collateral,
    CollateralForm,
    ExposureBasis,
    Guarantee,
    GuaranteeKind,
    GuaranteeScope,
    Guarantor,
    GuarantorKind,
    RiskSecuritySettings,
)
from services.inputs import MoneyIn
from services.ledger.inputs import AllocationLine
from services.risk import collateral, guarantee_calls, guarantees, security_settings
from services.risk.guarantee_reads import guarantee, guarantor

WRITE = roles.MANAGE_SECURITY
CALL = roles.CALL_GUARANTEES
PAY = roles.POST_PAYMENTS
SETTINGS = frozenset({roles.CREDIT_MANAGER, roles.ADMIN})


def _money(value: MoneyInput) -> MoneyIn:
    return MoneyIn(value.amount, value.currency)


@strawberry.input(description="A guarantor: a customer on file, or an external party.")
class CreateGuarantorInput:
    kind: GuarantorKind = strawberry.field(description="Company or person.")  # type: ignore[valid-type]
    name: str | None = text(
        "Name (default: the customer's, for one on file).", texts.NAME, default=None
    )
    customer_id: strawberry.ID | None = strawberry.field(
        default=None, description="Global id of the customer on file who guarantees."
    )
    identity_number: str | None = text(
        "Registration or identity number (shown masked to most).", texts.CODE, default=None
    )
    relationship: str | None = text(
        "Relationship to the customer, e.g. parent company.", texts.NAME, default=None
    )
    net_worth: MoneyInput | None = strawberry.field(default=None, description="Net worth.")
    rating: str | None = text("The guarantor's rating.", texts.RATING, default=None)
    documents: list[str] = text(
        "References of documents on file (at most 50), each", texts.EVIDENCE, default_factory=list
    )


@strawberry.type(description="Result of createGuarantor.")
class GuarantorPayload(RISK.payload):
    guarantor: Guarantor | None = strawberry.field(default=None, description="The guarantor.")


@strawberry.input(description="A guarantee of a customer's debts.")
class CreateGuaranteeInput:
    reference: str = text("The contract's reference (unique).", texts.AGREEMENT_NUMBER)
    guarantor_id: strawberry.ID = strawberry.field(description="Global id of the guarantor.")
    customer_id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    kind: GuaranteeKind = strawberry.field(description="The kind.")  # type: ignore[valid-type]
    scope: GuaranteeScope = strawberry.field(description="Which debts.")  # type: ignore[valid-type]
    amount: MoneyInput = strawberry.field(description="The most the guarantor answers for.")
    valid_from: date = strawberry.field(description="First day of validity.")
    valid_to: date = strawberry.field(description="Last day of validity (not before the first).")
    period_months: int | None = strawberry.field(
        default=None,
        description="The contract's guarantee period in months (1-120); empty: six months "
        "from each debt's due date (Civil Code art. 692).",
    )
    invoice_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="The invoices covered (scope NAMED_INVOICES)."
    )
    documents: list[str] = text(
        "References of documents on file (at most 50), each", texts.EVIDENCE, default_factory=list
    )


@strawberry.type(description="Result of a guarantee mutation.")
class GuaranteePayload(RISK.payload):
    guarantee: Guarantee | None = strawberry.field(default=None, description="The guarantee.")


@strawberry.input(description="Call a guarantee: demand payment from the guarantor.")
class CallGuaranteeInput:
    id: strawberry.ID = strawberry.field(description="Global id of the guarantee.")
    called_on: date = strawberry.field(description="The demand's date.")
    version: int | None = strawberry.field(
        default=None, description="The version you read (refused if it moved on)."
    )


@strawberry.input(description="Release a guarantee.")
class ReleaseGuaranteeInput:
    id: strawberry.ID = strawberry.field(description="Global id of the guarantee.")
    released_on: date = strawberry.field(description="The release's date.")
    note: str | None = text("Why.", texts.NOTE, default=None)
    version: int | None = strawberry.field(
        default=None, description="The version you read (refused if it moved on)."
    )


@strawberry.input(description="A payment by the guarantor of a called guarantee.")
class RecordGuarantorPaymentInput:
    guarantee_id: strawberry.ID = strawberry.field(description="Global id of the guarantee.")
    received_on: date = strawberry.field(description="When the cash arrived.")
    amount: MoneyInput = strawberry.field(description="The amount received.")
    lines: list[AllocationLineInput] = strawberry.field(
        default_factory=list, description="Invoices it pays (default: oldest due first)."
    )
    idempotency_key: str = text("A replay with it returns the first.", texts.REFERENCE)


@strawberry.type(description="Result of recordGuarantorPayment.")
class GuarantorPaymentPayload(RISK.payload):
    guarantee: Guarantee | None = strawberry.field(default=None, description="The guarantee.")
    payment_id: strawberry.ID | None = strawberry.field(
        default=None, description="The payment posted on the customer's invoices."
    )


@strawberry.input(description="A pledge or mortgage.")
class CreateCollateralInput:
    reference: str = text("The security contract's reference.", texts.AGREEMENT_NUMBER)
    customer_id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    form: CollateralForm = strawberry.field(description="Pledge or mortgage.")  # type: ignore[valid-type]
    asset_kind: AssetKind = strawberry.field(description="The asset.")  # type: ignore[valid-type]
    description: str = text("What the asset is.", texts.DESCRIPTION)
    appraised_value: MoneyInput = strawberry.field(description="The appraisal.")
    appraised_on: date = strawberry.field(description="When it was appraised.")
    haircut_percent: DecimalString = strawberry.field(  # type: ignore[valid-type]
        description='The haircut, 0-100 with 2 decimals at most, e.g. "30".'
    )
    valid_from: date = strawberry.field(description="First day it secures.")
    valid_to: date | None = strawberry.field(default=None, description="Last day it secures.")
    registration_ref: str | None = text(
        "The registration's reference.", texts.REFERENCE, default=None
    )


@strawberry.input(description="A new appraisal of a collateral.")
class ReappraiseCollateralInput:
    id: strawberry.ID = strawberry.field(description="Global id of the collateral.")
    appraised_value: MoneyInput = strawberry.field(description="The appraisal.")
    appraised_on: date = strawberry.field(description="When (not before the last one).")
    haircut_percent: DecimalString = strawberry.field(  # type: ignore[valid-type]
        description="The haircut, 0-100."
    )
    version: int | None = strawberry.field(default=None, description="The version you read.")


@strawberry.input(description="Release a collateral.")
class ReleaseCollateralInput:
    id: strawberry.ID = strawberry.field(description="Global id of the collateral.")
    version: int | None = strawberry.field(default=None, description="The version you read.")


@strawberry.type(description="Result of a collateral mutation.")
class CollateralPayload(RISK.payload):
    collateral: Collateral | None = strawberry.field(default=None, description="The collateral.")


@strawberry.input(description="Change the guarantee and waterfall settings; omitted stay.")
class UpdateRiskSecuritySettingsInput:
    version: int = strawberry.field(description="The version you read (0 before any change).")
    check_basis: ExposureBasis | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="The credit check against gross or net exposure."
    )
    provision_basis: ExposureBasis | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="The provision base: gross or net of cover."
    )
    weights: JSON | None = strawberry.field(
        default=None, description='Weights per guarantee kind, e.g. {"GENERAL": "40"}.'
    )
    expiry_warning_days: int | None = strawberry.field(
        default=None, description="Days before expiry to warn (0-365)."
    )
    period_warning_days: int | None = strawberry.field(
        default=None, description="Days before a guarantee period lapses to warn (0-365)."
    )


@strawberry.type(description="Result of updateRiskSecuritySettings.")
class RiskSecuritySettingsPayload(RISK.payload):
    settings: RiskSecuritySettings | None = strawberry.field(
        default=None, description="The settings now."
    )


async def _show_guarantee(info: Info[Context, Any], view: Any) -> dict[str, Any]:
    found = await info.context.session.run(lambda c: guarantee(c, view.id))
    return {"guarantee": Guarantee.of(found) if found else None}


async def create_guarantor(
    info: Info[Context, Any], input: Annotated[CreateGuarantorInput, INPUT]
) -> GuarantorPayload:
    async def work(uow: Any) -> Any:
        given = input.customer_id
        customer = decode(given, "Customer", "customerId") if given else None
        return await guarantees.create_guarantor(uow, guarantees.GuarantorIn(
            kind=input.kind.value, name=input.name, customer_id=customer,
            identity_number=input.identity_number, relationship=input.relationship,
            net_worth=_money(input.net_worth) if input.net_worth else None,
            rating=input.rating, documents=list(input.documents),
        ))  # fmt: skip

    async def show(view: Any) -> dict[str, Any]:
        roles_of = info.context.actor.roles
        found = await info.context.session.run(lambda c: guarantor(c, view.id, roles_of))
        return {"guarantor": Guarantor.of(found) if found else None}

    return await respond(info, GuarantorPayload, work, show)


async def create_guarantee(
    info: Info[Context, Any], input: Annotated[CreateGuaranteeInput, INPUT]
) -> GuaranteePayload:
    async def work(uow: Any) -> Any:
        return await guarantees.create_guarantee(uow, guarantees.GuaranteeIn(
            reference=input.reference,
            guarantor_id=decode(input.guarantor_id, "Guarantor", "guarantorId"),
            customer_id=decode(input.customer_id, "Customer", "customerId"),
            kind=input.kind.value, scope=input.scope.value, amount=_money(input.amount),
            valid_from=input.valid_from, valid_to=input.valid_to,
            period_months=input.period_months,
            invoice_ids=[decode(i, "Invoice", f"invoiceIds.{n}")
                         for n, i in enumerate(input.invoice_ids)],
            documents=list(input.documents),
        ))  # fmt: skip

    return await respond(info, GuaranteePayload, work, lambda v: _show_guarantee(info, v))


async def call_guarantee(
    info: Info[Context, Any], input: Annotated[CallGuaranteeInput, INPUT]
) -> GuaranteePayload:
    async def work(uow: Any) -> Any:
        raw = decode(input.id, "Guarantee")
        return await guarantee_calls.call_guarantee(uow, raw, input.called_on, input.version)

    return await respond(info, GuaranteePayload, work, lambda v: _show_guarantee(info, v))


async def release_guarantee(
    info: Info[Context, Any], input: Annotated[ReleaseGuaranteeInput, INPUT]
) -> GuaranteePayload:
    async def work(uow: Any) -> Any:
        raw = decode(input.id, "Guarantee")
        return await guarantees.release_guarantee(
            uow, raw, input.released_on, input.note, input.version
        )

    return await respond(info, GuaranteePayload, work, lambda v: _show_guarantee(info, v))


async def record_guarantor_payment(
    info: Info[Context, Any], input: Annotated[RecordGuarantorPaymentInput, INPUT]
) -> GuarantorPaymentPayload:
    async def work(uow: Any) -> Any:
        raw = decode(input.guarantee_id, "Guarantee", "guaranteeId")
        lines = [AllocationLine(decode(x.invoice_id, "Invoice", f"lines.{n}.invoiceId"),
                                x.amount) for n, x in enumerate(input.lines)]  # fmt: skip
        return await guarantee_calls.record_guarantor_payment(
            uow, raw, input.received_on, _money(input.amount), lines, input.idempotency_key
        )

    async def show(paid: Any) -> dict[str, Any]:
        from schema.relay import to_global_id

        found = await info.context.session.run(lambda c: guarantee(c, paid.guarantee_id))
        return {"guarantee": Guarantee.of(found) if found else None,
                "payment_id": to_global_id("Payment", paid.payment_id)}  # fmt: skip

    return await respond(info, GuarantorPaymentPayload, work, show)


async def _show_collateral(view: Any) -> dict[str, Any]:
    return {"collateral": Collateral.of(view)}


async def create_collateral(
    info: Info[Context, Any], input: Annotated[CreateCollateralInput, INPUT]
) -> CollateralPayload:
    async def work(uow: Any) -> Any:
        return await collateral.create_collateral(uow, collateral.CollateralIn(
            reference=input.reference,
            customer_id=decode(input.customer_id, "Customer", "customerId"),
            form=input.form.value, asset_kind=input.asset_kind.value,
            description=input.description, appraised_value=_money(input.appraised_value),
            appraised_on=input.appraised_on, haircut_percent=str(input.haircut_percent),
            valid_from=input.valid_from, valid_to=input.valid_to,
            registration_ref=input.registration_ref,
        ))  # fmt: skip

    return await respond(info, CollateralPayload, work, _show_collateral)


async def reappraise_collateral(
    info: Info[Context, Any], input: Annotated[ReappraiseCollateralInput, INPUT]
) -> CollateralPayload:
    async def work(uow: Any) -> Any:
        return await collateral.reappraise_collateral(
            uow, decode(input.id, "Collateral"), _money(input.appraised_value),
            input.appraised_on, str(input.haircut_percent), input.version,
        )  # fmt: skip

    return await respond(info, CollateralPayload, work, _show_collateral)


async def release_collateral(
    info: Info[Context, Any], input: Annotated[ReleaseCollateralInput, INPUT]
) -> CollateralPayload:
    async def work(uow: Any) -> Any:
        return await collateral.release_collateral(uow, decode(input.id, "Collateral"),
                                                   input.version)  # fmt: skip

    return await respond(info, CollateralPayload, work, _show_collateral)


async def update_risk_security_settings(
    info: Info[Context, Any], input: Annotated[UpdateRiskSecuritySettingsInput, INPUT]
) -> RiskSecuritySettingsPayload:
    async def work(uow: Any) -> Any:
        weights = input.weights
        if weights is not None and not isinstance(weights, dict):
            raise DomainError("INVALID_WEIGHT", "an object of kind to percent", "weights")
        return await security_settings.update(uow, input.version, security_settings.SettingsIn(
            check_basis=input.check_basis.value if input.check_basis else None,
            provision_basis=input.provision_basis.value if input.provision_basis else None,
            weights={str(k): str(v) for k, v in weights.items()} if weights else None,
            expiry_warning_days=input.expiry_warning_days,
            period_warning_days=input.period_warning_days,
        ))  # fmt: skip

    async def show(found: Any) -> dict[str, Any]:
        return {"settings": RiskSecuritySettings.of(found)}

    return await respond(info, RiskSecuritySettingsPayload, work, show)


def _field(resolver: Any, text: str, who: frozenset[str] = WRITE) -> Any:
    return strawberry.mutation(
        resolver=resolver, extensions=allow(who), description=text + roles_note(who)
    )


FIELDS = {
    "create_guarantor": _field(create_guarantor, "Record a guarantor and its small credit file."),
    "create_guarantee": _field(
        create_guarantee, "Record a guarantee of a customer's debts (ACTIVE)."
    ),
    "call_guarantee": _field(
        call_guarantee,
        "Call a guarantee for the covered debts due: a demand letter (zh-CN, en) is kept as "
        "sent and entered in the evidence chain (risk.guarantee_called).",
        CALL,
    ),
    "release_guarantee": _field(release_guarantee, "Release a guarantee."),
    "record_guarantor_payment": _field(
        record_guarantor_payment,
        "Post the guarantor's payment on the customer's invoices, marked as his; a called "
        "guarantee paid in full becomes PAID. Idempotent.",
        PAY,
    ),
    "create_collateral": _field(create_collateral, "Record a pledge or mortgage."),
    "reappraise_collateral": _field(reappraise_collateral, "Record a new appraisal."),
    "release_collateral": _field(release_collateral, "Release a collateral."),
    "update_risk_security_settings": _field(
        update_risk_security_settings,
        "Change the guarantee weights, warning lead times and the gross or net options.",
        SETTINGS,
    ),
}
