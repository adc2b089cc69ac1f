"""One execution per subscription event for everyone who asked the same thing.

The event hub hands every subscriber of a tenant the same converted view of an event
(`Event.views`), and most subscribers send the same document: a thousand of them would
otherwise execute the same selection on the same object a thousand times. A per-event
executor here looks up a result produced for the same root object, operation, variables,
tenant and roles, and executes only when there is none. Nothing about the result depends on
anything else: the subscription's fields read the event view and the tenant's data, and the
role gates read the roles.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from typing import Any

#: Recent (root, operation, variables, tenant, roles) -> (root, operation, result). Events
#: arrive one after another, so a few hundred entries cover every subscriber of the last ones;
#: the root and operation are kept alive with the result so their ids are not reused.
_RESULTS: OrderedDict[tuple[Any, ...], tuple[Any, Any, Any]] = OrderedDict()
RESULTS_KEPT = 256


def _variables_key(variables: dict[str, Any] | None) -> str | None:
    """Coerced variable values as a stable key, or None when they cannot be one."""
    if not variables:
        return ""
    try:
        return json.dumps(variables, sort_keys=True, default=repr)
    except (TypeError, ValueError):
        return None


def _caller_key(context: Any) -> tuple[Any, frozenset[str]] | None:
    """The tenant and roles the result may depend on; None without a principal."""
    principal = getattr(context, "principal", None)
    if principal is None:
        return None
    return getattr(context, "tenant_id", None), frozenset(principal.roles)


def event_key(executor: Any) -> tuple[Any, ...] | None:
    """The sharing key of a per-event executor, or None when its result must be its own."""
    variables = _variables_key(executor.variable_values)
    caller = _caller_key(executor.context_value)
    if variables is None or caller is None:
        return None
    return (id(executor.root_value), id(executor.operation), variables, *caller)


def shared_result(key: tuple[Any, ...], root: Any, operation: Any) -> Any | None:
    """The result already produced under this key for this very root and operation."""
    found = _RESULTS.get(key)
    if found is None or found[0] is not root or found[1] is not operation:
        return None
    _RESULTS.move_to_end(key)
    return found[2]


def keep_result(key: tuple[Any, ...], root: Any, operation: Any, result: Any) -> Any:
    """Remember a result for the other subscribers of the same event; returns it."""
    _RESULTS[key] = (root, operation, result)
    _RESULTS.move_to_end(key)
    while len(_RESULTS) > RESULTS_KEPT:
        _RESULTS.popitem(last=False)
    return result
