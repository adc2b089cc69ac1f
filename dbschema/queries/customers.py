"""Customer reads and writes; pages are keyset-paginated with the total in the same statement."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.tables import credit_file_entries, customer_relations, customers

ORDER_COLUMNS = {
    "NAME": customers.c.legal_name,
    "CODE": customers.c.code,
    "CREATED": customers.c.created_at,
}
SEARCH_TEXT = sa.func.lower(
    customers.c.legal_name
    + " "
    + customers.c.code
    + " "
    + sa.func.coalesce(customers.c.registration_number, "")
)


@dataclass(frozen=True)
class CustomerFilter:
    """What a customer list may be narrowed by."""

    text: str | None = None
    industry: str | None = None
    status: str | None = None


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def page(
    conn: AsyncConnection,
    *,
    flt: CustomerFilter,
    order: str,
    descending: bool,
    after: tuple[Any, UUID] | None,
    first: int,
    with_total: bool = True,
) -> tuple[list[sa.Row[Any]], int | None]:
    """One page after a keyset cursor, plus the filtered total (only when asked: counting a
    large tenant costs more than the page), in one statement."""
    col = ORDER_COLUMNS[order]
    conditions: list[sa.ColumnElement[bool]] = []
    if flt.text:
        conditions.append(SEARCH_TEXT.like(f"%{_escape_like(flt.text.lower())}%", escape="\\"))
    if flt.industry:
        conditions.append(customers.c.industry == flt.industry)
    if flt.status:
        conditions.append(customers.c.status == flt.status)
    # the total is an InitPlan computed once; the page itself walks the ordering index
    total = sa.select(sa.func.count()).select_from(customers).where(*conditions)
    query = (
        sa.select(customers, total.scalar_subquery().label("total_count"))
        if with_total
        else sa.select(customers)
    ).where(*conditions)
    if after is not None:
        key = sa.tuple_(col, customers.c.id)
        bound = sa.tuple_(sa.literal(after[0], col.type), sa.literal(after[1]))
        query = query.where(key < bound if descending else key > bound)
    order_by = (col.desc(), customers.c.id.desc()) if descending else (col, customers.c.id)
    rows = list(await conn.execute(query.order_by(*order_by).limit(first + 1)))
    if not with_total:
        return rows, None
    total_count = int(rows[0].total_count) if rows else await _count(conn, conditions)
    return rows, total_count


async def _count(conn: AsyncConnection, conditions: list[sa.ColumnElement[bool]]) -> int:
    return int(
        await conn.scalar(sa.select(sa.func.count()).select_from(customers).where(*conditions)) or 0
    )


async def by_ids(conn: AsyncConnection, ids: list[UUID]) -> list[sa.Row[Any]]:
    """Customers of the current tenant among the ids (others are silently absent)."""
    return list(await conn.execute(sa.select(customers).where(customers.c.id.in_(ids))))


async def for_update(conn: AsyncConnection, customer_id: UUID) -> sa.Row[Any] | None:
    """Lock a customer row for a read-modify-write."""
    result = await conn.execute(
        sa.select(customers).where(customers.c.id == customer_id).with_for_update()
    )
    return result.first()


async def code_taken(conn: AsyncConnection, code: str, except_id: UUID | None = None) -> bool:
    """Whether a customer code is already used in this tenant."""
    query = sa.select(customers.c.id).where(customers.c.code == code)
    if except_id is not None:
        query = query.where(customers.c.id != except_id)
    return (await conn.scalar(query)) is not None


async def insert(conn: AsyncConnection, values: dict[str, Any]) -> sa.Row[Any]:
    """Insert and return the stored row."""
    result = await conn.execute(customers.insert().values(**values).returning(customers))
    row: sa.Row[Any] = result.one()
    return row


async def update(
    conn: AsyncConnection, customer_id: UUID, version: int, values: dict[str, Any]
) -> sa.Row[Any] | None:
    """Update guarded by version; None when the version moved on."""
    result = await conn.execute(
        customers.update()
        .where(customers.c.id == customer_id, customers.c.version == version)
        .values(**values, version=customers.c.version + 1, updated_at=sa.func.now())
        .returning(customers)
    )
    row: sa.Row[Any] | None = result.first()
    return row


_RELATED = customers.alias("related")
#: The related customer through LATERAL … LIMIT 1: one index probe per partner, where a plain
#: join let the planner hash the whole customers table on every page (3 ms at 10,000).
_RELATED_ONE = (
    sa.select(_RELATED.c.legal_name, _RELATED.c.code)
    .where(
        _RELATED.c.tenant_id == customer_relations.c.tenant_id,
        _RELATED.c.id == customer_relations.c.related_customer_id,
    )
    .limit(1)
    .lateral("related_one")
)
#: Built once: a statement object reused across requests compiles once (SQLAlchemy cache).
RELATIONS_FOR = (
    sa.select(
        customer_relations,
        _RELATED_ONE.c.legal_name.label("related_name"),
        _RELATED_ONE.c.code.label("related_code"),
    )
    .join(_RELATED_ONE, sa.true())
    .where(customer_relations.c.customer_id == sa.func.any(sa.bindparam("ids")))
    .order_by(customer_relations.c.customer_id, customer_relations.c.created_at)
)


async def relations_for(conn: AsyncConnection, customer_ids: list[UUID]) -> list[sa.Row[Any]]:
    """Partners of many customers at once, with the related customer's name and code."""
    return list(await conn.execute(RELATIONS_FOR, {"ids": customer_ids}))


#: Dossier fields and the columns that hold them: filled means present (an empty string or
#: contact list is not).
PRESENT_COLUMNS = {
    "registrationNumber": "registration_number",
    "industry": "industry",
    "registeredCapital": "registered_capital_minor",
    "annualSales": "annual_sales_minor",
    "companyHistory": "company_history",
    "businessModel": "business_model",
}
_PRESENT = ", ".join(
    [
        f"CASE WHEN nullif(c.{column}::text, '') IS NOT NULL THEN '{key}' END"
        for key, column in PRESENT_COLUMNS.items()
    ]
    + ["CASE WHEN jsonb_typeof(c.contacts) = 'array' AND c.contacts <> '[]' THEN 'contacts' END"]
)
_FACTS = """
SELECT ids.id AS customer_id,
       array_remove(ARRAY[{present}], NULL) AS present,
       (SELECT count(*) FROM customer_relations r WHERE r.customer_id = ids.id) AS partner_count,
       k.kinds, k.dates
       , CASE WHEN ids.n = 1 THEN (SELECT settings FROM tenants) END AS tenant_settings
       {partner_columns}
  FROM unnest(CAST(:ids AS uuid[])) WITH ORDINALITY AS ids(id, n)
  LEFT JOIN customers c ON c.id = ids.id
  LEFT JOIN LATERAL (
       SELECT array_agg(e.kind) AS kinds, array_agg(e.latest) AS dates
         FROM (SELECT kind, max(occurred_on) AS latest FROM credit_file_entries
                WHERE customer_id = ids.id GROUP BY kind) e) k ON true
  {partner_join}
"""
#: The partners as parallel arrays in link order, each with its related customer's code and
#: name (one index probe per link, as in RELATIONS_FOR).
_PARTNER_COLUMNS = ", p.ids, p.kinds, p.notes, p.related_ids, p.related_codes, p.related_names"
_PARTNER_JOIN = """LEFT JOIN LATERAL (
       SELECT array_agg(r.id ORDER BY r.created_at, r.id) AS ids,
              array_agg(r.kind ORDER BY r.created_at, r.id) AS kinds,
              array_agg(r.note ORDER BY r.created_at, r.id) AS notes,
              array_agg(r.related_customer_id ORDER BY r.created_at, r.id) AS related_ids,
              array_agg(o.code ORDER BY r.created_at, r.id) AS related_codes,
              array_agg(o.legal_name ORDER BY r.created_at, r.id) AS related_names
         FROM customer_relations r
         JOIN LATERAL (SELECT x.code, x.legal_name FROM customers x
                        WHERE x.tenant_id = r.tenant_id AND x.id = r.related_customer_id
                        LIMIT 1) o ON true
        WHERE r.customer_id = ids.id) p ON true"""
# column names and keys are the constants above, nothing from a caller
FACTS_SQL = sa.text(_FACTS.format(present=_PRESENT, partner_columns="", partner_join=""))
FACTS_AND_PARTNERS_SQL = sa.text(
    _FACTS.format(present=_PRESENT, partner_columns=_PARTNER_COLUMNS, partner_join=_PARTNER_JOIN)
)


async def credit_file_facts(
    conn: AsyncConnection, customer_ids: list[UUID], with_partners: bool = False
) -> list[Any]:
    """Per customer: which dossier fields are filled, partner count and the newest dated
    document of each kind (parallel arrays: the driver decodes them, where JSON would be parsed
    in Python); the first row also carries the tenant's settings (once, not per customer).
    With partners, each row also carries the customer's partner links as parallel arrays, so
    a page's whole dossier is one statement."""
    statement = FACTS_AND_PARTNERS_SQL if with_partners else FACTS_SQL
    return list(await conn.execute(statement, {"ids": customer_ids}))


async def entries_for(
    conn: AsyncConnection, customer_ids: list[UUID], per_customer: int
) -> list[sa.Row[Any]]:
    """The newest timeline entries per customer, paged per parent with a window function."""
    ranked = (
        sa.select(
            credit_file_entries,
            sa.func.row_number()
            .over(
                partition_by=credit_file_entries.c.customer_id,
                order_by=(
                    credit_file_entries.c.occurred_on.desc(),
                    credit_file_entries.c.created_at.desc(),
                ),
            )
            .label("rn"),
        )
        .where(credit_file_entries.c.customer_id.in_(customer_ids))
        .subquery()
    )
    query = (
        sa.select(ranked)
        .where(ranked.c.rn <= per_customer)
        .order_by(ranked.c.customer_id, ranked.c.rn)
    )
    return list(await conn.execute(query))


async def by_code(conn: AsyncConnection, code: str) -> sa.Row[Any] | None:
    """The current tenant's customer with this code, if any."""
    return (await conn.execute(sa.select(customers).where(customers.c.code == code))).first()
