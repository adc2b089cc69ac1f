"""A stored statement as it prints: its content (frozen when it was generated) with the seller's
letterhead, accounts and seal, and the time of issue on the tenant's clock."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from dbschema.collections_tables import statements
from dbschema.tables import customers, tenants
from documents.models import OpenItem, StatementDocument, StatementLine
from domain.errors import NotFound
from domain.money import Money
from services.delivery import letterhead as heads
from services.tenant import profile as tenant_profile
from services.uow import UnitOfWork


def reference(code: str, period: date, currency: str) -> str:
    """The statement's printed number: customer, month, currency (C-1001-202610-CNY)."""
    return f"{code}-{period:%Y%m}-{currency}"


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _amount(value: str | None, currency: str) -> Money | None:
    return Money.parse(value, currency) if value is not None else None


def _lines(content: dict[str, Any], currency: str) -> list[StatementLine]:
    return [
        StatementLine(
            on=date.fromisoformat(line["date"]),
            kind=line["kind"],
            ref=line["ref"],
            amount=Money.parse(line["amount"], currency),
            order_ref=line.get("orderRef"),
            due_on=_day(line.get("dueDate")),
            terms_days=line.get("termsDays"),
        )
        for line in content.get("lines", [])
    ]


def _open_items(content: dict[str, Any], currency: str, end: date) -> list[OpenItem]:
    """Open items as stored; statements generated before interest was kept print a dash."""
    return [
        OpenItem(
            number=item["number"],
            order_ref=item.get("orderRef"),
            issued_on=_day(item.get("issueDate")),
            due_on=date.fromisoformat(item["dueDate"]),
            terms_days=item.get("termsDays"),
            amount=_amount(item.get("amount"), currency),
            open=Money.parse(item["open"], currency),
            days_overdue=item.get(
                "daysOverdue", max((end - date.fromisoformat(item["dueDate"])).days, 0)
            ),
            interest=_amount(item.get("interest"), currency),
            bucket=item["bucket"],
        )
        for item in content.get("openItems", [])
    ]


async def with_customer(uow: UnitOfWork, statement_id: UUID, *columns: Any) -> Any | None:
    """Columns of a statement and of its customer; None when it is not the tenant's."""
    query = (
        sa.select(*columns)
        .select_from(statements)
        .join(
            customers,
            sa.and_(
                customers.c.tenant_id == statements.c.tenant_id,
                customers.c.id == statements.c.customer_id,
            ),
        )
        .where(statements.c.id == statement_id)
    )
    return (await uow.conn.execute(query)).first()


async def statement_view(uow: UnitOfWork, statement_id: UUID) -> StatementDocument:
    """A statement as the renderer prints it."""
    s = statements.c
    row = await with_customer(
        uow,
        statement_id,
        s.content,
        s.period,
        s.currency,
        s.opening_minor,
        s.closing_minor,
        s.created_at,
        customers.c.code,
        customers.c.legal_name,
    )
    if row is None:
        raise NotFound("id", "statement")
    profile = await tenant_profile.load_in(uow)
    tenant_name = str(await uow.conn.scalar(sa.select(tenants.c.name)))
    currency = row.currency.strip()
    content = row.content
    end = date.fromisoformat(content["to"])
    items = _open_items(content, currency, end)
    interest = sum(i.interest.minor for i in items if i.interest is not None)
    return StatementDocument(
        reference=reference(row.code, row.period, currency),
        seller=heads.letterhead(profile, tenant_name),
        customer_code=row.code,
        customer_name=row.legal_name,
        period_from=date.fromisoformat(content["from"]),
        period_to=end,
        currency=currency,
        opening=Money(row.opening_minor, currency),
        closing=Money(row.closing_minor, currency),
        lines=_lines(content, currency),
        open_items=items,
        interest=Money(interest, currency),
        generated_at=row.created_at,
        time_zone=profile.time_zone,
        accounts=heads.accounts(profile, currency),
        seal=heads.seal(profile),
    )
