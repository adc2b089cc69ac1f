"""Batched child reads paged per parent: each parent gets its own first rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import sqlalchemy as sa


def ranked_per_parent(
    table: sa.Table,
    parent: sa.Column[Any],
    order_by: Sequence[sa.ColumnElement[Any]],
    parent_ids: list[UUID],
) -> sa.Subquery:
    """The parents' rows, each numbered (`rn`, from 1) within its parent in `order_by`: filter
    on `rn` for a page per parent, where one LIMIT across the batch would starve some."""
    number = sa.func.row_number().over(partition_by=parent, order_by=tuple(order_by))
    return sa.select(table, number.label("rn")).where(parent.in_(parent_ids)).subquery()
