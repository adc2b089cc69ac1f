"""The dates a compiled customers page grades credit-file completeness on: the pure
`domain.credit_file.dated_items`, written set-wise in SQL for one customer row `r` (a test
holds the two together on generated data: tests/services/test_completeness_sql.py)."""

from __future__ import annotations

from dbschema.queries.credit_files import statement_dates
from domain.credit_file import EXTERNAL_ITEMS, SALES_ITEM, STATEMENT_ITEM


def literal(text: str) -> str:
    """A constant as an SQL string literal (the constants are the domain's, never input)."""
    return "'" + text.replace("'", "''") + "'"


#: Each dated item's newest date for the customer `r`: the timeline entries, the financial
#: statements in one probe (the newest period end; annual sales from the newest annual one
#: stating revenue) and the external credit records of EXTERNAL_ITEMS.
DATED_ITEMS = (
    "SELECT u.kind, max(u.day) AS latest FROM ("
    "SELECT e.kind, e.occurred_on AS day FROM credit_file_entries e WHERE e.customer_id = r.id"
    f" UNION ALL SELECT v.kind, v.day FROM ({statement_dates('r.id')}) t CROSS JOIN LATERAL "
    f"(VALUES ({literal(STATEMENT_ITEM)}, t.statement_end), ({literal(SALES_ITEM)}, t.sales_end)) "
    "v(kind, day) UNION ALL SELECT CASE x.kind "
    + " ".join(f"WHEN {literal(k)} THEN {literal(item)}" for k, item in EXTERNAL_ITEMS.items())
    + " END, x.recorded_on FROM credit_external_records x WHERE x.customer_id = r.id AND "
    f"x.kind IN ({', '.join(literal(kind) for kind in EXTERNAL_ITEMS)})"
    ") u GROUP BY u.kind"
)
