"""Aging report types: buckets, per-group lines and tenant totals, per currency."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any
from uuid import UUID

import strawberry
from strawberry.types import Info

from schema.context import Context
from schema.customers.types import Customer
from schema.ledger import loaders as ledger_loaders
from schema.ledger.types import Invoice, customer_of
from schema.money import Money
from schema.relay import PageInfo, to_global_id
from services.ledger.aging import AgingLine as LineData


@strawberry.enum(description="What the buckets count.")
class AgingBasis(Enum):
    DAYS_PAST_DUE = strawberry.enum_value("DPD", description="Days after the due date.")
    AGE = strawberry.enum_value("AGE", description="Days since issue (used for provisions).")


@strawberry.enum(description="How the report is grouped.")
class AgingGroup(Enum):
    INVOICE = strawberry.enum_value("INVOICE", description="One line per open invoice.")
    CUSTOMER = strawberry.enum_value("CUSTOMER", description="One line per customer.")
    SALESPERSON = strawberry.enum_value("SALESPERSON", description="Per salesperson.")
    INDUSTRY = strawberry.enum_value("INDUSTRY", description="Per customer industry.")
    TENANT = strawberry.enum_value("TENANT", description="One line: the whole tenant.")


@strawberry.type(description="One aging bucket's definition.")
class AgingBucket:
    label: str = strawberry.field(description="E.g. 1-30.")
    min_days: int = strawberry.field(description="First day in the bucket.")
    max_days: int | None = strawberry.field(description="Last day; null when open-ended.")


@strawberry.type(description="An amount in one bucket.")
class BucketAmount:
    label: str = strawberry.field(description="Bucket label.")
    amount: Money = strawberry.field(description="Open amount in the bucket.")


#: Groups whose key is an object's id, shown as that object's global id.
GROUP_NODES = {"CUSTOMER": "Customer", "INVOICE": "Invoice"}


def _shown_key(group: str, key: str) -> str:
    """A group's key as the API shows it: an object's global id, else the text itself."""
    node_type = GROUP_NODES.get(group)
    if node_type is None or not key:
        return key
    try:
        return to_global_id(node_type, UUID(key))
    except ValueError:
        return key  # the tenant's total line


@strawberry.type(description="Open amounts of one group in one currency.")
class AgingLine:
    key: str = strawberry.field(
        description="Group key: the invoice's or customer's global id (as `node` takes it), "
        "the salesperson, the industry."
    )
    currency: str = strawberry.field(description="ISO 4217 code; never summed across.")
    total: Money = strawberry.field(description="All open.")
    overdue: Money = strawberry.field(description="Past due.")
    buckets: list[BucketAmount] = strawberry.field(description="Per bucket, in order.")
    group: strawberry.Private[str]
    raw_key: strawberry.Private[str]
    cursor: str = strawberry.field(
        description="Pass as `after` for the lines after this one, or as `before` for those "
        "before it."
    )

    @strawberry.field(description="The invoice, when grouped by invoice.")
    async def invoice(self, info: Info[Context, Any]) -> Invoice | None:
        if self.group != "INVOICE" or not self.raw_key:
            return None
        loader = info.context.loader("invoices", ledger_loaders.invoices)
        record = await loader.load(UUID(self.raw_key))
        return Invoice.from_row(record) if record else None

    @strawberry.field(description="The customer, when grouped by customer.")
    async def customer(self, info: Info[Context, Any]) -> Customer | None:
        if self.group != "CUSTOMER" or not self.raw_key:
            return None
        return await customer_of(info, UUID(self.raw_key))

    @classmethod
    def build(cls, data: LineData, group: str, cursor: str) -> AgingLine:
        """From the service's line."""

        def money(minor: int) -> Money:
            return Money.of(minor, data.currency)

        return cls(
            key=_shown_key(group, data.key),
            raw_key=data.key,
            currency=data.currency,
            total=money(data.total_minor),
            overdue=money(data.overdue_minor),
            group=group,
            cursor=cursor,
            buckets=[BucketAmount(label=k, amount=money(v)) for k, v in data.buckets.items()],
        )


@strawberry.type(description="Aging as of a date: tenant totals and a page of groups.")
class AgingReport:
    as_of: date = strawberry.field(description="The date aged to.")
    basis: AgingBasis = strawberry.field(description="What the buckets count.")
    buckets: list[AgingBucket] = strawberry.field(description="Bucket definitions.")
    totals: list[AgingLine] = strawberry.field(description="Whole tenant, per currency.")
    lines: list[AgingLine] = strawberry.field(description="Groups, most overdue first.")
    total_count: int = strawberry.field(description="Groups with an open amount.")
    page_info: PageInfo = strawberry.field(description="Paging state of `lines`.")
