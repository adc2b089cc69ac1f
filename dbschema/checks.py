"""CHECK constraints that mirror the domain's input rules, so no path can store what the API
refuses: dates in the platform's range, amounts within the ceiling per document, texts within
their limits. Migration 0017 created them (with literal values, as a migration must); these
helpers declare the same constraints on the tables, by the same names.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from domain.dates import EARLIEST, LATEST, SQL_RANGE
from domain.money import MAX_DOCUMENT_MINOR
from domain.texts import TextLimit

#: The range as timestamps: a moment whose UTC date lies in the date range.
MOMENT_RANGE = (
    f">= TIMESTAMPTZ '{EARLIEST.isoformat()} 00:00:00+00' AND {{column}} "
    f"< TIMESTAMPTZ '{LATEST.year + 1}-01-01 00:00:00+00'"
)


def date_in_range(column: str) -> sa.CheckConstraint:
    """A date column holds only dates from 1900-01-01 to 2199-12-31 (NULL stays allowed)."""
    return sa.CheckConstraint(f"{column} {SQL_RANGE}", name=f"{column}_in_range")


def moment_in_range(column: str) -> sa.CheckConstraint:
    """A timestamp column holds only moments whose UTC date is in the range."""
    return sa.CheckConstraint(
        f"{column} {MOMENT_RANGE.format(column=column)}", name=f"{column}_in_range"
    )


def within_ceiling(column: str, *, signed: bool = False) -> sa.CheckConstraint:
    """An amount of one document is at most the ceiling (its magnitude, when it may be
    negative as a reversal)."""
    expr = f"abs({column})" if signed else column
    return sa.CheckConstraint(f"{expr} <= {MAX_DOCUMENT_MINOR}", name=f"{column}_ceiling")


def length(column: str, limit: TextLimit | int) -> sa.CheckConstraint:
    """A text column holds at most the limit's characters."""
    chars = limit if isinstance(limit, int) else limit.max_chars
    return sa.CheckConstraint(f"char_length({column}) <= {chars}", name=f"{column}_length")


def json_size(column: str, chars: int, items: int | None = None) -> sa.CheckConstraint:
    """A JSON document's text at most `chars` long (and an array of at most `items`)."""
    expr = f"char_length({column}::text) <= {chars}"
    if items is not None:
        expr += f" AND jsonb_array_length({column}) <= {items}"
    return sa.CheckConstraint(expr, name=f"{column}_size")


class MinorSum(sa.types.TypeDecorator[int]):
    """A sum of minor units over many documents: NUMERIC(38, 0) in the database (a BIGINT
    could overflow), a Python int (exact) in the application."""

    impl = sa.Numeric(38, 0)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Decimal | None:
        return None if value is None else Decimal(int(value))

    def process_result_value(self, value: Any, dialect: Any) -> int | None:
        return None if value is None else int(value)
