"""The engine's lean coercion of batch inputs answers as graphql-core does, value for value:
the coerced rows when they are plain, graphql-core's own answer (and so its errors) when not."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import GraphQLNonNull, Undefined
from graphql.execution.values import get_variable_values
from graphql.language import parse
from graphql.utilities import coerce_input_value
from hypothesis import given, settings
from hypothesis import strategies as st

from infra.settings import Settings
from schema.build import build_schema
from schema.engine import compat, inputs

SCHEMA = build_schema(Settings())
GRAPHQL = compat.graphql_schema(SCHEMA)
BATCHES = ("ImportInvoicesInput", "ImportPaymentsInput")
ROW_FIELDS = {
    "ImportInvoicesInput": ["externalId", "number", "customerCode", "issueDate", "amount"],
    "ImportPaymentsInput": ["externalId", "customerCode", "receivedOn", "amount", "method"],
}


def _standard(value: Any, name: str) -> tuple[Any, bool]:
    type_ = GraphQLNonNull(GRAPHQL.get_type(name))
    return (
        compat.standard_coerce_variable(value, type_),
        compat.standard_nested_too_deeply(value, type_),
    )


def _lean(value: Any, name: str) -> tuple[Any, bool]:
    type_ = GraphQLNonNull(GRAPHQL.get_type(name))
    nested = inputs.nested_too_deeply(value, type_)
    if nested is compat.STANDARD:
        nested = compat.standard_nested_too_deeply(value, type_)
    coerced = inputs.coerce_variable(value, type_)
    if coerced is compat.STANDARD:
        coerced = compat.standard_coerce_variable(value, type_)
    return coerced, nested


def test_the_batch_inputs_are_compiled():
    assert set(BATCHES) <= set(inputs.register(SCHEMA))
    assert "ImportInvoiceRow" not in inputs.register(SCHEMA)  # its batch carries it


#: Fields a row may leave null, by batch.
OPTIONAL = {
    "ImportInvoicesInput": {"orderRef": None, "dueDate": None},
    "ImportPaymentsInput": {"reference": None},
}
ROW = {
    "externalId": "e-1",
    "number": "N-1",
    "customerCode": "C-1",
    "issueDate": "2026-01-31",
    "receivedOn": "2026-01-31",
    "amount": "10.00",
    "currency": "CNY",
}


def _row(name: str, **changes: Any) -> dict[str, Any]:
    keys = [*ROW_FIELDS[name], "currency"]
    row = {k: v for k, v in ROW.items() if k in keys}
    row.update(changes)
    return {k: v for k, v in row.items() if v is not Undefined}


@pytest.mark.parametrize("name", BATCHES)
@pytest.mark.parametrize(
    "case",
    [
        "plain",
        "optional null",
        "required missing",
        "required null",
        "unknown field",
        "a number",
        "a list in a field",
        "row not an object",
        "row null",
        "rows not a list",
        "rows null",
        "rows missing",
        "another field beside rows",
        "no rows",
        "input null",
    ],
)
def test_each_kind_of_value_coerces_as_graphql_core_does(name, case):
    values = {
        "plain": {"rows": [_row(name), _row(name, externalId="e-2")]},
        "optional null": {"rows": [_row(name, **OPTIONAL[name])]},
        "required missing": {"rows": [_row(name, amount=Undefined)]},
        "required null": {"rows": [_row(name, amount=None)]},
        "unknown field": {"rows": [_row(name, colour="red")]},
        "a number": {"rows": [_row(name, amount=10)]},
        "a list in a field": {"rows": [_row(name, amount=["10.00"])]},
        "row not an object": {"rows": [_row(name), "row"]},
        "row null": {"rows": [None]},
        "rows not a list": {"rows": _row(name)},
        "rows null": {"rows": None},
        "rows missing": {},
        "another field beside rows": {"rows": [], "more": 1},
        "no rows": {"rows": []},
        "input null": None,
    }
    value = values[case]
    assert _lean(value, name) == _standard(value, name)
    lean = inputs.coerce_variable(value, GraphQLNonNull(GRAPHQL.get_type(name)))
    assert (lean is compat.STANDARD) == (case not in {"plain", "optional null", "no rows"})


TEXTS = st.one_of(st.text(max_size=5), st.none(), st.integers(), st.lists(st.text(), max_size=1))


@settings(max_examples=300, deadline=None)
@given(
    name=st.sampled_from(BATCHES),
    rows=st.lists(
        st.one_of(
            st.dictionaries(
                st.sampled_from([*ROW.keys(), "method", "reference", "orderRef", "dueDate", "x"]),
                TEXTS,
                max_size=9,
            ),
            st.none(),
        ),
        max_size=4,
    ),
)
def test_any_batch_coerces_as_graphql_core_does(name, rows):
    assert _lean({"rows": rows}, name) == _standard({"rows": rows}, name)


def test_a_request_gets_graphql_cores_errors_and_values():
    # given an operation with a batch variable, its rows as clients send them
    document = parse(
        "mutation M($input: ImportPaymentsInput!) { importPayments(input: $input) { created } }"
    )
    definitions = document.definitions[0].variable_definitions  # type: ignore[attr-defined]
    good = {"input": {"rows": [_row("ImportPaymentsInput", method=Undefined)]}}
    bad = {"input": {"rows": [_row("ImportPaymentsInput"), _row("ImportPaymentsInput", amount=5)]}}
    # when graphql-core coerces them with the engine's hook installed
    coerced = get_variable_values(GRAPHQL, definitions, good)
    errors = get_variable_values(GRAPHQL, definitions, bad)
    # then the default applies and the error is graphql-core's own, with its path
    assert coerced.coerced["input"]["rows"][0]["method"] == "BANK_TRANSFER"  # type: ignore[union-attr]
    assert coerced.coerced == {  # type: ignore[union-attr]
        "input": coerce_input_value(good["input"], GraphQLNonNull(GRAPHQL.get_type(BATCHES[1])))
    }
    assert [e.message for e in errors] == [  # type: ignore[union-attr]
        "Variable '$input' has invalid value at .rows[1].amount: "
        "String cannot represent a non string value: 5"
    ]
