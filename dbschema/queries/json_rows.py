"""Rows sent to PostgreSQL as one JSON array (read back with jsonb_to_recordset)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import orjson


def json_array(rows: Sequence[Any]) -> str:
    """The rows as one JSON array, serialised in C (a payment import's 5,000 events one by one
    with the json module took ~40 ms; a night's 171,000 warning responses ~1 s); uuids,
    dates and times as their canonical text. What orjson refuses (an int beyond 64 bits)
    goes the slow way."""
    try:
        return orjson.dumps(rows, default=str, option=orjson.OPT_NON_STR_KEYS).decode()
    except TypeError:
        return json.dumps(rows, default=str)
