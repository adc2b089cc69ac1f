"""The paging arguments every connection takes: forward (`first`, `after`) or backward
(`last`, `before`), checked together by schema/relay.py::window."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from domain import texts
from schema.input_rules import text_arg


def _size(description: str) -> Any:
    return Annotated[int | None, strawberry.argument(description=description)]


def _cursor(description: str) -> Any:
    return Annotated[str | None, text_arg(description, texts.CURSOR)]


First = _size(
    "Page size reading forward, 1-100 (20 when neither `first` nor `last` is given). Not "
    "with `last` or `before`."
)
After = _cursor("Cursor to start after (an edge's cursor).")
Last = _size(
    "Page size reading backward: the items just before `before` (or the list's last ones), "
    "1-100, in list order. Not with `first` or `after`."
)
Before = _cursor("Cursor to end before (an edge's cursor).")
