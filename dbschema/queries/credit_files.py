"""Credit-file queries: partner links, dated timeline entries and completeness facts (which
also read the financial statements and external credit records the credit mutations keep)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.queries.per_parent import ranked_per_parent
from dbschema.tables import credit_file_entries, customer_relations, customers

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
#: A partner link's row: the customer's id, then the link.
_RELATION_COLUMNS = (
    customer_relations.c.customer_id,
    customer_relations.c.id,
    customer_relations.c.kind,
    customer_relations.c.note,
    customer_relations.c.related_customer_id,
    _RELATED_ONE.c.code.label("related_code"),
    _RELATED_ONE.c.legal_name.label("related_name"),
)
#: Built once: a statement object reused across requests compiles once (SQLAlchemy cache).
#: Each row is the customer's id, then the link in the order of the facts' partner arrays.
RELATIONS_FOR = (
    sa.select(*_RELATION_COLUMNS)
    .join(_RELATED_ONE, sa.true())
    .where(customer_relations.c.customer_id == sa.func.any(sa.bindparam("ids")))
    .order_by(
        customer_relations.c.customer_id,
        customer_relations.c.created_at,
        customer_relations.c.id,  # links made together: the dossier's order (facts, below)
    )
)


async def relations_for(conn: AsyncConnection, customer_ids: list[UUID]) -> list[sa.Row[Any]]:
    """Partners of many customers at once, with the related customer's name and code."""
    return list(await conn.execute(RELATIONS_FOR, {"ids": customer_ids}))


async def relations_by_ids(conn: AsyncConnection, ids: list[UUID]) -> list[sa.Row[Any]]:
    """Partner links by their own ids (as `node` asks), shaped as relations_for's rows."""
    query = (
        sa.select(*_RELATION_COLUMNS)
        .join(_RELATED_ONE, sa.true())
        .where(customer_relations.c.id.in_(ids))
    )
    return list(await conn.execute(query))


async def entries_by_ids(conn: AsyncConnection, ids: list[UUID]) -> list[sa.Row[Any]]:
    """Timeline entries by their ids (as `node` asks)."""
    query = sa.select(credit_file_entries).where(credit_file_entries.c.id.in_(ids))
    return list(await conn.execute(query))


#: Dossier fields and the columns that hold them: filled means present (an empty string or
#: contact list is not).
PRESENT_COLUMNS = {
    "REGISTRATION_NUMBER": "registration_number",
    "INDUSTRY": "industry",
    "REGISTERED_CAPITAL": "registered_capital_minor",
    "ANNUAL_SALES": "annual_sales_minor",
    "COMPANY_HISTORY": "company_history",
    "BUSINESS_MODEL": "business_model",
}
_PRESENT = ", ".join(
    [
        f"CASE WHEN nullif(c.{column}::text, '') IS NOT NULL THEN '{key}' END"
        for key, column in PRESENT_COLUMNS.items()
    ]
    + ["CASE WHEN jsonb_typeof(c.contacts) = 'array' AND c.contacts <> '[]' THEN 'CONTACTS' END"]
)


def statement_dates(customer: str) -> str:
    """One probe of a customer's financial statements for the two dates completeness reads:
    the newest period end (`statement_end`) and that of the newest annual statement stating
    revenue (`sales_end`); `customer` is the SQL naming the customer's id. The facts read and
    the compiled customers page (services.compiled.dossier_sql) both use it."""
    return (
        "SELECT max(s.period_end) AS statement_end, max(s.period_end) FILTER (WHERE s.kind = "
        "'ANNUAL' AND s.revenue_minor IS NOT NULL) AS sales_end FROM financial_statements s "
        f"WHERE s.customer_id = {customer}"
    )


_FACTS = """
SELECT ids.id AS customer_id,
       array_remove(ARRAY[{present}], NULL) AS present,
       (SELECT count(*) FROM customer_relations r WHERE r.customer_id = ids.id) AS partner_count,
       k.kinds, k.dates, s.statement_end, s.sales_end, x.kinds AS record_kinds,
       x.dates AS record_dates
       , CASE WHEN ids.n = 1 THEN (SELECT settings FROM tenants) END AS tenant_settings
       {partner_columns}
  FROM unnest(CAST(:ids AS uuid[])) WITH ORDINALITY AS ids(id, n)
  LEFT JOIN customers c ON c.id = ids.id
  LEFT JOIN LATERAL (
       SELECT array_agg(e.kind) AS kinds, array_agg(e.latest) AS dates
         FROM (SELECT kind, max(occurred_on) AS latest FROM credit_file_entries
                WHERE customer_id = ids.id GROUP BY kind) e) k ON true
  LEFT JOIN LATERAL ({statement_dates}) s ON true
  LEFT JOIN LATERAL (
       SELECT array_agg(e.kind) AS kinds, array_agg(e.latest) AS dates
         FROM (SELECT kind, max(recorded_on) AS latest FROM credit_external_records
                WHERE customer_id = ids.id GROUP BY kind) e) x ON true
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
FACTS_SQL = sa.text(
    _FACTS.format(
        present=_PRESENT,
        partner_columns="",
        partner_join="",
        statement_dates=statement_dates("ids.id"),
    )
)
FACTS_AND_PARTNERS_SQL = sa.text(
    _FACTS.format(
        present=_PRESENT,
        partner_columns=_PARTNER_COLUMNS,
        partner_join=_PARTNER_JOIN,
        statement_dates=statement_dates("ids.id"),
    )
)


async def credit_file_facts(
    conn: AsyncConnection, customer_ids: list[UUID], with_partners: bool = False
) -> list[Any]:
    """Per customer: which dossier fields are filled, partner count, the newest dated
    document of each kind (parallel arrays: the driver decodes them, where JSON would be parsed
    in Python), the newest financial statement's period end and that of the newest annual one
    stating revenue, and the newest external credit record of each kind (parallel arrays);
    the first row also carries the tenant's settings (once, not per customer).
    With partners, each row also carries the customer's partner links as parallel arrays, so
    a page's whole dossier is one statement."""
    statement = FACTS_AND_PARTNERS_SQL if with_partners else FACTS_SQL
    return list(await conn.execute(statement, {"ids": customer_ids}))


async def entries_for(
    conn: AsyncConnection, customer_ids: list[UUID], per_customer: int
) -> list[sa.Row[Any]]:
    """The newest timeline entries per customer, paged per parent."""
    entries = credit_file_entries.c
    ranked = ranked_per_parent(
        credit_file_entries,
        entries.customer_id,
        (entries.occurred_on.desc(), entries.created_at.desc()),
        customer_ids,
    )
    query = (
        sa.select(ranked)
        .where(ranked.c.rn <= per_customer)
        .order_by(ranked.c.customer_id, ranked.c.rn)
    )
    return list(await conn.execute(query))


async def insert_entry(conn: AsyncConnection, values: dict[str, Any]) -> sa.Row[Any]:
    """Append a timeline entry and return it as stored."""
    return await _inserted(conn, credit_file_entries, values)


async def _inserted(conn: AsyncConnection, table: sa.Table, values: dict[str, Any]) -> sa.Row[Any]:
    row: sa.Row[Any] = (await conn.execute(table.insert().values(**values).returning(table))).one()
    return row


async def relation_exists(
    conn: AsyncConnection, customer_id: UUID, related_id: UUID, kind: str
) -> bool:
    """Whether this exact partner link is on file already."""
    found = await conn.scalar(
        sa.select(customer_relations.c.id).where(
            customer_relations.c.customer_id == customer_id,
            customer_relations.c.related_customer_id == related_id,
            customer_relations.c.kind == kind,
        )
    )
    return found is not None


async def links_between(conn: AsyncConnection, a: UUID, b: UUID) -> list[tuple[UUID, UUID, str]]:
    """Every link on file between two customers, written from either side."""
    r = customer_relations.c
    rows = await conn.execute(
        sa.select(r.customer_id, r.related_customer_id, r.kind).where(
            sa.or_(
                sa.and_(r.customer_id == a, r.related_customer_id == b),
                sa.and_(r.customer_id == b, r.related_customer_id == a),
            )
        )
    )
    return [(x.customer_id, x.related_customer_id, x.kind) for x in rows]


async def insert_relation(conn: AsyncConnection, values: dict[str, Any]) -> sa.Row[Any]:
    """Link a related party and return the link as stored."""
    return await _inserted(conn, customer_relations, values)


async def delete_relation(conn: AsyncConnection, relation_id: UUID) -> sa.Row[Any] | None:
    """Remove a partner link; returns what it was, or None when there was none."""
    result = await conn.execute(
        customer_relations.delete()
        .where(customer_relations.c.id == relation_id)
        .returning(customer_relations)
    )
    return result.first()
