"""The lean execution path gives exactly what graphql-core's standard path gives."""

from __future__ import annotations

from enum import Enum

import pytest
import strawberry

from schema.execution import LeanExecutionContext


@strawberry.enum
class Colour(Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.type
class Item:
    name: str
    note: str | None
    colour: Colour
    count: int
    broken: str  # given None below: a null on a non-null field must still be an error

    @strawberry.field
    def shout(self) -> str:
        return self.name.upper()


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item]:
        return [
            Item(name="a", note=None, colour=Colour.BLUE, count=3, broken="ok"),
            Item(name="b", note="n", colour=Colour.RED, count=-1, broken=None),  # type: ignore[arg-type]
        ]


QUERY = "{ items { name note colour count shout } }"
BROKEN = "{ items { name broken } }"


@pytest.mark.parametrize("query", [QUERY, BROKEN])
def test_lean_and_standard_execution_agree(query):
    standard = strawberry.Schema(query=Query).execute_sync(query)
    lean = strawberry.Schema(
        query=Query, execution_context_class=LeanExecutionContext
    ).execute_sync(query)
    assert lean.data == standard.data
    assert [e.message for e in lean.errors or []] == [e.message for e in standard.errors or []]
    if query == QUERY:
        assert lean.data == {
            "items": [
                {"name": "a", "note": None, "colour": "BLUE", "count": 3, "shout": "A"},
                {"name": "b", "note": "n", "colour": "RED", "count": -1, "shout": "B"},
            ]
        }
    else:
        assert lean.errors and lean.data is None  # the null propagates to the root
