"""Reservation indexes that a planner cannot mistake: no index is partial on `ACTIVE`.

A check reads its customer's live reservations by (tenant, customer); a new reservation first
closes its order's live one by (tenant, order ref). Both indexes were partial on
`status = 'ACTIVE'`, and the statistics of a table whose live reservations come and go say
how many were live at the last ANALYZE. A tenant with 100,000 confirmed reservations and none
live at that moment (a quiet weekend, the benchmark's seed) makes every partial index look
one row big, so either serves either lookup: the check's generic plan read its customer's
reservations through the order-ref index by tenant alone, every live reservation of the
tenant a check. At 200 checks a second that read grew by ~120 rows a second (1,723 rows,
1.6 ms, after a minute), until the run was out of CPU and queued for seconds; and it stays
so until autovacuum analyzes the table again (a tenth of it changed: hours on a big one).

Full indexes with the status as a key are sized by the whole table, so a lookup by tenant
alone is costed as what it is and each lookup keeps to its own index:
- `ix_credit_reservations_active` on (tenant, customer, status), carrying what a check sums;
- `uq_credit_reservations_active_ref` on (tenant, order ref, true-while-ACTIVE): NULLs are
  distinct, so it still allows one live reservation per order and any number of closed ones.

Revision ID: 0026
Revises: 0025
"""

from __future__ import annotations

from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None

#: true while a reservation is ACTIVE, NULL once closed (the unique index's last key)
LIVE = "(CASE WHEN status = 'ACTIVE' THEN true END)"


def upgrade() -> None:
    op.execute("DROP INDEX ix_credit_reservations_active")
    op.execute(
        "CREATE INDEX ix_credit_reservations_active ON credit_reservations "
        "(tenant_id, customer_id, status) INCLUDE (currency, amount_minor, expires_at, order_ref)"
    )
    op.execute("DROP INDEX uq_credit_reservations_active_ref")
    op.execute(
        "CREATE UNIQUE INDEX uq_credit_reservations_active_ref ON credit_reservations "
        f"(tenant_id, order_ref, {LIVE})"
    )


def downgrade() -> None:
    op.execute("DROP INDEX ix_credit_reservations_active")
    op.execute(
        "CREATE INDEX ix_credit_reservations_active ON credit_reservations "
        "(tenant_id, customer_id) INCLUDE (currency, amount_minor, expires_at, order_ref) "
        "WHERE status = 'ACTIVE'"
    )
    op.execute("DROP INDEX uq_credit_reservations_active_ref")
    op.execute(
        "CREATE UNIQUE INDEX uq_credit_reservations_active_ref ON credit_reservations "
        "(tenant_id, order_ref) WHERE status = 'ACTIVE'"
    )
