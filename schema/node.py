"""The Relay `node` field and `viewer`: reads that span every capability."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import roles
from domain.errors import DomainError
from schema.context import Context
from schema.customers import loaders
from schema.customers.types import Customer
from schema.jobs.types import Job
from schema.permissions import allow, roles_note
from schema.relay import Node, from_global_id
from schema.warnings import loaders as warning_loaders
from schema.warnings.types import Warning
from services.jobs import reads as job_reads

READ = roles.READ_CUSTOMERS


@strawberry.type(description="Who the token says you are.")
class Viewer:
    subject: str = strawberry.field(description="Token subject.")
    tenant: str = strawberry.field(description="Tenant slug.")
    roles: list[str] = strawberry.field(description="Roles granted by the token.")


@strawberry.type(description="Who is calling.")
class ViewerQuery:
    @strawberry.field(
        description="The caller as the token describes it." + roles_note(READ),
        extensions=allow(READ),
    )
    def viewer(self, info: Info[Context, Any]) -> Viewer:
        p = info.context.principal
        assert p is not None
        return Viewer(subject=p.subject, tenant=p.tenant_slug, roles=sorted(p.roles))


@strawberry.type(description="Any object by its global id.")
class NodeQuery:
    @strawberry.field(
        description="Any object by global id; null when not found." + roles_note(READ),
        extensions=allow(READ),
    )
    async def node(
        self,
        info: Info[Context, Any],
        id: Annotated[strawberry.ID, strawberry.argument(description="Global id.")],
    ) -> Node | None:
        try:
            type_name, raw = from_global_id(id)
        except DomainError:
            return None
        ctx = info.context
        if type_name == "Customer":
            row = await ctx.loader("customers", loaders.customers).load(raw)
            return Customer.from_row(row) if row else None
        if type_name == "Warning":
            row = await ctx.loader("warnings", warning_loaders.warnings).load(raw)
            return Warning.from_row(row) if row else None
        if type_name in ("Invoice", "Payment"):
            from schema.ledger import loaders as ledger_loaders
            from schema.ledger.types import Invoice, Payment

            if type_name == "Invoice":
                invoice = await ctx.loader("invoices", ledger_loaders.invoices).load(raw)
                return Invoice.from_row(invoice) if invoice else None
            payment = await ctx.loader("payments", ledger_loaders.payments).load(raw)
            return Payment.from_row(payment) if payment else None
        if type_name == "Job":
            row = await job_reads.job_by_id(ctx.session, raw)
            return Job.from_row(row) if row else None
        return None
