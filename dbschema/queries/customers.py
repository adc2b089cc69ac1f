"""Customer reads and writes; pages are keyset-paginated with the total in the same statement."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.credit_limit_tables import credit_limits
from dbschema.queries import keyset
from dbschema.tables import customers, tenants

ORDER_COLUMNS = {
    "NAME": customers.c.legal_name,
    "CODE": customers.c.code,
    "CREATED": customers.c.created_at,
}


#: Names sort in pinyin order: by their GB 18030 bytes (migration 0023: no ICU on this
#: PostgreSQL), through the function the name index is built on.
def name_key(name: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
    """The sort key of a name (a column or a cursor's value), as the index holds it."""
    return sa.func.customer_name_key(name, type_=sa.LargeBinary)


#: What a list sorts by, given the column a cursor carries (the column itself otherwise).
SORT_KEYS = {"NAME": name_key}
SEARCH_TEXT = sa.func.lower(
    customers.c.legal_name
    + " "
    + customers.c.code
    + " "
    + sa.func.coalesce(customers.c.registration_number, "")
)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def like_pattern(text: str) -> str:
    """What a customer search matches SEARCH_TEXT against (`\\` escapes)."""
    return f"%{_escape_like(text.lower())}%"


async def page(
    conn: AsyncConnection,
    *,
    text: str | None,
    industry: str | None,
    status: str | None,
    order: str,
    descending: bool,
    cursor: UUID | None,
    first: int,
    backward: bool = False,
    with_total: bool = True,
) -> tuple[list[sa.Row[Any]], int | None]:
    """One page beyond a keyset cursor (the id of a row; `backward`: before it, read in
    reverse order), plus the filtered total (only when asked: counting a large tenant costs
    more than the page), in one statement."""
    col = ORDER_COLUMNS[order]
    key_of = SORT_KEYS.get(order)
    sort = col if key_of is None else key_of(col)
    conditions: list[sa.ColumnElement[bool]] = []
    if text:
        conditions.append(SEARCH_TEXT.like(like_pattern(text), escape="\\"))
    if industry:
        conditions.append(customers.c.industry == industry)
    if status:
        conditions.append(customers.c.status == status)
    # the total is an InitPlan computed once; the page itself walks the ordering index
    total = sa.select(sa.func.count()).select_from(customers).where(*conditions)
    query = (
        sa.select(customers, total.scalar_subquery().label("total_count"))
        if with_total
        else sa.select(customers)
    ).where(*conditions)
    keys = (sort, customers.c.id)
    query = keyset.paged(query, keys, cursor, first, descending, backward)
    rows = list(await conn.execute(query))
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


async def lock_ids(conn: AsyncConnection, ids: list[UUID]) -> set[UUID]:
    """Lock these customers in id order (no deadlock between two lockers); the ids found."""
    rows = await conn.execute(
        sa.select(customers.c.id)
        .where(customers.c.id.in_(ids))
        .order_by(customers.c.id)
        .with_for_update()
    )
    return {r.id for r in rows}


async def group_limit_anchors(conn: AsyncConnection, ids: list[UUID]) -> list[sa.Row[Any]]:
    """The customers among the ids with a group limit (lapsed too), as (id, code), by code."""
    held = sa.exists().where(
        credit_limits.c.tenant_id == customers.c.tenant_id,
        credit_limits.c.customer_id == customers.c.id,
        credit_limits.c.scope == "GROUP",
    )
    query = sa.select(customers.c.id, customers.c.code).where(customers.c.id.in_(ids), held)
    return list(await conn.execute(query.order_by(customers.c.code)))


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


async def by_code(conn: AsyncConnection, code: str) -> sa.Row[Any] | None:
    """The current tenant's customer with this code, if any."""
    return (await conn.execute(sa.select(customers).where(customers.c.code == code))).first()


async def active_after(conn: AsyncConnection, after: UUID | None, limit: int) -> list[sa.Row[Any]]:
    """Active customers in id order after `after`: a bounded batch of a walk over all."""
    query = sa.select(customers).where(customers.c.status == "ACTIVE")
    if after is not None:
        query = query.where(customers.c.id > after)
    return list(await conn.execute(query.order_by(customers.c.id).limit(limit)))


async def tenant_settings(conn: AsyncConnection) -> dict[str, Any]:
    """The current tenant's settings document (empty when none are stored)."""
    settings: dict[str, Any] | None = await conn.scalar(sa.select(tenants.c.settings))
    return settings or {}


async def tenant_name(conn: AsyncConnection) -> str:
    """The current tenant's display name."""
    return str(await conn.scalar(sa.select(tenants.c.name)))
