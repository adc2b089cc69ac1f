"""The tenant's profile: particulars, bank accounts, logo and seal, law firm, time zone.

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tenant_profiles",
        sa.Column("tenant_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("legal_name", sa.Text()),
        sa.Column("address", sa.Text()),
        sa.Column("phone", sa.Text()),
        sa.Column("email", sa.Text()),
        sa.Column("contact_person", sa.Text()),
        sa.Column(
            "bank_accounts",
            postgresql.JSONB(),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
        sa.Column("logo", sa.LargeBinary()),
        sa.Column("logo_type", sa.Text()),
        sa.Column("seal", sa.LargeBinary()),
        sa.Column("seal_type", sa.Text()),
        sa.Column("law_firm", sa.Text()),
        sa.Column("lawyer", sa.Text()),
        sa.Column("law_firm_address", sa.Text()),
        sa.Column("law_firm_phone", sa.Text()),
        sa.Column("time_zone", sa.Text(), server_default="Asia/Shanghai", nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("updated_by", sa.Text()),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "char_length(legal_name) <= 200 AND char_length(contact_person) <= 200"
            " AND char_length(law_firm) <= 200 AND char_length(lawyer) <= 200"
            " AND char_length(email) <= 200",
            name=op.f("ck_tenant_profiles_names_length"),
        ),
        sa.CheckConstraint(
            "char_length(address) <= 500 AND char_length(law_firm_address) <= 500",
            name=op.f("ck_tenant_profiles_addresses_length"),
        ),
        sa.CheckConstraint(
            "char_length(phone) <= 40 AND char_length(law_firm_phone) <= 40",
            name=op.f("ck_tenant_profiles_phones_length"),
        ),
        sa.CheckConstraint(
            "octet_length(logo) <= 524288 AND octet_length(seal) <= 524288",
            name=op.f("ck_tenant_profiles_images_size"),
        ),
        sa.CheckConstraint(
            "(logo IS NULL) = (logo_type IS NULL) AND (seal IS NULL) = (seal_type IS NULL)",
            name=op.f("ck_tenant_profiles_images_typed"),
        ),
        sa.CheckConstraint(
            "jsonb_array_length(bank_accounts) <= 5",
            name=op.f("ck_tenant_profiles_bank_accounts_count"),
        ),
        sa.CheckConstraint(
            "char_length(time_zone) BETWEEN 1 AND 64",
            name=op.f("ck_tenant_profiles_time_zone_length"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            ondelete="CASCADE",
            name=op.f("fk_tenant_profiles_tenant_id_tenants"),
        ),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_tenant_profiles")),
    )
    role = op.get_context().opts["app_role"]
    op.execute("ALTER TABLE tenant_profiles ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE tenant_profiles FORCE ROW LEVEL SECURITY")
    op.execute(
        "CREATE POLICY tenant_isolation ON tenant_profiles USING "
        "(tenant_id = (SELECT app_tenant())) WITH CHECK (tenant_id = (SELECT app_tenant()))"
    )
    op.execute(f"GRANT SELECT, INSERT, UPDATE ON tenant_profiles TO {role}")


def downgrade() -> None:
    op.drop_table("tenant_profiles")
