"""Request id and tenant of the running request, for logs and masked errors."""

from __future__ import annotations

from contextvars import ContextVar

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")
tenant_var: ContextVar[str] = ContextVar("tenant", default="-")
operation_var: ContextVar[str] = ContextVar("operation", default="-")


def current_request_id() -> str:
    """The id the edge gave this request (or '-' outside one)."""
    return request_id_var.get()
