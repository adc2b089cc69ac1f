"""Column and CHECK builders shared by the risk transfer tables (insurance, claims, factoring,
their documents), so every one of those modules states its keys and ranges the same way.

CHECKs mirror the domain's ranges (dates 1900-2199, percentages 0-100, lengths), so no row
the rules would refuse can be stored by another path.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import UUID

from dbschema.tables import NEW_UUID, NOW
from domain.dates import SQL_RANGE


def _tenant() -> sa.Column[object]:
    return sa.Column(
        "tenant_id",
        UUID(as_uuid=True),
        sa.ForeignKey("tenants.id", ondelete="CASCADE"),
        nullable=False,
    )


def _tenant_keyed() -> sa.Column[object]:
    """The tenant of a high-volume row whose composite keys already carry it to a row that
    references the tenant (no per-row check of its own: thousands are written per statement)."""
    return sa.Column("tenant_id", UUID(as_uuid=True), nullable=False)


def _id() -> sa.Column[object]:
    return sa.Column("id", UUID(as_uuid=True), nullable=False, server_default=NEW_UUID)


def _created() -> list[sa.Column[object]]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
        sa.Column("created_by", sa.Text, nullable=False),
    ]


def _fk(columns: list[str], table: str, referred: list[str]) -> sa.ForeignKeyConstraint:
    """A composite foreign key that carries the tenant."""
    return sa.ForeignKeyConstraint(
        ["tenant_id", *columns], [f"{table}.tenant_id", *(f"{table}.{c}" for c in referred)]
    )


def _dates(*columns: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(
        " AND ".join(f"{c} {SQL_RANGE}" for c in columns), name="dates_in_range"
    )


def _percent(*columns: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(
        " AND ".join(f"{c} BETWEEN 0 AND 100" for c in columns), name="percents_in_range"
    )


def _length(column: str, limit: int, name: str | None = None) -> sa.CheckConstraint:
    return sa.CheckConstraint(
        f"char_length({column}) BETWEEN 1 AND {limit}", name=name or f"{column}_length"
    )


PERCENT = sa.Numeric(9, 4)
