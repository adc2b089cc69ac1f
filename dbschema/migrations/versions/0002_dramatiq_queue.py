"""The dramatiq-postgres queue tables, so the embedded default needs no other server.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op
from dramatiq_postgres import generate_init_sql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    role = op.get_context().opts["app_role"]
    op.execute(generate_init_sql(schema="dramatiq"))
    op.execute(f"GRANT USAGE ON SCHEMA dramatiq TO {role}")
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA dramatiq TO {role}")
    op.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA dramatiq TO {role}")
    op.execute(f"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA dramatiq TO {role}")


def downgrade() -> None:
    op.execute("DROP SCHEMA IF EXISTS dramatiq CASCADE")
