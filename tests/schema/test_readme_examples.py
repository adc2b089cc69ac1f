"""Every GraphQL example in README.md and docs/*.md is valid against schema/schema.graphql.

Examples are ```graphql blocks, and the `"query":"..."` payloads of shell blocks (curl);
other blocks (layout trees, nginx, CSV) are not GraphQL and are skipped.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest
from graphql import GraphQLSchema, build_schema, parse, validate

ROOT = Path(__file__).parents[2]
SDL = ROOT / "schema" / "schema.graphql"
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
#: Fence tags whose blocks are GraphQL documents.
GRAPHQL_TAGS = {"graphql", "gql"}
#: Fence tags whose blocks may carry a GraphQL document as a JSON `"query"` string.
SHELL_TAGS = {"sh", "bash", "shell", "console"}
FENCE = re.compile(r"^```([\w-]*)[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
JSON_QUERY = re.compile(r'"query"\s*:\s*("(?:[^"\\]|\\.)*")')
OPERATION_START = re.compile(r"\s*(query|mutation|subscription|fragment)\b")


def examples() -> list[tuple[str, str]]:
    """(where, GraphQL text) for every example in the documentation, in file order."""
    found: list[tuple[str, str]] = []
    for path in DOCUMENTS:
        text = path.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            tag, body = match.group(1).lower(), match.group(2)
            where = f"{path.name}:{text.count(chr(10), 0, match.start()) + 1}"
            if tag in GRAPHQL_TAGS or (not tag and OPERATION_START.match(body)):
                found.append((where, body))
            elif tag in SHELL_TAGS:
                found += [(where, json.loads(q)) for q in JSON_QUERY.findall(body)]
    return found


@cache
def contract() -> GraphQLSchema:
    """The committed schema (test_schema_contract keeps it equal to the code's)."""
    return build_schema(SDL.read_text(encoding="utf-8"))


def test_the_readme_has_graphql_examples_of_both_kinds() -> None:
    kinds = {where.split(":")[0] for where, _ in examples()}
    assert "README.md" in kinds
    readme = ROOT.joinpath("README.md").read_text(encoding="utf-8")
    assert "```graphql" in readme and '"query":' in readme
    assert len([w for w, _ in examples() if w.startswith("README.md")]) >= 2


@pytest.mark.parametrize(("where", "document"), examples(), ids=[w for w, _ in examples()])
def test_example_is_valid_against_the_schema(where: str, document: str) -> None:
    errors = validate(contract(), parse(document))
    assert not errors, f"{where}: " + "; ".join(e.message for e in errors)
