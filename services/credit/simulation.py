"""What a scorecard version would do: simulate it on today's portfolio, back-test it on history.

The simulation scores every active customer with the version and with the active one on the
same inputs (gathered once, set-wise) and returns the class migration matrix and the movers.
The back-test reads the score history and asks of each scored customer whether it went bad
within a year (`domain.credit.backtest.went_bad`, done here set-wise).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

import orjson
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.credit.backtest import BAD_DAYS_PAST_DUE, HORIZON_DAYS, ClassOutcome, outcomes
from domain.credit.dates import check_date
from domain.credit.default_scorecard import DEFAULT_SCORECARD
from domain.credit.scoring import CompiledCard, InputValue, score
from domain.errors import DomainError, NotFound
from services.credit.scorecards import ScorecardVersion, active_version, version_by_id
from services.credit.scoring_facts import gather_inputs, inputs_from_stored
from services.read_session import ReadSession

CLASSES = ("A", "B", "C", "D")


@dataclass(frozen=True)
class Mover:
    """A customer whose class would change: scores and classes under both versions."""

    customer_id: UUID
    code: str
    legal_name: str
    score_before: Decimal
    class_before: str
    score_after: Decimal
    class_after: str
    reason_codes: tuple[str, ...]
    knock_outs: tuple[str, ...]


@dataclass(frozen=True)
class Simulation:
    """The migration matrix (rows: class under the active version, columns: under the
    simulated one) and every mover, ordered by customer code."""

    version: ScorecardVersion
    baseline: ScorecardVersion | None  # None: the practice's default (no active version)
    as_of: date
    customers: int
    matrix: dict[str, dict[str, int]]
    movers: list[Mover]


#: Each active customer's newest score, its inputs as JSON text (parsed once, in Python).
LATEST_SCORES_SQL = sa.text("""
SELECT c.id, c.code, c.legal_name, s.version_id, s.score, s.rating_class,
       CAST(s.inputs -> 'values' AS text) AS inputs
  FROM customers c
  LEFT JOIN LATERAL (SELECT version_id, score, rating_class, inputs FROM credit_scores
                      WHERE customer_id = c.id ORDER BY seq DESC LIMIT 1) s ON true
 WHERE c.status = 'ACTIVE'
 ORDER BY c.id
""")


@dataclass(frozen=True)
class _Baseline:
    """A customer as the active version last scored it (inputs None: never, or another version)."""

    customer_id: UUID
    code: str
    legal_name: str
    score: Decimal | None
    rating_class: str | None
    inputs: dict[str, InputValue] | None


async def _baselines(
    conn: AsyncConnection, active_id: UUID | None, reads: Collection[str]
) -> list[_Baseline]:
    out = []
    for r in await conn.execute(LATEST_SCORES_SQL):
        current = active_id is not None and r.version_id == active_id and r.inputs is not None
        out.append(
            _Baseline(
                r.id,
                r.code,
                r.legal_name,
                r.score if current else None,
                r.rating_class.strip() if current else None,
                inputs_from_stored(orjson.loads(r.inputs), reads) if current else None,
            )
        )
    return out


async def simulate(session: ReadSession, version_id: UUID, as_of: date) -> Simulation:
    """Score the portfolio with a version and compare with the active one; nothing is written.

    The inputs are those stored with each customer's newest score by the active version (the
    nightly rescoring keeps them current), so the active side needs no scoring at all;
    customers never scored by the active version, and every customer when the two versions
    read money in different currencies, are gathered afresh as of `as_of` and scored by both.
    """

    check_date(as_of, "asOf")

    async def run(conn: AsyncConnection) -> Simulation:
        version = await version_by_id(conn, version_id)
        if version is None:
            raise NotFound("versionId", "scorecard version")
        baseline = await active_version(conn)
        base_card = baseline.card if baseline is not None else DEFAULT_SCORECARD
        same_currency = base_card.currency == version.card.currency
        card = version.card
        reads = {f.input for f in card.factors} | {k.input for k in card.knock_outs}
        known = await _baselines(conn, baseline.id if baseline and same_currency else None, reads)
        stale = [b.customer_id for b in known if b.inputs is None]
        fresh = {
            p.customer_id: p
            for p in (
                await gather_inputs(conn, as_of, version.card.currency, customer_ids=stale)
                if stale
                else []
            )
        }
        base_fresh = fresh
        if not same_currency and stale:
            people = await gather_inputs(conn, as_of, base_card.currency, customer_ids=stale)
            base_fresh = {p.customer_id: p for p in people}
        new, old = CompiledCard(version.card), CompiledCard(base_card)
        matrix = {a: dict.fromkeys(CLASSES, 0) for a in CLASSES}
        movers = []
        for b in known:
            if b.inputs is not None and b.score is not None and b.rating_class is not None:
                inputs, before_score, before_class = b.inputs, b.score, b.rating_class
            elif b.customer_id in fresh:
                inputs = fresh[b.customer_id].inputs
                before = score(old, base_fresh[b.customer_id].inputs)
                before_score, before_class = before.score, before.rating_class.value
            else:
                continue  # archived between the two reads
            after = score(new, inputs)
            a, z = before_class, after.rating_class.value
            matrix[a][z] += 1
            if a != z:
                movers.append(
                    Mover(
                        b.customer_id,
                        b.code,
                        b.legal_name,
                        before_score,
                        a,
                        after.score,
                        z,
                        after.reason_codes,
                        after.knock_outs,
                    )
                )
        movers.sort(key=lambda m: (m.code, m.customer_id))
        total = sum(sum(row.values()) for row in matrix.values())
        return Simulation(version, baseline, as_of, total, matrix, movers)

    return await session.run(run)


#: domain.credit.backtest.went_bad, set-wise: each customer's first score in the period.
BACKTEST_SQL = f"""
WITH cohort AS (
    SELECT DISTINCT ON (customer_id) customer_id, as_of AS scored_on, rating_class
      FROM credit_scores
     WHERE as_of BETWEEN :start AND :end {{version}}
     ORDER BY customer_id, as_of, seq
), horizon AS (
    SELECT customer_id, scored_on, rating_class,
           LEAST(scored_on + {HORIZON_DAYS}, CAST(:as_of AS date)) AS until
      FROM cohort
), overdue AS (
    SELECT DISTINCT h.customer_id
      FROM horizon h
      JOIN invoices i ON i.customer_id = h.customer_id
      CROSS JOIN LATERAL (
          SELECT GREATEST(h.scored_on + 1, i.due_date + {BAD_DAYS_PAST_DUE + 1}) AS day) d
     WHERE d.day <= h.until
       AND i.amount_minor > coalesce((SELECT sum(a.amount_minor) FROM allocations a
                                       WHERE a.invoice_id = i.id AND a.effective_on <= d.day), 0)
), written_off AS (
    SELECT DISTINCT h.customer_id
      FROM horizon h
      JOIN invoices i ON i.customer_id = h.customer_id
      JOIN allocations a ON a.invoice_id = i.id
     WHERE a.kind = 'WRITE_OFF' AND a.amount_minor > 0
       AND a.effective_on > h.scored_on AND a.effective_on <= h.until
)
SELECT h.rating_class,
       h.customer_id IN (SELECT customer_id FROM overdue)
         OR h.customer_id IN (SELECT customer_id FROM written_off) AS bad,
       h.until = h.scored_on + {HORIZON_DAYS} AS matured
  FROM horizon h
"""


@dataclass(frozen=True)
class Backtest:
    """Bad rates per class of the customers first scored in the period."""

    start: date
    end: date
    as_of: date
    version_id: UUID | None
    classes: list[ClassOutcome]


async def backtest(
    session: ReadSession, version_id: UUID | None, start: date, end: date, as_of: date
) -> Backtest:
    """Per class: scored customers (first score in the period, optionally of one version),
    how many went bad within a year, and how many were observed the full year."""
    for day, name in ((start, "from"), (end, "to"), (as_of, "asOf")):
        check_date(day, name)
    if end < start:
        raise DomainError("INVALID_INPUT", "the period ends before it starts", "to")
    one = "AND version_id = :version" if version_id is not None else ""
    sql = sa.text(BACKTEST_SQL.format(version=one))
    params: dict[str, object] = {"start": start, "end": end, "as_of": as_of}
    if version_id is not None:
        params["version"] = version_id

    async def run(conn: AsyncConnection) -> list[tuple[str, bool, bool]]:
        rows = await conn.execute(sql, params)
        return [(r.rating_class.strip(), bool(r.bad), bool(r.matured)) for r in rows]

    rows = await session.run(run)
    return Backtest(start, end, as_of, version_id, outcomes(rows))
