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


#: Each active customer's newest score, its inputs as JSON text (parsed once, in Python) and
#: the currency its money inputs were read in.
LATEST_SCORES_SQL = sa.text("""
SELECT c.id, c.code, c.legal_name, s.version_id, s.score, s.rating_class,
       CAST(s.inputs -> 'values' AS text) AS inputs,
       s.inputs -> 'context' ->> 'cardCurrency' AS currency
  FROM customers c
  LEFT JOIN LATERAL (SELECT version_id, score, rating_class, inputs FROM credit_scores
                      WHERE customer_id = c.id ORDER BY seq DESC LIMIT 1) s ON true
 WHERE c.status = 'ACTIVE'
 ORDER BY c.id
""")


@dataclass(frozen=True)
class _Known:
    """A customer with its stored inputs (None: never scored, or money read in another
    currency) and, when the active version scored them, that score and class."""

    customer_id: UUID
    code: str
    legal_name: str
    inputs: dict[str, InputValue] | None
    score: Decimal | None
    rating_class: str | None


async def _portfolio(
    conn: AsyncConnection, active_id: UUID | None, currency: str, reads: Collection[str]
) -> list[_Known]:
    out = []
    for r in await conn.execute(LATEST_SCORES_SQL):
        usable = r.inputs is not None and r.currency == currency
        by_active = usable and active_id is not None and r.version_id == active_id
        out.append(
            _Known(
                r.id,
                r.code,
                r.legal_name,
                inputs_from_stored(orjson.loads(r.inputs), reads) if usable else None,
                r.score if by_active else None,
                r.rating_class.strip() if by_active else None,
            )
        )
    return out


async def simulate(session: ReadSession, version_id: UUID, as_of: date) -> Simulation:
    """Score the portfolio with a version and compare with the active one; nothing is written.

    The inputs are those stored with each customer's newest score (the nightly rescoring keeps
    them current; inputs do not depend on the version, only the currency money is read in);
    where the active version gave that score, its class is taken as it is. Customers never
    scored are gathered afresh as of `as_of`; so is everyone when the two versions read money
    in different currencies.
    """
    check_date(as_of, "asOf")

    async def run(conn: AsyncConnection) -> Simulation:
        version = await version_by_id(conn, version_id)
        if version is None:
            raise NotFound("versionId", "scorecard version")
        baseline = await active_version(conn)
        base_card = baseline.card if baseline is not None else DEFAULT_SCORECARD
        card = version.card
        same_currency = base_card.currency == card.currency
        reads = {
            *(f.input for c in (card, base_card) for f in c.factors),
            *(k.input for c in (card, base_card) for k in c.knock_outs),
        }
        known = await _portfolio(
            conn,
            baseline.id if baseline else None,
            card.currency if same_currency else "",
            reads,
        )
        missing = [k.customer_id for k in known if k.inputs is None]
        fresh = {}
        base_fresh = {}
        if missing:
            people = await gather_inputs(conn, as_of, card.currency, customer_ids=missing)
            fresh = base_fresh = {p.customer_id: p.inputs for p in people}
            if not same_currency:
                people = await gather_inputs(conn, as_of, base_card.currency, customer_ids=missing)
                base_fresh = {p.customer_id: p.inputs for p in people}
        new, old = CompiledCard(card), CompiledCard(base_card)
        matrix = {a: dict.fromkeys(CLASSES, 0) for a in CLASSES}
        movers = []
        for k in known:
            inputs = k.inputs if k.inputs is not None else fresh.get(k.customer_id)
            if inputs is None:
                continue  # archived between the two reads
            if k.score is not None and k.rating_class is not None:
                before_score, before_class = k.score, k.rating_class
            else:
                before = score(old, k.inputs if k.inputs is not None else base_fresh[k.customer_id])
                before_score, before_class = before.score, before.rating_class.value
            after = score(new, inputs)
            a, z = before_class, after.rating_class.value
            matrix[a][z] += 1
            if a != z:
                movers.append(
                    Mover(
                        k.customer_id,
                        k.code,
                        k.legal_name,
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
