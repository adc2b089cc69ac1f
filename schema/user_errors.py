"""userErrors: one interface; per capability a code enum, an error type and a payload base.

Each capability declares the codes its mutations can refuse with (the common ones are added);
a code a service raises that its capability did not declare is a defect, not a silent
INVALID_INPUT: it fails loudly here and `tests/schema/test_error_codes.py` finds it first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

import strawberry

from domain.errors import DomainError, ValidationFailed

#: Codes every capability may use: input shape, amounts, dates, ids, versions, replays.
COMMON_CODES: dict[str, str] = {
    "REQUIRED": "A required value is blank.",
    "TOO_LONG": "A text is longer than allowed.",
    "TOO_MANY": "A list is longer than allowed.",
    "INVALID_CODE": "A code has bad characters.",
    "INVALID_DATE": "Not a date from 1900-01-01 to 2199-12-31, or not a plausible one.",
    "FUTURE_DATE": "A date lies in the future.",
    "INVALID_AMOUNT": "Not a plain decimal amount.",
    "NEGATIVE_AMOUNT": "An amount is below zero.",
    "AMOUNT_NOT_POSITIVE": "An amount must be above zero.",
    "AMOUNT_TOO_LARGE": "An amount is above the maximum per document.",
    "UNKNOWN_CURRENCY": "Not an ISO 4217 currency code.",
    "CURRENCY_MISMATCH": "Amounts in different currencies.",
    "NOT_FOUND": "No such object in your tenant.",
    "INVALID_ID": "Not an id of the right type.",
    "INVALID_KIND": "Unknown kind.",
    "INVALID_STATUS": "Not allowed in the current status.",
    "STALE_VERSION": "Someone changed the object since you read it.",
    "IDEMPOTENCY_MISMATCH": "The key was used before with other content.",
    "INVALID_INPUT": "Input not acceptable.",
}


@strawberry.interface(description="A refusal of one input field, with a stable code.")
class UserError:
    field: str | None = strawberry.field(
        description="Input path of the refused value as the client wrote it, "
        "dot-separated (null when not tied to one field)."
    )
    message: str = strawberry.field(description="Human-readable explanation.")


class UnknownErrorCode(LookupError):
    """A service refused with a code its capability never declared: a defect, masked."""


@dataclass(frozen=True)
class ErrorCatalogue:
    """A capability's refusal codes, the GraphQL error type carrying them, its payload base."""

    name: str
    codes: type[Enum]
    error_type: type
    payload: type

    def user_errors(self, exc: DomainError | ValidationFailed) -> list[Any]:
        """The payload's userErrors for a domain refusal."""
        items = exc.errors if isinstance(exc, ValidationFailed) else [exc]
        out = []
        for e in items:
            try:
                code = self.codes[e.code]
            except KeyError:
                raise UnknownErrorCode(f"{self.name} does not declare code {e.code!r}") from exc
            out.append(self.error_type(field=e.field, code=code, message=e.message))
        return out


def catalogue(name: str, what: str, own: Mapping[str, str]) -> ErrorCatalogue:
    """Declare a capability's codes: `<name>ErrorCode`, `<name>UserError`, a payload base."""
    merged = {**COMMON_CODES, **own}
    codes = strawberry.enum(
        Enum(  # type: ignore[misc]  # a functional Enum: the members are data, not code
            f"{name}ErrorCode",
            {k: strawberry.enum_value(k, description=merged[k]) for k in sorted(merged)},
        ),
        description=f"Why a {what} mutation refused its input.",
    )
    error_type = strawberry.type(
        type(
            f"{name}UserError",
            (UserError,),
            {
                "__annotations__": {"code": codes},
                "__doc__": f"A refusal of a {what} input.",
                "code": strawberry.field(description="Stable machine-readable reason."),
            },
        ),
        description=f"A refusal of a {what} input, with a stable code.",
    )
    payload = strawberry.type(
        type(
            f"{name}PayloadBase",
            (),
            {
                "__annotations__": {"user_errors": list[error_type]},  # type: ignore[valid-type]
                "__doc__": f"What every {what} mutation returns beside its object.",
                "user_errors": strawberry.field(
                    default_factory=list, description="Why it was refused; empty on success."
                ),
            },
        ),
        description=f"What every {what} mutation returns beside its object.",
    )
    result = ErrorCatalogue(name, codes, error_type, payload)
    payload.catalogue = result  # type: ignore[attr-defined]
    return result
