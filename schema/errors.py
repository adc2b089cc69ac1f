"""Error shapes: userErrors for domain refusals, coded top-level errors for auth, masking."""

from __future__ import annotations

import logging

from graphql import GraphQLError
from strawberry.extensions import MaskErrors

from infra.request_context import current_request_id

log = logging.getLogger("credit.graphql")

PUBLIC_CODES = {
    "UNAUTHENTICATED",
    "FORBIDDEN",
    "BAD_USER_INPUT",
    "NOT_FOUND",
    "PAGE_SIZE_EXCEEDED",
    "SUBSCRIBER_BEHIND",
}


def coded_error(message: str, code: str) -> GraphQLError:
    """A top-level error with extensions.code, shown to the client as is."""
    return GraphQLError(message, extensions={"code": code})


def should_mask(error: GraphQLError) -> bool:
    """Mask anything that is not a deliberate, coded or validation error."""
    original = error.original_error
    if original is None or error.path is None:
        return False  # syntax, validation and variable-coercion errors: the client's input
    if isinstance(original, GraphQLError):
        code = (original.extensions or {}).get("code")
        return code not in PUBLIC_CODES
    return True


class RequestIdMaskErrors(MaskErrors):
    """MaskErrors that logs the real exception and gives the client a request id."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=should_mask, error_message="Unexpected error")

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        request_id = current_request_id()
        log.error(
            "unexpected error",
            exc_info=error.original_error,
            extra={"request_id": request_id, "path": error.path},
        )
        return GraphQLError(
            message=self.error_message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            original_error=None,
            extensions={"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
        )
