"""Domain errors: a rule that refuses carries the field it refuses and a stable code."""

from __future__ import annotations


class DomainError(Exception):
    """A business rule said no; the API shows it as a userError, never as a crash."""

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


class ValidationFailed(Exception):
    """Several domain errors found at once, reported together so a form can show them all."""

    def __init__(self, errors: list[DomainError]) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


class NotFound(DomainError):
    """The object does not exist for this tenant (another tenant's id looks exactly the same)."""

    def __init__(self, field: str, what: str = "object") -> None:
        super().__init__("NOT_FOUND", f"{what} not found", field)
