"""The committed SDL matches the code, and every type, field and argument is described."""

from __future__ import annotations

from pathlib import Path

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
)

from infra.settings import Settings
from schema.build import build_schema, sdl

COMMITTED = Path(__file__).parents[2] / "schema" / "schema.graphql"


def test_committed_schema_matches_code() -> None:
    assert COMMITTED.read_text() == sdl(), (
        "schema/schema.graphql drifted from the code: run `make schema` and commit it"
    )


def test_everything_has_a_description() -> None:
    schema = build_schema(Settings())._schema
    missing = []
    for name, gtype in schema.type_map.items():
        if name.startswith("__") or name in {
            "String",
            "Int",
            "Float",
            "Boolean",
            "ID",
            "Date",
            "DateTime",
            "JSON",
        }:
            continue
        if not gtype.description:
            missing.append(name)
        if isinstance(gtype, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            for field_name, field in gtype.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    if not arg.description:
                        missing.append(f"{name}.{field_name}({arg_name})")
        if isinstance(gtype, GraphQLEnumType):
            missing += [f"{name}.{v}" for v, val in gtype.values.items() if not val.description]
    assert missing == []
