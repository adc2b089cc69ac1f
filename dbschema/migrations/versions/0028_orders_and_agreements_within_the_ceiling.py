"""Sales orders and credit agreements within the document ceiling, checked without a long lock.

What a mutation accepts, every job can process; the database refuses the rest, so a path that
bypasses the services cannot store it either. Two amounts were still wider than the domain:
- `sales_orders.amount_minor`: an order is refused above 10^15 minor units
  (domain.credit.orders, AMOUNT_TOO_LARGE), but the CHECK of 0010 allowed up to 10^17; now
  `amount_minor > 0 AND amount_minor <= 10^15`, under the same name.
- `credit_agreements.limit_minor`: an agreement's limit is refused above 10^15
  (domain.credit.credit_agreements), but 0019 bounded it only below (`limit_minor > 0`, kept);
  a new CHECK `limit_minor <= 10^15`.

Old rows above the ceiling are kept as they are, recorded in `data_repairs` (KEPT) and named
in the constraint as exceptions, as 0017 and 0027 do: an order or a signed agreement is
history, and an amount cannot be clamped. Named, such a row can still be shipped, invoiced,
signed or superseded; a new or changed amount above the ceiling is refused.

Unlike 0027, no table is read under a lock that stops its writers: 0027 scanned and validated
inside the migration's transaction, under the ACCESS EXCLUSIVE lock that switching FORCE ROW
LEVEL SECURITY off takes until the commit, so every credit check of every tenant (each writes
its order) waited for the scans of the largest tenant's orders. Here each statement commits as
it ends (the autocommit block 0026 builds its indexes in), so each lock is held only for its
own statement:
1. FORCE off (a brief ACCESS EXCLUSIVE lock, no scan): the owner alone then sees every
   tenant's rows; the application role stays under its policies;
2. the rows above the ceiling are found (a plain read, writers go on);
3. the CHECK goes in NOT VALID naming them (a brief lock, no scan), dropping the one it
   replaces in the same statement: from here every new or changed row is checked;
4. they are found again, and should a writer that bypasses the services have stored one
   between 2 and 3, the CHECK goes in again naming it too (no new one can appear after 3);
5. they are recorded, once each;
6. VALIDATE CONSTRAINT scans under SHARE UPDATE EXCLUSIVE, which lets reads and writes go on;
7. FORCE on again.
A run stopped part way leaves the revision at 0027 and is simply run again: every step is
idempotent (a table it left without FORCE hides nothing from the application role meanwhile).

Values are literal here, as a migration must not follow later code. A downgrade restores the
old CHECKs the same way (every row kept meets them: they held when it was written) and removes
this revision's records from `data_repairs`.

Revision ID: 0028
Revises: 0027
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None

REVISION = "0028"
CEILING = 10**15  #: minor units one document may carry (domain.money.MAX_DOCUMENT_MINOR)


class Rule(NamedTuple):
    """One CHECK: its table and name (after `ck_<table>_`), the column data_repairs names,
    the rule, what a kept row's record says, and the CHECK of the same name it replaces (None
    when new). Rows are named by `id`."""

    table: str
    name: str
    column: str
    rule: str
    note: str
    replaces: str | None = None

    @property
    def constraint(self) -> str:
        """The constraint's name in the database."""
        return f"ck_{self.table}_{self.name}"


RULES = (
    Rule(
        "sales_orders",
        "amount_in_range",
        "amount_minor",
        f"amount_minor > 0 AND amount_minor <= {CEILING}",
        f"amount_minor::text || ' minor units, above {CEILING}: kept'",
        "amount_minor > 0 AND amount_minor < 100000000000000000",
    ),
    Rule(
        "credit_agreements",
        "limit_minor_ceiling",
        "limit_minor",
        f"limit_minor <= {CEILING}",
        f"limit_minor::text || ' minor units, above {CEILING}: kept'",
    ),
)
#: Tables the migration reads and records as the owner, every tenant's rows at once.
TABLES = sorted({r.table for r in RULES} | {"data_repairs"})


def _run(sql: str) -> list[str]:
    """One statement in a transaction of its own (the block is in autocommit); its first
    column as text."""
    result = op.get_bind().execute(sa.text(sql))
    return [str(v) for (v,) in result] if result.returns_rows else []


def _owner_reads(tables: Iterable[str], force: bool) -> None:
    """Switch FORCE ROW LEVEL SECURITY off while the owner reads every tenant's rows, as 0017
    does (a non-superuser owner would otherwise see none), and on again; each switch commits
    at once, so its lock lasts one statement."""
    word = "FORCE" if force else "NO FORCE"
    for table in tables:
        _run(f"ALTER TABLE {table} {word} ROW LEVEL SECURITY")


def _beyond(rule: Rule) -> set[str]:
    """The ids of the rows the rule does not hold for."""
    return set(_run(f"SELECT id::text FROM {rule.table} WHERE NOT ({rule.rule})"))


def _put(table: str, constraint: str, expression: str) -> None:
    """The CHECK in place of any of its name, unvalidated: one statement, a brief lock."""
    _run(
        f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {constraint}, "
        f"ADD CONSTRAINT {constraint} CHECK ({expression}) NOT VALID"
    )


def _named(rule: Rule, ids: set[str]) -> str:
    """The rule, with the rows stored beyond it before named as exceptions."""
    if not ids:
        return rule.rule
    values = ", ".join(f"'{v}'" for v in sorted(ids))  # uuids read back: nothing to escape
    return f"({rule.rule}) OR id = ANY (ARRAY[{values}]::uuid[])"


def _limited(rule: Rule) -> None:
    """A CHECK every row keeps, except rows stored beyond it before: named and recorded."""
    named = _beyond(rule)
    _put(rule.table, rule.constraint, _named(rule, named))
    late = _beyond(rule) - named  # stored between the read and the CHECK: none after it
    if late:
        _put(rule.table, rule.constraint, _named(rule, named | late))
    _run(f"""
        INSERT INTO data_repairs (tenant_id, revision, table_name, row_key, column_name,
                                  action, note)
        SELECT t.tenant_id, '{REVISION}', '{rule.table}', jsonb_build_object('id', t.id),
               '{rule.column}', 'KEPT', {rule.note}
          FROM {rule.table} t
         WHERE NOT ({rule.rule})
           AND NOT EXISTS (SELECT FROM data_repairs r
                            WHERE r.tenant_id = t.tenant_id AND r.revision = '{REVISION}'
                              AND r.table_name = '{rule.table}'
                              AND r.row_key = jsonb_build_object('id', t.id))""")
    _run(f"ALTER TABLE {rule.table} VALIDATE CONSTRAINT {rule.constraint}")


def upgrade() -> None:
    with op.get_context().autocommit_block():
        _owner_reads(TABLES, force=False)
        for rule in RULES:
            _limited(rule)
        _owner_reads(TABLES, force=True)


def downgrade() -> None:
    with op.get_context().autocommit_block():
        for rule in RULES:
            if rule.replaces is None:
                _run(f"ALTER TABLE {rule.table} DROP CONSTRAINT IF EXISTS {rule.constraint}")
                continue
            _put(rule.table, rule.constraint, rule.replaces)
            _run(f"ALTER TABLE {rule.table} VALIDATE CONSTRAINT {rule.constraint}")
        _owner_reads(["data_repairs"], force=False)
        _run(f"DELETE FROM data_repairs WHERE revision = '{REVISION}'")
        _owner_reads(["data_repairs"], force=True)
