"""API protection: every operation's cost is known before it runs; too costly is refused, a
caller who spent its budget waits (HTTP 429 with Retry-After), and `extensions.cost` says
what was asked, what it cost, and what is left (Shopify's shape)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from schema.cost import Node, actual_cost, plan_operation, requested_cost
from schema.identity_memo import IdentityMemo
from schema.throttle import Buckets, Limits

#: Plans by parsed document and operation name.
_PLANS: IdentityMemo[tuple[Node, ...]] = IdentityMemo()
#: Limits by the tenant settings document they were read from (the runtime caches each
#: tenant's document for a minute and hands back the same object until then).
_LIMITS: IdentityMemo[Limits] = IdentityMemo()
BUCKETS = Buckets()


def _plan(schema: Any, document: Any, operation: str | None) -> tuple[Node, ...]:
    return _PLANS.get(document, lambda: plan_operation(schema, document, operation), operation)


def _limits(raw: object) -> Limits:
    """Limits.of(raw), worked out once per settings document rather than per request."""
    return _LIMITS.get(raw, lambda: Limits.of(raw))


class CostLimits(SchemaExtension):
    """Cost analysis and the leaky-bucket rate limit, before execution."""

    def __init__(self) -> None:
        self.nodes: tuple[Node, ...] = ()
        self.requested = 0
        self.actual: int | None = None
        self.bucket: Any = None
        self.taken = False  #: points were taken from the bucket (and may be refunded)
        self.limits = Limits()

    async def on_validate(self) -> Any:  # type: ignore[override]
        ctx = self.execution_context
        if ctx.pre_execution_errors or ctx.graphql_document is None:
            yield
            return
        self.nodes = _plan(ctx.schema._schema, ctx.graphql_document, ctx.operation_name)
        if not self.nodes:
            yield  # nothing in it costs (`{ __typename }`): nothing to weigh, take or refund
            return
        self.requested = requested_cost(self.nodes, ctx.variables or {})
        context = ctx.context
        principal = getattr(context, "principal", None)
        if principal is not None:
            settings = await context.runtime.tenant_settings(principal.tenant_id)
            self.limits = _limits(settings.get("apiLimits"))
        if self.requested > self.limits.max_cost:
            ctx.pre_execution_errors = [
                GraphQLError(
                    f"Query cost {self.requested} exceeds the maximum of {self.limits.max_cost}"
                    " per operation: ask for smaller pages or fewer fields",
                    extensions={"code": "QUERY_TOO_COSTLY", "cost": self._report()},
                )
            ]
        elif principal is not None:
            self.bucket = BUCKETS.get(principal.tenant_slug, principal.subject, self.limits)
            wait = self.bucket.take(self.requested)
            self.taken = not wait
            if wait:
                _too_many(context, wait)
                ctx.pre_execution_errors = [
                    GraphQLError(
                        f"Throttled: this operation costs {self.requested} points; "
                        f"retry in {wait:g} s",
                        extensions={
                            "code": "THROTTLED",
                            "retryAfter": wait,
                            "cost": self._report(),
                        },
                    )
                ]
        yield

    def on_execute(self) -> Iterator[None]:
        yield
        if not self.nodes:
            return  # a free operation took nothing
        result = self.execution_context.result
        data = getattr(result, "data", None)
        # a compiled document's statement worked its actual cost out beside its JSON
        compiled = getattr(result, "actual_cost", None)
        if compiled is not None:
            self.actual = compiled
        else:
            self.actual = actual_cost(self.nodes, data) if data is not None else 0
        if self.taken:
            self.bucket.give_back(self.requested - self.actual)

    def _report(self) -> dict[str, Any]:
        status: dict[str, Any] = {
            "maximumAvailable": self.limits.bucket,
            "restoreRate": self.limits.restore_rate,
        }
        if self.bucket is not None:
            status["currentlyAvailable"] = math.floor(self.bucket.available)
        return {
            "requestedQueryCost": self.requested,
            "actualQueryCost": self.actual,
            "maximumQueryCost": self.limits.max_cost,
            "throttleStatus": status,
        }

    def get_results(self) -> dict[str, Any]:
        if not self.nodes and not self.requested:
            return {}
        return {"cost": self._report()}


def _too_many(context: Any, wait: float) -> None:
    """Answer HTTP 429 with Retry-After when the request came over HTTP."""
    response = getattr(context, "extra", {}).get("response")
    if response is not None and hasattr(response, "headers"):
        response.status_code = 429
        response.headers["Retry-After"] = str(max(1, math.ceil(wait)))
