"""Declared permissions: each field names the roles it allows; the token's roles decide."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError
from strawberry.permission import BasePermission, PermissionExtension
from strawberry.types import Info
from strawberry.types.base import StrawberryOptional
from strawberry.types.field import StrawberryField

from schema.context import Context


class HasRole(BasePermission):
    """Allow callers holding any of the roles; unauthenticated callers get UNAUTHENTICATED."""

    message = "Your roles do not allow this"
    error_extensions = {"code": "FORBIDDEN"}  # noqa: RUF012  strawberry reads a plain dict

    def __init__(self, roles: frozenset[str]) -> None:
        self.roles = roles

    def has_permission(self, source: Any, info: Info[Context, Any], **kwargs: Any) -> bool:
        ctx = info.context
        if ctx.principal is None:
            raise GraphQLError(
                ctx.auth_error or "Authentication required", extensions={"code": "UNAUTHENTICATED"}
            )
        return bool(ctx.principal.roles & self.roles)


class RoleGate(PermissionExtension):
    """The role check of a field, which also makes the field nullable: a refused field then
    answers null with its FORBIDDEN error, and the rest of the response stays (a non-null
    field would null its parent, up to `data` itself). Subscriptions are refused when they
    start and keep their type."""

    def apply(self, field: StrawberryField) -> None:
        super().apply(field)
        if not field.is_subscription and not isinstance(field.type, StrawberryOptional):
            field.type = StrawberryOptional(field.type)


def allow(roles: frozenset[str]) -> list[PermissionExtension]:
    """Field extensions for a role allow-list (the field becomes nullable, see RoleGate)."""
    return [RoleGate([HasRole(roles)], use_directives=False)]


def roles_note(roles: frozenset[str]) -> str:
    """The sentence appended to a description so the schema documents who may call it."""
    return f" Roles: {', '.join(sorted(roles))}."
