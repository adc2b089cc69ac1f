"""The compiled path at request time: a document, registered and sent by its hash or sent as
text, compiled (schema/engine/compiler.py), is answered by one SQL statement that builds the
`data` JSON, whose bytes go into the response as they are (orjson.Fragment), never parsed
again. A text (up to TEXT_COMPILE_MAX characters) is compiled once per process, keyed by its
parsed document (the parser's cache hands back the same one for the same text), in a bounded
cache that also remembers the texts that do not compile.

Everything around execution stays the standard one (authentication, the trusted-documents
lookup, parsing and validation caches, page-size, cursor and cost limits, error masking,
metrics). Execution itself is replaced only when the answer would be the standard path's:
the caller holds every role the plan's fields require, the variables coerce without error,
and the page arguments pass the resolver's own checks. Anything else (an unauthenticated
call, a refused role, bad variables, conflicting page arguments, an overlong filter) is
handed to the standard execution, which then answers it with its own errors, so both paths
answer alike by construction. COMPILED_DOCUMENTS=off (settings.compiled_documents) leaves
this extension out of the schema.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import AsyncIterator, Mapping
from typing import Any, cast

import orjson
from graphql import (
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    VariableValues,
    get_argument_values,
    get_variable_values,
    parse,
)
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionResult

from domain import texts
from domain.errors import DomainError
from schema.engine.compat import graphql_schema
from schema.engine.compiler import CompiledOperation, Uncompilable, compile_operation
from schema.identity_memo import IdentityMemo
from schema.relay import cursor_id, window
from services.compiled import pages
from services.compiled.plan import CustomersPage, DataPlan

log = logging.getLogger("credit.compiled")

#: context.extra key: (the execution context, the registered document id) of a request
#: whose text came from the registry by its hash (set by schema/integration/documents.py).
TRUSTED = "trusted_document"
#: Compiled operations by (document id, operation name); None: not compilable. A document is
#: immutable once registered and its id is its text's hash, so the key never goes stale.
_COMPILED: dict[tuple[str, str | None], CompiledOperation | None] = {}
_COMPILED_MAX = 4096
#: Compiled operations of documents sent as text, by parsed document and operation name.
_TEXTS_MAX = 1024
_TEXTS: IdentityMemo[CompiledOperation | None] = IdentityMemo(_TEXTS_MAX)
#: A text longer than this runs the standard way: a page document is a few hundred characters,
#: and the cache then holds at most _TEXTS_MAX of these (a string literal is one token, so the
#: token limit alone would let each entry keep megabytes alive).
TEXT_COMPILE_MAX = 8192
#: The page arguments' text limits, as their schema declares them (schema/paging.py and
#: CustomerFilter): the standard path refuses a longer one before its resolver.
TEXT_LIMITS = {
    "after": texts.CURSOR,
    "before": texts.CURSOR,
    "text": texts.SEARCH,
    "industry": texts.SHORT,
}


@dataclasses.dataclass
class CompiledResult(ExecutionResult):
    """A result whose `data` is the statement's JSON bytes (an orjson.Fragment), with the
    operation's actual cost worked out by the same statement (schema/cost_limits.py)."""

    actual_cost: int = 0


def compiled_for(
    schema: GraphQLSchema, ident: str, document: Any, operation_name: str | None
) -> CompiledOperation | None:
    """The compiled operation of a registered document, compiled on first use in this
    process (documents registered here were compiled at registration)."""
    key = (ident, operation_name)
    if key in _COMPILED:
        return _COMPILED[key]
    found = _compile(schema, document, operation_name, ident, logging.INFO)
    if len(_COMPILED) >= _COMPILED_MAX:
        _COMPILED.clear()
    _COMPILED[key] = found
    return found


def compiled_text(
    schema: GraphQLSchema, document: Any, operation_name: str | None
) -> CompiledOperation | None:
    """The compiled operation of a document sent as text, compiled on its first use in this
    process: keyed by the parsed document, which the parser's cache hands back for the same
    text (no hashing per request); logged at debug, as clients send many texts."""
    return _TEXTS.get(
        document,
        lambda: _compile(schema, document, operation_name, None, logging.DEBUG),
        operation_name,
    )


def _compile(
    schema: GraphQLSchema, document: Any, operation_name: str | None, ident: str | None, level: int
) -> CompiledOperation | None:
    """Compile, or None when the operation does not compile; the decision is logged."""
    try:
        found = compile_operation(schema, document, operation_name)
        log.log(level, "document compiled", extra={"document": ident})
        return found
    except Uncompilable as exc:
        log.log(level, "document not compiled", extra={"document": ident, "reason": str(exc)})
        return None


def _pick(values: Mapping[str, Any] | None, name: str) -> Any:
    value = (values or {}).get(name)
    return getattr(value, "value", value)  # an enum's name, as the SQL compares it


def page_of(
    compiled: CompiledOperation, variables: VariableValues, max_page: int, context: Any
) -> CustomersPage | None:
    """The page the root field asks for, checked as its resolver checks it; None when the
    standard path would refuse it (it then answers with its own error)."""
    try:
        args = get_argument_values(compiled.root_field, compiled.root_node, variables)
    except GraphQLError:
        return None
    flt, order = args.get("filter") or {}, args.get("orderBy") or {}
    try:
        for name, limit in TEXT_LIMITS.items():
            texts.check_text(args.get(name, flt.get(name)), limit, name)
        asked = window(
            args.get("first"), args.get("after"), args.get("last"), args.get("before"), max_page
        )
        cursor = cursor_id(asked)
    except (GraphQLError, DomainError):
        return None
    return CustomersPage(
        size=asked.size,
        cursor=cursor,
        backward=asked.backward,
        order=_pick(order, "field") or "NAME",
        descending=_pick(order, "direction") == "DESC",
        text=flt.get("text"),
        industry=flt.get("industry"),
        status=_pick(flt, "status"),
        as_of=context.today,
    )


async def answer(execution_context: Any, schema: GraphQLSchema) -> CompiledResult | None:
    """The compiled answer to an operation, or None to run it the standard way."""
    context = execution_context.context
    principal = getattr(context, "principal", None)
    if principal is None:
        return None
    document = execution_context.graphql_document
    operation = execution_context.operation_name
    trusted = (getattr(context, "extra", None) or {}).get(TRUSTED)
    if trusted is not None and trusted[0] is execution_context:
        compiled = compiled_for(schema, trusted[1], document, operation)
    elif document is not None and len(execution_context.query or "") <= TEXT_COMPILE_MAX:
        compiled = compiled_text(schema, document, operation)
    else:
        return None
    if compiled is None or not all(principal.roles & gate for gate in compiled.gates):
        return None
    coerced = get_variable_values(
        schema, compiled.operation.variable_definitions or (), execution_context.variables or {}
    )
    if not isinstance(coerced, VariableValues):  # the standard path reports their errors
        return None
    settings = context.runtime.settings
    page = page_of(compiled, coerced, settings.max_page_size, context)
    if page is None:
        return None
    try:
        plan = DataPlan(compiled.plan(coerced.coerced))
        pages.statement_for(plan, page)  # built once: a plan it cannot build runs as usual
    except (Uncompilable, ValueError):
        return None
    try:
        data, cost = await pages.customers_data(context.session, plan, page)
    except Exception as exc:  # answered as a failing resolver is: masked
        return failed(compiled, plan, coerced.coerced, exc)
    return CompiledResult(
        data=cast(dict[str, Any], orjson.Fragment(data)), errors=None, actual_cost=cost
    )


def failed(
    compiled: CompiledOperation, plan: DataPlan, variables: Mapping[str, Any], exc: Exception
) -> CompiledResult:
    """The answer when the statement fails, as the standard path gives it when the page's
    resolver raises: the page null, the root `__typename` still there, and an error at the
    page's path that carries the exception, so the masking extension logs it with the request
    id and the client reads "Unexpected error" (never SQL text)."""
    data: dict[str, Any] = {}
    errors = []
    for pick in plan.root:
        data[pick.key] = "Query" if pick.name == "__typename" else None
        if pick.name != "__typename":
            errors.append(
                GraphQLError(
                    str(exc),
                    nodes=compiled.root_nodes_of(pick.key, variables),
                    path=[pick.key],
                    original_error=exc,
                )
            )
    # the cost of what was asked at the root, as the standard path counts a field that raised
    return CompiledResult(data=data, errors=errors, actual_cost=sum(p.once for p in plan.root))


class CompiledDocuments(SchemaExtension):
    """Answer a compiled document (registered or sent as text) before graphql-core executes
    it (strawberry skips execution when an extension has set the result)."""

    async def on_execute(self) -> AsyncIterator[None]:
        ctx = self.execution_context
        if ctx.result is None:
            found = await answer(ctx, graphql_schema(ctx.schema))
            if found is not None:
                ctx.result = found
        yield


def analyse(schema: GraphQLSchema, ident: str, text: str) -> bool:
    """Compile every operation of a registered document now (at registration, or when its
    status is first asked); True when all of them compile."""
    try:
        document = parse(text)
    except GraphQLError:
        return False
    names = [
        d.name.value if d.name else None
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode)
    ]
    results = [compiled_for(schema, ident, document, name) is not None for name in names]
    if len(names) == 1:  # a request may name its only operation, or not
        _COMPILED.setdefault((ident, None), _COMPILED[(ident, names[0])])
    return bool(results) and all(results)


def switched_on(schema: Any) -> bool:
    """Whether a strawberry schema answers compiled documents (COMPILED_DOCUMENTS put the
    extension in it when it was built)."""
    return any(e is CompiledDocuments for e in getattr(schema, "extensions", ()))
