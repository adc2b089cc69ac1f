"""Every code a capability can refuse with is declared by it; an undeclared one fails loudly."""

from __future__ import annotations

import importlib

import pytest

from domain.errors import DomainError
from schema.user_errors import UnknownErrorCode
from tests.schema.error_code_scan import CAPABILITIES, codes_for


def _catalogue(capability: str):  # type: ignore[no-untyped-def]
    module = importlib.import_module(f"schema.{capability}.errors")
    return getattr(module, capability.upper())


@pytest.mark.parametrize("capability", CAPABILITIES)
def test_every_code_a_capability_raises_is_declared(capability: str) -> None:
    # given the codes its schema, services and the domain rules they import can raise
    raised = codes_for(capability)
    # when we read the capability's GraphQL enum
    declared = {m.name for m in _catalogue(capability).codes}
    # then nothing it raises is missing
    assert raised - declared == set()


def test_an_undeclared_code_is_a_defect_not_a_silent_invalid_input() -> None:
    # given a refusal with a code the warnings capability never declared
    refusal = DomainError("NO_SUCH_CODE", "made up", "id")
    # when it is translated to userErrors, then it fails instead of becoming INVALID_INPUT
    with pytest.raises(UnknownErrorCode):
        _catalogue("warnings").user_errors(refusal)


def test_a_declared_code_keeps_its_field_and_message() -> None:
    errors = _catalogue("ledger").user_errors(DomainError("DUE_BEFORE_ISSUE", "no", "dueDate"))
    assert [(e.field, e.code.name, e.message) for e in errors] == [
        ("dueDate", "DUE_BEFORE_ISSUE", "no")
    ]
