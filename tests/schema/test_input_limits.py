"""Every text input documents its maximum, carries the domain's limit, and is checked.

The SDL walk fails on a String input field or argument whose description names no maximum;
for each one, the limit it carries is a domain rule with that very maximum, and the rule
accepts a text of that length and refuses one character more. Every field taking a date or a
text runs the input rules before its resolver.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from graphql import GraphQLInputObjectType, GraphQLObjectType, get_named_type

from domain import texts
from domain.errors import DomainError
from infra.settings import Settings
from schema.build import build_schema
from schema.input_rules import LIMIT, checks_inputs

GRAPHQL = build_schema(Settings())._schema
MAXIMUM = re.compile(r"At most ([\d,]+) characters\.")
CHECKED_SCALARS = {"String", "Date", "DateTime"}


def _definition(element: Any) -> Any:
    return element.extensions["strawberry-definition"]


def text_inputs() -> list[tuple[str, Any]]:
    """(path, graphql element) of every String input field and String argument."""
    found: list[tuple[str, Any]] = []
    for type_name, graphql_type in sorted(GRAPHQL.type_map.items()):
        if type_name.startswith("__"):
            continue
        if isinstance(graphql_type, GraphQLInputObjectType):
            for name, field in graphql_type.fields.items():
                if get_named_type(field.type).name == "String":
                    found.append((f"{type_name}.{name}", field))
        elif isinstance(graphql_type, GraphQLObjectType):
            for name, field in graphql_type.fields.items():
                for arg_name, argument in field.args.items():
                    if get_named_type(argument.type).name == "String":
                        found.append((f"{type_name}.{name}({arg_name})", argument))
    return found


TEXT_INPUTS = text_inputs()


def test_there_are_text_inputs_to_walk():
    assert len(TEXT_INPUTS) > 130


@pytest.mark.parametrize(("path", "element"), TEXT_INPUTS, ids=[p for p, _ in TEXT_INPUTS])
def test_every_text_input_documents_and_carries_its_domain_limit(path: str, element: Any):
    # the description says the maximum
    found = MAXIMUM.search(element.description or "")
    assert found, f"{path} documents no maximum: {element.description!r}"
    documented = int(found.group(1).replace(",", ""))
    # the field carries a domain limit with that very maximum
    limit = _definition(element).metadata.get(LIMIT)
    assert limit in texts.LIMITS, path
    assert limit.max_chars == documented, path
    # and the domain rule holds it: the maximum passes, one character more is TOO_LONG
    assert texts.check_text("x" * documented, limit, path) == "x" * documented
    with pytest.raises(DomainError) as refused:
        texts.check_text("x" * (documented + 1), limit, path)
    assert (refused.value.code, refused.value.field) == ("TOO_LONG", path)


def _needs_rules(field: Any) -> bool:
    """A field whose arguments hold a date, a text or an input object (which may)."""
    for argument in field.args.values():
        named = get_named_type(argument.type)
        if named.name in CHECKED_SCALARS or isinstance(named, GraphQLInputObjectType):
            return True
    return False


def test_every_field_taking_a_date_or_a_text_checks_its_inputs():
    missing = []
    for type_name, graphql_type in sorted(GRAPHQL.type_map.items()):
        if type_name.startswith("__") or type_name == "Subscription":
            continue  # subscriptions check their cursors before execution (schema.arguments)
        if not isinstance(graphql_type, GraphQLObjectType):
            continue
        for name, field in graphql_type.fields.items():
            if _needs_rules(field) and not checks_inputs(_definition(field)):
                missing.append(f"{type_name}.{name}")
    assert missing == []
