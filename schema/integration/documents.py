"""Trusted documents at request time: a client may send only a registered document's hash
(`extensions.persistedQuery.sha256Hash`, Apollo-compatible, or `documentId`), and with
TRUSTED_DOCUMENTS_ONLY the API runs nothing its tenant did not register."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from graphql import GraphQLError

from schema.context import Context
from schema.engine.compiled import TRUSTED
from services.integration import trusted_documents

#: Registered bodies by (tenant, id): a document is immutable once registered.
_KNOWN: dict[tuple[Any, str], str] = {}
_KNOWN_MAX = 10_000
_PLACEHOLDER = "{ __typename }"  #: parsed in place of a refused document, never executed


def requested_hash(extensions: Any) -> str | None:
    """The hash a request names instead of (or beside) its text, if any."""
    if not isinstance(extensions, dict):
        return None
    persisted = extensions.get("persistedQuery")
    value = persisted.get("sha256Hash") if isinstance(persisted, dict) else None
    return value if isinstance(value, str) and value else None


async def registered_body(context: Context, ident: str) -> str | None:
    """The registered text of a document of the caller's tenant, or None."""
    key = (context.tenant_id, ident)
    if key in _KNOWN:
        return _KNOWN[key]
    found = (await trusted_documents.bodies(context.session, [ident])).get(ident)
    if found is not None:
        if len(_KNOWN) >= _KNOWN_MAX:
            _KNOWN.clear()
        _KNOWN[key] = found
    return found


def refusal(message: str, code: str) -> GraphQLError:
    """A request error clients recognise (Apollo matches on the message)."""
    return GraphQLError(message, extensions={"code": code})


class TrustedDocuments:
    """Resolve hashes to registered text; enforce registered-only when the setting says so.

    Made a SchemaExtension by schema/build.py; kept free of that base here so the rule reads
    plainly: on_operation fills the query before parsing, on_validate refuses.
    """

    only_registered = False

    def __init__(self) -> None:
        self.refused: GraphQLError | None = None

    async def on_operation(self) -> AsyncIterator[None]:
        ctx = self.execution_context  # type: ignore[attr-defined]
        context = ctx.context
        principal = getattr(context, "principal", None)
        wanted = requested_hash(ctx.operation_extensions)
        if principal is not None and (wanted or self.only_registered):
            ident = trusted_documents.normalise_id(wanted) if wanted else None
            if ctx.query:
                own = trusted_documents.document_id(ctx.query)
                if ident is not None and ident != own:
                    self.refused = refusal(
                        "The document's text does not match its hash", "PERSISTED_QUERY_MISMATCH"
                    )
                elif self.only_registered and await registered_body(context, own) is None:
                    self.refused = refusal(
                        "Only registered (trusted) documents are accepted: register it with "
                        "registerTrustedDocument and send its hash",
                        "PERSISTED_QUERY_REQUIRED",
                    )
            elif ident is not None:
                body = await registered_body(context, ident)
                if body is None:
                    self.refused = refusal("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")
                else:
                    ctx.query = body
                    context.extra[TRUSTED] = (ctx, ident)  # the compiled path may answer it
            if self.refused is not None:
                ctx.query = _PLACEHOLDER
        yield

    def on_validate(self) -> Any:
        if self.refused is not None:
            self.execution_context.pre_execution_errors = [self.refused]  # type: ignore[attr-defined]
        yield
