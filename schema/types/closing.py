"""Provision runs, write-off proposals and bad-debt cases."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON

from schema.money import Money
from schema.relay import to_global_id


@strawberry.type(description="Provision totals of a run in one currency (minor units moved).")
class ProvisionTotal:
    currency: str = strawberry.field(description="ISO 4217 code.")
    open: Money = strawberry.field(description="Open receivables provided against.")
    provision: Money = strawberry.field(description="Provision at period end.")
    previous: Money = strawberry.field(description="Provision at the previous run.")
    charge: Money = strawberry.field(description="Increase charged to profit and loss.")
    release: Money = strawberry.field(description="Decrease released (paid or better aged).")
    utilised: Money = strawberry.field(description="Decrease used up by write-offs.")


@strawberry.type(description="A month-end provision run.")
class ProvisionRun:
    id: strawberry.ID = strawberry.field(description="Opaque id.")
    period_end: date = strawberry.field(description="Period end date.")
    basis: str = strawberry.field(description="AGE or DPD.")
    status: str = strawberry.field(description="OPEN (re-runnable) or CLOSED (final).")
    totals: list[ProvisionTotal] = strawberry.field(description="Per currency.")
    created_at: datetime = strawberry.field(description="When it was first computed.")

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> ProvisionRun:
        """From a stored run."""

        def money(minor: int, currency: str) -> Money:
            value = Money.from_minor(minor, currency)
            assert value is not None
            return value

        totals = [
            ProvisionTotal(currency=c, **{k: money(v, c) for k, v in t.items()})
            for c, t in sorted(row["totals"].items())
        ]
        return cls(
            id=to_global_id("ProvisionRun", row["id"]),
            period_end=row["period_end"],
            basis=row["basis"],
            status=row["status"],
            totals=totals,
            created_at=row["created_at"],
        )


@strawberry.type(description="A proposal to write off part of a customer's receivables.")
class WriteOffProposal:
    id: strawberry.ID = strawberry.field(description="Opaque id.")
    customer_id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    total: Money = strawberry.field(description="Amount proposed.")
    reason: str = strawberry.field(description="Why it is irrecoverable.")
    evidence: JSON = strawberry.field(description="Evidence references.")
    status: str = strawberry.field(description="PROPOSED, APPROVED, POSTED or REJECTED.")
    required_roles: list[str] = strawberry.field(description="Roles whose approval it needs.")
    proposed_by: str = strawberry.field(description="Who proposed it.")
    created_at: datetime = strawberry.field(description="When.")

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> WriteOffProposal:
        """From a stored proposal."""
        total = Money.from_minor(row["total_minor"], row["currency"])
        assert total is not None
        return cls(
            id=to_global_id("WriteOffProposal", row["id"]),
            customer_id=to_global_id("Customer", row["customer_id"]),
            total=total,
            reason=row["reason"],
            evidence=row["evidence"],
            status=row["status"],
            required_roles=list(row["required_roles"]),
            proposed_by=row["created_by"],
            created_at=row["created_at"],
        )


@strawberry.type(description="A written-off debt in the case library: cause and lessons.")
class BadDebtCase:
    id: strawberry.ID = strawberry.field(description="Opaque id.")
    customer_id: strawberry.ID = strawberry.field(description="Global id of the customer.")
    amount: Money = strawberry.field(description="Written off.")
    recovered: Money = strawberry.field(description="Recovered since.")
    cause: str = strawberry.field(description="What went wrong.")
    lessons: str | None = strawberry.field(description="What to do differently.")
    created_at: datetime = strawberry.field(description="When it was written off.")

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> BadDebtCase:
        """From a stored case."""
        amount = Money.from_minor(row["amount_minor"], row["currency"])
        recovered = Money.from_minor(row["recovered_minor"], row["currency"])
        assert amount is not None and recovered is not None
        return cls(
            id=to_global_id("BadDebtCase", row["id"]),
            customer_id=to_global_id("Customer", row["customer_id"]),
            amount=amount,
            recovered=recovered,
            cause=row["cause"],
            lessons=row["lessons"],
            created_at=row["created_at"],
        )
