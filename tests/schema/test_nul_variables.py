"""NUL in variables: the JSON search that clears most requests must agree with the walk."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import parse

from schema.arguments import nul_errors

DOCUMENT = parse("query Q($v: String) { __typename }")


@pytest.mark.parametrize(
    ("variables", "refused"),
    [
        ({"v": "plain"}, False),
        ({"rows": [{"a": "x", "b": ["y", {"c": "z\x00"}]}]}, True),
        ({"v": "\\u0000 written out, not a NUL"}, False),  # the escape's text, escaped
        ({"v": "\\u0000", "w": "and a real one\x00"}, True),
        ({"big": 2**70, "v": "past what JSON writes\x00"}, True),  # walked instead
        ({"big": 2**70, "v": "clean"}, False),
        ({"k\x00": "a NUL in a name is not a text the platform stores"}, False),
        ({"n": None, "f": 1.5, "t": True}, False),
    ],
)
def test_nul_refused_only_where_a_text_holds_one(variables: dict[str, Any], refused: bool):
    errors = nul_errors(DOCUMENT, variables)
    assert bool(errors) is refused
    assert all(e.extensions == {"code": "BAD_USER_INPUT"} for e in errors)
