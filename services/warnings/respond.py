"""Responses to raised warnings, per level and tenant: tasks, proposals, reviews brought
forward, credit holds (which the credit check enforces) and notices to legal."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from dbschema.queries import warning_store as store
from dbschema.queries.events import record_events
from domain.audit import AuditAction
from domain.warning_rules.levels import Level
from domain.warning_rules.responses import ROLE, Action, due_days
from services.credit.topics import TOPIC_LIMIT
from services.uow import UnitOfWork
from services.warnings.settings import WarningSettings

HOLD_REASON = "Severe early warning"  #: the reason a warning's credit hold shows
#: What each response starts as: a proposal waits for a decision, a hold is applied at once.
STARTS = {Action.TERMS_PROPOSAL: "PENDING", Action.CREDIT_HOLD: "DONE"}


@dataclass(frozen=True)
class Answered:
    """Responses recorded and customers newly put on hold."""

    responses: int
    held: int


def _details(action: Action, row: Any, level: Level, due: date) -> dict[str, Any]:
    if action is Action.TASK:
        return {"assignee": row.salesperson, "title": f"Follow up {row.kind} warning"}
    if action is Action.TERMS_PROPOSAL:
        proposal = "PREPAYMENT" if level is Level.SEVERE else "SHORTER_TERMS"
        return {"proposal": proposal, "currentTerms": row.payment_terms_code}
    if action is Action.REVIEW_FORWARD:
        return {"reviewBy": due.isoformat(), "lastReviewedOn": _iso(row.last_reviewed_on)}
    if action is Action.NOTIFY_LEGAL:
        return {"kind": row.kind}
    return {"reason": HOLD_REASON}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


async def respond(
    uow: UnitOfWork, changed: Sequence[Any], as_of: date, settings: WarningSettings
) -> Answered:
    """The configured responses of each warning raised (or raised in level) in a run."""
    to_hold = [
        r.customer_id for r in changed if Action.CREDIT_HOLD in settings.responses[Level(r.level)]
    ]
    held = set(await store.hold(uow.conn, uow.tenant_id, to_hold, HOLD_REASON, uow.actor.subject))
    rows = []
    for r in changed:
        level = Level(r.level)
        for action in settings.responses[level]:
            if action is Action.CREDIT_HOLD:
                if r.customer_id not in held:
                    continue  # held already: the hold's response sits with the warning that set it
                held.discard(r.customer_id)
            due = as_of + timedelta(days=due_days(action))
            rows.append(
                {
                    "warning_id": str(r.id),
                    "customer_id": str(r.customer_id),
                    "action": action.value,
                    "level": level.value,
                    "role": ROLE[action],
                    "status": STARTS.get(action, "OPEN"),
                    "due_on": due.isoformat() if due_days(action) else None,
                    "details": _details(action, r, level, due),
                }
            )
    added = []
    for start in range(0, len(rows), 20_000):
        added.extend(
            await store.add_responses(uow.conn, uow.tenant_id, rows[start : start + 20_000])
        )
    newly = sorted({UUID(str(r["customer_id"])) for r in rows if r["action"] == "CREDIT_HOLD"})
    await store.audit_many(
        uow.conn,
        uow.tenant_id,
        [
            {
                "entity_type": "CreditHold",
                "entity_id": str(c),
                "customer_id": str(c),
                "action": AuditAction.SET_CREDIT_HOLD.value,
                "changes": {
                    "held": {"before": False, "after": True},
                    "reason": {"after": HOLD_REASON},
                    "source": {"after": "WARNING"},
                },
            }
            for c in newly
        ],
        uow.actor.subject,
    )
    await record_events(
        uow.conn,
        uow.tenant_id,
        TOPIC_LIMIT,
        [
            {"change": "HOLD", "customerId": str(c), "reason": HOLD_REASON, "source": "WARNING"}
            for c in newly
        ],
    )
    return Answered(len(added), len(newly))
