"""The tenant's profile: its particulars as its documents print them."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, UUID

from dbschema.checks import json_size
from dbschema.tables import NOW, metadata

#: Five bank accounts as JSON, each part at its limit.
BANK_ACCOUNTS_CHARS = 10_000

tenant_profiles = sa.Table(
    "tenant_profiles",
    metadata,
    sa.Column(
        "tenant_id",
        UUID(as_uuid=True),
        sa.ForeignKey("tenants.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("legal_name", sa.Text),
    sa.Column("address", sa.Text),
    sa.Column("phone", sa.Text),
    sa.Column("email", sa.Text),
    sa.Column("contact_person", sa.Text),
    sa.Column("bank_accounts", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
    sa.Column("logo", sa.LargeBinary),
    sa.Column("logo_type", sa.Text),
    sa.Column("seal", sa.LargeBinary),
    sa.Column("seal_type", sa.Text),
    sa.Column("law_firm", sa.Text),
    sa.Column("lawyer", sa.Text),
    sa.Column("law_firm_address", sa.Text),
    sa.Column("law_firm_phone", sa.Text),
    sa.Column("time_zone", sa.Text, nullable=False, server_default="Asia/Shanghai"),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    sa.Column("updated_by", sa.Text),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    sa.CheckConstraint(
        "char_length(legal_name) <= 200 AND char_length(contact_person) <= 200"
        " AND char_length(law_firm) <= 200 AND char_length(lawyer) <= 200"
        " AND char_length(email) <= 200",
        name="names_length",
    ),
    sa.CheckConstraint(
        "char_length(address) <= 500 AND char_length(law_firm_address) <= 500",
        name="addresses_length",
    ),
    sa.CheckConstraint(
        "char_length(phone) <= 40 AND char_length(law_firm_phone) <= 40", name="phones_length"
    ),
    sa.CheckConstraint(
        "octet_length(logo) <= 524288 AND octet_length(seal) <= 524288", name="images_size"
    ),
    sa.CheckConstraint(
        "(logo IS NULL) = (logo_type IS NULL) AND (seal IS NULL) = (seal_type IS NULL)",
        name="images_typed",
    ),
    sa.CheckConstraint("jsonb_array_length(bank_accounts) <= 5", name="bank_accounts_count"),
    json_size("bank_accounts", BANK_ACCOUNTS_CHARS),
    sa.CheckConstraint("char_length(time_zone) BETWEEN 1 AND 64", name="time_zone_length"),
)
