"""Read entry points for credit insurance: policies, covers, invoices' insurance, claims."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import roles
from schema.context import Context
from schema.paging import After, Before, First, Last
from schema.permissions import allow, roles_note
from schema.relay import connection, edges_of, row_cursor, seek_of, window
from schema.risk.insurance_claim_types import (
    ClaimConnection,
    ClaimEdge,
    ClaimStatus,
    InsuranceClaim,
)
from schema.risk.insurance_cover_types import (
    BuyerCover,
    CoverConnection,
    CoverEdge,
    InvoiceInsurance,
)
from schema.risk.insurance_policy_types import InsurancePolicy, PolicyConnection, PolicyEdge
from schema.risk.transfer import as_of_date, raw_id
from services.risk import insurance_clock, insurance_reads

READ = roles.READ_RISK_TRANSFER
MAX_INVOICES = 100  #: invoices one invoiceInsurance call reads


@strawberry.type(description="Credit-insurance reads.")
class InsuranceQuery:
    @strawberry.field(
        description="Credit-insurance policies, newest first." + roles_note(READ),
        extensions=allow(READ),
    )
    async def insurance_policies(
        self,
        info: Info[Context, Any],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> PolicyConnection:  # type: ignore[valid-type]
        ctx = info.context
        asked = window(first, after, last, before, ctx.runtime.settings.max_page_size)
        page = await insurance_reads.policies_page(ctx.session, seek_of(asked), asked.size)
        edges = edges_of(
            PolicyEdge,
            page.items,
            InsurancePolicy.of,
            lambda p: row_cursor(p.id),
        )
        return connection(PolicyConnection, edges, page.has_next, page.total, asked)

    @strawberry.field(
        description="Buyer covers, newest first, of a policy and/or a customer." + roles_note(READ),
        extensions=allow(READ),
    )
    async def buyer_covers(
        self,
        info: Info[Context, Any],
        policy_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="One policy's covers.")
        ] = None,
        customer_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="One customer's covers.")
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> CoverConnection:  # type: ignore[valid-type]
        ctx = info.context
        asked = window(first, after, last, before, ctx.runtime.settings.max_page_size)
        policy = raw_id(policy_id, "InsurancePolicy")
        customer = raw_id(customer_id, "Customer")
        if (policy_id and not policy) or (customer_id and not customer):
            return connection(CoverConnection, [], False, 0, asked)
        page = await insurance_reads.covers_page(
            ctx.session, policy, customer, seek_of(asked), asked.size
        )
        edges = edges_of(CoverEdge, page.items, BuyerCover.of, lambda c: row_cursor(c.id))
        return connection(CoverConnection, edges, page.has_next, page.total, asked)

    @strawberry.field(
        description="Whether each invoice is insured on a date, why, and its policy clock "
        "(at most 100 invoices; unknown ids are left out)." + roles_note(READ),
        extensions=allow(READ),
    )
    async def invoice_insurance(
        self,
        info: Info[Context, Any],
        invoice_ids: Annotated[
            list[strawberry.ID], strawberry.argument(description="Global ids of invoices.")
        ],
        as_of: Annotated[
            date | None, strawberry.argument(description="The date asked (default today).")
        ] = None,
    ) -> list[InvoiceInsurance]:
        day = as_of_date(as_of, info.context.today)
        ids = [i for i in (raw_id(g, "Invoice") for g in invoice_ids[:MAX_INVOICES]) if i]
        found = await insurance_clock.invoice_insurance(info.context.session, ids, day)
        return [InvoiceInsurance.of(f) for f in found if f is not None]

    @strawberry.field(
        description="Credit-insurance claims, newest first." + roles_note(READ),
        extensions=allow(READ),
    )
    async def insurance_claims(
        self,
        info: Info[Context, Any],
        policy_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="One policy's claims.")
        ] = None,
        customer_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="One customer's claims.")
        ] = None,
        status: Annotated[
            ClaimStatus | None, strawberry.argument(description="Only these.")
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> ClaimConnection:  # type: ignore[valid-type]
        ctx = info.context
        asked = window(first, after, last, before, ctx.runtime.settings.max_page_size)
        policy = raw_id(policy_id, "InsurancePolicy")
        customer = raw_id(customer_id, "Customer")
        if (policy_id and not policy) or (customer_id and not customer):
            return connection(ClaimConnection, [], False, 0, asked)
        page = await insurance_reads.claims_page(
            ctx.session,
            policy,
            customer,
            status.value if status else None,
            seek_of(asked),
            asked.size,
        )
        edges = edges_of(
            ClaimEdge,
            page.items,
            InsuranceClaim.of,
            lambda c: row_cursor(c.id),
        )
        return connection(ClaimConnection, edges, page.has_next, page.total, asked)
