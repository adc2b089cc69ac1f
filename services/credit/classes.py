"""The one way a customer's rating class changes: history, audit, proposed terms, event.

`set_class` (one customer) and `set_classes` (a batch, e.g. a monthly reclassification) lock
the customers, write `customers.rating_class`, a history row with the class's proposed terms,
a CLASS entry in the decision log (what was known, what was chosen; it replays), an audit row,
and a `credit.class_changed` event naming that decision, all in the caller's transaction. A
downgrade says so in its event (`downgrade: true`), which the warning engine can act on.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from dbschema.credit_limit_tables import credit_decisions
from dbschema.queries.credit_scoring import insert_audit, insert_history, update_classes
from dbschema.queries.events import record_events
from dbschema.tables import customers
from domain.audit import AuditAction
from domain.credit.classes import Direction, RatingClass, class_decision, direction, parse_class
from domain.errors import DomainError, NotFound
from domain.terms import PaymentTerms
from services.configuration import payment_terms
from services.credit.decisions import register_replayer
from services.uow import UnitOfWork

TOPIC = "credit.class_changed"
SOURCES = ("SCORE", "OVERRIDE", "MANUAL", "REVIEW")
MAX_REASON = 2000
VERB = AuditAction.CHANGE_CREDIT_CLASS
#: Bumped when what a class decision records or how it replays changes.
CLASS_RULES_VERSION = 1

register_replayer("CLASS", class_decision)


@dataclass(frozen=True)
class ProposedTerms:
    """The payment terms a class carries (the tenant's CLASS_x template, else the default)."""

    rating_class: str
    template: str | None
    kind: str
    net_days: int
    eom_plus_days: int

    def as_json(self) -> dict[str, Any]:
        """As stored in the history and sent in the event."""
        return {
            "ratingClass": self.rating_class,
            "template": self.template,
            "kind": self.kind,
            "netDays": self.net_days,
            "eomPlusDays": self.eom_plus_days,
        }


@dataclass(frozen=True)
class ClassChangeIn:
    """One requested change."""

    customer_id: UUID
    new_class: RatingClass
    reason: str
    source: str
    score_id: UUID | None = None
    override_id: UUID | None = None


@dataclass(frozen=True)
class ClassChange:
    """What happened: unchanged, or from -> to with the history row and proposed terms."""

    customer_id: UUID
    before: str | None
    after: str
    direction: Direction
    history_id: UUID | None
    proposed_terms: ProposedTerms | None
    reason: str | None = None
    decision_id: UUID | None = None

    @property
    def changed(self) -> bool:
        """Whether the class moved."""
        return self.direction != Direction.UNCHANGED


def _terms(
    rating: str, templates: dict[str, Any], classes: dict[str, PaymentTerms]
) -> ProposedTerms:
    terms = classes[rating]
    code = f"CLASS_{rating}"
    return ProposedTerms(
        rating_class=rating,
        template=code if code in templates else None,
        kind=terms.kind.value,
        net_days=terms.net_days,
        eom_plus_days=terms.eom_plus_days,
    )


def _check(change: ClassChangeIn) -> None:
    if change.source not in SOURCES:
        raise DomainError("INVALID_INPUT", f"source is one of {', '.join(SOURCES)}", "source")
    reason = change.reason.strip()
    if not reason:
        raise DomainError("REQUIRED", "say why the class changes", "reason")
    if len(reason) > MAX_REASON:
        raise DomainError("TOO_LONG", f"at most {MAX_REASON} characters", "reason")


async def set_classes(uow: UnitOfWork, changes: Sequence[ClassChangeIn]) -> list[ClassChange]:
    """Apply many class changes set-wise; a customer already in its class is left alone."""
    for change in changes:
        _check(change)
    if not changes:
        return []
    ids = [c.customer_id for c in changes]
    rows = await uow.conn.execute(
        sa.select(
            customers.c.id, customers.c.code, customers.c.legal_name, customers.c.rating_class
        )
        .where(customers.c.id.in_(ids))
        .order_by(customers.c.id)
        .with_for_update()
    )
    current = {r.id: r for r in rows}
    missing = [i for i in ids if i not in current]
    if missing:
        raise NotFound("customerId", "customer")
    catalogue = await payment_terms.catalogue_in(uow)
    by_code = {t.code: t for t in catalogue.templates}
    classes = dict(catalogue.class_terms)
    out: list[ClassChange] = []
    moving: list[tuple[ClassChangeIn, ClassChange]] = []
    for change in changes:
        before = (current[change.customer_id].rating_class or "").strip() or None
        after = change.new_class.value
        way = direction(RatingClass(before) if before else None, change.new_class)
        if way == Direction.UNCHANGED:
            out.append(ClassChange(change.customer_id, before, after, way, None, None))
            continue
        done = ClassChange(
            change.customer_id, before, after, way, None, _terms(after, by_code, classes)
        )
        moving.append((change, done))
    if not moving:
        return out
    await update_classes(uow.conn, [c.customer_id for c, _ in moving], [d.after for _, d in moving])
    history = await insert_history(
        uow.conn,
        uow.tenant_id,
        uow.actor.subject,
        [
            {
                "customer_id": c.customer_id,
                "from_class": d.before,
                "to_class": d.after,
                "direction": d.direction.value,
                "source": c.source,
                "reason": c.reason.strip(),
                "score_id": c.score_id,
                "override_id": c.override_id,
                "proposed_terms": d.proposed_terms.as_json() if d.proposed_terms else {},
            }
            for c, d in moving
        ],
    )
    decisions = {c.customer_id: uuid.uuid4() for c, _ in moving}
    await uow.conn.execute(
        credit_decisions.insert(),
        [_decision(uow, decisions[c.customer_id], c, d, history[c.customer_id]) for c, d in moving],
    )
    await insert_audit(
        uow.conn,
        uow.tenant_id,
        uow.actor.subject,
        uow.actor.request_id,
        VERB,
        {
            c.customer_id: {
                "rating_class": {"before": d.before, "after": d.after},
                "source": {"before": None, "after": c.source},
                "reason": {"before": None, "after": c.reason.strip()},
            }
            for c, d in moving
        },
    )
    events = []
    for c, d in moving:
        row = current[c.customer_id]
        events.append(
            {
                "customerId": str(c.customer_id),
                "customer": {"code": row.code, "legalName": row.legal_name},
                "from": d.before,
                "to": d.after,
                "direction": d.direction.value,
                "downgrade": d.direction == Direction.DOWNGRADE,
                "source": c.source,
                "reason": c.reason.strip(),
                "scoreId": None if c.score_id is None else str(c.score_id),
                "overrideId": None if c.override_id is None else str(c.override_id),
                "historyId": str(history[c.customer_id]),
                "decisionId": str(decisions[c.customer_id]),
                "proposedTerms": d.proposed_terms.as_json() if d.proposed_terms else None,
            }
        )
        out.append(
            ClassChange(
                d.customer_id,
                d.before,
                d.after,
                d.direction,
                history[c.customer_id],
                d.proposed_terms,
                c.reason.strip(),
                decisions[c.customer_id],
            )
        )
    await record_events(uow.conn, uow.tenant_id, TOPIC, events)
    return out


def _decision(
    uow: UnitOfWork, decision_id: UUID, c: ClassChangeIn, d: ClassChange, history_id: UUID
) -> dict[str, Any]:
    """The decision log's row for one class change: its inputs, and the class chosen."""
    snapshot = {
        "customerId": str(c.customer_id),
        "from": d.before,
        "to": d.after,
        "source": c.source,
        "reason": c.reason.strip(),
        "scoreId": None if c.score_id is None else str(c.score_id),
        "overrideId": None if c.override_id is None else str(c.override_id),
        "historyId": str(history_id),
        "proposedTerms": d.proposed_terms.as_json() if d.proposed_terms else None,
    }
    return {
        "tenant_id": uow.tenant_id,
        "id": decision_id,
        "kind": "CLASS",
        "subject_id": c.customer_id,
        "customer_id": c.customer_id,
        "snapshot": snapshot,
        "outcome": class_decision(snapshot),
        "versions": {"classRules": CLASS_RULES_VERSION},
        "decided_by": uow.actor.subject,
        "request_id": uow.actor.request_id,
    }


async def set_class(
    uow: UnitOfWork,
    customer_id: UUID,
    new_class: str | RatingClass,
    reason: str,
    source: str,
    *,
    score_id: UUID | None = None,
    override_id: UUID | None = None,
) -> ClassChange:
    """Change one customer's class (or leave it when it is already that class)."""
    rating = (
        new_class if isinstance(new_class, RatingClass) else parse_class(new_class, "ratingClass")
    )
    [change] = await set_classes(
        uow, [ClassChangeIn(customer_id, rating, reason, source, score_id, override_id)]
    )
    return change
