"""Scoring customers with the active scorecard: one customer, the changed ones, or everyone.

Inputs come set-wise (`scoring_facts`), the pure scoring function runs in Python, and the
scores are written in batches of arrays. Every score row keeps its version, every input value
(or why it is missing), each factor's points, the reason codes and the knock-outs, so a score
can be explained and replayed. Applying a score's class goes through `classes.set_classes`,
except where a manual override is in force.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import orjson
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from dbschema.credit_analysis_tables import class_overrides, credit_scores
from dbschema.queries.credit_scoring import SEP, insert_scores
from domain.credit.classes import RatingClass
from domain.credit.dates import check_date
from domain.credit.scoring import CompiledCard, ScoreResult, score
from domain.errors import NotFound
from services.credit.classes import ClassChange, ClassChangeIn, set_classes
from services.credit.scorecards import ScorecardVersion, ensure_active
from services.credit.scoring_facts import CustomerInputs, gather_inputs
from services.uow import UnitOfWork

BATCH = 5000  #: score rows written per statement
TRIGGERS = ("MANUAL", "RESCORE", "RECLASSIFY", "REVIEW")


@dataclass(frozen=True)
class ScoreOutcome:
    """A stored score and what it did to the class (None: not applied, or held by override)."""

    score_id: UUID
    customer_id: UUID
    result: ScoreResult
    class_change: ClassChange | None
    held_by_override: bool


@dataclass(frozen=True)
class RescoreSummary:
    """A portfolio run: how many were looked at, scored, skipped as unchanged, reclassed."""

    as_of: date
    version_id: UUID
    customers: int
    scored: int
    unchanged: int
    class_changes: int
    held_by_override: int


def factors_json(result: ScoreResult) -> list[dict[str, Any]]:
    """Each factor's value, band, points, weight and shortfall, as stored."""
    return [
        {
            "input": f.input,
            "value": None if f.value is None else str(f.value),
            "band": f.band,
            "points": f.points,
            "weight": str(f.weight),
            "missing": f.missing,
            "missingRule": f.missing_rule.value,
            "shortfall": str(f.shortfall),
        }
        for f in result.factors
    ]


@dataclass(frozen=True)
class Scored:
    """A customer's inputs, their stored text and digest, and the score they got."""

    person: CustomerInputs
    result: ScoreResult
    inputs_text: str
    digest: str


def scored(person: CustomerInputs, result: ScoreResult) -> Scored:
    """Bundle a score with its inputs as stored."""
    text, digest = person.stored()
    return Scored(person, result, text, digest)


def score_row(s: Scored) -> dict[str, Any]:
    """The arrays' values of one score row."""
    result = s.result
    return {
        "customer_id": s.person.customer_id,
        "score": result.score,
        "score_class": result.score_class.value,
        "rating_class": result.rating_class.value,
        "inputs": s.inputs_text,
        "factors": orjson.dumps(factors_json(result)).decode(),
        "reasons": SEP.join(result.reason_codes),
        "knock_outs": SEP.join(result.knock_outs),
        "missing": SEP.join(result.missing_inputs),
        "inputs_hash": s.digest,
    }


async def overrides_in_force(
    conn: AsyncConnection, as_of: date, customer_id: UUID | None = None
) -> set[UUID]:
    """Customers whose latest applied override still holds on as_of (no end, or not yet
    ended): a score is recorded for them but does not move their class."""
    o = class_overrides
    latest = (
        sa.select(o.c.customer_id, o.c.valid_until)
        .where(o.c.status == "APPLIED")
        .distinct(o.c.customer_id)
        .order_by(o.c.customer_id, o.c.decided_at.desc())
    )
    if customer_id is not None:
        latest = latest.where(o.c.customer_id == customer_id)
    rows = await conn.execute(latest)
    return {r.customer_id for r in rows if r.valid_until is None or r.valid_until >= as_of}


async def _latest_hashes(conn: AsyncConnection) -> dict[UUID, tuple[UUID, str]]:
    """Each customer's newest score: (version, inputs hash), one index probe per customer."""
    rows = await conn.execute(
        sa.text("""
SELECT c.id, s.version_id, s.inputs_hash FROM customers c
  CROSS JOIN LATERAL (SELECT version_id, inputs_hash FROM credit_scores
                       WHERE customer_id = c.id ORDER BY seq DESC LIMIT 1) s
 WHERE c.status = 'ACTIVE'
""")
    )
    return {r.id: (r.version_id, r.inputs_hash) for r in rows}


async def _scored_on(conn: AsyncConnection, as_of: date) -> dict[UUID, tuple[UUID, UUID, str]]:
    """Each customer's newest score dated `as_of`: (score, version, inputs hash). Read by the
    date's index, so the first run of a day (none yet) costs nothing."""
    rows = await conn.execute(
        sa.text("""
SELECT DISTINCT ON (customer_id) customer_id, id, version_id, inputs_hash FROM credit_scores
 WHERE as_of = :as_of ORDER BY customer_id, seq DESC
"""),
        {"as_of": as_of},
    )
    return {r.customer_id: (r.id, r.version_id, r.inputs_hash) for r in rows}


async def _store(
    uow: UnitOfWork,
    version: ScorecardVersion,
    as_of: date,
    trigger: str,
    done: Sequence[Scored],
) -> dict[UUID, UUID]:
    ids: dict[UUID, UUID] = {}
    for start in range(0, len(done), BATCH):
        chunk = done[start : start + BATCH]
        ids.update(
            await insert_scores(
                uow.conn,
                tenant_id=uow.tenant_id,
                version_id=version.id,
                as_of=as_of,
                trigger=trigger,
                actor=uow.actor.subject,
                rows=[score_row(x) for x in chunk],
            )
        )
    return ids


async def _apply(
    uow: UnitOfWork,
    done: Sequence[Scored],
    ids: dict[UUID, UUID],
    held: set[UUID],
    version: ScorecardVersion,
) -> list[ClassChange]:
    wanted = [
        ClassChangeIn(
            x.person.customer_id,
            x.result.rating_class,
            f"score {x.result.score} with scorecard version {version.number}"
            + (f"; knock-outs {', '.join(x.result.knock_outs)}" if x.result.knock_outs else ""),
            "SCORE",
            score_id=ids[x.person.customer_id],
        )
        for x in done
        if x.person.customer_id not in held and x.person.rating_class != x.result.rating_class.value
    ]
    changes = []
    for start in range(0, len(wanted), BATCH):
        changes += await set_classes(uow, wanted[start : start + BATCH])
    return changes


async def score_customer(
    uow: UnitOfWork,
    customer_id: UUID,
    as_of: date,
    *,
    apply: bool = True,
    trigger: str = "MANUAL",
) -> ScoreOutcome:
    """Score one customer now with the active version; apply its class unless an override
    holds (or `apply` is false)."""
    check_date(as_of, "asOf")
    version = await ensure_active(uow)
    people = await gather_inputs(uow.conn, as_of, version.card.currency, customer_id)
    if not people:
        raise NotFound("customerId", "customer")
    [person] = people
    result = score(CompiledCard(version.card), person.inputs)
    done = [scored(person, result)]
    ids = await _store(uow, version, as_of, trigger, done)
    held = await overrides_in_force(uow.conn, as_of, customer_id)
    change = None
    if apply:
        changes = await _apply(uow, done, ids, held, version)
        change = changes[0] if changes else None
    return ScoreOutcome(ids[customer_id], customer_id, result, change, customer_id in held)


async def _portfolio(
    uow: UnitOfWork, as_of: date, *, force: bool, apply: bool, trigger: str
) -> RescoreSummary:
    check_date(as_of, "asOf")
    version = await ensure_active(uow)
    card = CompiledCard(version.card)
    people = await gather_inputs(uow.conn, as_of, version.card.currency)
    previous = {} if force else await _latest_hashes(uow.conn)
    #: a forced run (reclassification) keeps a score of the same date, version and inputs
    #: instead of storing it again, so running it twice for one date adds no rows
    today = await _scored_on(uow.conn, as_of) if force else {}
    done: list[Scored] = []
    kept: dict[UUID, UUID] = {}
    for person in people:
        text, digest = person.stored()
        if previous.get(person.customer_id) == (version.id, digest):
            continue
        done.append(Scored(person, score(card, person.inputs), text, digest))
        same_day = today.get(person.customer_id)
        if same_day is not None and same_day[1:] == (version.id, digest):
            kept[person.customer_id] = same_day[0]
    ids = kept | await _store(
        uow, version, as_of, trigger, [x for x in done if x.person.customer_id not in kept]
    )
    held = await overrides_in_force(uow.conn, as_of)
    changes = await _apply(uow, done, ids, held, version) if apply else []
    return RescoreSummary(
        as_of=as_of,
        version_id=version.id,
        customers=len(people),
        scored=len(done),
        unchanged=len(people) - len(done),
        class_changes=sum(1 for c in changes if c.changed),
        held_by_override=sum(1 for x in done if x.person.customer_id in held),
    )


async def rescore_changed(uow: UnitOfWork, as_of: date, *, apply: bool = False) -> RescoreSummary:
    """Score every active customer whose inputs (or the active version) changed since its last
    score; the nightly run. With `apply`, classes follow the scores (monthly reclassification)."""
    return await _portfolio(uow, as_of, force=False, apply=apply, trigger="RESCORE")


async def rescore_all(uow: UnitOfWork, as_of: date, *, apply: bool = False) -> RescoreSummary:
    """Score every active customer, changed or not."""
    trigger = "RECLASSIFY" if apply else "RESCORE"
    return await _portfolio(uow, as_of, force=True, apply=apply, trigger=trigger)


@dataclass(frozen=True)
class StoredScore:
    """A score as stored: everything needed to explain (or replay) it."""

    id: UUID
    customer_id: UUID
    version_id: UUID
    as_of: date
    score: Decimal
    score_class: RatingClass
    rating_class: RatingClass
    inputs: dict[str, Any]
    factors: list[dict[str, Any]]
    reason_codes: list[str]
    knock_outs: list[str]
    missing_inputs: list[str]
    trigger: str
    created_at: datetime
    created_by: str


def stored_score(row: dict[str, Any]) -> StoredScore:
    """A row as the read result."""
    return StoredScore(
        id=row["id"],
        customer_id=row["customer_id"],
        version_id=row["version_id"],
        as_of=row["as_of"],
        score=row["score"],
        score_class=RatingClass(row["score_class"].strip()),
        rating_class=RatingClass(row["rating_class"].strip()),
        inputs=row["inputs"],
        factors=row["factors"],
        reason_codes=list(row["reason_codes"]),
        knock_outs=list(row["knock_outs"]),
        missing_inputs=list(row["missing_inputs"]),
        trigger=row["trigger"],
        created_at=row["created_at"],
        created_by=row["created_by"],
    )


async def score_by_id(conn: AsyncConnection, score_id: UUID) -> StoredScore | None:
    """One stored score of the tenant."""
    row = (
        await conn.execute(sa.select(credit_scores).where(credit_scores.c.id == score_id))
    ).first()
    return stored_score(dict(row._mapping)) if row else None
