"""Claim mutations: file a claim (with its claim pack), the insurer's payments and rejection,
recoveries shared with the insurer. Money-moving ones take an idempotency key."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import roles, texts
from schema.context import Context
from schema.input_rules import text
from schema.ledger.mutations.postings import KEY, KEY_NOTE
from schema.money import DecimalString
from schema.mutation import INPUT, decode, respond
from schema.permissions import allow, roles_note
from schema.risk.errors import RISK
from schema.risk.insurance_claim_types import InsuranceClaim
from services.risk import claims, insurance_reads
from services.uow import UnitOfWork

WRITE = roles.MANAGE_INSURANCE


@strawberry.input(description="File a claim on a customer's insured overdue invoices.")
class FileClaimInput:
    customer_id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    invoice_ids: list[strawberry.ID] = strawberry.field(
        description="Its insured overdue invoices under one policy (at most 500)."
    )
    filed_on: date = strawberry.field(description="The filing date.")
    idempotency_key: str = text(KEY_NOTE, KEY)


@strawberry.input(description="The insurer paid (part of) a claim.")
class RecordClaimPaymentInput:
    claim_id: strawberry.ID = strawberry.field(description="Global id of the claim.")
    amount: DecimalString = strawberry.field(  # type: ignore[valid-type]
        description="Decimal amount in the claim's currency."
    )
    paid_on: date = strawberry.field(description="When it was paid.")
    reference: str | None = text("Insurer's reference.", texts.REFERENCE, default=None)
    idempotency_key: str = text(KEY_NOTE, KEY)


@strawberry.input(description="The insurer rejected a claim.")
class RejectClaimInput:
    claim_id: strawberry.ID = strawberry.field(description="Global id of the claim.")
    reason: str = text("The insurer's reason.", texts.DESCRIPTION)


@strawberry.input(description="Money recovered from the buyer after an indemnity.")
class RecordClaimRecoveryInput:
    claim_id: strawberry.ID = strawberry.field(description="Global id of the claim.")
    amount: DecimalString = strawberry.field(  # type: ignore[valid-type]
        description="Decimal amount recovered, in the claim's currency."
    )
    received_on: date = strawberry.field(description="When it was received.")
    reference: str | None = text("Bank reference.", texts.REFERENCE, default=None)
    idempotency_key: str = text(KEY_NOTE, KEY)


@strawberry.type(description="Result of a claim mutation.")
class InsuranceClaimPayload(RISK.payload):
    claim: InsuranceClaim | None = strawberry.field(default=None, description="The claim.")
    replayed: bool = strawberry.field(
        default=False, description="True when an idempotency key replayed the first result."
    )


def _show(info: Info[Context, Any]) -> Any:
    async def show(step: claims.ClaimStep) -> dict[str, Any]:
        found = await insurance_reads.claims_by_ids(info.context.session, [step.claim_id])
        return {
            "claim": InsuranceClaim.of(found[0]) if found[0] else None,
            "replayed": step.replayed,
        }

    return show


async def file_claim(
    info: Info[Context, Any], input: Annotated[FileClaimInput, INPUT]
) -> InsuranceClaimPayload:
    async def work(uow: UnitOfWork) -> claims.ClaimStep:
        return await claims.file_claim(
            uow,
            decode(input.customer_id, "Customer", "customerId"),
            [decode(g, "Invoice", f"invoiceIds.{n}") for n, g in enumerate(input.invoice_ids)],
            input.filed_on,
            input.idempotency_key,
        )

    return await respond(info, InsuranceClaimPayload, work, _show(info))


async def record_claim_payment(
    info: Info[Context, Any], input: Annotated[RecordClaimPaymentInput, INPUT]
) -> InsuranceClaimPayload:
    async def work(uow: UnitOfWork) -> claims.ClaimStep:
        return await claims.record_payment(
            uow,
            decode(input.claim_id, "InsuranceClaim", "claimId"),
            input.amount,
            input.paid_on,
            input.reference,
            input.idempotency_key,
        )

    return await respond(info, InsuranceClaimPayload, work, _show(info))


async def reject_claim(
    info: Info[Context, Any], input: Annotated[RejectClaimInput, INPUT]
) -> InsuranceClaimPayload:
    async def work(uow: UnitOfWork) -> claims.ClaimStep:
        return await claims.reject(
            uow, decode(input.claim_id, "InsuranceClaim", "claimId"), input.reason
        )

    return await respond(info, InsuranceClaimPayload, work, _show(info))


async def record_claim_recovery(
    info: Info[Context, Any], input: Annotated[RecordClaimRecoveryInput, INPUT]
) -> InsuranceClaimPayload:
    async def work(uow: UnitOfWork) -> claims.ClaimStep:
        return await claims.record_recovery(
            uow,
            decode(input.claim_id, "InsuranceClaim", "claimId"),
            input.amount,
            input.received_on,
            input.reference,
            input.idempotency_key,
        )

    return await respond(info, InsuranceClaimPayload, work, _show(info))


def _field(resolver: Any, text: str) -> Any:
    return strawberry.mutation(
        resolver=resolver, extensions=allow(WRITE), description=text + roles_note(WRITE)
    )


FIELDS = {
    "file_claim": _field(
        file_claim,
        "File a claim (idempotent): the indemnity is the policy's percentage of the covered "
        "loss after the deductible, capped by the cover and the maximum liability; the claim "
        "pack (invoices, statements, activities, notifications) is kept as filed. A claim on "
        "an uninsured invoice is refused with the reason.",
    ),
    "record_claim_payment": _field(
        record_claim_payment, "Record the insurer's payment on a claim (idempotent)."
    ),
    "reject_claim": _field(reject_claim, "Record the insurer's rejection of a claim."),
    "record_claim_recovery": _field(
        record_claim_recovery,
        "Record a recovery after an indemnity; the insurer's share follows the policy "
        "(idempotent).",
    ),
}
