"""Per-request context: who is calling, its business date, the read session and DataLoaders."""

from __future__ import annotations

import contextlib
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from strawberry.dataloader import DataLoader

from infra.clock import Clock
from infra.event_hub import EventHub
from infra.runtime import Runtime
from services.read_session import ReadSession
from services.tenant.local_date import DEFAULT_ZONE, ZONES, local_today
from services.uow import Actor, UnitOfWork


@dataclass(frozen=True)
class Principal:
    """An authenticated caller: token subject, tenant and roles."""

    subject: str
    tenant_slug: str
    tenant_id: UUID
    roles: frozenset[str]
    expires_at: float = 0.0  #: the token's `exp` (seconds since the epoch); 0 when unknown


@dataclass
class _Reads:
    """One operation's read session and DataLoaders."""

    owner: Context = field(repr=False, compare=False)
    session: ReadSession | None = None
    loaders: dict[str, DataLoader[Any, Any]] = field(default_factory=dict)
    today: date | None = None  #: the operation's business date, once asked for

    async def release(self) -> None:
        """Give the session's connection back and forget what the loaders read (detached
        first, so a loader starting meanwhile opens a session of its own)."""
        session, self.session = self.session, None
        self.loaders.clear()
        self.today = None  # a subscription's next event dates itself afresh
        if session is not None:
            await session.close()


#: The running operation's reads. A WebSocket's operations share its one Context, each in a
#: task of its own; were their reads the Context's, one subscription giving back its
#: connection between events would close it under another's loader (which then reopened
#: it, never to be closed), and loaders would cache rows for the socket's whole life.
_operation_reads: ContextVar[_Reads | None] = ContextVar("operation_reads", default=None)


@dataclass
class Context:
    """Strawberry's context: created once per HTTP request or WebSocket connection."""

    runtime: Runtime
    hub: EventHub | None
    request_id: str
    principal: Principal | None = None
    auth_error: str | None = None
    clock: Clock | None = None  #: the time source; the runtime's unless one is injected
    connection_params: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    #: the reads of code running outside any operation (each operation has its own)
    _own: _Reads = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._own = _Reads(self)

    @property
    def tenant_id(self) -> UUID:
        """The caller's tenant (permission classes guarantee a principal first)."""
        assert self.principal is not None
        return self.principal.tenant_id

    def now(self) -> datetime:
        """The current instant from the injected clock (the runtime's unless given)."""
        return (self.clock or self.runtime.clock).now()

    @property
    def zone(self) -> ZoneInfo:
        """The tenant's time zone from the process's cache: no read of its own per request
        (resolving the tenant at sign-in loaded it); the default before any tenant."""
        if self.principal is None:
            return DEFAULT_ZONE
        return ZONES.peek(self.runtime.engine, self.principal.tenant_id) or DEFAULT_ZONE

    @property
    def today(self) -> date:
        """The caller's business date: its tenant's calendar, not the host's UTC one, and
        the same throughout one operation (an `asOf` argument, where given, wins)."""
        reads = self._reads()
        if reads.today is None:
            reads.today = local_today(self.zone, self.now())
        return reads.today

    @property
    def actor(self) -> Actor:
        """The caller as services record it."""
        assert self.principal is not None
        return Actor(self.principal.subject, self.principal.roles, self.request_id)

    def begin_operation(self) -> tuple[Token[_Reads | None], _Reads]:
        """Give the running operation (its task, and the tasks it starts) reads of its own,
        until end_operation; schema.build.CloseReadSession brackets every operation."""
        reads = _Reads(self)
        return _operation_reads.set(reads), reads

    async def end_operation(self, begun: tuple[Token[_Reads | None], _Reads]) -> None:
        """Close the operation's reads and return to the reads around it (an operation
        finalised from another task closes its own reads all the same)."""
        token, reads = begun
        try:
            await reads.release()
        finally:
            with contextlib.suppress(ValueError):  # the token of another task's context
                _operation_reads.reset(token)

    def _reads(self) -> _Reads:
        """The running operation's reads, or the context's own outside any operation."""
        reads = _operation_reads.get()
        return reads if reads is not None and reads.owner is self else self._own

    @property
    def session(self) -> ReadSession:
        """The operation's read session, opened on first use."""
        reads = self._reads()
        if reads.session is None:
            reads.session = ReadSession(self.runtime.engine, self.tenant_id)
        return reads.session

    def uow(self, opening: str = "") -> UnitOfWork:
        """A fresh unit of work for a mutation (`opening`: sent with its BEGIN), on the
        request's clock, so what it dates is dated as `today` is."""
        clock = self.clock or self.runtime.clock
        return UnitOfWork(self.runtime.engine, self.tenant_id, self.actor, opening, clock)

    def loader(self, name: str, factory: Any) -> DataLoader[Any, Any]:
        """A DataLoader created lazily once per operation."""
        loaders = self._reads().loaders
        existing = loaders.get(name)
        if existing is None:
            existing = loaders[name] = factory(self)
        return existing

    async def close(self) -> None:
        """Release the operation's read session (and forget what its loaders read)."""
        await self._reads().release()
