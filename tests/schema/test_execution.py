"""The lean execution paths give exactly what graphql-core's standard path gives."""

from __future__ import annotations

import asyncio
from enum import Enum
from operator import itemgetter
from typing import Any

import pytest
import strawberry
from strawberry.scalars import JSON

from schema.engine import plans
from schema.engine.execution import LeanExecutionContext
from schema.engine.lazy import FromRow


@strawberry.enum
class Colour(Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.type
class Tag:
    label: str
    weight: int | None


@strawberry.interface
class Named:
    name: str


@strawberry.type
class Item(Named):
    note: str | None
    colour: Colour
    count: int
    broken: str  # given None below: a null on a non-null field must still be an error
    tags: list[Tag]
    maybe_tags: list[Tag | None] | None
    labels: list[str]
    owner: Tag | None
    extra: JSON | None

    @strawberry.field
    def shout(self) -> str:
        return self.name.upper()


async def _later(value: Any) -> Any:
    await asyncio.sleep(0)
    return value


class Deferred:
    """An awaitable attribute value, as the platform's lazily loaded dossier parts are."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def __await__(self) -> Any:
        return _later(self.value).__await__()


def _items() -> list[Item]:
    return [
        Item(
            name="a",
            note=None,
            colour=Colour.BLUE,
            count=3,
            broken="ok",
            tags=[Tag(label="x", weight=1), Tag(label="y", weight=None)],
            maybe_tags=[None, Tag(label="z", weight=2)],
            labels=["p", "q"],
            owner=Tag(label="o", weight=5),
            extra={"k": [1, 2]},
        ),
        Item(
            name="b",
            note="n",
            colour=Colour.RED,
            count=-1,
            broken=None,  # type: ignore[arg-type]
            tags=[],
            maybe_tags=None,
            labels=[],
            owner=Deferred(Tag(label="later", weight=None)),  # type: ignore[arg-type]
            extra=None,
        ),
    ]


@strawberry.type
class Lazy(FromRow):
    label: str
    size: int | None


Lazy.DERIVE = {"label": itemgetter("label"), "size": itemgetter("size")}
LAZY_ROWS = [{"label": "a", "size": 1}, {"label": "b"}]  # the second lacks a column: KeyError


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item]:
        return _items()

    @strawberry.field
    def lazies(self) -> list[Lazy]:
        return [Lazy.lazy(row) for row in LAZY_ROWS]

    @strawberry.field
    def named(self) -> list[Named]:
        return _items()

    @strawberry.field
    def bad_tags(self) -> list[Tag]:
        return [Tag(label="t", weight=None), Tag(label=None, weight=1)]  # type: ignore[arg-type]

    @strawberry.field
    def wrong_object(self) -> list[Item]:
        return [Tag(label="not an item", weight=None)]  # type: ignore[list-item]


QUERIES = {
    "leaves": "{ items { name note colour count shout } }",
    "non-null error": "{ items { name broken } }",
    "nested objects and lists": (
        "{ items { name colour tags { label weight } maybeTags { label } labels extra } }"
    ),
    "aliases, typename, fragments": (
        "query { first: items { __typename ...F tags { l: label, __typename } } }"
        " fragment F on Item { name n2: name ... on Item { count } }"
    ),
    "awaitable attribute": "{ items { name owner { label weight } } }",
    "interface": "{ named { __typename name ... on Item { count tags { label } } } }",
    "list item error": "{ badTags { label weight } }",
    "wrong object type": "{ wrongObject { name } }",
    "lazy views, a deriver failing": "{ lazies { label size } }",
    "lazy views": "{ lazies { label } }",
    "skip and include": (
        "query($yes: Boolean!) { items { name @include(if: $yes) count @skip(if: $yes) "
        "tags @include(if: $yes) { label } } }"
    ),
}


def _run(query: str, lean: bool) -> Any:
    schema = strawberry.Schema(
        query=Query, execution_context_class=LeanExecutionContext if lean else None
    )
    return asyncio.run(schema.execute(query, variable_values={"yes": True}))


@pytest.mark.parametrize("name", QUERIES)
def test_lean_and_standard_execution_agree(name):
    standard, lean = _run(QUERIES[name], False), _run(QUERIES[name], True)
    assert lean.data == standard.data
    assert [(e.message, e.path) for e in lean.errors or []] == [
        (e.message, e.path) for e in standard.errors or []
    ]


def test_expected_answers():
    leaves = _run(QUERIES["leaves"], True)
    assert leaves.errors is None
    assert leaves.data == {
        "items": [
            {"name": "a", "note": None, "colour": "BLUE", "count": 3, "shout": "A"},
            {"name": "b", "note": "n", "colour": "RED", "count": -1, "shout": "B"},
        ]
    }
    broken = _run(QUERIES["non-null error"], True)
    assert broken.data is None  # the null propagates to the root
    assert broken.errors and broken.errors[0].path == ["items", 1, "broken"]
    later = _run(QUERIES["awaitable attribute"], True)
    assert later.errors is None
    assert later.data["items"][1]["owner"] == {"label": "later", "weight": None}
    lazy = _run(QUERIES["lazy views, a deriver failing"], True)
    assert lazy.data == {"lazies": [{"label": "a", "size": 1}, {"label": "b", "size": None}]}
    assert [e.path for e in lazy.errors or []] == [["lazies", 1, "size"]]
    bad = _run(QUERIES["list item error"], True)
    assert bad.data is None and bad.errors[0].path == ["badTags", 1, "label"]


def test_plans_complete_plain_selections(monkeypatch):
    """Plain objects are completed by a plan: graphql-core never sees their fields."""
    executed: list[str] = []
    standard = LeanExecutionContext.execute_field

    def spy(self, parent_type, source, field_details_list, path, position_context=None):
        executed.append(f"{parent_type.name}.{field_details_list[0].node.name.value}")
        return standard(self, parent_type, source, field_details_list, path, position_context)

    monkeypatch.setattr(LeanExecutionContext, "execute_field", spy)
    result = _run("{ items { name tags { label weight } labels extra } }", True)
    assert result.errors is None and len(result.data["items"]) == 2
    assert executed == ["Query.items"]

    executed.clear()
    _run(QUERIES["leaves"], True)  # `shout` has a resolver: Item objects take the standard way
    assert executed.count("Item.shout") == 2 and executed.count("Item.name") == 2


def test_plan_refuses_fields_with_code_or_arguments():
    schema = strawberry.Schema(query=Query)
    item = schema._schema.type_map["Item"]
    assert plans.basic_attribute(item.fields["name"]) == "name"
    assert plans.basic_attribute(item.fields["shout"]) is None
    query_type = schema._schema.query_type
    assert plans.basic_attribute(query_type.fields["items"]) is None


@strawberry.type(name="Customer")
class Looked:
    """Every level of the looked-ahead query in one type: customers, edges, node, dossier."""

    code: str = ""
    kind: str = ""
    ratio: float = 0.0
    edges: list[Looked] = strawberry.field(default_factory=list)
    node: Looked | None = None
    credit_file: Looked | None = None
    partners: list[Looked] = strawberry.field(default_factory=list)
    completeness: Looked | None = None


LOOKED: list[frozenset[tuple[str, str]]] = []


@strawberry.type
class LookQuery:
    @strawberry.field
    def customers(self, info: strawberry.Info) -> Looked:
        from schema.engine.selection import selected_pairs

        LOOKED.append(selected_pairs(info))
        return Looked()


def test_look_ahead_follows_fragments_and_is_reused():
    """A page prefetches what fragments select too; the same parsed query is walked once."""
    from strawberry.extensions import ParserCache

    schema = strawberry.Schema(query=LookQuery, extensions=[ParserCache(maxsize=8)])
    query = (
        "{ customers { edges { node { ...Row ... on Customer { creditFile { partners "
        "{ kind } } } } } } } fragment Row on Customer { code creditFile { completeness "
        "{ ratio } } }"
    )
    LOOKED.clear()
    for _ in range(2):
        assert asyncio.run(schema.execute(query)).errors is None
    pairs = LOOKED[0]
    assert {("creditFile", "partners"), ("creditFile", "completeness"), ("node", "code")} <= pairs
    assert LOOKED[1] is pairs


def _check_completers_shared(schema: strawberry.Schema, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first request of a shape generates its plan's function; the next one generates
    nothing and completes every item with that same function."""
    from schema.engine import plan_code

    monkeypatch.setattr(plan_code, "_COMPILED", {})  # what other tests compiled is not ours
    query = "{ items { name tags { label weight } labels } }"
    first = asyncio.run(schema.execute(query))
    assert first.errors is None
    generated = dict(plan_code._COMPILED)
    assert len(generated) == 1, "the first request generated no completer"
    calls: list[Any] = []

    def counting(function: Any) -> Any:
        def complete(source: Any, aw: Any) -> Any:
            calls.append(source)
            return function(source, aw)

        return complete

    plan_code._COMPILED.update({key: counting(fn) for key, fn in generated.items()})
    again = asyncio.run(schema.execute(query))
    assert again.errors is None and again.data == first.data
    assert plan_code._COMPILED.keys() == generated.keys(), "the second request generated again"
    assert [c.name for c in calls] == ["a", "b"], "the second request did not use the completer"


def test_generated_completers_are_shared_across_requests(monkeypatch):
    """A plan's function is generated once; later requests of the same shape reuse it."""
    schema = strawberry.Schema(query=Query, execution_context_class=LeanExecutionContext)
    _check_completers_shared(schema, monkeypatch)


def test_completer_sharing_check_fails_without_plans(monkeypatch):
    """The check above is not vacuous: with plans disabled, or the engine off, it fails."""
    standard = strawberry.Schema(query=Query)
    with pytest.raises(AssertionError, match="generated no completer"):
        _check_completers_shared(standard, monkeypatch)
    monkeypatch.setattr("schema.engine.execution.compile_plan", lambda *args: None)
    lean = strawberry.Schema(query=Query, execution_context_class=LeanExecutionContext)
    with pytest.raises(AssertionError, match="generated no completer"):
        _check_completers_shared(lean, monkeypatch)


def test_lazy_views_are_derived_by_the_plan(monkeypatch):
    """A plan derives a lazy view's fields itself, not through __getattr__ per field."""
    asked: list[str] = []
    original = FromRow.__getattr__

    def spy(self, name):
        asked.append(name)
        return original(self, name)

    monkeypatch.setattr(FromRow, "__getattr__", spy)
    result = _run(QUERIES["lazy views"], True)
    assert result.errors is None and result.data == {"lazies": [{"label": "a"}, {"label": "b"}]}
    assert "label" not in asked
    asked.clear()
    _run(QUERIES["lazy views"], False)
    assert asked.count("label") == 2  # the standard path reads through __getattr__


def test_execution_state_is_freed_without_a_garbage_collection():
    """No reference cycle keeps an operation's execution context (and its request context)
    alive after it ends: under load such cycles meant collections stalling the event loop."""
    import gc
    import weakref

    contexts: list[weakref.ref[LeanExecutionContext]] = []

    class Tracked(LeanExecutionContext):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            contexts.append(weakref.ref(self))

    schema = strawberry.Schema(query=Query, execution_context_class=Tracked)
    gc.collect()
    gc.disable()
    try:
        result = asyncio.run(schema.execute("{ items { name owner { label } } lazies { label } }"))
        assert result.errors is None
        assert contexts and all(ref() is None for ref in contexts)
    finally:
        gc.enable()


def _compiles(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Calls of compile_plan from here on."""
    from schema.engine import execution
    from tests.schema.counting import count_calls

    return count_calls(monkeypatch, execution, "compile_plan")


def test_plans_are_shared_by_requests_of_one_fixed_document(monkeypatch):
    """The parser cache hands each request the same nodes: a document whose selections no
    variable can change is planned once, and later requests answer alike without planning."""
    from strawberry.extensions import ParserCache

    schema = strawberry.Schema(
        query=Query, execution_context_class=LeanExecutionContext, extensions=[ParserCache()]
    )
    compiles = _compiles(monkeypatch)
    query = "{ items { name tags { label weight } labels } }"
    first = asyncio.run(schema.execute(query))
    assert first.errors is None and compiles, "the first request planned nothing"
    compiles.clear()
    again = asyncio.run(schema.execute(query))
    assert again.errors is None and again.data == first.data
    assert compiles == [], "the second request planned again"


def test_documents_whose_directives_read_variables_are_planned_per_request(monkeypatch):
    """`@include(if: $x)` changes what is collected, so such a document shares no plan: each
    request plans its own, and each answer follows its own variables."""
    from strawberry.extensions import ParserCache

    schema = strawberry.Schema(
        query=Query, execution_context_class=LeanExecutionContext, extensions=[ParserCache()]
    )
    compiles = _compiles(monkeypatch)
    query = "query Q($t: Boolean!) { items { name tags @include(if: $t) { label } } }"
    answers = []
    for shown in (True, False, True):
        compiles.clear()
        result = asyncio.run(schema.execute(query, variable_values={"t": shown}))
        assert result.errors is None and compiles, "a request reused another's plan"
        answers.append(result.data)
    assert all("tags" in item for item in answers[0]["items"])
    assert not any("tags" in item for item in answers[1]["items"])
    assert answers[2] == answers[0]
