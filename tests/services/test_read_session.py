"""A read session's transaction and tenant end with it: the pooled connection keeps neither."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from dbschema.engine import add_statement_listener, create_engine
from services.read_session import ReadSession

TENANT = sa.text("SELECT current_setting('app.tenant_id', true)")


async def test_tenant_and_transaction_end_with_the_session(
    tenants: dict[str, UUID], database: Any
) -> None:
    database.query(
        "INSERT INTO customers (tenant_id, code, legal_name, country) "
        "VALUES (%s, 'R-1', 'R', 'CN')",
        tenants["acme"],
    )
    # a pool of one: the next user is certainly the same connection (no overflow is used)
    engine = create_engine(database.app_url, pool_size=1)
    seen: list[str] = []
    remove = add_statement_listener(seen.append)
    try:
        session = ReadSession(engine, tenants["acme"])
        count = await session.run(lambda c: c.scalar(sa.text("SELECT count(*) FROM customers")))
        assert count == 1  # RLS sees acme's customer
        assert seen[0].startswith("SELECT set_config('app.tenant_id'")  # counted like any other
        await session.close()

        async with engine.connect() as conn:
            assert await conn.scalar(TENANT) in (None, "")
            assert await conn.scalar(sa.text("SELECT count(*) FROM customers")) == 0

        failing = ReadSession(engine, tenants["acme"])
        with pytest.raises(DBAPIError):
            await failing.run(lambda c: c.execute(sa.text("SELECT 1/0")))
        await failing.close()  # the aborted transaction is rolled back, not pooled
        async with engine.connect() as conn:
            assert await conn.scalar(sa.text("SELECT 1")) == 1
            assert await conn.scalar(TENANT) in (None, "")
    finally:
        remove()
        await engine.dispose()
