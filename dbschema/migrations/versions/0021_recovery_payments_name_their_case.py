"""A recovery payment names the bad-debt case it recovers, so reversing the payment can undo
the recovery; existing recoveries are linked from their idempotency records.

Revision ID: 0021
Revises: 0020
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("payments", sa.Column("recovery_case_id", postgresql.UUID(as_uuid=True)))
    op.create_foreign_key(
        op.f("fk_payments_tenant_id_bad_debt_cases"),
        "payments",
        "bad_debt_cases",
        ["tenant_id", "recovery_case_id"],
        ["tenant_id", "id"],
    )
    # every recovery so far was recorded under RECORD_RECOVERY with its case and payment ids
    op.execute(
        """
        UPDATE payments p SET recovery_case_id = (k.result->>'caseId')::uuid
        FROM idempotency_keys k
        WHERE k.tenant_id = p.tenant_id AND k.operation = 'RECORD_RECOVERY'
          AND k.result->>'paymentId' = p.id::text AND p.is_recovery
        """
    )
    op.create_check_constraint(
        op.f("ck_payments_recovery_names_case"),
        "payments",
        "recovery_case_id IS NULL OR is_recovery",
    )


def downgrade() -> None:
    op.drop_constraint(op.f("ck_payments_recovery_names_case"), "payments", type_="check")
    op.drop_constraint(op.f("fk_payments_tenant_id_bad_debt_cases"), "payments", type_="foreignkey")
    op.drop_column("payments", "recovery_case_id")
