"""The input rules on the tables documents and delivery added: the archived copy's date in
1900-2199, the mail server's addresses and names and each delivery's recipient and language
within their limits.

Rows an older version stored beyond a limit are kept as they are, recorded in `data_repairs`
(KEPT) and named in the constraint as exceptions, as 0017 does for amounts and texts; an
archived copy's date is kept too, for the copy is the exact bytes sent. Values are literal, as a migration
must not follow later code.

Revision ID: 0018
Revises: 0017
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

EARLIEST = "1900-01-01"
LATEST = "2199-12-31"
#: (table, date column)
DATES = (("sent_documents", "as_of"),)
#: (table, column, characters)
LENGTHS = (
    ("smtp_settings", "username", 200),
    ("smtp_settings", "from_address", 254),
    ("smtp_settings", "from_name", 200),
    ("smtp_settings", "reply_to", 254),
    ("document_deliveries", "recipient_name", 200),
    ("document_deliveries", "recipient_address", 254),
    ("document_deliveries", "lang", 100),
)
#: How each table's rows are named in data_repairs.
KEYS = {"sent_documents": "id", "smtp_settings": "tenant_id", "document_deliveries": "id"}


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _limited(table: str, column: str, name: str, rule: str, note: str) -> None:
    """A CHECK every row keeps, except rows stored beyond it before: recorded and named."""
    key = KEYS[table]
    found = [
        str(v)
        for (v,) in op.get_bind().execute(
            sa.text(f"SELECT DISTINCT {key}::text FROM {table} WHERE NOT ({rule})")
        )
    ]
    expression = rule
    if found:
        op.execute(f"""
            INSERT INTO data_repairs (tenant_id, revision, table_name, row_key, column_name,
                                      action, note)
            SELECT tenant_id, '0018', '{table}', jsonb_build_object('{key}', {key}), '{column}',
                   'KEPT', {note}
              FROM {table} WHERE NOT ({rule})""")
        values = ", ".join(_quote(v) for v in sorted(found))
        expression = f"({rule}) OR {key} = ANY (ARRAY[{values}]::uuid[])"
    op.execute(
        f"ALTER TABLE {table} ADD CONSTRAINT ck_{table}_{column}_{name} CHECK ({expression})"
    )


def upgrade() -> None:
    tables = sorted({t for t, _ in DATES} | {t for t, *_ in LENGTHS})
    # the owner reads and repairs every tenant's rows, as in 0017
    for table in tables:
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
    for table, column in DATES:
        # an archived copy is what was sent: its date is kept, never clamped
        _limited(
            table,
            column,
            "in_range",
            f"{column} BETWEEN DATE '{EARLIEST}' AND DATE '{LATEST}'",
            f"{column}::text || ', outside {EARLIEST}..{LATEST}: kept as sent'",
        )
    for table, column, chars in LENGTHS:
        _limited(
            table,
            column,
            "length",
            f"char_length({column}) <= {chars}",
            f"char_length({column}) || ' characters, above {chars}: kept'",
        )
    for table in tables:
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")


def downgrade() -> None:
    for table, column in DATES:
        op.execute(f"ALTER TABLE {table} DROP CONSTRAINT ck_{table}_{column}_in_range")
    for table, column, _ in LENGTHS:
        op.execute(f"ALTER TABLE {table} DROP CONSTRAINT ck_{table}_{column}_length")
