"""Idempotency records name their operation as a domain verb, not as the GraphQL mutation.

Stored operation names become the verbs the services now claim keys under (a replay of a key
stored before this revision must find its record, or the money would move twice). The
ledger's results, now read back into typed dataclasses, get their fields' names for the
camelCase keys the mutations wrote. Write-off results keep their keys: their service still
returns those dicts as they are. The downgrade restores both.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TABLE = "idempotency_keys"

#: Mutation name -> verb, as they stood when the verbs came in (static: a migration must not
#: follow later code).
LEDGER_VERBS = {
    "createInvoice": "POST_INVOICE",
    "createCreditNote": "POST_CREDIT_NOTE",
    "createPayment": "POST_PAYMENT",
    "allocatePayment": "ALLOCATE_PAYMENT",
    "reversePayment": "REVERSE_PAYMENT",
    "reverseAllocation": "REVERSE_ALLOCATION",
}
WRITE_OFF_VERBS = {
    "proposeWriteOff": "PROPOSE_WRITE_OFF",
    "postWriteOff": "POST_WRITE_OFF",
    "recordRecovery": "RECORD_RECOVERY",
}
#: Every key a ledger result held, and the result field it became.
RESULT_KEYS = {
    "invoiceId": "invoice_id",
    "creditNoteId": "credit_note_id",
    "paymentId": "payment_id",
    "allocationIds": "allocation_ids",
    "allocationId": "allocation_id",
    "reopened": "reopened",
}


def _case(column: str, mapping: dict[str, str]) -> str:
    whens = " ".join(f"WHEN '{old}' THEN '{new}'" for old, new in mapping.items())
    return f"CASE {column} {whens} ELSE {column} END"


def _in(values: list[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def _rewrite(verbs: dict[str, str], ledger: list[str], keys: dict[str, str]) -> None:
    """Rename the operations in `verbs` and, for the `ledger` ones, rename result keys; as the
    owner, with FORCE lifted so that row-level security hides no tenant's rows from it."""
    renamed_keys = (
        f"(SELECT coalesce(jsonb_object_agg({_case('key', keys)}, value), '{{}}'::jsonb) "
        "FROM jsonb_each(result))"
    )
    op.execute(f"ALTER TABLE {TABLE} NO FORCE ROW LEVEL SECURITY")
    op.execute(
        f"UPDATE {TABLE} SET operation = {_case('operation', verbs)}, "
        f"result = CASE WHEN operation IN ({_in(ledger)}) AND jsonb_typeof(result) = 'object' "
        f"THEN {renamed_keys} ELSE result END "
        f"WHERE operation IN ({_in(list(verbs))})"
    )
    op.execute(f"ALTER TABLE {TABLE} FORCE ROW LEVEL SECURITY")


def upgrade() -> None:
    _rewrite({**LEDGER_VERBS, **WRITE_OFF_VERBS}, list(LEDGER_VERBS), RESULT_KEYS)


def downgrade() -> None:
    names = {verb: name for name, verb in {**LEDGER_VERBS, **WRITE_OFF_VERBS}.items()}
    keys = {field: key for key, field in RESULT_KEYS.items()}
    _rewrite(names, list(LEDGER_VERBS.values()), keys)
