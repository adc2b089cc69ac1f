"""Allocations by effective date: as-of aging and KPIs read only what moved after a date.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_allocations_effective",
        "allocations",
        ["tenant_id", "effective_on"],
        postgresql_include=["invoice_id", "amount_minor"],
    )


def downgrade() -> None:
    op.drop_index("ix_allocations_effective", table_name="allocations")
