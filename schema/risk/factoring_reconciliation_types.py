"""Factoring reconciliations as the API shows them: the sub-ledger against the receivables
ledger, and a factor's imported statement against the sub-ledger."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import strawberry
from strawberry.types import Info

from schema.context import Context
from schema.ledger.types import Invoice
from schema.money import Money
from schema.risk.transfer import invoice_of
from services.risk.factoring_reconcile import LedgerReconciliation


@strawberry.type(description="An invoice whose factored amount differs from its open amount.")
class ReconciliationDifference:
    raw_invoice_id: strawberry.Private[UUID]
    invoice_number: str = strawberry.field(description="The invoice's number.")
    factored: Money = strawberry.field(description="What the sub-ledger says the factor holds.")
    ledger: Money = strawberry.field(description="The receivables ledger's open amount.")
    difference: Money = strawberry.field(description="Factored minus ledger.")

    @strawberry.field(description="The invoice.")
    async def invoice(self, info: Info[Context, Any]) -> Invoice | None:
        return await invoice_of(info, self.raw_invoice_id)


@strawberry.type(description="The sub-ledger against the receivables ledger on a date.")
class FactoringReconciliation:
    as_of: date = strawberry.field(description="The date compared (end of day).")
    compared: int = strawberry.field(description="Assignments active that day.")
    differences: list[ReconciliationDifference] = strawberry.field(
        description="Every assignment that differs (none: reconciled)."
    )

    @classmethod
    def of(cls, r: LedgerReconciliation) -> FactoringReconciliation:
        """From the service's comparison."""
        return cls(
            as_of=r.as_of,
            compared=r.compared,
            differences=[
                ReconciliationDifference(
                    raw_invoice_id=d.invoice_id,
                    invoice_number=d.invoice_number,
                    factored=Money.of(d.factored_minor, d.currency),
                    ledger=Money.of(d.ledger_minor, d.currency),
                    difference=Money.of(d.difference_minor, d.currency),
                )
                for d in r.differences
            ],
        )


@strawberry.type(description="A difference between the factor's statement and our sub-ledger.")
class StatementDifference:
    invoice_number: str = strawberry.field(description="The invoice number on either side.")
    kind: str = strawberry.field(description="The entry kind compared.")
    ours: Money | None = strawberry.field(description="Our total (null: none of ours).")
    theirs: Money | None = strawberry.field(description="The factor's total (null: none).")
    status: str = strawberry.field(
        description="MISSING_IN_OURS, MISSING_IN_FACTORS or AMOUNT_DIFFERS."
    )
