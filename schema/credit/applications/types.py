"""Applications, agreements and reviews as the API shows them."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.scalars import JSON

from domain import roles
from domain.credit.applications import Grant
from domain.money import decimal_string
from schema.context import Context
from schema.credit.applications.enums import (
    AgreementStatusEnum,
    ApplicationLimitStatusEnum,
    ApplicationStatusEnum,
    DisputeVenueEnum,
    GuaranteeKindEnum,
    OpinionRoleEnum,
    RecommendationEnum,
    ReviewOutcomeEnum,
    ReviewTriggerEnum,
    VerdictEnum,
)
from schema.money import Money
from schema.node import by_ids, register_node
from schema.relay import Node, PageInfo, to_global_id
from services.credit import agreements, application_reads, reviews
from services.credit.agreements import AgreementView
from services.credit.application_reads import ApplicationView
from services.credit.reviews import ReviewView


@strawberry.type(description="Credit asked for or granted.")
class CreditGrant:
    limit: Money = strawberry.field(description="The credit limit.")
    payment_terms_code: str | None = strawberry.field(description="Agreed payment terms.")
    valid_from: date = strawberry.field(description="First day.")
    valid_to: date | None = strawberry.field(description="Last day (open-ended when null).")
    rating_class: str | None = strawberry.field(description="A class granted with it, if any.")

    @classmethod
    def of(cls, g: Grant) -> CreditGrant:
        """From the domain's grant."""
        return cls(
            limit=Money.of(g.limit.minor, g.limit.currency),
            payment_terms_code=g.terms_code,
            valid_from=g.valid_from,
            valid_to=g.valid_to,
            rating_class=g.rating_class.value if g.rating_class else None,
        )


@strawberry.type(description="One department's opinion on an application.")
class CreditApplicationOpinion:
    role: OpinionRoleEnum = strawberry.field(description="The department.")  # type: ignore[valid-type]
    recommendation: RecommendationEnum = strawberry.field(  # type: ignore[valid-type]
        description="What it recommends."
    )
    comment: str | None = strawberry.field(description="Its reasoning or conditions.")
    given_by: str = strawberry.field(description="Token subject who gave it.")


@strawberry.type(description="A credit application (赊销申请) and its decision.")
class CreditApplication(Node):
    customer_id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    application_ref: str | None = strawberry.field(description="The portal's own reference.")
    status: ApplicationStatusEnum = strawberry.field(description="Where it stands.")  # type: ignore[valid-type]
    requested: CreditGrant = strawberry.field(description="What was asked for.")
    purpose: str = strawberry.field(description="What the credit is for.")
    statement_ids: list[str] = strawberry.field(description="Attached financial statements.")
    external_record_ids: list[str] = strawberry.field(
        description="Attached bureau reports, references and other external records."
    )
    required_opinions: list[OpinionRoleEnum] = strawberry.field(  # type: ignore[valid-type]
        description="Departments whose opinion the decision waits for."
    )
    opinions: list[CreditApplicationOpinion] = strawberry.field(description="Opinions given.")
    submitted_by: str = strawberry.field(description="The applicant (never the decider).")
    submitted_on: date = strawberry.field(description="Day submitted.")
    sla_due_on: date = strawberry.field(description="Escalated when still pending after this.")
    escalated_on: date | None = strawberry.field(description="When it was escalated.")
    verdict: VerdictEnum | None = strawberry.field(description="The decision.")  # type: ignore[valid-type]
    decided_by: str | None = strawberry.field(description="The credit manager who decided.")
    decided_on: date | None = strawberry.field(description="Day decided.")
    decision_reason: str | None = strawberry.field(description="Why.")
    granted: CreditGrant | None = strawberry.field(
        description="What the decision granted, if anything: in force (its terms set) only once "
        "limitStatus is APPROVED."
    )
    decision_id: strawberry.ID | None = strawberry.field(
        description="The logged decision (replayable)."
    )
    limit_request_id: strawberry.ID | None = strawberry.field(
        description="The limit request the grant filed (approved by the tenant's matrix); the "
        "new one once a stale request is re-filed."
    )
    limit_status: ApplicationLimitStatusEnum | None = strawberry.field(  # type: ignore[valid-type]
        description="Where the granted limit stands: PENDING until the tenant's matrix approves "
        "it, STALE when a later limit of the customer was approved first (re-file it with "
        "refileCreditApplicationLimit), APPROVED once in force (the granted terms are set "
        "then), REJECTED when refused (nothing granted takes effect); null when nothing was "
        "granted."
    )
    decision_document_url: str = strawberry.field(
        description="The decision letter as PDF (add ?lang=en for English; zh-CN by default)."
    )

    @classmethod
    def build(cls, a: ApplicationView) -> CreditApplication:
        """From the service's view."""
        return cls(
            id=to_global_id("CreditApplication", a.id),
            customer_id=to_global_id("Customer", a.customer_id),
            application_ref=a.reference,
            status=ApplicationStatusEnum[a.status],
            requested=CreditGrant.of(a.requested),
            purpose=a.purpose,
            statement_ids=[str(to_global_id("FinancialStatement", i)) for i in a.statement_ids],
            external_record_ids=[
                str(to_global_id("ExternalCreditRecord", i)) for i in a.record_ids
            ],
            required_opinions=[OpinionRoleEnum[r] for r in a.required_opinions],
            opinions=[
                CreditApplicationOpinion(
                    role=OpinionRoleEnum[o.role],
                    recommendation=RecommendationEnum[o.recommendation],
                    comment=o.comment,
                    given_by=o.given_by,
                )
                for o in a.opinions
            ],
            submitted_by=a.submitted_by,
            submitted_on=a.submitted_on,
            sla_due_on=a.sla_due_on,
            escalated_on=a.escalated_on,
            verdict=VerdictEnum[a.verdict] if a.verdict else None,
            decided_by=a.decided_by,
            decided_on=a.decided_on,
            decision_reason=a.decision_reason,
            granted=CreditGrant.of(a.granted) if a.granted else None,
            decision_id=to_global_id("CreditDecision", a.decision_id) if a.decision_id else None,
            decision_document_url=(
                f"/documents/credit-applications/{to_global_id('CreditApplication', a.id)}"
                "/decision.pdf"
            ),
            limit_request_id=to_global_id("CreditLimitRequest", a.limit_request_id)
            if a.limit_request_id
            else None,
            limit_status=ApplicationLimitStatusEnum[a.limit_status] if a.limit_status else None,
        )


@strawberry.type(description="A guarantee an agreement requires.")
class CreditGuarantee:
    kind: GuaranteeKindEnum = strawberry.field(description="What kind.")  # type: ignore[valid-type]
    description: str = strawberry.field(description="Who or what, where registered.")
    amount: Money | None = strawberry.field(description="Amount covered, if stated.")


@strawberry.type(description="A credit agreement (赊销协议).")
class CreditAgreement(Node):
    customer_id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    number: str | None = strawberry.field(description="The agreement's number (合同编号).")
    status: AgreementStatusEnum = strawberry.field(  # type: ignore[valid-type]
        description="Where it stands on the day read (not yet in force before validFrom)."
    )
    limit: Money = strawberry.field(description="The agreed credit limit.")
    payment_terms_code: str = strawberry.field(description="The agreed payment terms.")
    late_interest_daily_rate: str = strawberry.field(
        description="Late-payment interest per day as a decimal (0.0005 = 0.05%)."
    )
    guarantees: list[CreditGuarantee] = strawberry.field(description="Required guarantees.")
    dispute_venue: DisputeVenueEnum = strawberry.field(description="Arbitration or court.")  # type: ignore[valid-type]
    venue_name: str = strawberry.field(description="The commission or court named.")
    signed_on: date | None = strawberry.field(description="Day signed (null for a draft).")
    valid_from: date = strawberry.field(description="First day in force.")
    valid_to: date = strawberry.field(description="Last day in force.")
    document_ref: str | None = strawberry.field(description="Where the signed copy is kept.")
    document_url: str = strawberry.field(
        description="The agreement as PDF (add ?lang=en for English; zh-CN by default)."
    )

    @classmethod
    def build(cls, a: AgreementView) -> CreditAgreement:
        """From the service's view."""
        return cls(
            id=to_global_id("CreditAgreement", a.id),
            customer_id=to_global_id("Customer", a.customer_id),
            number=a.number,
            status=AgreementStatusEnum[a.status],
            limit=Money.of(a.limit.minor, a.limit.currency),
            payment_terms_code=a.terms_code,
            late_interest_daily_rate=str(a.late_interest_daily_rate),
            guarantees=[
                CreditGuarantee(
                    kind=GuaranteeKindEnum[g.kind.value],
                    description=g.description,
                    amount=Money.of(g.amount.minor, g.amount.currency) if g.amount else None,
                )
                for g in a.guarantees
            ],
            dispute_venue=DisputeVenueEnum[a.dispute_venue],
            venue_name=a.venue_name,
            signed_on=a.signed_on,
            valid_from=a.valid_from,
            valid_to=a.valid_to,
            document_ref=a.document_ref,
            document_url=f"/documents/credit-agreements/{to_global_id('CreditAgreement', a.id)}"
            ".pdf",
        )


@strawberry.type(description="What a reviewer confirmed.")
class CreditReviewChecklist:
    statements_updated: bool = strawberry.field(description="Financial statements updated.")
    bureau_refreshed: bool = strawberry.field(description="Bureau report refreshed.")
    visit_done: bool = strawberry.field(description="Site visit done.")
    agreement_valid: bool = strawberry.field(description="Credit agreement valid.")


#: What a review's outcome filed, by the node type its id names.
_FILED = {"limitRequestId": "CreditLimitRequest", "classOverrideId": "ClassOverride"}


def shown_detail(detail: dict[str, Any] | None) -> dict[str, Any] | None:
    """A review's stored outcome as the API shows it: ids as global ids `node` resolves,
    money as a decimal string with its currency."""
    if detail is None:
        return None
    shown = dict(detail)
    for key, kind in _FILED.items():
        if shown.get(key):
            shown[key] = str(to_global_id(kind, UUID(str(shown[key]))))
    limit = shown.get("limit")
    if isinstance(limit, dict) and "minor" in limit:
        amount = decimal_string(int(limit["minor"]), str(limit["currency"]))
        shown["limit"] = {"amount": amount, "currency": limit["currency"]}
    return shown


@strawberry.type(description="A credit review, open or done.")
class CreditReview(Node):
    customer_id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    trigger: ReviewTriggerEnum = strawberry.field(description="Why it was opened.")  # type: ignore[valid-type]
    done: bool = strawberry.field(description="Whether it is recorded.")
    due_on: date = strawberry.field(description="Day it is due (overdue afterwards).")
    reviewed_on: date | None = strawberry.field(description="Day it was done.")
    checklist: CreditReviewChecklist | None = strawberry.field(description="What was checked.")
    outcome: ReviewOutcomeEnum | None = strawberry.field(description="What was decided.")  # type: ignore[valid-type]
    outcome_detail: JSON | None = strawberry.field(
        description="The outcome's particulars: class, limit (amount and currency), terms, and "
        "what it filed: `limitRequestId`, or `classOverrideId` for an upgrade awaiting a "
        "second credit manager (global ids)."
    )
    reason: str | None = strawberry.field(description="Why.")
    decided_by: str | None = strawberry.field(description="Token subject who recorded it.")
    warned_on: date | None = strawberry.field(description="When its overdue warning was raised.")

    @classmethod
    def build(cls, r: ReviewView) -> CreditReview:
        """From the service's view."""
        c = r.checklist
        return cls(
            id=to_global_id("CreditReview", r.id),
            customer_id=to_global_id("Customer", r.customer_id),
            trigger=ReviewTriggerEnum[r.trigger],
            done=r.status == "DONE",
            due_on=r.due_on,
            reviewed_on=r.reviewed_on,
            checklist=None
            if c is None
            else CreditReviewChecklist(
                statements_updated=c.statements_updated,
                bureau_refreshed=c.bureau_refreshed,
                visit_done=c.visit_done,
                agreement_valid=c.agreement_valid,
            ),
            outcome=ReviewOutcomeEnum[r.outcome] if r.outcome else None,
            outcome_detail=shown_detail(r.outcome_detail),
            reason=r.reason,
            decided_by=r.decided_by,
            warned_on=r.warned_on,
        )


@strawberry.type(description="One application and its cursor.")
class CreditApplicationEdge:
    cursor: str = strawberry.field(description="Cursor for `after`.")
    node: CreditApplication = strawberry.field(description="The application.")


@strawberry.type(description="A page of credit applications.")
class CreditApplicationConnection:
    edges: list[CreditApplicationEdge] = strawberry.field(description="This page.")
    page_info: PageInfo = strawberry.field(description="Where the page sits.")


@strawberry.type(description="One agreement and its cursor.")
class CreditAgreementEdge:
    cursor: str = strawberry.field(description="Cursor for `after`.")
    node: CreditAgreement = strawberry.field(description="The agreement.")


@strawberry.type(description="A page of credit agreements.")
class CreditAgreementConnection:
    edges: list[CreditAgreementEdge] = strawberry.field(description="This page.")
    page_info: PageInfo = strawberry.field(description="Where the page sits.")


@strawberry.type(description="One review and its cursor.")
class CreditReviewEdge:
    cursor: str = strawberry.field(description="Cursor for `after`.")
    node: CreditReview = strawberry.field(description="The review.")


@strawberry.type(description="A page of credit reviews.")
class CreditReviewConnection:
    edges: list[CreditReviewEdge] = strawberry.field(description="This page.")
    page_info: PageInfo = strawberry.field(description="Where the page sits.")


def application_loader(ctx: Context) -> DataLoader[UUID, ApplicationView | None]:
    """Applications by id."""

    async def load(ids: list[UUID]) -> list[ApplicationView | None]:
        return await application_reads.by_ids(ctx.session, ids)

    return DataLoader(load_fn=load)


def agreement_loader(ctx: Context) -> DataLoader[UUID, AgreementView | None]:
    """Agreements by id, their status as of the request's day."""

    async def load(ids: list[UUID]) -> list[AgreementView | None]:
        return await agreements.by_ids(ctx.session, ids, ctx.today)

    return DataLoader(load_fn=load)


register_node(
    "CreditApplication",
    "credit_applications",
    application_loader,
    CreditApplication.build,
    readers=roles.READ_CREDIT_APPLICATIONS,
)
register_node(
    "CreditAgreement",
    "credit_agreements",
    agreement_loader,
    CreditAgreement.build,
    readers=roles.READ_CREDIT_APPLICATIONS,
)
register_node(
    "CreditReview", "credit_reviews", by_ids(reviews.reviews_by_ids), CreditReview.build,
    readers=roles.READ_CREDIT_APPLICATIONS,
)  # fmt: skip
