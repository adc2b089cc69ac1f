"""Factoring mutations: agreements, debtor limits, assignment in batches, collections,
remittances and buy-backs. Money-moving ones take an idempotency key."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import roles, texts
from domain.risk.factoring import AgreementInput
from schema.context import Context
from schema.input_rules import text
from schema.ledger.mutations.postings import KEY, KEY_NOTE
from schema.money import DecimalString, MoneyInput
from schema.mutation import INPUT, decode, respond
from schema.permissions import allow, roles_note
from schema.risk.errors import RISK
from schema.risk.factoring_agreement_types import FactoringAgreement
from schema.risk.factoring_assignment_types import FactoredInvoice, FactoringBatch
from services.inputs import MoneyIn
from services.risk import factoring, factoring_ledger, factoring_reads
from services.risk.factoring import AgreementIn, Remittance
from services.uow import UnitOfWork

WRITE = roles.MANAGE_FACTORING


@strawberry.input(description="Where debtors pay the factor.")
class RemittanceInput:
    bank: str | None = text("Bank.", texts.NAME, default=None)
    account_name: str | None = text("Account name.", texts.NAME, default=None)
    account_number: str | None = text("Account number.", texts.ACCOUNT_NUMBER, default=None)


@strawberry.input(description="A factoring agreement; omitted terms take the defaults.")
class CreateFactoringAgreementInput:
    factor: str = text("The factor.", texts.NAME)
    reference: str = text("Agreement number.", texts.AGREEMENT_NUMBER)
    recourse: bool = strawberry.field(description="With recourse (有追索权) or without.")
    disclosed: bool = strawberry.field(description="Debtors notified and pay the factor.")
    currencies: list[str] = text("Currencies taken (1-10), each", texts.CURRENCY)
    commission_percent: DecimalString = strawberry.field(  # type: ignore[valid-type]
        description="Commission on the face, in percent."
    )
    interest_percent: DecimalString = strawberry.field(  # type: ignore[valid-type]
        description="Discount interest a year on advances, in percent."
    )
    starts_on: date = strawberry.field(description="First assignment date.")
    advance_percent: DecimalString | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Share advanced, in percent (default 80)."
    )
    max_terms_days: int | None = strawberry.field(
        default=None, description="Longest terms taken in days (default 60)."
    )
    allowed_classes: list[str] | None = text(
        "Customer classes taken (default A-D with recourse, A-B without; C and D only with "
        "recourse), each",
        texts.LABEL,
        default=None,
    )
    recourse_days: int | None = strawberry.field(
        default=None, description="Days after due before an unpaid invoice comes back (90)."
    )
    remittance: RemittanceInput | None = strawberry.field(
        default=None, description="Where debtors pay the factor."
    )


@strawberry.type(description="Result of createFactoringAgreement.")
class FactoringAgreementPayload(RISK.payload):
    agreement: FactoringAgreement | None = strawberry.field(
        default=None, description="The agreement."
    )


@strawberry.input(description="Set a factor's limit on a debtor.")
class SetFactoringDebtorLimitInput:
    agreement_id: strawberry.ID = strawberry.field(description="Global id of the agreement.")
    customer_id: strawberry.ID = strawberry.field(description="Global id of the debtor.")
    limit: MoneyInput = strawberry.field(description="The limit, in a currency of the agreement.")
    approved: bool = strawberry.field(description="Whether the factor approved the debtor.")


@strawberry.input(description="Assign invoices to a factor, all or none.")
class AssignInvoicesInput:
    agreement_id: strawberry.ID = strawberry.field(description="Global id of the agreement.")
    invoice_ids: list[strawberry.ID] = strawberry.field(
        description="Global ids of the invoices (at most 5,000)."
    )
    assigned_on: date = strawberry.field(description="The assignment date.")
    idempotency_key: str = text(KEY_NOTE, KEY)


@strawberry.type(description="Result of assignInvoices.")
class AssignInvoicesPayload(RISK.payload):
    batch: FactoringBatch | None = strawberry.field(default=None, description="The batch.")
    replayed: bool = strawberry.field(
        default=False, description="True when an idempotency key replayed the first result."
    )


@strawberry.enum(description="Who received a debtor's payment.")
class Receiver(Enum):
    FACTOR = strawberry.enum_value("FACTOR", description="The factor (disclosed factoring).")
    US = strawberry.enum_value("US", description="We did, and owe it on to the factor.")


@strawberry.input(description="A debtor paid an assigned invoice.")
class RecordFactoringCollectionInput:
    invoice_id: strawberry.ID = strawberry.field(description="Global id of the invoice.")
    amount: DecimalString = strawberry.field(  # type: ignore[valid-type]
        description="Decimal amount in the invoice's currency."
    )
    received_on: date = strawberry.field(description="When it was paid.")
    received_by: Receiver = strawberry.field(description="Who received it.")
    reference: str | None = text("Bank reference.", texts.REFERENCE, default=None)
    idempotency_key: str = text(KEY_NOTE, KEY)


@strawberry.input(description="Take a with-recourse invoice back from the factor.")
class BuyBackInvoiceInput:
    invoice_id: strawberry.ID = strawberry.field(description="Global id of the invoice.")
    on: date = strawberry.field(description="The buy-back date.")
    idempotency_key: str = text(KEY_NOTE, KEY)


@strawberry.type(description="Result of a mutation on an assigned invoice.")
class FactoredInvoicePayload(RISK.payload):
    factored_invoice: FactoredInvoice | None = strawberry.field(
        default=None, description="The invoice's assignment."
    )
    replayed: bool = strawberry.field(
        default=False, description="True when an idempotency key replayed the first result."
    )


@strawberry.input(description="Pass the collections we hold on to the factor.")
class RemitToFactorInput:
    agreement_id: strawberry.ID = strawberry.field(description="Global id of the agreement.")
    on: date = strawberry.field(description="The remittance date.")
    idempotency_key: str = text(KEY_NOTE, KEY)


def _terms(input: CreateFactoringAgreementInput) -> AgreementIn:
    optional = {
        k: v
        for k, v in (
            ("advance_percent", input.advance_percent),
            ("max_terms_days", input.max_terms_days),
            ("allowed_classes", input.allowed_classes),
            ("recourse_days", input.recourse_days),
        )
        if v is not None
    }
    r = input.remittance or RemittanceInput()
    return AgreementIn(
        AgreementInput(
            factor=input.factor,
            reference=input.reference,
            recourse=input.recourse,
            disclosed=input.disclosed,
            currencies=input.currencies,
            commission_percent=input.commission_percent,
            interest_percent=input.interest_percent,
            starts_on=input.starts_on,
            **optional,
        ),
        Remittance(r.bank, r.account_name, r.account_number),
    )


async def create_factoring_agreement(
    info: Info[Context, Any], input: Annotated[CreateFactoringAgreementInput, INPUT]
) -> FactoringAgreementPayload:
    data = _terms(input)

    async def show(record: factoring.AgreementRecord) -> dict[str, Any]:
        return {"agreement": FactoringAgreement.of(record)}

    return await respond(
        info,
        FactoringAgreementPayload,
        lambda uow: factoring.create_agreement(uow, data),
        show,
    )


async def _show_agreement(info: Info[Context, Any], agreement_id: Any) -> dict[str, Any]:
    found = await factoring_reads.agreements_by_ids(info.context.session, [agreement_id])
    return {"agreement": FactoringAgreement.of(found[0]) if found[0] else None}


async def set_factoring_debtor_limit(
    info: Info[Context, Any], input: Annotated[SetFactoringDebtorLimitInput, INPUT]
) -> FactoringAgreementPayload:
    async def work(uow: UnitOfWork) -> Any:
        return await factoring.set_debtor_limit(
            uow,
            decode(input.agreement_id, "FactoringAgreement", "agreementId"),
            decode(input.customer_id, "Customer", "customerId"),
            MoneyIn(input.limit.amount, input.limit.currency),
            input.approved,
        )

    return await respond(
        info,
        FactoringAgreementPayload,
        work,
        lambda record: _show_agreement(info, record.agreement_id),
    )


async def assign_invoices(
    info: Info[Context, Any], input: Annotated[AssignInvoicesInput, INPUT]
) -> AssignInvoicesPayload:
    async def work(uow: UnitOfWork) -> factoring.BatchStep:
        return await factoring.assign(
            uow,
            decode(input.agreement_id, "FactoringAgreement", "agreementId"),
            [decode(g, "Invoice", f"invoiceIds.{n}") for n, g in enumerate(input.invoice_ids)],
            input.assigned_on,
            input.idempotency_key,
        )

    async def show(step: factoring.BatchStep) -> dict[str, Any]:
        found = await factoring_reads.batches_by_ids(info.context.session, [step.batch_id])
        return {
            "batch": FactoringBatch.of(found[0]) if found[0] else None,
            "replayed": step.replayed,
        }

    return await respond(info, AssignInvoicesPayload, work, show)


def _show_invoice(info: Info[Context, Any]) -> Any:
    async def show(step: factoring_ledger.Step) -> dict[str, Any]:
        page = await factoring_reads.assignments_for_invoice(info.context.session, step.invoice_id)
        return {
            "factored_invoice": FactoredInvoice.of(page) if page else None,
            "replayed": step.replayed,
        }

    return show


async def record_factoring_collection(
    info: Info[Context, Any], input: Annotated[RecordFactoringCollectionInput, INPUT]
) -> FactoredInvoicePayload:
    async def work(uow: UnitOfWork) -> factoring_ledger.Step:
        return await factoring_ledger.record_collection(
            uow,
            decode(input.invoice_id, "Invoice", "invoiceId"),
            input.amount,
            input.received_on,
            input.received_by.value,
            input.reference,
            input.idempotency_key,
        )

    return await respond(info, FactoredInvoicePayload, work, _show_invoice(info))


async def buy_back_invoice(
    info: Info[Context, Any], input: Annotated[BuyBackInvoiceInput, INPUT]
) -> FactoredInvoicePayload:
    async def work(uow: UnitOfWork) -> factoring_ledger.Step:
        return await factoring_ledger.buy_back(
            uow, decode(input.invoice_id, "Invoice", "invoiceId"), input.on, input.idempotency_key
        )

    return await respond(info, FactoredInvoicePayload, work, _show_invoice(info))


async def remit_to_factor(
    info: Info[Context, Any], input: Annotated[RemitToFactorInput, INPUT]
) -> FactoringAgreementPayload:
    async def work(uow: UnitOfWork) -> factoring_ledger.Step:
        return await factoring_ledger.remit(
            uow,
            decode(input.agreement_id, "FactoringAgreement", "agreementId"),
            input.on,
            input.idempotency_key,
        )

    return await respond(
        info,
        FactoringAgreementPayload,
        work,
        lambda step: _show_agreement(info, step.agreement_id),
    )


def _field(resolver: Any, text: str) -> Any:
    return strawberry.mutation(
        resolver=resolver, extensions=allow(WRITE), description=text + roles_note(WRITE)
    )


FIELDS = {
    "create_factoring_agreement": _field(
        create_factoring_agreement,
        "Record a factoring agreement (C and D customers only with recourse).",
    ),
    "set_factoring_debtor_limit": _field(
        set_factoring_debtor_limit, "Set a factor's limit on a debtor (and its approval)."
    ),
    "assign_invoices": _field(
        assign_invoices,
        "Assign up to 5,000 invoices to a factor, all or none (idempotent): any that is "
        "disputed, paid, overdue, assigned, in another currency, too long, of a class not "
        "taken or past the debtor's limit comes back in userErrors with its reason.",
    ),
    "record_factoring_collection": _field(
        record_factoring_collection,
        "Record a debtor's payment on an assigned invoice, to the factor or to us "
        "(idempotent); a paid-up invoice is settled.",
    ),
    "remit_to_factor": _field(
        remit_to_factor, "Pass the collections we hold on to the factor (idempotent)."
    ),
    "buy_back_invoice": _field(
        buy_back_invoice,
        "Take a with-recourse invoice back (idempotent); without recourse it is refused.",
    ),
}
