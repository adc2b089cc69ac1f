"""Provision lines per customer, with each invoice's line in arrays beside the totals.

A month-end run over a million open invoices wrote a million rows, each checked by two
foreign-key triggers, and a re-run first deleted them (10-20 s). One row per customer and
currency holding its invoices' lines in parallel arrays keeps every per-invoice figure, and
makes a run, or a re-run, a few seconds. Existing lines are carried over.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TABLE = "provision_customer_lines"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("run_id", sa.UUID(), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("currency", sa.CHAR(length=3), nullable=False),
        sa.Column("open_minor", sa.BigInteger(), nullable=False),
        sa.Column("provision_minor", sa.BigInteger(), nullable=False),
        sa.Column("previous_minor", sa.BigInteger(), nullable=False),
        sa.Column("charge_minor", sa.BigInteger(), nullable=False),
        sa.Column("release_minor", sa.BigInteger(), nullable=False),
        sa.Column("utilised_minor", sa.BigInteger(), nullable=False),
        sa.Column("invoice_ids", postgresql.ARRAY(sa.UUID()), nullable=False),
        sa.Column("invoice_open", postgresql.ARRAY(sa.BigInteger()), nullable=False),
        sa.Column("invoice_rate", postgresql.ARRAY(sa.Numeric(6, 4)), nullable=False),
        sa.Column("invoice_provision", postgresql.ARRAY(sa.BigInteger()), nullable=False),
        sa.Column("invoice_previous", postgresql.ARRAY(sa.BigInteger()), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "run_id"],
            ["provision_runs.tenant_id", "provision_runs.id"],
            name=op.f("fk_provision_customer_lines_tenant_id_run_id_provision_runs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_provision_customer_lines_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "tenant_id",
            "run_id",
            "customer_id",
            "currency",
            name=op.f("pk_provision_customer_lines"),
        ),
    )
    op.create_index(
        "ix_provision_customer_lines_largest",
        TABLE,
        ["tenant_id", "run_id", sa.text("provision_minor DESC"), "customer_id", "currency"],
    )
    op.execute(f"""
        INSERT INTO {TABLE} (tenant_id, run_id, customer_id, currency, open_minor,
            provision_minor, previous_minor, charge_minor, release_minor, utilised_minor,
            invoice_ids, invoice_open, invoice_rate, invoice_provision, invoice_previous)
        SELECT tenant_id, run_id, customer_id, currency, sum(open_minor), sum(provision_minor),
               sum(previous_minor), sum(GREATEST(provision_minor - previous_minor, 0)),
               sum(GREATEST(previous_minor - provision_minor, 0)), 0,
               array_agg(invoice_id ORDER BY invoice_id), array_agg(open_minor ORDER BY invoice_id),
               array_agg(rate ORDER BY invoice_id), array_agg(provision_minor ORDER BY invoice_id),
               array_agg(previous_minor ORDER BY invoice_id)
          FROM provision_lines GROUP BY tenant_id, run_id, customer_id, currency
    """)
    op.drop_table("provision_lines")
    role = op.get_context().opts["app_role"]
    op.execute(f"ALTER TABLE {TABLE} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {TABLE} FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY tenant_isolation ON {TABLE} USING (tenant_id = (SELECT app_tenant()))"
        " WITH CHECK (tenant_id = (SELECT app_tenant()))"
    )
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {TABLE} TO {role}")


def downgrade() -> None:
    op.create_table(
        "provision_lines",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("run_id", sa.UUID(), nullable=False),
        sa.Column("invoice_id", sa.UUID(), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("currency", sa.CHAR(length=3), nullable=False),
        sa.Column("open_minor", sa.BigInteger(), nullable=False),
        sa.Column("rate", sa.Numeric(precision=6, scale=4), nullable=False),
        sa.Column("provision_minor", sa.BigInteger(), nullable=False),
        sa.Column("previous_minor", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "run_id"],
            ["provision_runs.tenant_id", "provision_runs.id"],
            name=op.f("fk_provision_lines_tenant_id_run_id_provision_runs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_provision_lines_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "tenant_id", "run_id", "invoice_id", name=op.f("pk_provision_lines")
        ),
    )
    op.create_index(
        "ix_provision_lines_customer",
        "provision_lines",
        ["tenant_id", "run_id", "customer_id"],
        unique=False,
    )
    op.execute(f"""
        INSERT INTO provision_lines (tenant_id, run_id, invoice_id, customer_id, currency,
            open_minor, rate, provision_minor, previous_minor)
        SELECT l.tenant_id, l.run_id, u.invoice_id, l.customer_id, l.currency, u.open_minor,
               u.rate, u.provision_minor, u.previous_minor
          FROM {TABLE} l,
               unnest(l.invoice_ids, l.invoice_open, l.invoice_rate, l.invoice_provision,
                      l.invoice_previous)
                 AS u(invoice_id, open_minor, rate, provision_minor, previous_minor)
    """)
    role = op.get_context().opts["app_role"]
    op.execute("ALTER TABLE provision_lines ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE provision_lines FORCE ROW LEVEL SECURITY")
    op.execute(
        "CREATE POLICY tenant_isolation ON provision_lines USING "
        "(tenant_id = (SELECT app_tenant())) WITH CHECK (tenant_id = (SELECT app_tenant()))"
    )
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON provision_lines TO {role}")
    op.drop_table(TABLE)
