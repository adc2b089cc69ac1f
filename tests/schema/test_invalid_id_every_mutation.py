"""The class, not a sample: in every mutation that carries a date (their valid inputs are
tests/schema/test_boundary_dates_api.py's), each id field given a malformed id answers what the
same request with an unknown id of the right type answers, with INVALID_ID in place of that
field's own refusals; alone it is the only refusal, as before; nothing is written anywhere."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from graphql import GraphQLInputObjectType, GraphQLList, GraphQLNonNull, get_named_type

from domain.roles import ALL_ROLES
from schema.relay import to_global_id
from tests.conftest import gql, token
from tests.schema import test_boundary_dates_api as dates
from tests.schema.any_mutation import document, input_type

#: not base64 of `Type:uuid`: no id this API ever hands out
MALFORMED = "not-an-id"
#: a boundary date the input rules refuse, so every request runs in refusal mode
BOUNDARY = "0001-01-01"
#: how a mistyped id's INVALID_ID names the type the field expects
EXPECTED = re.compile(r"not an? (\w+) id")

world = dates.world  # the fixture: a customer with an invoice and an allocated payment


def _id_paths(kind: Any, prefix: str = "") -> list[str]:
    """Every path to an ID field under an input type (lists as index 0)."""
    paths = []
    for name, field in kind.fields.items():
        inner = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
        step = f"{prefix}{name}" + (".0" if isinstance(inner, GraphQLList) else "")
        named = get_named_type(field.type)
        if named.name == "ID":
            paths.append(step)
        elif isinstance(named, GraphQLInputObjectType):
            paths += _id_paths(named, f"{step}.")
    return paths


def _put(value: Any, path: str, replacement: Any) -> Any:
    """A copy of an input with the value at a dotted path set (a missing key or the next
    index of a list is added); None where the path cannot be reached."""
    head, _, rest = path.partition(".")
    if isinstance(value, list):
        at = int(head)
        if at > len(value) or (at == len(value) and rest):
            return None
        copy = list(value) + ([None] if at == len(value) else [])
        copy[at] = _put(copy[at], rest, replacement) if rest else replacement
        return None if copy[at] is None else copy
    if not isinstance(value, dict):
        return None
    copy = dict(value)
    if rest:
        inner = value.get(head, [] if rest.split(".")[0].isdigit() else None)
        copy[head] = _put(inner, rest, replacement)
        if copy[head] is None:
            return None
    else:
        copy[head] = replacement
    return copy


def _pairs(body: dict[str, Any], mutation: str) -> list[tuple[str | None, str, str]]:
    assert "errors" not in body, (mutation, body)
    return [(e["field"], e["code"], e["message"]) for e in body["data"][mutation]["userErrors"]]


async def _ask(client: Any, bearer: str, mutation: str, value: dict[str, Any]) -> list[Any]:
    select = "userErrors { field code message }"
    return _pairs(await gql(client, document(mutation, select), {"input": value}, bearer), mutation)


def _shape(field: str | None) -> str:
    """A field as its input path pattern (list indexes as 0)."""
    return re.sub(r"\.\d+(?=\.|$)", ".0", field or "")


def _holds_id(field: str | None, id_paths: list[str]) -> bool:
    """Whether a refusal's field holds an id (one of a list of ids; not the list itself)."""
    return _shape(field) in id_paths


async def _where(client: Any, bearer: str, mutation: str, dated: Any, path: str) -> Any:
    """Where a mistyped id at `path` is refused (the item, or the list where a mutation names
    only the list) and the type its INVALID_ID says the field expects; None if unreachable."""
    probe = _put(dated, path, to_global_id("Nope", uuid.uuid4()))
    if probe is None:
        return None
    said = [
        (f, m)
        for f, c, m in await _ask(client, bearer, mutation, probe)
        if f in (path, path.removesuffix(".0")) and c == "INVALID_ID"
    ]
    found = [EXPECTED.search(m) for _, m in said]
    assert len(found) == 1 and found[0], (mutation, path, said)
    return said[0][0], found[0].group(1)


async def _one_malformed(
    client: Any, bearer: str, mutation: str, inputs: tuple[Any, Any, str], at: tuple[str, str]
) -> bool:
    """Check one id field malformed against the same field holding an unknown id; whether the
    request had no other fault (and so answered INVALID_ID alone)."""
    valid, dated, day = inputs
    path, kind = at
    id_paths = _id_paths(input_type(mutation))
    unknown = _put(dated, path, to_global_id(kind, uuid.uuid4()))
    baseline = {(f, c) for f, c, _ in await _ask(client, bearer, mutation, unknown)}
    result = [
        (f, c) for f, c, _ in await _ask(client, bearer, mutation, _put(dated, path, MALFORMED))
    ]
    only = await _ask(client, bearer, mutation, _put(valid, path, MALFORMED) or {})
    case = (mutation, path, result, baseline)
    # the malformed id is INVALID_ID at its path, with nothing else there, nothing twice
    assert [(f, c) for f, c in result if f == path] == [(path, "INVALID_ID")], case
    assert len(result) == len(set(result)), case
    # every refusal of the input's own values that an unknown id meets is there too, while
    # what may follow from the id (NOT_FOUND, refusals of named objects) waits
    values = {(f, c) for f, c in result if f != path and not _holds_id(f, id_paths)}
    assert values == {
        (f, c) for f, c in baseline if f != path and not _holds_id(f, id_paths) and c != "NOT_FOUND"
    }, case
    assert {(f, c) for f, c in result if f != path and _holds_id(f, id_paths)} == {
        (f, c) for f, c in baseline if f != path and _holds_id(f, id_paths) and c == "INVALID_ID"
    }, case
    # where nothing else in the request is at fault, it is the only refusal, as before
    assert (path, "INVALID_ID") in {(f, c) for f, c, _ in only}, (mutation, path, only)
    if [(f, c) for f, c in result if f not in (path, day)]:
        return False
    assert [(f, c) for f, c, _ in only] == [(path, "INVALID_ID")], (mutation, only)
    return True


async def test_a_malformed_id_is_one_fault_among_the_others_in_every_mutation(
    client, settings, database, world
):
    # given every dated mutation's valid input, and a token that may call them all
    bearer = token(settings, roles=sorted(ALL_ROLES), sub="dora")
    before = dates._counts(database)
    checked, alone, together = [], [], []
    for mutation, (valid, date_paths) in dates.inputs(world).items():
        day = date_paths[0]
        value = f"{BOUNDARY}T00:00:00+14:00" if day == "occurredAt" else BOUNDARY
        dated = dates._fill(valid, day, value)
        wheres = []
        for path in _id_paths(input_type(mutation)):
            at = await _where(client, bearer, mutation, dated, path)
            if at is None:
                continue
            # when the field holds a malformed id (beside a boundary date, and alone)
            # then (see _one_malformed)
            if await _one_malformed(client, bearer, mutation, (valid, dated, day), at):
                alone.append((mutation, at[0]))
            checked.append((mutation, at[0]))
            wheres.append(at[0])
        if len(wheres) > 1:
            # when every id field is malformed at once, then each is INVALID_ID, at once
            every = valid
            for path in wheres:
                every = _put(every, path, MALFORMED)
            errors = [(f, c) for f, c, _ in await _ask(client, bearer, mutation, every)]
            invalid = [(f, c) for f, c in errors if f in wheres]
            assert sorted(invalid) == sorted((w, "INVALID_ID") for w in wheres), errors
            assert errors[: len(wheres)] == invalid, (mutation, errors)
            assert "NOT_FOUND" not in {c for _, c in errors}, (mutation, errors)
            together.append(mutation)
    # and nothing was written anywhere
    assert dates._counts(database) == before
    assert len(checked) >= 50, checked
    assert len(alone) >= 40, alone
    assert len(together) >= 8, together


@pytest.mark.parametrize("path", ["customerId", "lines.0.invoiceId"])
async def test_a_payment_with_a_malformed_id_and_a_boundary_date_writes_nothing(
    client, settings, database, world, path
):
    # given a payment explicitly allocated to the world's invoice
    bearer = token(settings, roles=sorted(ALL_ROLES), sub="dora")
    before = dates._counts(database)
    payment = {
        "customerId": world["customer"],
        "receivedOn": BOUNDARY,
        "amount": {"amount": "5.00", "currency": "CNY"},
        "allocation": "EXPLICIT",
        "lines": [{"invoiceId": world["invoice"], "amount": "5.00"}],
        "idempotencyKey": "iid-every",
    }
    # when one id is malformed
    errors = await _ask(client, bearer, "createPayment", _put(payment, path, MALFORMED) or {})
    # then
    assert [(f, c) for f, c, _ in errors] == [("receivedOn", "INVALID_DATE"), (path, "INVALID_ID")]
    assert dates._counts(database) == before
