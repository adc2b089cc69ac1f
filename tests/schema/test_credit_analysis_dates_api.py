"""Credit analysis dates through HTTP: statements of periods not yet ended, periods too short
for their kind and external records dated after today are userErrors, nothing is written;
financialAnalysis.latest and scoreCustomer read the same statement."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from domain.credit.financials import Line, PeriodKind, Statement, StatementSource, Unit
from schema.relay import to_global_id
from services.credit.financial_statements import save_statement
from services.uow import Actor, UnitOfWork
from tests.conftest import gql, token
from tests.schema.test_credit_analysis_api import LINES, PUSH, RECORD, statement_input
from tests.schema.test_customers_api import create

ANALYSIS = """query A($id: ID!) { financialAnalysis(customerId: $id) {
  latest { id periodEnd source altmanZ { score } }
  trends { key points { periodEnd } } } }"""

SCORE = """mutation S($input: ScoreCustomerInput!) { scoreCustomer(input: $input) {
  score { inputs { input value missingReason } } userErrors { field code } } }"""

EXTERNAL = """mutation E($input: RecordExternalCreditRecordInput!) {
  recordExternalCreditRecord(input: $input) {
    status record { id } userErrors { field code message } } }"""

TODAY = date.today()  #: the server's business date is its clock's (Context.today)
NEXT_YEAR = TODAY.year + 1


def period(data: dict[str, Any], start: date, end: date, kind: str = "ANNUAL") -> dict[str, Any]:
    """A statement input with another period and kind."""
    return {**data, "periodStart": start.isoformat(), "periodEnd": end.isoformat(), "kind": kind}


def written(database: Any, table: str, entity: str) -> tuple[int, int]:
    """Rows in the table, and audit entries about its entity."""
    [(rows,)] = database.query(f"SELECT count(*) FROM {table}")
    [(audits,)] = database.query("SELECT count(*) FROM audit_log WHERE entity_type = %s", entity)
    return rows, audits


async def test_statements_of_periods_not_yet_ended_are_refused(client, settings, database):
    # given
    analyst = token(settings, roles=["credit_analyst"], sub="ana")
    customer = (await create(client, analyst, "FD-1"))["customer"]["id"]
    base = statement_input(customer)
    # when: next year's audited accounts, the year after's management accounts, a half-year
    # ending tomorrow
    answers = [
        await gql(client, RECORD, {"input": data}, analyst)
        for data in (
            period(base, date(NEXT_YEAR, 1, 1), date(NEXT_YEAR, 12, 31)),
            {
                **period(base, date(NEXT_YEAR + 1, 1, 1), date(NEXT_YEAR + 1, 12, 31)),
                "source": "MANAGEMENT",
            },
            period(base, TODAY - timedelta(days=150), TODAY + timedelta(days=1), "INTERIM"),
        )
    ]
    # then
    for body in answers:
        payload = body["data"]["recordFinancialStatement"]
        assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [
            ("periodEnd", "FUTURE_DATE")
        ]
        assert payload["statement"] is None and payload["status"] is None
    assert written(database, "financial_statements", "FinancialStatement") == (0, 0)


async def test_a_period_must_fit_its_kind(client, settings, database):
    # given
    analyst = token(settings, roles=["credit_analyst"], sub="ana")
    customer = (await create(client, analyst, "FD-2"))["customer"]["id"]
    base = statement_input(customer)
    quarter = (date(2025, 10, 1), date(2025, 12, 31))
    # when: a quarter as ANNUAL, a year as INTERIM, then the quarter as INTERIM
    annual = await gql(client, RECORD, {"input": period(base, *quarter)}, analyst)
    whole = period(base, date(2025, 1, 1), date(2025, 12, 31), "INTERIM")
    interim_year = await gql(client, RECORD, {"input": whole}, analyst)
    written_before = written(database, "financial_statements", "FinancialStatement")
    interim = await gql(client, RECORD, {"input": period(base, *quarter, "INTERIM")}, analyst)
    # then
    for body in (annual, interim_year):
        payload = body["data"]["recordFinancialStatement"]
        assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [
            ("periodStart", "INVALID_PERIOD"),
            ("periodEnd", "INVALID_PERIOD"),
        ]
        assert payload["statement"] is None
    assert written_before == (0, 0)
    kept = interim["data"]["recordFinancialStatement"]
    assert kept["userErrors"] == [] and kept["status"] == "CREATED"
    assert kept["statement"]["altmanZ"]["annualisedBy"] == "3.967391304347826086956521739"
    assert database.query("SELECT kind, z_inputs ->> 'annualisedBy' FROM financial_statements") == [
        ("INTERIM", "3.967391304347826086956521739")
    ]


async def test_latest_is_the_statement_scoring_reads(client, settings, database, runtime, tenants):
    # given: a 2025 statement, and a statement of a future period stored before such
    # periods were refused (written straight through the service, as old data would be)
    analyst = token(settings, roles=["credit_analyst"], sub="ana")
    customer = (await create(client, analyst, "FD-3"))["customer"]["id"]
    recorded = await gql(client, RECORD, {"input": statement_input(customer)}, analyst)
    assert recorded["data"]["recordFinancialStatement"]["status"] == "CREATED"
    [(cid,)] = database.query("SELECT id FROM customers WHERE code = 'FD-3'")
    future = Statement(
        date(NEXT_YEAR + 1, 1, 1),
        date(NEXT_YEAR + 1, 12, 31),
        PeriodKind.ANNUAL,
        StatementSource.AUDITED,
        "CNY",
        Unit.YUAN,
        {Line.TOTAL_ASSETS: 100, Line.TOTAL_LIABILITIES: 90, Line.EQUITY: 10},
    )
    async with UnitOfWork(runtime.engine, tenants["acme"], Actor("legacy", frozenset())) as uow:
        await save_statement(uow, cid, future)
        await uow.commit()
    # when
    analysis = await gql(client, ANALYSIS, {"id": customer}, analyst)
    scored = await gql(client, SCORE, {"input": {"customerId": customer}}, analyst)
    # then: both read the 2025 statement
    latest = analysis["data"]["financialAnalysis"]["latest"]
    assert (latest["periodEnd"], latest["source"]) == ("2025-12-31", "AUDITED")
    assert scored["data"]["scoreCustomer"]["userErrors"] == []
    inputs = {i["input"]: i for i in scored["data"]["scoreCustomer"]["score"]["inputs"]}
    assert inputs["ALTMAN_Z"]["value"] == latest["altmanZ"]["score"] == "4.0247"
    [(statement_id, period_end)] = database.query(
        "SELECT inputs -> 'context' ->> 'statementId', inputs -> 'context' ->> 'periodEnd' "
        "FROM credit_scores"
    )
    assert latest["id"] == to_global_id("FinancialStatement", uuid.UUID(statement_id))
    assert period_end == "2025-12-31"
    trend = analysis["data"]["financialAnalysis"]["trends"][0]["points"]
    assert [p["periodEnd"] for p in trend] == ["2025-12-31"]


def csv_body() -> bytes:
    header = "customer_code,period_start,period_end,kind,source,currency,unit," + ",".join(
        k.lower() for k, _ in LINES
    )
    figures = ",".join(v for _, v in LINES)
    rows = [
        f"FD-4,2025-01-01,2025-12-31,ANNUAL,AUDITED,CNY,TEN_THOUSAND,{figures}",
        f"FD-4,{NEXT_YEAR}-01-01,{NEXT_YEAR}-12-31,ANNUAL,AUDITED,CNY,TEN_THOUSAND,{figures}",
        f"FD-4,2025-10-01,2025-12-31,ANNUAL,MANAGEMENT,CNY,TEN_THOUSAND,{figures}",
    ]
    return "\n".join([header, *rows]).encode()


async def test_the_csv_import_refuses_such_rows_one_by_one(client, settings, database):
    # given
    analyst = token(settings, roles=["credit_analyst"])
    await create(client, analyst, "FD-4")
    headers = {"Authorization": f"Bearer {analyst}", "content-type": "text/csv"}
    # when
    answer = await client.post(
        "/imports/financial-statements.csv", content=csv_body(), headers=headers
    )
    # then: the valid row lands, the others come back with their codes
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["created"], body["failed"]) == (1, 2)
    assert [[(e["field"], e["code"]) for e in r["userErrors"]] for r in body["results"]] == [
        [],
        [("periodEnd", "FUTURE_DATE")],
        [("periodStart", "INVALID_PERIOD"), ("periodEnd", "INVALID_PERIOD")],
    ]
    assert database.query("SELECT period_end FROM financial_statements") == [(date(2025, 12, 31),)]


FAR = f"{TODAY.year + 4}-01-01"  #: the reviewer's 2030


def record_input(customer: str, kind: str, ref: str, **extra: Any) -> dict[str, Any]:
    """A valid record of one kind (its required fields filled), dated `FAR` unless told."""
    needs: dict[str, dict[str, Any]] = {
        "BUREAU_REPORT": {"score": "AA"},
        "NEGATIVE_NEWS": {"severity": "HIGH"},
        "SITE_VISIT": {"assessment": "POSITIVE", "party": "王伟"},
        "BANK_REFERENCE": {"assessment": "NEUTRAL", "party": "中国银行"},
        "LEGAL_RECORD": {
            "legalKind": "LAWSUIT",
            "role": "DEFENDANT",
            "caseNumber": ref,
            "court": "法院",
            "status": "OPEN",
            "filedOn": FAR,
        },
    }
    return {
        "customerId": customer,
        "kind": kind,
        "source": "src",
        "sourceRef": ref,
        "recordedOn": FAR,
        "evidence": "doc",
        **needs[kind],
        **extra,
    }


async def test_external_records_dated_after_today_are_refused(client, settings, database):
    # given
    analyst = token(settings, roles=["credit_analyst"])
    customer = (await create(client, analyst, "FD-5"))["customer"]["id"]
    kinds = ["BUREAU_REPORT", "NEGATIVE_NEWS", "SITE_VISIT", "BANK_REFERENCE", "LEGAL_RECORD"]
    # when
    answers = {
        kind: await gql(
            client, EXTERNAL, {"input": record_input(customer, kind, f"F-{kind}")}, analyst
        )
        for kind in kinds
    }
    # then
    for kind, body in answers.items():
        payload = body["data"]["recordExternalCreditRecord"]
        assert ("recordedOn", "FUTURE_DATE") in {
            (e["field"], e["code"]) for e in payload["userErrors"]
        }, kind
        assert payload["record"] is None and payload["status"] is None
    legal = answers["LEGAL_RECORD"]["data"]["recordExternalCreditRecord"]["userErrors"]
    assert ("filedOn", "FUTURE_DATE") in {(e["field"], e["code"]) for e in legal}
    assert written(database, "credit_external_records", "ExternalCreditRecord") == (0, 0)


async def test_a_pushed_batch_refuses_only_its_future_rows(client, settings, database):
    # given
    analyst = token(settings, roles=["credit_analyst"])
    await create(client, analyst, "FD-6")
    integrator = token(settings, roles=["integrator"], sub="erp")
    rows = [
        {
            "customerCode": "FD-6",
            "kind": "BUREAU_REPORT",
            "source": "bureau",
            "sourceRef": "B-1",
            "recordedOn": TODAY.isoformat(),
            "score": "AA",
            "evidence": "doc",
        },
        {
            "customerCode": "FD-6",
            "kind": "NEGATIVE_NEWS",
            "source": "news",
            "sourceRef": "N-1",
            "recordedOn": FAR,
            "severity": "HIGH",
            "evidence": "url",
        },
        {
            "customerCode": "FD-6",
            "kind": "SITE_VISIT",
            "source": "sales",
            "sourceRef": "V-1",
            "recordedOn": (TODAY + timedelta(days=1)).isoformat(),
            "assessment": "POSITIVE",
            "party": "王伟",
            "evidence": "visit.pdf",
        },
    ]
    # when
    pushed = await gql(client, PUSH, {"input": {"rows": rows}}, integrator)
    # then
    push = pushed["data"]["importExternalCreditRecords"]
    assert (push["created"], push["failed"]) == (1, 2)
    assert [(r["status"], r["userErrors"]) for r in push["results"]] == [
        ("CREATED", []),
        ("ERROR", [{"field": "recordedOn", "code": "FUTURE_DATE"}]),
        ("ERROR", [{"field": "recordedOn", "code": "FUTURE_DATE"}]),
    ]
    assert database.query("SELECT source_ref, recorded_on FROM credit_external_records") == [
        ("B-1", TODAY)
    ]
