"""Error shapes: userErrors for domain refusals, coded top-level errors for auth, masking."""

from __future__ import annotations

import logging
from enum import Enum

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaskErrors

from domain.errors import DomainError, ValidationFailed
from services.request_context import current_request_id

log = logging.getLogger("credit.graphql")

PUBLIC_CODES = {
    "UNAUTHENTICATED",
    "FORBIDDEN",
    "BAD_USER_INPUT",
    "NOT_FOUND",
    "PAGE_SIZE_EXCEEDED",
    "SUBSCRIBER_BEHIND",
}


@strawberry.enum(description="Why a mutation refused its input.")
class UserErrorCode(Enum):
    REQUIRED = strawberry.enum_value("REQUIRED", description="A required value is blank.")
    TOO_LONG = strawberry.enum_value("TOO_LONG", description="A text is longer than allowed.")
    TOO_MANY = strawberry.enum_value("TOO_MANY", description="A list is longer than allowed.")
    INVALID_CODE = strawberry.enum_value("INVALID_CODE", description="A code has bad characters.")
    INVALID_COUNTRY = strawberry.enum_value(
        "INVALID_COUNTRY", description="Not an ISO 3166 two-letter code."
    )
    INVALID_REGISTRATION_NUMBER = strawberry.enum_value(
        "INVALID_REGISTRATION_NUMBER",
        description="Registration number malformed or its check character wrong.",
    )
    INVALID_EMAIL = strawberry.enum_value("INVALID_EMAIL", description="Not an e-mail address.")
    INVALID_DATE = strawberry.enum_value("INVALID_DATE", description="Not a plausible date.")
    FUTURE_DATE = strawberry.enum_value("FUTURE_DATE", description="A date lies in the future.")
    INVALID_AMOUNT = strawberry.enum_value(
        "INVALID_AMOUNT", description="Not a plain decimal amount."
    )
    NEGATIVE_AMOUNT = strawberry.enum_value(
        "NEGATIVE_AMOUNT", description="An amount is below zero."
    )
    UNKNOWN_CURRENCY = strawberry.enum_value(
        "UNKNOWN_CURRENCY", description="Not an ISO 4217 currency code."
    )
    CURRENCY_MISMATCH = strawberry.enum_value(
        "CURRENCY_MISMATCH", description="Amounts in different currencies."
    )
    DUPLICATE_CODE = strawberry.enum_value(
        "DUPLICATE_CODE", description="The customer code is already used."
    )
    STALE_VERSION = strawberry.enum_value(
        "STALE_VERSION", description="Someone changed the object since you read it."
    )
    NOT_FOUND = strawberry.enum_value("NOT_FOUND", description="No such object in your tenant.")
    INVALID_ID = strawberry.enum_value("INVALID_ID", description="Not an id of the right type.")
    ALREADY_ARCHIVED = strawberry.enum_value(
        "ALREADY_ARCHIVED", description="The customer is archived already."
    )
    ALREADY_ACKNOWLEDGED = strawberry.enum_value(
        "ALREADY_ACKNOWLEDGED", description="The warning is acknowledged already."
    )
    INVALID_KIND = strawberry.enum_value("INVALID_KIND", description="Unknown kind.")
    SELF_RELATION = strawberry.enum_value(
        "SELF_RELATION", description="A customer cannot relate to itself."
    )
    DUPLICATE_RELATION = strawberry.enum_value(
        "DUPLICATE_RELATION", description="That partner link exists already."
    )
    IDEMPOTENCY_MISMATCH = strawberry.enum_value(
        "IDEMPOTENCY_MISMATCH", description="The key was used before with other content."
    )
    AMOUNT_NOT_POSITIVE = strawberry.enum_value(
        "AMOUNT_NOT_POSITIVE", description="An amount must be above zero."
    )
    DUE_BEFORE_ISSUE = strawberry.enum_value(
        "DUE_BEFORE_ISSUE", description="Due date before the issue date."
    )
    DUPLICATE_NUMBER = strawberry.enum_value(
        "DUPLICATE_NUMBER", description="The document number is used."
    )
    CUSTOMER_ARCHIVED = strawberry.enum_value(
        "CUSTOMER_ARCHIVED", description="The customer is archived."
    )
    EXCEEDS_OPEN_AMOUNT = strawberry.enum_value(
        "EXCEEDS_OPEN_AMOUNT", description="More than the invoice still owes."
    )
    EXCEEDS_PAYMENT = strawberry.enum_value(
        "EXCEEDS_PAYMENT", description="More than the payment has left on account."
    )
    PAYMENT_REVERSED = strawberry.enum_value(
        "PAYMENT_REVERSED", description="The payment was reversed."
    )
    ALREADY_REVERSED = strawberry.enum_value(
        "ALREADY_REVERSED", description="The entry is reversed already."
    )
    INVALID_TERMS = strawberry.enum_value(
        "INVALID_TERMS", description="Payment terms are inconsistent."
    )
    INVOICE_SETTLED = strawberry.enum_value(
        "INVOICE_SETTLED", description="The invoice has nothing left to write off or dispute."
    )
    SELF_APPROVAL = strawberry.enum_value(
        "SELF_APPROVAL", description="The proposer cannot approve."
    )
    NOT_AN_APPROVER = strawberry.enum_value(
        "NOT_AN_APPROVER", description="Your roles cannot give a needed approval."
    )
    ALREADY_APPROVED = strawberry.enum_value(
        "ALREADY_APPROVED", description="That approval is given already."
    )
    INVALID_STATUS = strawberry.enum_value(
        "INVALID_STATUS", description="Not allowed in the current status."
    )
    PERIOD_CLOSED = strawberry.enum_value("PERIOD_CLOSED", description="The period is closed.")
    INVALID_BUCKETS = strawberry.enum_value(
        "INVALID_BUCKETS", description="Buckets overlap, leave gaps or are not open-ended."
    )
    INVALID_LADDER = strawberry.enum_value(
        "INVALID_LADDER", description="Ladder stages are not contiguous from 1 day."
    )
    INVALID_MATRIX = strawberry.enum_value(
        "INVALID_MATRIX", description="Provision bands are not ascending or rates not 0..1."
    )
    INVALID_INPUT = strawberry.enum_value("INVALID_INPUT", description="Input not acceptable.")


@strawberry.type(description="A refusal of one input field, with a stable code.")
class UserError:
    field: str | None = strawberry.field(
        description="Input path of the refused value, "
        "dot-separated (null when not tied to one field)."
    )
    code: UserErrorCode = strawberry.field(description="Stable machine-readable reason.")
    message: str = strawberry.field(description="Human-readable explanation.")


def user_errors(exc: DomainError | ValidationFailed) -> list[UserError]:
    """Translate domain refusals to the payload's userErrors."""
    items = exc.errors if isinstance(exc, ValidationFailed) else [exc]
    out = []
    for e in items:
        try:
            code = UserErrorCode[e.code]
        except KeyError:
            code = UserErrorCode.INVALID_INPUT
        out.append(UserError(field=e.field, code=code, message=e.message))
    return out


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
