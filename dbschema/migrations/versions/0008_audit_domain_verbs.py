"""Audit entries name what was done as a domain verb, not as the GraphQL mutation that did it.

The column `mutation` becomes `action`, and stored mutation names become their verbs
(domain/audit.py), so renaming a mutation never rewrites history. Rows the demo loader wrote
as "demo" were credit-terms or review changes: they take the verb of what they changed, and
a downgrade gives them that change's mutation name. A value with no verb stops the upgrade
rather than being guessed.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

#: Mutation name -> domain verb, as the two stood when the verbs were introduced (static:
#: a migration must not follow later code).
VERBS = {
    "createCustomer": "CREATE_CUSTOMER",
    "updateCustomer": "UPDATE_CUSTOMER",
    "archiveCustomer": "ARCHIVE_CUSTOMER",
    "setCustomerCreditTerms": "SET_CREDIT_TERMS",
    "recordCreditReview": "REVIEW_CREDIT_FILE",
    "addCreditFileEntry": "ADD_CREDIT_FILE_ENTRY",
    "linkPartner": "LINK_PARTNER",
    "unlinkPartner": "UNLINK_PARTNER",
    "acknowledgeWarning": "ACKNOWLEDGE_WARNING",
    "updateReceivablesSettings": "UPDATE_RECEIVABLES_SETTINGS",
    "savePaymentTerms": "SAVE_PAYMENT_TERMS",
}
#: What the demo loader's "demo" rows changed, and the verb of that change.
DEMO_VERBS = (("ratingClass", "SET_CREDIT_TERMS"), ("lastReviewedOn", "REVIEW_CREDIT_FILE"))


def _case(column: str, mapping: dict[str, str]) -> str:
    whens = " ".join(f"WHEN '{old}' THEN '{new}'" for old, new in mapping.items())
    return f"CASE {column} {whens} END"


def _rewrite(assignment: str, unknown: str) -> None:
    """Check, then rewrite every row as the owner: without FORCE, row-level security does not
    hide rows from it (a non-superuser owner would otherwise see no tenant's rows at all)."""
    op.execute("ALTER TABLE audit_log NO FORCE ROW LEVEL SECURITY")
    op.execute(f"""DO $$ BEGIN
        IF EXISTS (SELECT FROM audit_log WHERE {unknown}) THEN
          RAISE EXCEPTION 'audit_log holds actions this migration cannot translate';
        END IF; END $$""")
    op.execute(f"UPDATE audit_log SET {assignment}")
    op.execute("ALTER TABLE audit_log FORCE ROW LEVEL SECURITY")


def _known(values: list[str]) -> str:
    return f"action IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    op.alter_column("audit_log", "mutation", new_column_name="action")
    demo = " ".join(f"WHEN changes ? '{key}' THEN '{verb}'" for key, verb in DEMO_VERBS)
    demo_keys = " OR ".join(f"changes ? '{key}'" for key, _ in DEMO_VERBS)
    _rewrite(
        f"action = CASE WHEN action = 'demo' THEN CASE {demo} END "
        f"ELSE {_case('action', VERBS)} END",
        f"NOT ({_known(list(VERBS))} OR (action = 'demo' AND ({demo_keys})))",
    )


def downgrade() -> None:
    names = {verb: name for name, verb in VERBS.items()}
    _rewrite(f"action = {_case('action', names)}", f"NOT {_known(list(names))}")
    op.alter_column("audit_log", "action", new_column_name="mutation")
