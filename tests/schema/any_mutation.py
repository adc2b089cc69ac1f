"""Call any mutation by name with its one input: the document is built from the schema."""

from __future__ import annotations

from typing import Any

from graphql import build_schema, get_named_type

from schema.build import sdl
from tests.conftest import gql

SCHEMA = build_schema(sdl())


def input_type(mutation: str) -> Any:
    """The input object type a mutation takes."""
    return get_named_type(SCHEMA.mutation_type.fields[mutation].args["input"].type)


def document(mutation: str, select: str = "userErrors { field code }") -> str:
    """`mutation M($input: XInput!) { x(input: $input) { <select> } }`."""
    return (
        f"mutation M($input: {input_type(mutation).name}!) "
        f"{{ {mutation}(input: $input) {{ {select} }} }}"
    )


async def mutate(
    client: Any,
    bearer: str,
    mutation: str,
    value: dict[str, Any],
    select: str = "userErrors { field code }",
) -> dict[str, Any]:
    """The mutation's payload (the test fails on a top-level error)."""
    body = await gql(client, document(mutation, select), {"input": value}, bearer)
    assert "errors" not in body, body
    return body["data"][mutation]  # type: ignore[no-any-return]
