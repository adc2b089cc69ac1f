"""Every scorecard input of one customer or the whole portfolio, gathered set-wise.

Five statements whatever the portfolio's size (customers, first invoices, latest statements,
external records, ledger behaviour); the inputs are then assembled in Python per customer.
Each input is a value or None with the reason it is missing, so the score can say "no
statement on file" instead of counting it as zero.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import orjson
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.credit.behaviour import DEFAULT_WINDOW_MONTHS, Behaviour, overall, summarise
from domain.credit.dates import months_before, years_between
from domain.credit.external import LEGAL_CHECK_MONTHS, LEGAL_ORDER
from domain.credit.ratios import Ratio, RatioValue, ratios
from domain.credit.scorecard import INPUTS, InputKind
from domain.credit.scoring import InputValue
from domain.currencies import minor_units
from services.credit.financial_statements import statement_of
from services.credit.payment_behaviour import behaviour_facts

#: A statement whose period ended more than two years before the score date is stale: the
#: practice asks for the latest statements at every periodic review
#: (定期要求客户提供最新的财务报表).
STATEMENT_MAX_AGE_MONTHS = 24
#: A whole portfolio's aggregates (50,000 customers by currency) hash and sort in memory with
#: this much per operation, for this transaction only, instead of spilling to disk.
PORTFOLIO_WORK_MEM = "64MB"
RATIO_INPUTS = {
    "CURRENT_RATIO": Ratio.CURRENT_RATIO,
    "QUICK_RATIO": Ratio.QUICK_RATIO,
    "DEBT_TO_ASSETS": Ratio.DEBT_TO_ASSETS,
    "NET_MARGIN": Ratio.NET_MARGIN,
    "INTEREST_COVER": Ratio.INTEREST_COVER,
}

CUSTOMERS_SQL = """
SELECT id, code, legal_name, founded_on, registered_capital_minor, registered_capital_currency,
       annual_sales_minor, annual_sales_currency, industry, rating_class,
       CAST(created_at AT TIME ZONE 'UTC' AS date) AS created_on
  FROM customers WHERE status = 'ACTIVE' {one}
"""
FIRST_INVOICE_SQL = """
SELECT customer_id, min(issue_date) AS first_on FROM invoices
 WHERE issue_date <= :as_of {one} GROUP BY customer_id
"""
#: The statement analysis relies on, set-wise: the twin of domain.credit.ratios.latest (of the
#: periods ended by the score date, the newest annual one, else the newest interim one; of one
#: period the most reliable source). tests/services/test_statement_choice_twin.py holds them equal.
STATEMENTS_SQL = """
SELECT DISTINCT ON (customer_id) id, customer_id, period_start, period_end, kind, source,
       currency, unit, current_assets_minor, current_liabilities_minor, inventory_minor,
       total_assets_minor, total_liabilities_minor, revenue_minor, net_profit_minor, ebit_minor,
       profit_before_tax_minor, interest_expense_minor, negative_equity, z_score, z_zone,
       z_inputs ->> 'reason' AS z_reason
  FROM financial_statements
 WHERE period_end <= :as_of {one}
 ORDER BY customer_id, kind <> 'ANNUAL', period_end DESC, period_start DESC,
          array_position(ARRAY['AUDITED', 'TAX_FILING', 'MANAGEMENT'], source)
"""
#: domain.credit.external.legal_status and negative_news, set-wise.
EXTERNAL_SQL = """
SELECT customer_id,
       bool_or((kind IN ('BUREAU_REPORT', 'LEGAL_RECORD') AND recorded_on > :since)
               OR (kind = 'LEGAL_RECORD' AND status = 'OPEN')) AS checked,
       min(CASE WHEN legal_kind = 'DISHONEST_DEBTOR' THEN 0 WHEN role = 'PLAINTIFF' THEN 3
                WHEN legal_kind = 'ENFORCEMENT' THEN 1 ELSE 2 END)
         FILTER (WHERE kind = 'LEGAL_RECORD' AND status = 'OPEN') AS worst,
       count(*) FILTER (WHERE kind = 'NEGATIVE_NEWS' AND recorded_on > :since) AS news
  FROM credit_external_records
 WHERE recorded_on <= :as_of {one}
 GROUP BY customer_id
"""


@dataclass(frozen=True)
class CustomerInputs:
    """A customer, its current class, its inputs and what they were read from."""

    customer_id: UUID
    code: str
    legal_name: str
    rating_class: str | None
    inputs: dict[str, InputValue]
    context: dict[str, Any]

    def stored(self) -> tuple[str, str]:
        """The inputs as stored with a score (JSON text) and their digest: rescoring skips a
        customer whose digest is unchanged (the context, e.g. the date, is not hashed)."""
        values = orjson.dumps(inputs_json(self.inputs), option=orjson.OPT_SORT_KEYS)
        text = b'{"values":' + values + b',"context":' + orjson.dumps(self.context) + b"}"
        return text.decode(), hashlib.sha256(values).hexdigest()

    def digest(self) -> str:
        """The digest alone."""
        return self.stored()[1]


def inputs_json(inputs: dict[str, InputValue]) -> dict[str, Any]:
    """Inputs as stored with a score: every value as text, or its missing reason."""
    return {
        k: {"value": None if v.value is None else str(v.value), "missing": v.missing_reason}
        for k, v in inputs.items()
    }


_NUMBER_INPUTS = frozenset(k for k, spec in INPUTS.items() if spec.kind == InputKind.NUMBER)


def inputs_from_stored(
    values: Mapping[str, Any], only: Collection[str] | None = None
) -> dict[str, InputValue]:
    """The inverse of `inputs_json`: a score's stored inputs (or those a card reads), typed
    again (numbers exact)."""
    out = {}
    for key, item in values.items():
        if only is not None and key not in only:
            continue
        raw = item.get("value")
        if raw is None:
            out[key] = InputValue(None, item.get("missing"))
        else:
            out[key] = InputValue(Decimal(raw) if key in _NUMBER_INPUTS else raw)
    return out


def _missing(reason: str) -> InputValue:
    return InputValue(None, reason)


def _num(value: Decimal | int | None, reason: str = "NOT_ON_FILE") -> InputValue:
    return _missing(reason) if value is None else InputValue(Decimal(value))


def _money(minor: int | None, currency: str | None, card_currency: str) -> InputValue:
    if minor is None or currency is None:
        return _missing("NOT_ON_FILE")
    code = currency.strip()
    if code != card_currency:
        return _missing(f"OTHER_CURRENCY:{code}")
    return InputValue(Decimal(minor).scaleb(-minor_units(code)))


def _from_ratio(value: RatioValue | None) -> InputValue:
    if value is None:
        return _missing("NO_STATEMENT")
    return InputValue(value.value) if value.value is not None else _missing(value.reason or "")


def _statement_inputs(
    row: Mapping[str, Any] | None,
    stale_before: date,
    card_currency: str,
    out: dict[str, InputValue],
) -> dict[str, Any]:
    """Inputs from the latest statement (missing with a reason when none, or when stale)."""
    reason = "NO_STATEMENT"
    if row is not None and row["period_end"] < stale_before:
        reason, row = "STALE_STATEMENT", None
    if row is None:
        for key in (*RATIO_INPUTS, "ALTMAN_Z", "ALTMAN_ZONE", "NEGATIVE_EQUITY"):
            out[key] = _missing(reason)
        return {}
    stmt = statement_of(row)
    found = ratios(stmt, RATIO_INPUTS.values())
    for key, ratio in RATIO_INPUTS.items():
        out[key] = _from_ratio(found[ratio])
    z_reason = row["z_reason"] or "NO_SCORE"
    out["ALTMAN_Z"] = _num(row["z_score"], z_reason)
    out["ALTMAN_ZONE"] = InputValue(row["z_zone"]) if row["z_zone"] else _missing(z_reason)
    out["NEGATIVE_EQUITY"] = InputValue("YES" if row["negative_equity"] else "NO")
    revenue = row["revenue_minor"]
    if stmt.kind.value == "ANNUAL" and revenue is not None and stmt.currency == card_currency:
        out["ANNUAL_SALES"] = InputValue(Decimal(revenue).scaleb(-minor_units(stmt.currency)))
    return {
        "statementId": str(row["id"]),
        "periodEnd": row["period_end"].isoformat(),
        "source": row["source"],
        "currency": stmt.currency,
    }


def _behaviour_inputs(b: Behaviour | None, out: dict[str, InputValue]) -> None:
    keys = (
        "PAYMENT_DAYS_LATE",
        "ON_TIME_RATIO",
        "MAX_DAYS_PAST_DUE",
        "DAYS_TO_PAY_TREND",
        "BROKEN_PROMISES",
        "DISPUTED_SHARE",
        "REVERSED_PAYMENTS",
    )
    if b is None:
        out.update({k: _missing("NO_HISTORY") for k in keys})
        return
    out["PAYMENT_DAYS_LATE"] = _num(b.weighted_days_late, "NOTHING_FELL_DUE")
    out["ON_TIME_RATIO"] = _num(b.on_time_ratio, "NOTHING_FELL_DUE")
    out["MAX_DAYS_PAST_DUE"] = _num(b.max_days_past_due)
    trend = b.trend.value
    out["DAYS_TO_PAY_TREND"] = (
        _missing("TOO_LITTLE_HISTORY") if trend == "UNKNOWN" else InputValue(trend)
    )
    out["BROKEN_PROMISES"] = _num(b.broken_promises)
    out["DISPUTED_SHARE"] = _num(b.disputed_share, "NOTHING_INVOICED")
    out["REVERSED_PAYMENTS"] = _num(b.reversed_payments)


async def _rows(
    conn: AsyncConnection, sql: str, params: dict[str, Any], one: str
) -> Sequence[Mapping[Any, Any]]:
    result = await conn.execute(sa.text(sql.format(one=one)), params)
    return result.mappings().all()


async def gather_inputs(
    conn: AsyncConnection,
    as_of: date,
    card_currency: str,
    customer_id: UUID | None = None,
    months: int = DEFAULT_WINDOW_MONTHS,
    customer_ids: Sequence[UUID] | None = None,
) -> list[CustomerInputs]:
    """The inputs of every active customer (or of one, or of a list), in customer-id order."""
    params: dict[str, Any] = {
        "as_of": as_of,
        "since": months_before(as_of, LEGAL_CHECK_MONTHS),
    }
    one = one_c = ""
    if customer_id is not None or customer_ids is not None:
        params["customers"] = [*(customer_ids or ()), *([customer_id] if customer_id else [])]
        one = "AND id = ANY(CAST(:customers AS uuid[]))"
        one_c = "AND customer_id = ANY(CAST(:customers AS uuid[]))"
    if customer_id is None and customer_ids is None:
        await conn.execute(sa.text(f"SET LOCAL work_mem = '{PORTFOLIO_WORK_MEM}'"))
    people = await _rows(conn, CUSTOMERS_SQL + " ORDER BY id", params, one)
    firsts = {
        r["customer_id"]: r["first_on"] for r in await _rows(conn, FIRST_INVOICE_SQL, params, one_c)
    }
    statements = {r["customer_id"]: r for r in await _rows(conn, STATEMENTS_SQL, params, one_c)}
    external = {r["customer_id"]: r for r in await _rows(conn, EXTERNAL_SQL, params, one_c)}
    behaviour = await behaviour_facts(conn, as_of, months, customer_ids=params.get("customers"))
    stale_before = months_before(as_of, STATEMENT_MAX_AGE_MONTHS)
    out = []
    for person in people:
        cid = person["id"]
        inputs: dict[str, InputValue] = {}
        founded = person["founded_on"]
        inputs["YEARS_TRADING"] = (
            _num(years_between(founded, as_of))
            if founded and founded <= as_of
            else _missing("NOT_ON_FILE")
        )
        inputs["REGISTERED_CAPITAL"] = _money(
            person["registered_capital_minor"], person["registered_capital_currency"], card_currency
        )
        inputs["ANNUAL_SALES"] = _money(
            person["annual_sales_minor"], person["annual_sales_currency"], card_currency
        )
        context = _statement_inputs(statements.get(cid), stale_before, card_currency, inputs)
        per = [summarise(f) for f in sorted(behaviour.get(cid, []), key=lambda f: f.currency)]
        _behaviour_inputs(overall(per), inputs)
        ext = external.get(cid)
        if ext is None or not ext["checked"]:
            inputs["LEGAL_STATUS"] = _missing("NOT_CHECKED")
            inputs["NEGATIVE_NEWS"] = _missing("NOT_CHECKED")
        else:
            worst = ext["worst"]
            inputs["LEGAL_STATUS"] = InputValue(LEGAL_ORDER[worst] if worst is not None else "NONE")
            inputs["NEGATIVE_NEWS"] = _num(ext["news"])
        industry = (person["industry"] or "").strip()
        inputs["INDUSTRY"] = InputValue(industry) if industry else _missing("NOT_ON_FILE")
        since = firsts.get(cid) or person["created_on"]
        inputs["RELATIONSHIP_YEARS"] = _num(years_between(since, as_of))
        context.update(
            {"asOf": as_of.isoformat(), "windowMonths": months, "cardCurrency": card_currency}
        )
        out.append(
            CustomerInputs(
                customer_id=cid,
                code=person["code"],
                legal_name=person["legal_name"],
                rating_class=(person["rating_class"] or "").strip() or None,
                inputs=inputs,
                context=context,
            )
        )
    return out
