"""Keyset cursors: whatever the API hands out decodes again; anything else is BAD_USER_INPUT
before it reaches SQL."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest
from graphql import GraphQLError
from hypothesis import given
from hypothesis import strategies as st

from domain import texts
from domain.dates import EARLIEST, LATEST
from schema.relay import (
    CURSOR_INT_MAX,
    RANKED,
    check_cursor,
    decode_cursor,
    decode_row_cursor,
    encode_cursor,
    row_cursor,
)

ROW = uuid.UUID(int=7)
NAMES = st.text(min_size=1, max_size=texts.LEGAL_NAME.max_chars)


@given(NAMES)
def test_a_name_cursor_round_trips_even_for_the_longest_name(name: str) -> None:
    assert decode_cursor(encode_cursor(name, ROW), str) == (name, ROW)


def test_the_longest_name_of_four_byte_characters_fits_the_cursor_limit() -> None:
    cursor = encode_cursor("𠀀" * texts.LEGAL_NAME.max_chars, ROW)
    assert len(cursor) <= texts.CURSOR.max_chars
    assert decode_cursor(cursor, str)[1] == ROW


@given(st.dates(min_value=EARLIEST, max_value=LATEST))
def test_a_date_cursor_round_trips(day: date) -> None:
    assert decode_cursor(encode_cursor(day, ROW), date) == (day, ROW)


def test_moments_and_ranked_lines_round_trip() -> None:
    moment = datetime(2026, 10, 1, 8, 30, tzinfo=UTC)
    assert decode_cursor(encode_cursor(moment, ROW), datetime) == (moment, ROW)
    line = [10**25, "customer", "CNY"]
    assert decode_cursor(encode_cursor(line, ROW), RANKED) == (line, ROW)


def _raw(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode()


@pytest.mark.parametrize(
    ("cursor", "expect"),
    [
        (_raw([[1, 2], str(ROW)]), date),
        (_raw([True, str(ROW)]), None),
        (_raw([CURSOR_INT_MAX + 1, str(ROW)]), None),
        (_raw([[CURSOR_INT_MAX + 1, "k", "CNY"], str(ROW)]), RANKED),
        (_raw([{"t": "9999-12-31", "dt": False}, str(ROW)]), date),
        (_raw([{"t": "0001-01-01T00:00:00+14:00", "dt": True}, str(ROW)]), datetime),
        (_raw([{"t": "2026-01-01", "dt": False}, str(ROW)]), str),
        (_raw(["name", str(ROW)]), date),
        (_raw([1.5, str(ROW)]), None),
        (_raw([None, 5]), None),
        (_raw({"a": 1}), None),
        (_raw("x"), None),
        ("%%%", None),
    ],
)
def test_cursors_of_another_shape_are_bad_user_input(cursor: str, expect: Any) -> None:
    with pytest.raises(GraphQLError) as refused:
        decode_cursor(cursor, expect)
    assert refused.value.extensions == {"code": "BAD_USER_INPUT"}


@given(st.uuids())
def test_a_row_cursor_is_22_characters_and_round_trips(row: uuid.UUID) -> None:
    cursor = row_cursor(row)
    assert len(cursor) == 22 and str(row) not in cursor
    assert decode_row_cursor(cursor) == row
    check_cursor(cursor)  # the request-wide check accepts it


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "A" * 21,
        "A" * 23,
        "%" * 22,
        base64.urlsafe_b64encode(b"x" * 15).decode().rstrip("="),
        base64.urlsafe_b64encode(b"x" * 17).decode().rstrip("="),
    ],
)
def test_row_cursors_of_another_shape_are_bad_user_input(cursor: str) -> None:
    with pytest.raises(GraphQLError) as refused:
        decode_row_cursor(cursor)
    assert refused.value.extensions == {"code": "BAD_USER_INPUT"}
