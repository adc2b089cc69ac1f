"""The expiry sweep: each lapsed limit or temporary increase is recorded once.

A limit stops counting the day after its end on its own (the check reads validity by date);
the sweep makes the lapse visible: a decision with the limit as its snapshot and a
`credit.limit_changed` event, idempotent per limit however often the job runs.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from dbschema.credit_limit_tables import credit_decisions, credit_limits
from dbschema.queries.events import record_events
from domain.credit.limits import expiry_outcome
from services.credit.decisions import record_decision
from services.credit.limit_history import limit_record
from services.credit.topics import TOPIC_LIMIT
from services.uow import UnitOfWork

#: The standard limit in force per customer and scope (as `in_force` picks it: the newest
#: valid on the date, else the one that ended last), when it lapsed; and every increase.
_LAPSED = sa.text("""
SELECT l.* FROM (
    SELECT DISTINCT ON (customer_id, scope) * FROM credit_limits
     WHERE kind = 'STANDARD' AND valid_from <= :as_of
     ORDER BY customer_id, scope, least(valid_to, :as_of) DESC, seq DESC) l
 WHERE l.valid_to < :as_of
UNION ALL
SELECT * FROM credit_limits WHERE kind = 'TEMPORARY' AND valid_to < :as_of
""").columns(*credit_limits.c)


async def expire_limits(uow: UnitOfWork, as_of: date) -> int:
    """Record every limit (in force until it lapsed) and increase that ended before `as_of`
    and is not recorded yet; returns how many were recorded now."""
    sub = _LAPSED.subquery("lapsed")
    lapsed = sa.select(sub).where(
        ~sa.exists().where(
            credit_decisions.c.kind == "LIMIT_EXPIRY", credit_decisions.c.subject_id == sub.c.id
        )
    )
    rows = list(await uow.conn.execute(lapsed, {"as_of": as_of}))
    payloads = []
    for row in rows:
        record = limit_record(row)
        snapshot = {"asOf": as_of.isoformat(), "limit": record.to_json()}
        decision_id = await record_decision(
            uow,
            "LIMIT_EXPIRY",
            row.id,
            snapshot,
            expiry_outcome(snapshot),
            {},
            customer_id=row.customer_id,
            publish=False,
        )
        payloads.append(
            {
                "change": "EXPIRED",
                "limitId": str(row.id),
                "customerId": str(row.customer_id),
                "scope": row.scope,
                "kind": row.kind,
                "validTo": row.valid_to.isoformat(),
                "decisionId": str(decision_id),
            }
        )
    await record_events(uow.conn, uow.tenant_id, TOPIC_LIMIT, payloads)
    return len(rows)
