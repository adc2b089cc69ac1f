"""API conventions: credit-file policy keys in one spelling (SCREAMING_SNAKE), and customers
listed by name in pinyin order.

- Stored tenant policies (`tenants.settings.creditFilePolicy[].key`) written with the customer
  field names of the API (`registrationNumber`) become `REGISTRATION_NUMBER`, the spelling the
  dossier entry kinds (`FINANCIAL_STATEMENT`) already had. The code still reads the old
  spelling, so a policy stored between deploys is not lost.
- This PostgreSQL has no ICU (`CREATE COLLATION ... provider = icu` fails: "ICU is not
  supported in this build", no `zh-x-icu`), and the database's libc collation is C.UTF-8.
  GB 18030 orders the 3,755 common (level-1) hanzi of GB 2312 by pinyin, so the names sort by
  their GB 18030 bytes: `customer_name_key(legal_name)`, declared IMMUTABLE (an encoding
  conversion with a fixed target is), indexed in place of the plain name index. Latin names
  keep their byte order and come before Chinese ones, as before.

Revision ID: 0023
Revises: 0020
"""

from __future__ import annotations

from alembic import op

revision = "0023"
down_revision = "0021"
branch_labels = None
depends_on = None

#: The customer fields the default policy named in camelCase, and their one spelling now.
RENAMED = {
    "registrationNumber": "REGISTRATION_NUMBER",
    "industry": "INDUSTRY",
    "registeredCapital": "REGISTERED_CAPITAL",
    "annualSales": "ANNUAL_SALES",
    "contacts": "CONTACTS",
    "companyHistory": "COMPANY_HISTORY",
    "businessModel": "BUSINESS_MODEL",
    "partners": "PARTNERS",
}
NAME_KEY = """CREATE FUNCTION customer_name_key(name text) RETURNS bytea
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN pg_catalog.convert_to(name, 'GB18030')"""


def _rewrite_keys(new_key: str) -> None:
    """Rewrite every tenant's policy keys with `new_key` (an SQL expression of `k`), as the
    owner: FORCE row-level security would otherwise hide every tenant's row from it."""
    op.execute("ALTER TABLE tenants NO FORCE ROW LEVEL SECURITY")
    op.execute(f"""
        UPDATE tenants SET settings = jsonb_set(settings, '{{creditFilePolicy}}', (
            SELECT coalesce(jsonb_agg(
                     CASE WHEN jsonb_typeof(item) = 'object' AND item ? 'key'
                          THEN jsonb_set(item, '{{key}}',
                                         to_jsonb((SELECT {new_key} FROM
                                                   (SELECT btrim(item->>'key') AS k) x)))
                          ELSE item END ORDER BY n), '[]'::jsonb)
              FROM jsonb_array_elements(settings->'creditFilePolicy') WITH ORDINALITY e(item, n)))
         WHERE jsonb_typeof(settings->'creditFilePolicy') = 'array'""")
    op.execute("ALTER TABLE tenants FORCE ROW LEVEL SECURITY")


def upgrade() -> None:
    _rewrite_keys("upper(regexp_replace(k, '([a-z0-9])([A-Z])', '\\1_\\2', 'g'))")
    op.execute(NAME_KEY)
    op.execute("DROP INDEX ix_customers_tenant_name")
    op.execute(
        "CREATE INDEX ix_customers_tenant_name "
        "ON customers (tenant_id, customer_name_key(legal_name), id)"
    )


def downgrade() -> None:
    op.execute("DROP INDEX ix_customers_tenant_name")
    op.execute("CREATE INDEX ix_customers_tenant_name ON customers (tenant_id, legal_name, id)")
    op.execute("DROP FUNCTION customer_name_key(text)")
    whens = " ".join(f"WHEN '{new}' THEN '{old}'" for old, new in RENAMED.items())
    _rewrite_keys(f"CASE k {whens} ELSE k END")
