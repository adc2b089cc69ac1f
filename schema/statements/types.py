"""Monthly statements."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON

from schema.money import Money
from schema.relay import to_global_id


@strawberry.type(description="A monthly reconciliation statement (对账单) in one currency.")
class Statement:
    id: strawberry.ID = strawberry.field(
        description="Opaque id; the PDF is at /documents/statements/{id}.pdf?lang=zh-CN|en."
    )
    customer_id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    period: date = strawberry.field(description="First day of the month covered.")
    opening: Money = strawberry.field(description="Opening balance.")
    closing: Money = strawberry.field(description="Closing balance.")
    content: JSON = strawberry.field(description="Movements and open items as printed.")
    status: str = strawberry.field(description="GENERATED, SENT, CONFIRMED or DISPUTED.")
    status_by: str | None = strawberry.field(description="Who set the status.")
    status_at: datetime | None = strawberry.field(description="When.")
    status_note: str | None = strawberry.field(description="Note, e.g. the dispute.")

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Statement:
        """From a stored statement."""
        currency = row["currency"]
        opening = Money.from_minor(row["opening_minor"], currency)
        closing = Money.from_minor(row["closing_minor"], currency)
        assert opening is not None and closing is not None
        return cls(
            id=to_global_id("Statement", row["id"]),
            customer_id=to_global_id("Customer", row["customer_id"]),
            period=row["period"],
            opening=opening,
            closing=closing,
            content=row["content"],
            status=row["status"],
            status_by=row["status_by"],
            status_at=row["status_at"],
            status_note=row["status_note"],
        )
