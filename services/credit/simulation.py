"""What a scorecard version would do: simulate it on today's portfolio, back-test it on history.

The simulation scores every active customer with the version and with the active one on the
same inputs (gathered once, set-wise) and returns the class migration matrix and the movers.
The back-test reads the score history and asks of each scored customer whether it went bad
within a year (`domain.credit.backtest.went_bad`, done here set-wise).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.credit.backtest import BAD_DAYS_PAST_DUE, HORIZON_DAYS, ClassOutcome, outcomes
from domain.credit.default_scorecard import DEFAULT_SCORECARD
from domain.credit.scoring import CompiledCard, score
from domain.errors import DomainError, NotFound
from services.credit.scorecards import ScorecardVersion, active_version, version_by_id
from services.credit.scoring_facts import CustomerInputs, gather_inputs
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


async def _inputs(
    conn: AsyncConnection, as_of: date, currency: str, cache: dict[str, list[CustomerInputs]]
) -> list[CustomerInputs]:
    if currency not in cache:
        cache[currency] = await gather_inputs(conn, as_of, currency)
    return cache[currency]


async def simulate(session: ReadSession, version_id: UUID, as_of: date) -> Simulation:
    """Score the portfolio with a version and with the active one; nothing is written."""

    async def run(conn: AsyncConnection) -> Simulation:
        version = await version_by_id(conn, version_id)
        if version is None:
            raise NotFound("versionId", "scorecard version")
        baseline = await active_version(conn)
        base_card = baseline.card if baseline is not None else DEFAULT_SCORECARD
        cache: dict[str, list[CustomerInputs]] = {}
        after_people = await _inputs(conn, as_of, version.card.currency, cache)
        before_people = await _inputs(conn, as_of, base_card.currency, cache)
        new, old = CompiledCard(version.card), CompiledCard(base_card)
        matrix = {a: dict.fromkeys(CLASSES, 0) for a in CLASSES}
        movers = []
        for before_in, after_in in zip(before_people, after_people, strict=True):
            before = score(old, before_in.inputs)
            after = score(new, after_in.inputs)
            a, b = before.rating_class.value, after.rating_class.value
            matrix[a][b] += 1
            if a != b:
                movers.append(
                    Mover(
                        after_in.customer_id,
                        after_in.code,
                        after_in.legal_name,
                        before.score,
                        a,
                        after.score,
                        b,
                        after.reason_codes,
                        after.knock_outs,
                    )
                )
        movers.sort(key=lambda m: (m.code, m.customer_id))
        return Simulation(version, baseline, as_of, len(after_people), matrix, movers)

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
