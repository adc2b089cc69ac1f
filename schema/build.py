"""Assemble the schema with the platform's limits, caches and error masking."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError, ValidationRule
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig

from schema.errors import RequestIdMaskErrors
from schema.mutations import credit_files, customers, warnings
from schema.queries import Query
from schema.subscriptions import Subscription
from services.settings import Settings

Mutation = strawberry.type(
    type("Mutation", (), {**customers.FIELDS, **credit_files.FIELDS, **warnings.FIELDS}),
    description="Write entry points: each takes one `input` and returns a payload with "
    "`userErrors`.",
)


class CloseReadSession(SchemaExtension):
    """Give the request's read connection back as soon as the operation ends."""

    async def on_operation(self) -> Any:  # type: ignore[override]
        yield
        context = self.execution_context.context
        if context is not None and hasattr(context, "close"):
            await context.close()


class NoSuggestions(ValidationRule):
    """Strip 'Did you mean ...' hints, which would leak the schema when introspection is off."""

    def report_error(self, error: GraphQLError) -> None:
        if "Did you mean" in error.message:
            error.message = error.message.split(" Did you mean")[0]
        super().report_error(error)


def build_schema(settings: Settings, extra: tuple[Any, ...] = ()) -> strawberry.Schema:
    """The executable schema for these settings."""
    extensions: list[Any] = [
        ParserCache(maxsize=512),
        ValidationCache(maxsize=512),
        QueryDepthLimiter(max_depth=settings.max_depth),
        MaxAliasesLimiter(max_alias_count=settings.max_aliases),
        MaxTokensLimiter(max_token_count=settings.max_tokens),
        RequestIdMaskErrors(),
        CloseReadSession,
        *extra,
    ]
    if not settings.introspection:
        extensions.append(DisableIntrospection())
        extensions.append(AddValidationRules([NoSuggestions]))
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions,
        config=StrawberryConfig(auto_camel_case=True),
    )


def sdl() -> str:
    """The schema as SDL (what schema/schema.graphql holds)."""
    from services.settings import Settings as _S

    return build_schema(_S()).as_str() + "\n"
