"""Month-end provision runs: a rate per invoice from the tenant's matrix, set-wise in SQL.

A run for a period replaces its own lines until the period is closed; the movement is
measured against the previous period's run (charge when it grows, release when it falls,
utilised when a write-off used it up). The statement is the fast twin of
domain.provisions.provision_run, and tests/services/test_provision_twin.py holds them equal.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from dbschema.closing_tables import provision_customer_lines, provision_runs
from dbschema.queries.events import record_event
from domain.dates import EARLIEST, check_date
from domain.errors import DomainError
from domain.provisions import AGE, ProvisionMatrix, ProvisionTotals
from services.configuration import policy as receivables_config
from services.risk.net_basis import retained_shares
from services.uow import UnitOfWork


def _rate_case(matrix: ProvisionMatrix) -> str:
    days = (
        "(CAST(:period_end AS date) - i.issue_date)"
        if matrix.basis == AGE
        else "(CAST(:period_end AS date) - i.due_date)"
    )
    whens = " ".join(
        f"WHEN {days} >= {int(b.min_days)} THEN {b.rate}" for b in reversed(matrix.bands)
    )
    return f"CASE {whens} ELSE 0 END"


def lines_sql(matrix: ProvisionMatrix) -> sa.TextClause:
    """Every line of a run in one statement: per invoice, compared with the previous run and
    with write-offs since it, then folded into one row per customer and currency."""
    return sa.text(f"""
WITH later AS (
    SELECT invoice_id, sum(amount_minor) AS amount FROM allocations
     WHERE effective_on > CAST(:period_end AS date) GROUP BY invoice_id
), factors AS (  -- issue 11: net of cover, the share of each customer's exposure retained
    SELECT CAST(key AS uuid) AS customer_id, CAST(value AS numeric) AS factor
      FROM jsonb_each_text(CAST(:factors AS jsonb))
), open_items AS (
    SELECT i.id, i.customer_id, i.currency, i.open_minor + coalesce(l.amount, 0) AS open_minor,
           {_rate_case(matrix)} AS rate, coalesce(f.factor, 1) AS factor
      FROM invoices i LEFT JOIN later l ON l.invoice_id = i.id
      LEFT JOIN factors f ON f.customer_id = i.customer_id
     WHERE i.issue_date <= CAST(:period_end AS date)
), previous AS (
    SELECT p.customer_id, p.currency, u.invoice_id, u.provision_minor
      FROM provision_customer_lines p,
           unnest(p.invoice_ids, p.invoice_provision) AS u(invoice_id, provision_minor)
     WHERE p.run_id = :previous_run
), written_off AS (
    SELECT invoice_id, sum(amount_minor) AS amount FROM allocations
     WHERE kind = 'WRITE_OFF' AND effective_on > CAST(:previous_end AS date)
       AND effective_on <= CAST(:period_end AS date)
     GROUP BY invoice_id
), lines AS (
    SELECT coalesce(o.id, p.invoice_id) AS invoice_id,
           coalesce(o.customer_id, p.customer_id) AS customer_id,
           coalesce(o.currency, p.currency) AS currency,
           coalesce(o.open_minor, 0) AS open_minor, coalesce(o.rate, 0) AS rate,
           coalesce(round(o.open_minor * o.rate * o.factor), 0)::bigint AS provision_minor,
           coalesce(p.provision_minor, 0) AS previous_minor
      FROM (SELECT * FROM open_items WHERE open_minor > 0) o
      FULL JOIN previous p ON p.invoice_id = o.id
), moves AS (
    SELECT l.*, GREATEST(l.provision_minor - l.previous_minor, 0) AS increase,
           LEAST(coalesce(w.amount, 0),
                 GREATEST(l.previous_minor - l.provision_minor, 0)) AS used,
           GREATEST(l.previous_minor - l.provision_minor, 0) AS decrease
      FROM lines l LEFT JOIN written_off w ON w.invoice_id = l.invoice_id
)
INSERT INTO provision_customer_lines (tenant_id, run_id, customer_id, currency, open_minor,
    provision_minor, previous_minor, charge_minor, release_minor, utilised_minor, invoice_ids,
    invoice_open, invoice_rate, invoice_provision, invoice_previous)
SELECT :tenant, :run, customer_id, currency, sum(open_minor), sum(provision_minor),
       sum(previous_minor), sum(increase), sum(decrease - used), sum(used),
       array_agg(invoice_id ORDER BY invoice_id), array_agg(open_minor ORDER BY invoice_id),
       array_agg(rate ORDER BY invoice_id), array_agg(provision_minor ORDER BY invoice_id),
       array_agg(previous_minor ORDER BY invoice_id)
  FROM moves GROUP BY customer_id, currency
""")


TOTALS_SQL = sa.text("""
SELECT currency, sum(open_minor) AS open_minor, sum(provision_minor) AS provision,
       sum(previous_minor) AS previous, sum(charge_minor) AS charge,
       sum(release_minor) AS release, sum(utilised_minor) AS utilised
  FROM provision_customer_lines WHERE run_id = :run
 GROUP BY currency ORDER BY currency
""")


@dataclass(frozen=True)
class ProvisionRunSummary:
    """What a run computed: its id, period, basis and totals per currency."""

    run_id: UUID
    period_end: date
    basis: str
    totals: tuple[ProvisionTotals, ...]


def stored_totals(totals: tuple[ProvisionTotals, ...]) -> dict[str, dict[str, int]]:
    """Totals as provision_runs.totals stores them: per currency, minor units by name."""
    return {
        t.currency: {
            "open": t.open_minor,
            "provision": t.provision_minor,
            "previous": t.previous_minor,
            "charge": t.charge_minor,
            "release": t.release_minor,
            "utilised": t.utilised_minor,
        }
        for t in totals
    }


def totals_of(stored: Mapping[str, Mapping[str, int]]) -> tuple[ProvisionTotals, ...]:
    """Inverse of stored_totals, ordered by currency."""
    return tuple(
        ProvisionTotals(
            currency=c,
            open_minor=int(t["open"]),
            provision_minor=int(t["provision"]),
            previous_minor=int(t["previous"]),
            charge_minor=int(t["charge"]),
            release_minor=int(t["release"]),
            utilised_minor=int(t["utilised"]),
        )
        for c, t in sorted(stored.items())
    )


def run_details(run: ProvisionRunSummary) -> dict[str, Any]:
    """The run as its event (and its job) records it: JSON for subscribers and pollers."""
    return {
        "runId": str(run.run_id),
        "periodEnd": run.period_end.isoformat(),
        "totals": stored_totals(run.totals),
    }


async def run_provisions(uow: UnitOfWork, period_end: date) -> ProvisionRunSummary:
    """Compute (or recompute) the run for a period; a closed period is never changed."""
    check_date(period_end, "periodEnd")
    conn = uow.conn
    # one computation per tenant and period at a time: two workers asked for the same period
    # (a catch-up, a retry) would otherwise both find no run and both insert one
    await conn.execute(
        sa.text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
        {"key": f"{uow.tenant_id}:provisions:{period_end.isoformat()}"},
    )
    existing = (
        await conn.execute(
            sa.select(provision_runs)
            .where(provision_runs.c.period_end == period_end)
            .with_for_update()
        )
    ).first()
    if existing is not None and existing.status == "CLOSED":
        raise DomainError("PERIOD_CLOSED", f"the {period_end} provision run is closed", "periodEnd")
    matrix = (await receivables_config.in_effect(uow)).provision_matrix
    previous = (
        await conn.execute(
            sa.select(provision_runs.c.id, provision_runs.c.period_end)
            .where(provision_runs.c.period_end < period_end)
            .order_by(provision_runs.c.period_end.desc())
            .limit(1)
        )
    ).first()
    if existing is None:
        run_id: UUID = await conn.scalar(
            provision_runs.insert()
            .values(
                tenant_id=uow.tenant_id,
                period_end=period_end,
                basis=matrix.basis,
                totals={},
                created_by=uow.actor.subject,
            )
            .returning(provision_runs.c.id)
        )
    else:
        run_id = existing.id
        await conn.execute(
            provision_customer_lines.delete().where(provision_customer_lines.c.run_id == run_id)
        )
    await conn.execute(
        lines_sql(matrix),
        {
            "period_end": period_end,
            "tenant": uow.tenant_id,
            "run": run_id,
            "previous_run": previous.id if previous else None,
            "previous_end": previous.period_end if previous else EARLIEST,
            # issue 11 (risk transfer): {} on the gross basis (the default), so nothing changes
            "factors": json.dumps(await retained_shares(uow, period_end)),
        },
    )
    rows = (await conn.execute(TOTALS_SQL, {"run": run_id})).all()
    run = ProvisionRunSummary(
        run_id,
        period_end,
        matrix.basis,
        tuple(
            ProvisionTotals(
                currency=r.currency.strip(),
                open_minor=int(r.open_minor),
                provision_minor=int(r.provision),
                previous_minor=int(r.previous),
                charge_minor=int(r.charge),
                release_minor=int(r.release),
                utilised_minor=int(r.utilised),
            )
            for r in rows
        ),
    )
    await conn.execute(
        provision_runs.update()
        .where(provision_runs.c.id == run_id)
        .values(totals=stored_totals(run.totals), basis=matrix.basis)
    )
    await record_event(conn, uow.tenant_id, "provisions.computed", run_details(run))
    return run


async def close_run(uow: UnitOfWork, period_end: date) -> UUID:
    """Close a period: its provisions become final and later runs compare against it.
    Returns the run's id."""
    check_date(period_end, "periodEnd")
    row = (
        await uow.conn.execute(
            sa.select(provision_runs)
            .where(provision_runs.c.period_end == period_end)
            .with_for_update()
        )
    ).first()
    if row is None:
        raise DomainError("NOT_FOUND", "no provision run for that period", "periodEnd")
    if row.status == "CLOSED":
        raise DomainError("PERIOD_CLOSED", "the period is closed already", "periodEnd")
    await uow.conn.execute(
        provision_runs.update()
        .where(provision_runs.c.id == row.id)
        .values(status="CLOSED", closed_at=sa.func.now(), closed_by=uow.actor.subject)
    )
    run_id: UUID = row.id
    return run_id
