"""Credit decisions within the ranges the domain enforces: limit and reservation amounts at
most the document ceiling, currency codes in their format, an agreement's guarantees bounded.

What a mutation accepts, every job can process; the database refuses the rest, so a path
that bypasses the services (an import, a script, a future service that forgets a check)
cannot store it either. Audited against the rules guarding each writing mutation:
- `credit_limit_requests.amount_minor` and `credit_limits.amount_minor`: a limit request is
  refused above 10^15 minor units (domain.credit.limits, AMOUNT_TOO_LARGE: the ceiling every
  job can carry), but the CHECK allowed up to 10^17; now `amount_minor <= 10^15`.
- `credit_reservations.amount_minor`: a reservation holds at most the checked amount, which
  checkCredit refuses above 10^15 (AMOUNT_TOO_LARGE); the CHECK had no upper bound.
- `financial_statements.currency`, `credit_external_records.currency`: ISO 4217 codes (the
  domain upper-cases and refuses any other), the only currency columns of the credit tables
  without the `^[A-Z]{3}$` CHECK the others have.
- `credit_agreements.guarantees`: at most 10 guarantees, each description at most 500
  characters (domain.credit.credit_agreements), but the JSON had no size at all; now at most
  32,000 characters of JSON text and 10 items (ten descriptions written wholly in six-character
  escapes such as \\u0001, with the largest amount, take 31,150).

Old rows: limits, requests and reservations stored before the ceiling held (versions before
limits and checks refused AMOUNT_TOO_LARGE accepted up to 10^17, or any BIGINT) are kept as
they are, recorded in `data_repairs` (KEPT) and named in the constraint as exceptions, as 0017
does: a limit is history and an amount cannot be clamped. An oversized limit is named by its
request, and a pending oversized request's id is named too, so approving a request filed
before the ceiling still puts its limit in force. Currency codes and guarantees the domain
always refused get the same treatment should any exist. Every table is scanned twice (the
exceptions, the validation) under the lock that switches off FORCE ROW LEVEL SECURITY.

Values are literal here, as a migration must not follow later code. A downgrade restores the
old CHECKs (every row kept meets them: they held when it was written) and removes this
revision's records from `data_repairs`.

Revision ID: 0027
Revises: 0026
"""

from __future__ import annotations

from typing import NamedTuple

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None

REVISION = "0027"
CEILING = 10**15  #: minor units one document may carry (domain.money.MAX_DOCUMENT_MINOR)
MAX_GUARANTEES = 10  #: guarantees one agreement lists (domain.credit.credit_agreements)
GUARANTEES_CHARS = 32_000  #: their JSON text at most (10 x (6 x 500 + 200))
CURRENCY = "~ '^[A-Z]{3}$'"
#: The limit range migration 0010 declared, which the ceiling replaces.
OLD_LIMIT_RANGE = "amount_minor >= 0 AND amount_minor < 100000000000000000"
LIMIT_RANGE = f"amount_minor >= 0 AND amount_minor <= {CEILING}"


class Rule(NamedTuple):
    """One CHECK: its table and name (after `ck_<table>_`), the column data_repairs names,
    the rule, the uuid column that names an exception, what a kept row's record says, and
    the CHECK of the same name it replaces (None when new)."""

    table: str
    name: str
    column: str
    rule: str
    key: str
    note: str
    replaces: str | None = None

    @property
    def constraint(self) -> str:
        """The constraint's name in the database."""
        return f"ck_{self.table}_{self.name}"


_ABOVE = f"amount_minor::text || ' minor units, above {CEILING}: kept'"
RULES = (
    Rule(
        "credit_limit_requests",
        "amount_in_range",
        "amount_minor",
        LIMIT_RANGE,
        "id",
        _ABOVE + " || CASE WHEN status = 'PENDING' THEN ', and its limit may be approved' "
        "ELSE '' END",
        OLD_LIMIT_RANGE,
    ),
    Rule(
        "credit_limits",
        "amount_in_range",
        "amount_minor",
        LIMIT_RANGE,
        "request_id",
        _ABOVE,
        OLD_LIMIT_RANGE,
    ),
    Rule(
        "credit_reservations",
        "amount_minor_ceiling",
        "amount_minor",
        f"amount_minor <= {CEILING}",
        "id",
        _ABOVE,
    ),
    Rule(
        "financial_statements",
        "currency_format",
        "currency",
        f"currency {CURRENCY}",
        "id",
        "quote_literal(currency) || ' is no ISO 4217 code: kept'",
    ),
    Rule(
        "credit_external_records",
        "currency_format",
        "currency",
        f"currency IS NULL OR currency {CURRENCY}",
        "id",
        "quote_literal(currency) || ' is no ISO 4217 code: kept'",
    ),
    Rule(
        "credit_agreements",
        "guarantees_size",
        "guarantees",
        f"char_length(guarantees::text) <= {GUARANTEES_CHARS} "
        f"AND jsonb_array_length(guarantees) <= {MAX_GUARANTEES}",
        "id",
        "jsonb_array_length(guarantees) || ' guarantees in ' || char_length(guarantees::text) "
        f"|| ' characters, above {MAX_GUARANTEES} or {GUARANTEES_CHARS}: kept'",
    ),
)
#: Tables the migration reads and records as the owner, every tenant's rows at once.
TABLES = sorted({r.table for r in RULES} | {"data_repairs"})


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _exceptions(rule: Rule) -> list[str]:
    """The keys of rows stored beyond the rule; for limits, also the pending requests above
    it, whose limits do not exist yet."""
    query = f"SELECT {rule.key}::text FROM {rule.table} WHERE NOT ({rule.rule})"
    if rule.table == "credit_limits":
        query += (
            f" UNION SELECT id::text FROM credit_limit_requests "
            f"WHERE status = 'PENDING' AND NOT ({rule.rule})"
        )
    return sorted({str(v) for (v,) in op.get_bind().execute(sa.text(query))})


def _limited(rule: Rule) -> None:
    """A CHECK every row keeps, except rows stored beyond it before: recorded and named."""
    found = _exceptions(rule)
    expression = rule.rule
    if found:
        op.execute(f"""
            INSERT INTO data_repairs (tenant_id, revision, table_name, row_key, column_name,
                                      action, note)
            SELECT tenant_id, '{REVISION}', '{rule.table}', jsonb_build_object('id', id),
                   '{rule.column}', 'KEPT', {rule.note}
              FROM {rule.table} WHERE NOT ({rule.rule})""")
        values = ", ".join(_quote(v) for v in found)
        expression = f"({rule.rule}) OR {rule.key} = ANY (ARRAY[{values}]::uuid[])"
    op.execute(f"ALTER TABLE {rule.table} ADD CONSTRAINT {rule.constraint} CHECK ({expression})")


def _owner_reads(tables: list[str], force: bool) -> None:
    """Switch FORCE ROW LEVEL SECURITY off while the owner reads every tenant's rows, as 0017
    does (a non-superuser owner would otherwise see none), and on again."""
    word = "FORCE" if force else "NO FORCE"
    for table in tables:
        op.execute(f"ALTER TABLE {table} {word} ROW LEVEL SECURITY")


def upgrade() -> None:
    _owner_reads(TABLES, force=False)
    for rule in RULES:
        if rule.replaces is not None:
            op.execute(f"ALTER TABLE {rule.table} DROP CONSTRAINT {rule.constraint}")
    for rule in RULES:
        _limited(rule)
    _owner_reads(TABLES, force=True)


def downgrade() -> None:
    for rule in RULES:
        op.execute(f"ALTER TABLE {rule.table} DROP CONSTRAINT {rule.constraint}")
        if rule.replaces is not None:
            op.execute(
                f"ALTER TABLE {rule.table} ADD CONSTRAINT {rule.constraint} CHECK ({rule.replaces})"
            )
    _owner_reads(["data_repairs"], force=False)
    op.execute(f"DELETE FROM data_repairs WHERE revision = '{REVISION}'")
    _owner_reads(["data_repairs"], force=True)
