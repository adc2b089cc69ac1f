"""Monthly statements."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from uuid import UUID

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.scalars import JSON

from domain import roles
from schema.context import Context
from schema.money import Money
from schema.node import register_node
from schema.relay import Node, to_global_id
from services.statements import reads
from services.statements.reads import StatementRecord


@strawberry.enum(description="Where a monthly statement stands with the customer.")
class StatementStatus(Enum):
    GENERATED = strawberry.enum_value(
        "GENERATED", description="Produced by the monthly run, not yet sent."
    )
    SENT = strawberry.enum_value("SENT", description="Sent to the customer, no answer yet.")
    CONFIRMED = strawberry.enum_value(
        "CONFIRMED", description="The customer confirmed the balance (对账确认)."
    )
    DISPUTED = strawberry.enum_value(
        "DISPUTED", description="The customer disputes the balance; see statusNote."
    )


@strawberry.type(description="A monthly reconciliation statement (对账单) in one currency.")
class Statement(Node):
    id: strawberry.ID = strawberry.field(
        description="Opaque id (pass it to `node`); the PDF is at "
        "/documents/statements/{id}.pdf?lang=zh-CN|en."
    )
    customer_id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    period: date = strawberry.field(description="First day of the month covered.")
    opening: Money = strawberry.field(description="Opening balance.")
    closing: Money = strawberry.field(description="Closing balance.")
    content: JSON = strawberry.field(description="Movements and open items as printed.")
    status: StatementStatus = strawberry.field(description="Where it stands with the customer.")
    status_by: str | None = strawberry.field(description="Who set the status.")
    status_at: datetime | None = strawberry.field(description="When.")
    status_note: str | None = strawberry.field(description="Note, e.g. the dispute.")

    @classmethod
    def from_record(cls, statement: StatementRecord) -> Statement:
        """From a stored statement."""
        return cls(
            id=to_global_id("Statement", statement.id),
            customer_id=to_global_id("Customer", statement.customer_id),
            period=statement.period,
            opening=Money.of(statement.opening.minor, statement.opening.currency),
            closing=Money.of(statement.closing.minor, statement.closing.currency),
            content=statement.content,
            status=StatementStatus(statement.status),
            status_by=statement.status_by,
            status_at=statement.status_at,
            status_note=statement.status_note,
        )


def statements_by_id(ctx: Context) -> DataLoader[UUID, StatementRecord | None]:
    """Statements by id (for `node`)."""

    async def load(ids: list[UUID]) -> list[StatementRecord | None]:
        return await reads.statements_by_ids(ctx.session, ids)

    return DataLoader(load_fn=load)


register_node(
    "Statement",
    "statements_by_id",
    statements_by_id,
    Statement.from_record,
    readers=roles.READ_RECEIVABLES,
)
