"""Mutations of applications, agreements, reviews and the credit-file policy."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import roles, texts
from domain.credit.credit_agreements import GuaranteeIn
from domain.money import Money as DomainMoney
from schema.context import Context
from schema.credit.applications.enums import (
    DisputeVenueEnum,
    GuaranteeKindEnum,
    OpinionRoleEnum,
    RecommendationEnum,
    VerdictEnum,
)
from schema.credit.applications.types import CreditAgreement, CreditApplication
from schema.credit.errors import CREDIT
from schema.input_rules import text
from schema.money import MoneyInput
from schema.mutation import INPUT, decode, respond
from schema.permissions import allow, roles_note
from services.credit import agreements, application_refile, applications
from services.credit.agreements import AgreementView
from services.credit.application_reads import ApplicationView
from services.inputs import MoneyIn
from services.uow import UnitOfWork


def _money(value: MoneyInput | None) -> MoneyIn | None:
    return None if value is None else MoneyIn(value.amount, value.currency)


@strawberry.input(description="A credit application (赊销申请).")
class SubmitCreditApplicationInput:
    customer_id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    requested_limit: MoneyInput = strawberry.field(
        description="The limit asked for (above 0, at most the document ceiling)."
    )
    payment_terms_code: str | None = text(
        "The payment terms asked for (a stored template code).", texts.CODE, default=None
    )
    valid_from: date = strawberry.field(description="First day the credit is wanted.")
    valid_to: date | None = strawberry.field(
        default=None, description="Last day, if any (not before today)."
    )
    purpose: str = text("What the credit is for (not empty).", texts.NOTE)
    application_ref: str | None = text(
        "The portal's own reference (unique in the tenant).", texts.SHORT, default=None
    )
    statement_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="The customer's financial statements (global ids)."
    )
    external_record_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list,
        description="The customer's bureau reports, references, visit reports (global ids).",
    )


@strawberry.input(description="One department's opinion on an application.")
class GiveCreditApplicationOpinionInput:
    id: strawberry.ID = strawberry.field(description="Global id of the application.")
    role: OpinionRoleEnum = strawberry.field(description="The department you speak for.")  # type: ignore[valid-type]
    recommendation: RecommendationEnum = strawberry.field(description="What you recommend.")  # type: ignore[valid-type]
    comment: str | None = text("Your comment.", texts.NOTE, default=None)


@strawberry.input(description="The credit manager's decision on an application.")
class DecideCreditApplicationInput:
    id: strawberry.ID = strawberry.field(description="Global id of the application.")
    verdict: VerdictEnum = strawberry.field(description="Approve, counter-offer or reject.")  # type: ignore[valid-type]
    reason: str = text("Why (not empty).", texts.NOTE)
    limit: MoneyInput | None = strawberry.field(
        default=None,
        description="A counter-offer's limit (default: as asked): in the currency asked, never "
        "above the amount asked.",
    )
    payment_terms_code: str | None = text(
        "A counter-offer's terms (default: as asked).", texts.CODE, default=None
    )
    valid_to: date | None = strawberry.field(
        default=None, description="A counter-offer's last day (default: as asked)."
    )
    rating_class: str | None = text(
        "A class to grant with it (A-D), if any.", texts.LABEL, default=None
    )


@strawberry.type(description="Result of an application mutation.")
class CreditApplicationPayload(CREDIT.payload):  # type: ignore[misc,name-defined]
    application: CreditApplication | None = strawberry.field(
        default=None, description="The application after the change."
    )


async def _show_application(result: ApplicationView) -> dict[str, Any]:
    return {"application": CreditApplication.build(result)}


async def submit_credit_application(
    info: Info[Context, Any], input: Annotated[SubmitCreditApplicationInput, INPUT]
) -> CreditApplicationPayload:
    async def work(uow: UnitOfWork) -> ApplicationView:
        data = applications.ApplicationIn(
            decode(input.customer_id, "Customer", "customerId"),
            MoneyIn(input.requested_limit.amount, input.requested_limit.currency),
            input.payment_terms_code,
            input.valid_from,
            input.valid_to,
            input.purpose,
            input.application_ref,
            [
                decode(i, "FinancialStatement", f"statementIds.{n}")
                for n, i in enumerate(input.statement_ids)
            ],
            [
                decode(i, "ExternalCreditRecord", f"externalRecordIds.{n}")
                for n, i in enumerate(input.external_record_ids)
            ],
        )
        return await applications.submit(uow, data, info.context.today)

    return await respond(info, CreditApplicationPayload, work, _show_application)


async def give_credit_application_opinion(
    info: Info[Context, Any], input: Annotated[GiveCreditApplicationOpinionInput, INPUT]
) -> CreditApplicationPayload:
    async def work(uow: UnitOfWork) -> ApplicationView:
        return await applications.give_opinion(
            uow,
            decode(input.id, "CreditApplication"),
            input.role.value,
            input.recommendation.value,
            input.comment,
        )

    return await respond(info, CreditApplicationPayload, work, _show_application)


async def decide_credit_application(
    info: Info[Context, Any], input: Annotated[DecideCreditApplicationInput, INPUT]
) -> CreditApplicationPayload:
    async def work(uow: UnitOfWork) -> ApplicationView:
        data = applications.DecisionIn(
            input.verdict.value,
            input.reason,
            _money(input.limit),
            input.payment_terms_code,
            input.valid_to,
            input.rating_class,
        )
        return await applications.decide(
            uow, decode(input.id, "CreditApplication"), data, info.context.today
        )

    return await respond(info, CreditApplicationPayload, work, _show_application)


@strawberry.input(description="File a granted application's stale limit request anew.")
class RefileCreditApplicationLimitInput:
    id: strawberry.ID = strawberry.field(description="Global id of the application.")
    reason: str | None = text(
        "An optional remark, kept with the request.", texts.NOTE, default=None
    )


async def refile_credit_application_limit(
    info: Info[Context, Any], input: Annotated[RefileCreditApplicationLimitInput, INPUT]
) -> CreditApplicationPayload:
    async def work(uow: UnitOfWork) -> ApplicationView:
        return await application_refile.refile_limit(
            uow, decode(input.id, "CreditApplication"), input.reason, info.context.today
        )

    return await respond(info, CreditApplicationPayload, work, _show_application)


@strawberry.input(description="A guarantee the agreement requires.")
class CreditGuaranteeInput:
    kind: GuaranteeKindEnum = strawberry.field(description="What kind.")  # type: ignore[valid-type]
    description: str = text("Who or what (not empty).", texts.DESCRIPTION)
    amount: MoneyInput | None = strawberry.field(default=None, description="Amount covered.")


@strawberry.input(description="A credit agreement (赊销协议) to draw up.")
class CreateCreditAgreementInput:
    customer_id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    limit: MoneyInput = strawberry.field(description="The agreed limit (above 0).")
    payment_terms_code: str = text("The agreed terms (a template code).", texts.CODE)
    late_interest_daily_rate: str | None = text(
        "Per day, 0 to below 0.01; default 0.0005 (0.05% a day).", texts.AMOUNT, default=None
    )
    guarantees: list[CreditGuaranteeInput] = strawberry.field(
        default_factory=list, description="Required guarantees (at most 10)."
    )
    dispute_venue: DisputeVenueEnum = strawberry.field(description="Arbitration or court.")  # type: ignore[valid-type]
    venue_name: str = text("The commission or court (not empty).", texts.NAME)
    valid_from: date = strawberry.field(description="First day in force.")
    valid_to: date | None = strawberry.field(
        default=None, description="Last day in force; default one year."
    )
    signed_on: date | None = strawberry.field(
        default=None,
        description="When given, the agreement is signed at once (in force from validFrom).",
    )
    number: str | None = text("Its number (合同编号).", texts.AGREEMENT_NUMBER, default=None)
    document_ref: str | None = text("Where it is kept.", texts.EVIDENCE, default=None)
    application_id: strawberry.ID | None = strawberry.field(
        default=None, description="The application it follows, if any."
    )


@strawberry.input(description="Record a drawn-up agreement as signed.")
class SignCreditAgreementInput:
    id: strawberry.ID = strawberry.field(description="Global id of the agreement.")
    signed_on: date = strawberry.field(description="Day signed (not in the future).")
    document_ref: str | None = text("Where the signed copy is kept.", texts.EVIDENCE, default=None)


@strawberry.type(description="Result of an agreement mutation.")
class CreditAgreementPayload(CREDIT.payload):  # type: ignore[misc,name-defined]
    agreement: CreditAgreement | None = strawberry.field(
        default=None, description="The agreement after the change."
    )


async def _show_agreement(result: AgreementView) -> dict[str, Any]:
    return {"agreement": CreditAgreement.build(result)}


def _guarantee(n: int, g: CreditGuaranteeInput) -> GuaranteeIn:
    amount = None
    if g.amount is not None:
        amount = DomainMoney.parse(g.amount.amount, g.amount.currency, f"guarantees.{n}.amount")
    return GuaranteeIn(g.kind.value, g.description, amount)


async def create_credit_agreement(
    info: Info[Context, Any], input: Annotated[CreateCreditAgreementInput, INPUT]
) -> CreditAgreementPayload:
    async def work(uow: UnitOfWork) -> AgreementView:
        data = agreements.AgreementIn(
            decode(input.customer_id, "Customer", "customerId"),
            input.limit.amount,
            input.limit.currency,
            input.payment_terms_code,
            input.late_interest_daily_rate,
            [_guarantee(n, g) for n, g in enumerate(input.guarantees)],
            input.dispute_venue.value,
            input.venue_name,
            input.valid_from,
            input.valid_to,
            input.signed_on,
            input.number,
            input.document_ref,
            decode(input.application_id, "CreditApplication", "applicationId")
            if input.application_id
            else None,
        )
        return await agreements.create(uow, data, info.context.today)

    return await respond(info, CreditAgreementPayload, work, _show_agreement)


async def sign_credit_agreement(
    info: Info[Context, Any], input: Annotated[SignCreditAgreementInput, INPUT]
) -> CreditAgreementPayload:
    async def work(uow: UnitOfWork) -> AgreementView:
        return await agreements.sign(
            uow,
            decode(input.id, "CreditAgreement"),
            input.signed_on,
            input.document_ref,
            info.context.today,
        )

    return await respond(info, CreditAgreementPayload, work, _show_agreement)


def field_of(resolver: Any, allowed: frozenset[str], text: str) -> Any:
    return strawberry.mutation(
        resolver=resolver, extensions=allow(allowed), description=text + roles_note(allowed)
    )


FIELDS = {
    "submit_credit_application": field_of(
        submit_credit_application,
        roles.SUBMIT_CREDIT_APPLICATIONS,
        "Submit a credit application; finance, sales and legal then give their opinions and "
        "a credit manager decides. A pending one is escalated after its SLA (5 days).",
    ),
    "give_credit_application_opinion": field_of(
        give_credit_application_opinion,
        roles.GIVE_CREDIT_OPINIONS,
        "Give your department's opinion (once per department; never on your own application).",
    ),
    "decide_credit_application": field_of(
        decide_credit_application,
        roles.DECIDE_CREDIT_APPLICATIONS,
        "Approve, counter-offer (never above the amount asked) or reject; never your own "
        "application nor one you gave an opinion on. A grant files the limit for approval under "
        "the tenant's matrix (limitStatus) and its terms are set once that limit is approved; "
        "the decision is logged and replayable.",
    ),
    "refile_credit_application_limit": field_of(
        refile_credit_application_limit,
        roles.DECIDE_CREDIT_LIMITS,
        "File a granted application's limit anew when its request went stale (limitStatus "
        "STALE: a later limit of the customer was approved first); refused otherwise "
        "(INVALID_STATUS) and once the grant has ended (INVALID_PERIOD). The new request is "
        "tiered on the limit now in force, approved under the tenant's matrix (never by you, "
        "nor by the manager who granted it), and linked to the application, so its approval "
        "sets the granted terms; the stale one stays as it was. Audited.",
    ),
    "create_credit_agreement": field_of(
        create_credit_agreement,
        roles.WRITE_CREDIT_AGREEMENTS,
        "Draw up a credit agreement (signed at once with signedOn; in force from validFrom, "
        "when it supersedes the earlier one, which runs until then).",
    ),
    "sign_credit_agreement": field_of(
        sign_credit_agreement,
        roles.WRITE_CREDIT_AGREEMENTS,
        "Record a drawn-up agreement as signed; in force from validFrom, when the customer's "
        "earlier one is superseded (it runs until then).",
    ),
}
