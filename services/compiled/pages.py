"""Answer a compiled customers page: its statement (built once per plan and variant) run on
the request's read session, under the tenant's row-level security."""

from __future__ import annotations

import json
import logging

from dbschema.queries.customers import like_pattern
from dbschema.queries.json_pages import fetch_json
from domain.credit_file import DEFAULT_POLICY
from services.compiled.customers_sql import Variant, statement
from services.compiled.plan import CustomersPage, DataPlan
from services.read_session import ReadSession

log = logging.getLogger("credit.compiled")

#: The practice's checklist, for a tenant that set none (the statement reads it as jsonb).
DEFAULT_POLICY_JSON = json.dumps(
    [{"key": item.key, "maxAgeDays": item.max_age_days} for item in DEFAULT_POLICY]
)
#: Statements by (plan, variant): a registered document has a handful of variants at most.
_STATEMENTS: dict[tuple[DataPlan, Variant], tuple[str, tuple[str, ...]]] = {}
_STATEMENTS_MAX = 2048


def variant_of(page: CustomersPage) -> Variant:
    """Which statement a page needs: its order, direction and the filters it sets."""
    return Variant(
        page.order,
        page.descending,
        page.backward,
        page.cursor is not None,
        bool(page.text),
        bool(page.industry),
        bool(page.status),
    )


def statement_for(plan: DataPlan, page: CustomersPage) -> tuple[str, tuple[str, ...]]:
    """The statement of a plan for a page's variant, built on first use."""
    key = (plan, variant_of(page))
    found = _STATEMENTS.get(key)
    if found is None:
        if len(_STATEMENTS) >= _STATEMENTS_MAX:
            _STATEMENTS.clear()
        found = _STATEMENTS[key] = statement(plan, key[1])
    return found


def arguments(names: tuple[str, ...], page: CustomersPage) -> list[object]:
    """The statement's parameters, in its order."""
    values: dict[str, object] = {
        "limit": page.size + 1,
        "size": page.size,
        "cursor": page.cursor,
        "text": like_pattern(page.text) if page.text else None,
        "industry": page.industry,
        "status": page.status,
        "as_of": page.as_of,
        "default_policy": DEFAULT_POLICY_JSON,
    }
    return [values[name] for name in names]


#: A page's statement is planned once per connection, not on every call. PostgreSQL plans a
#: prepared statement afresh each time while the plan for its values looks cheaper than the
#: generic one, and for this statement it always does: 0.9 ms of planning a page, about a third
#: of its PostgreSQL time (10,000 customers, EXPLAIN ANALYZE: 3.0 ms an execution planned each
#: time, 1.7 ms generic). A text search keeps per-value plans: its pattern decides the scan.
GENERIC_PLANS = "SET LOCAL plan_cache_mode = force_generic_plan"


async def customers_data(
    session: ReadSession, plan: DataPlan, page: CustomersPage
) -> tuple[bytes, int]:
    """The response's `data` object as UTF-8 JSON bytes, and the operation's actual cost."""
    sql, names = statement_for(plan, page)
    args = arguments(names, page)
    opening = "" if page.text else GENERIC_PLANS
    return await session.run(lambda conn: fetch_json(conn, sql, args), opening)
