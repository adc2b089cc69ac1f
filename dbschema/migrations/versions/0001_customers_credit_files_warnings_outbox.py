"""Tenants, customers, credit files, audit, warnings, events and jobs, with row-level security.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_table(
        "tenants",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("slug", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column(
            "settings",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'", name=op.f("ck_tenants_slug_format")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tenants")),
        sa.UniqueConstraint("slug", name=op.f("uq_tenants_slug")),
    )
    op.create_table(
        "audit_log",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("entity_type", sa.Text(), nullable=False),
        sa.Column("entity_id", sa.UUID(), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=True),
        sa.Column("mutation", sa.Text(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("request_id", sa.Text(), nullable=True),
        sa.Column(
            "at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("changes", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_audit_log_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_audit_log")),
    )
    op.create_index(
        "ix_audit_log_customer", "audit_log", ["tenant_id", "customer_id", "id"], unique=False
    )
    op.create_table(
        "customers",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("legal_name", sa.Text(), nullable=False),
        sa.Column("country", sa.CHAR(length=2), nullable=False),
        sa.Column("registration_number", sa.Text(), nullable=True),
        sa.Column("industry", sa.Text(), nullable=True),
        sa.Column("status", sa.Text(), server_default="ACTIVE", nullable=False),
        sa.Column("founded_on", sa.Date(), nullable=True),
        sa.Column("registered_capital_minor", sa.BigInteger(), nullable=True),
        sa.Column("registered_capital_currency", sa.CHAR(length=3), nullable=True),
        sa.Column("annual_sales_minor", sa.BigInteger(), nullable=True),
        sa.Column("annual_sales_currency", sa.CHAR(length=3), nullable=True),
        sa.Column("business_model", sa.Text(), nullable=True),
        sa.Column("company_history", sa.Text(), nullable=True),
        sa.Column("salesperson", sa.Text(), nullable=True),
        sa.Column(
            "contacts",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
        sa.Column("last_reviewed_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "status IN ('ACTIVE', 'ARCHIVED')", name=op.f("ck_customers_status_known")
        ),
        sa.CheckConstraint(
            "(annual_sales_minor IS NULL) = (annual_sales_currency IS NULL)",
            name=op.f("ck_customers_sales_has_currency"),
        ),
        sa.CheckConstraint(
            "(registered_capital_minor IS NULL) = (registered_capital_currency IS NULL)",
            name=op.f("ck_customers_capital_has_currency"),
        ),
        sa.CheckConstraint("annual_sales_minor >= 0", name=op.f("ck_customers_sales_not_negative")),
        sa.CheckConstraint(
            "registered_capital_minor >= 0", name=op.f("ck_customers_capital_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_customers_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_customers")),
        sa.UniqueConstraint("tenant_id", "code", name=op.f("uq_customers_tenant_id_code")),
    )
    op.create_index(
        "ix_customers_search",
        "customers",
        [
            sa.literal_column(
                "(lower(legal_name || ' ' || code || ' ' || coalesce(registration_number, ''))) gin_trgm_ops"
            )
        ],
        unique=False,
        postgresql_using="gin",
    )
    op.create_index(
        "ix_customers_tenant_created", "customers", ["tenant_id", "created_at", "id"], unique=False
    )
    op.create_index(
        "ix_customers_tenant_name", "customers", ["tenant_id", "legal_name", "id"], unique=False
    )
    op.create_table(
        "events",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("topic", sa.Text(), nullable=False),
        sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_events_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "seq", name=op.f("pk_events")),
    )
    op.create_table(
        "jobs",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("args", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("dedupe_key", sa.Text(), nullable=True),
        sa.Column("status", sa.Text(), server_default="PENDING", nullable=False),
        sa.Column("requested_by", sa.Text(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("dispatched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("result", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('PENDING','DISPATCHED','RUNNING','SUCCEEDED','FAILED')",
            name=op.f("ck_jobs_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_jobs_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_jobs")),
        sa.UniqueConstraint("tenant_id", "dedupe_key", name=op.f("uq_jobs_tenant_id_dedupe_key")),
    )
    op.create_index(
        "ix_jobs_pending",
        "jobs",
        ["created_at"],
        unique=False,
        postgresql_where=sa.text("status = 'PENDING'"),
    )
    op.create_table(
        "credit_file_entries",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("document_ref", sa.Text(), nullable=True),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            name=op.f("fk_credit_file_entries_tenant_id_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_credit_file_entries_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_credit_file_entries")),
    )
    op.create_index(
        "ix_credit_file_entries_customer",
        "credit_file_entries",
        ["tenant_id", "customer_id", "occurred_on"],
        unique=False,
    )
    op.create_table(
        "customer_relations",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("related_customer_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "kind IN ('PARENT','SUBSIDIARY','SHAREHOLDER','KEY_SUPPLIER','KEY_BUYER','GUARANTOR')",
            name=op.f("ck_customer_relations_kind_known"),
        ),
        sa.CheckConstraint(
            "customer_id <> related_customer_id", name=op.f("ck_customer_relations_not_self")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            name=op.f("fk_customer_relations_tenant_id_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "related_customer_id"],
            ["customers.tenant_id", "customers.id"],
            name=op.f("fk_customer_relations_tenant_id_related_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_customer_relations_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_customer_relations")),
        sa.UniqueConstraint(
            "tenant_id",
            "customer_id",
            "related_customer_id",
            "kind",
            name=op.f("uq_customer_relations_tenant_id_customer_id_related_customer_id_kind"),
        ),
    )
    op.create_table(
        "warnings",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("level", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), server_default="OPEN", nullable=False),
        sa.Column("evidence", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "raised_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("acknowledged_by", sa.Text(), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledge_note", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "level IN ('LIGHT','MEDIUM','SEVERE')", name=op.f("ck_warnings_level_known")
        ),
        sa.CheckConstraint(
            "status IN ('OPEN','ACKNOWLEDGED')", name=op.f("ck_warnings_status_known")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            name=op.f("fk_warnings_tenant_id_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_warnings_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_warnings")),
    )
    op.create_index(
        "ix_warnings_raised", "warnings", ["tenant_id", "raised_at", "id"], unique=False
    )
    op.create_index(
        "uq_warnings_open_per_kind",
        "warnings",
        ["tenant_id", "customer_id", "kind"],
        unique=True,
        postgresql_where=sa.text("status = 'OPEN'"),
    )
    for statement in security_sql(op.get_context().opts["app_role"]):
        op.execute(statement)


def downgrade() -> None:
    role = op.get_context().opts["app_role"]
    op.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}")
    op.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {role}")
    for fn in ("resolve_tenant(text)", "tenant_ids()", "pending_jobs(integer)", "job_counts()"):
        op.execute(f"DROP FUNCTION IF EXISTS {fn}")
    op.drop_index(
        "uq_warnings_open_per_kind",
        table_name="warnings",
        postgresql_where=sa.text("status = 'OPEN'"),
    )
    op.drop_index("ix_warnings_raised", table_name="warnings")
    op.drop_table("warnings")
    op.drop_table("customer_relations")
    op.drop_index("ix_credit_file_entries_customer", table_name="credit_file_entries")
    op.drop_table("credit_file_entries")
    op.drop_index(
        "ix_jobs_pending", table_name="jobs", postgresql_where=sa.text("status = 'PENDING'")
    )
    op.drop_table("jobs")
    op.drop_table("events")
    op.drop_index("ix_customers_tenant_name", table_name="customers")
    op.drop_index("ix_customers_tenant_created", table_name="customers")
    op.drop_index("ix_customers_search", table_name="customers", postgresql_using="gin")
    op.drop_table("customers")
    op.drop_index("ix_audit_log_customer", table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_table("tenants")
    op.execute("DROP FUNCTION IF EXISTS events_assign_seq() CASCADE")
    op.execute("DROP FUNCTION IF EXISTS events_notify() CASCADE")
    op.execute("DROP FUNCTION IF EXISTS jobs_notify() CASCADE")
    op.execute("DROP FUNCTION IF EXISTS app_tenant()")


TENANT_TABLES = (
    "customers",
    "customer_relations",
    "credit_file_entries",
    "audit_log",
    "warnings",
    "events",
    "jobs",
)
#: Append-only tables: the app role may read and add, never edit history.
APPEND_ONLY = ("audit_log", "events")


def security_sql(role: str) -> list[str]:
    """The app role, row-level security, grants, helper functions and outbox triggers."""
    sql = [
        f"""DO $$ BEGIN
              IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN
                CREATE ROLE {role} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
              END IF;
            END $$""",
        f"GRANT USAGE ON SCHEMA public TO {role}",
        """CREATE FUNCTION app_tenant() RETURNS uuid LANGUAGE sql STABLE AS
           $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$""",
        "ALTER TABLE tenants ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE tenants FORCE ROW LEVEL SECURITY",
        "CREATE POLICY tenant_self ON tenants USING (id = (SELECT app_tenant()))",
        f"GRANT SELECT ON tenants TO {role}",
        f"GRANT UPDATE (settings, name) ON tenants TO {role}",
        """CREATE FUNCTION resolve_tenant(p_slug text) RETURNS uuid
           LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
           $$ SELECT id FROM tenants WHERE slug = p_slug $$""",
        """CREATE FUNCTION tenant_ids() RETURNS SETOF uuid
           LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
           $$ SELECT id FROM tenants ORDER BY created_at $$""",
        """CREATE FUNCTION pending_jobs(p_limit integer) RETURNS TABLE(tenant_id uuid, id uuid)
           LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
           $$ SELECT tenant_id, id FROM jobs WHERE status = 'PENDING'
              ORDER BY created_at LIMIT p_limit $$""",
        """CREATE FUNCTION job_counts() RETURNS TABLE(actor text, status text, n bigint)
           LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
           $$ SELECT actor, status, count(*) FROM jobs GROUP BY actor, status $$""",
        f"GRANT EXECUTE ON FUNCTION resolve_tenant(text), tenant_ids(), pending_jobs(integer),"
        f" job_counts(), app_tenant() TO {role}",
        """CREATE FUNCTION events_assign_seq() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN
             -- one writer per tenant at a time, so sequence order is commit order
             PERFORM pg_advisory_xact_lock(hashtextextended(NEW.tenant_id::text, 4242));
             SELECT coalesce(max(seq), 0) + 1 INTO NEW.seq FROM events
              WHERE tenant_id = NEW.tenant_id;
             RETURN NEW;
           END $$""",
        """CREATE TRIGGER events_seq BEFORE INSERT ON events
           FOR EACH ROW EXECUTE FUNCTION events_assign_seq()""",
        """CREATE FUNCTION events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN
             PERFORM pg_notify('credit_events', NEW.tenant_id::text || ':' || NEW.seq::text);
             RETURN NULL;
           END $$""",
        """CREATE TRIGGER events_notify AFTER INSERT ON events
           FOR EACH ROW EXECUTE FUNCTION events_notify()""",
        """CREATE FUNCTION jobs_notify() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN
             PERFORM pg_notify('credit_jobs', NEW.tenant_id::text || ':' || NEW.id::text);
             RETURN NULL;
           END $$""",
        """CREATE TRIGGER jobs_notify AFTER INSERT ON jobs
           FOR EACH ROW EXECUTE FUNCTION jobs_notify()""",
    ]
    for table in TENANT_TABLES:
        sql += [
            f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
            f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
            f"CREATE POLICY tenant_isolation ON {table} USING (tenant_id = (SELECT app_tenant()))"
            " WITH CHECK (tenant_id = (SELECT app_tenant()))",
        ]
        privileges = "SELECT, INSERT" if table in APPEND_ONLY else "SELECT, INSERT, UPDATE, DELETE"
        sql.append(f"GRANT {privileges} ON {table} TO {role}")
    sql.append(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}")
    return sql
