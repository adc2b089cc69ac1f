"""Unit of work: one transaction, tenant set for RLS, rolled back unless committed."""

from __future__ import annotations

from types import TracebackType
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncTransaction

from dbschema.engine import set_tenant


class Actor:
    """Who acts: the token subject (or a job) and the request that carried it."""

    __slots__ = ("request_id", "roles", "subject")

    def __init__(
        self, subject: str, roles: frozenset[str] = frozenset(), request_id: str | None = None
    ) -> None:
        self.subject = subject
        self.roles = roles
        self.request_id = request_id


SYSTEM = Actor("system:scheduler")


class UnitOfWork:
    """`async with UnitOfWork(...) as uow:` ... `await uow.commit()`; anything else rolls back."""

    def __init__(self, engine: AsyncEngine, tenant_id: UUID | str, actor: Actor = SYSTEM) -> None:
        self.engine = engine
        self.tenant_id = UUID(str(tenant_id))
        self.actor = actor
        self._conn: AsyncConnection | None = None
        self._tx: AsyncTransaction | None = None
        self.committed = False

    @property
    def conn(self) -> AsyncConnection:
        """The connection inside the transaction."""
        assert self._conn is not None, "unit of work used outside `async with`"
        return self._conn

    async def __aenter__(self) -> UnitOfWork:
        self._conn = await self.engine.connect()
        self._tx = await self._conn.begin()
        await set_tenant(self._conn, str(self.tenant_id))
        return self

    async def commit(self) -> None:
        """Make the work durable; events recorded inside become visible to listeners now."""
        assert self._tx is not None
        await self._tx.commit()
        self.committed = True

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if self._tx is not None and self._tx.is_active:
                await self._tx.rollback()
        finally:
            if self._conn is not None:
                await self._conn.close()
            self._conn = None
            self._tx = None
