"""Validation results cached by the parsed document's identity.

strawberry's ValidationCache keys an LRU cache by the document, and a document hashes by
walking its whole tree (about 150 hash calls for a small mutation, on every request). The
parser cache hands every request with the same text the same document object, so identity is
enough: an entry keeps its document and schema alive and is used only for that very object.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

from graphql import DocumentNode, GraphQLError, GraphQLSchema
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

from schema.engine.compat import graphql_schema

#: entries kept (documents of texts over the parser's limit are not cached there either)
MAX_ENTRIES = 512

_Key = tuple[int, int, tuple[Any, ...]]
_CACHE: OrderedDict[_Key, tuple[GraphQLSchema, DocumentNode, list[GraphQLError]]] = OrderedDict()


def validated(schema: GraphQLSchema, document: DocumentNode, rules: tuple[Any, ...]) -> Any:
    """strawberry's `validate_document`, once per schema, document object and rule set."""
    key = (id(schema), id(document), rules)
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is schema and hit[1] is document:
        _CACHE.move_to_end(key)
        return hit[2]
    errors = validate_document(schema, document, rules)
    _CACHE[key] = (schema, document, errors)
    if len(_CACHE) > MAX_ENTRIES:
        _CACHE.popitem(last=False)
    return errors


class DocumentValidationCache(SchemaExtension):
    """strawberry's ValidationCache, keyed by identity instead of a hash of the tree."""

    def on_validate(self) -> Iterator[None]:
        ctx = self.execution_context
        assert ctx.graphql_document is not None
        ctx.pre_execution_errors = validated(
            graphql_schema(ctx.schema), ctx.graphql_document, tuple(ctx.validation_rules)
        )
        yield
