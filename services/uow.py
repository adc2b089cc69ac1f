"""Unit of work: one transaction, tenant set for RLS, rolled back unless committed."""

from __future__ import annotations

from datetime import datetime
from types import TracebackType
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from dbschema.engine import commit_work, end_read, open_transaction
from services.clock import SYSTEM_CLOCK, Clock


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

    def __init__(
        self,
        engine: AsyncEngine,
        tenant_id: UUID | str,
        actor: Actor = SYSTEM,
        opening: str = "",
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.engine = engine
        self.tenant_id = UUID(str(tenant_id))
        self.actor = actor
        #: a statement sent with BEGIN (a lock, a setting), so the work need not send it
        self.opening = opening
        #: where the work's "now" comes from: the runtime's (a test sets the hour there)
        self.clock = clock
        #: values read once per unit of work and shared by its services (the tenant's date)
        self.memo: dict[str, Any] = {}
        self._conn: AsyncConnection | None = None
        self._raw: Any = None  #: the driver connection while the transaction is open
        self.committed = False

    @property
    def conn(self) -> AsyncConnection:
        """The connection inside the transaction."""
        assert self._conn is not None, "unit of work used outside `async with`"
        return self._conn

    def now(self) -> datetime:
        """The current instant on the work's clock, never the host's own."""
        return self.clock.now()

    async def __aenter__(self) -> UnitOfWork:
        self.memo.clear()  # a unit of work entered again reads afresh
        # BEGIN and the tenant in one round trip (the connection runs in AUTOCOMMIT mode, so
        # SQLAlchemy sends no BEGIN of its own; the transaction is ours to end)
        self._conn, self._raw = await open_transaction(self.engine, self.tenant_id, self.opening)
        return self

    async def commit(self) -> None:
        """Make the work durable; events recorded inside become visible to listeners now."""
        assert self._conn is not None and self._raw is not None
        raw, self._raw = self._raw, None  # a failed COMMIT ends the transaction too
        try:
            await commit_work(self._conn)
        except BaseException:
            if raw.is_closed():
                await self._conn.invalidate()  # never pooled again
                raise
            if not raw.is_in_transaction():
                raise
            self._raw = raw  # the COMMIT never ran: __aexit__ rolls back
            raise
        self.committed = True

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if self._raw is not None and not self._raw.is_closed():
                await end_read(self._raw)
        except BaseException:
            if self._conn is not None:
                await self._conn.invalidate()  # a connection in an unknown state is dropped
            if exc is None:
                raise  # otherwise the error that ended the work is the one to see
        finally:
            if self._conn is not None:
                await self._conn.close()
            self._conn = None
            self._raw = None
