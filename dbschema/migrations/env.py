"""Alembic environment: runs as the table owner, synchronously through psycopg."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

import dbschema.closing_tables
import dbschema.collections_tables
import dbschema.credit_analysis_tables
import dbschema.credit_application_tables
import dbschema.credit_limit_tables
import dbschema.delivery_tables
import dbschema.integration_tables
import dbschema.ledger_tables
import dbschema.risk_claim_tables
import dbschema.risk_document_tables
import dbschema.risk_factoring_tables
import dbschema.risk_insurance_tables
import dbschema.risk_security_tables
import dbschema.tenant_tables
import dbschema.warning_rule_tables  # noqa: F401  each registers its tables on metadata
from dbschema.tables import metadata

config = context.config
url = config.attributes.get("url") or config.get_main_option("sqlalchemy.url")


def run() -> None:
    """Apply migrations online; offline SQL generation is not supported for RLS DDL."""
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            app_role=config.attributes.get("app_role", "credit_app"),
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run()
