"""The sharing key of subscription events: same event, document, variables, tenant and roles
share a result; anything else executes on its own."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from schema.engine import events


@dataclass
class _Principal:
    roles: frozenset[str]


@dataclass
class _Context:
    tenant_id: str
    principal: _Principal | None


@dataclass
class _Executor:
    root_value: Any
    operation: Any
    context_value: _Context
    variable_values: dict[str, Any] = field(default_factory=dict)


def _executor(
    root: Any,
    operation: Any,
    tenant: str = "t1",
    roles: tuple[str, ...] = ("a",),
    variables: dict[str, Any] | None = None,
) -> _Executor:
    return _Executor(
        root, operation, _Context(tenant, _Principal(frozenset(roles))), variables or {}
    )


def test_the_key_separates_tenants_roles_variables_and_documents() -> None:
    # given one event and one document
    root, operation = object(), object()
    base = events.event_key(_executor(root, operation))
    # then every difference gives another key
    assert base == events.event_key(_executor(root, operation))
    assert base != events.event_key(_executor(root, operation, tenant="t2"))
    assert base != events.event_key(_executor(root, operation, roles=("a", "b")))
    assert base != events.event_key(_executor(root, operation, variables={"x": 1}))
    assert base != events.event_key(_executor(root, object()))
    assert base != events.event_key(_executor(object(), operation))


def test_no_principal_or_odd_variables_share_nothing() -> None:
    root, operation = object(), object()
    anonymous = _executor(root, operation)
    anonymous.context_value.principal = None
    assert events.event_key(anonymous) is None
    assert events.event_key(_executor(root, operation, variables={"x": float("nan")})) is not None


def test_a_result_is_only_given_for_the_very_same_root_and_operation() -> None:
    # given a result kept for one event
    root, operation = object(), object()
    key = events.event_key(_executor(root, operation))
    assert key is not None
    events.keep_result(key, root, operation, "result")
    # then the same objects find it, others (even under a reused key) do not
    assert events.shared_result(key, root, operation) == "result"
    assert events.shared_result(key, object(), operation) is None
    assert events.shared_result(key, root, object()) is None


def test_only_the_latest_results_are_kept() -> None:
    roots = [object() for _ in range(events.RESULTS_KEPT + 10)]
    operation = object()
    keys = []
    for root in roots:
        key = events.event_key(_executor(root, operation))
        assert key is not None
        keys.append(key)
        events.keep_result(key, root, operation, root)
    assert len(events._RESULTS) <= events.RESULTS_KEPT
    assert events.shared_result(keys[0], roots[0], operation) is None
    assert events.shared_result(keys[-1], roots[-1], operation) is roots[-1]
