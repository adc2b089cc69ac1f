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
INCLUDE = "INCLUDE (currency, amount_minor, expires_at, order_ref)"

NEW = {
    "ix_credit_reservations_active": f"(tenant_id, customer_id, status) {INCLUDE}",
    "uq_credit_reservations_active_ref": f"(tenant_id, order_ref, {LIVE})",
}
OLD = {
    "ix_credit_reservations_active": f"(tenant_id, customer_id) {INCLUDE} WHERE status = 'ACTIVE'",
    "uq_credit_reservations_active_ref": "(tenant_id, order_ref) WHERE status = 'ACTIVE'",
}


def _swap(definitions: dict[str, str]) -> None:
    """Build each index beside the one it replaces, then drop the old and take its name, all
    CONCURRENTLY: checks keep reading and reserving while a big table is indexed (a plain
    DROP and CREATE would lock them out for the whole build). A build left invalid by an
    interrupted run is dropped and made again."""
    with op.get_context().autocommit_block():
        for name, definition in definitions.items():
            unique = "UNIQUE " if name.startswith("uq_") else ""
            op.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}_next")
            op.execute(
                f"CREATE {unique}INDEX CONCURRENTLY {name}_next ON credit_reservations {definition}"
            )
        for name in definitions:
            op.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
            op.execute(f"ALTER INDEX {name}_next RENAME TO {name}")


def upgrade() -> None:
    _swap(NEW)


def downgrade() -> None:
    _swap(OLD)
