"""Per-request context: who is calling, the request's read session and its DataLoaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from strawberry.dataloader import DataLoader

from infra.event_hub import EventHub
from infra.runtime import Runtime
from services.read_session import ReadSession
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
class Context:
    """Strawberry's context: created once per HTTP request or WebSocket connection."""

    runtime: Runtime
    hub: EventHub | None
    request_id: str
    principal: Principal | None = None
    auth_error: str | None = None
    today: date = field(default_factory=date.today)
    _session: ReadSession | None = None
    _loaders: dict[str, DataLoader[Any, Any]] = field(default_factory=dict)
    connection_params: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def tenant_id(self) -> UUID:
        """The caller's tenant (permission classes guarantee a principal first)."""
        assert self.principal is not None
        return self.principal.tenant_id

    @property
    def actor(self) -> Actor:
        """The caller as services record it."""
        assert self.principal is not None
        return Actor(self.principal.subject, self.principal.roles, self.request_id)

    @property
    def session(self) -> ReadSession:
        """The request's read session, opened on first use."""
        if self._session is None:
            self._session = ReadSession(self.runtime.engine, self.tenant_id)
        return self._session

    def uow(self, opening: str = "") -> UnitOfWork:
        """A fresh unit of work for a mutation (`opening`: sent with its BEGIN)."""
        return UnitOfWork(self.runtime.engine, self.tenant_id, self.actor, opening)

    def loader(self, name: str, factory: Any) -> DataLoader[Any, Any]:
        """A DataLoader created lazily once per request."""
        existing = self._loaders.get(name)
        if existing is None:
            existing = self._loaders[name] = factory(self)
        return existing

    async def close(self) -> None:
        """Release the read session at the end of the operation."""
        if self._session is not None:
            await self._session.close()
            self._session = None
            self._loaders.clear()
