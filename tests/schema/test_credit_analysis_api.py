"""Credit analysis through HTTP: statements (mutation and CSV), ratios, behaviour, external data."""

from __future__ import annotations

from typing import Any

from tests.conftest import gql, token
from tests.schema.test_customers_api import create

RECORD = """mutation R($input: RecordFinancialStatementInput!) {
  recordFinancialStatement(input: $input) {
    status
    statement { id kind source unit currency negativeEquity version
      lines { line amount { amount currency } }
      altmanZ { score zone reason x annualisedBy lines { line amount { amount } } } }
    userErrors { field code message } } }"""

ANALYSIS = """query A($id: ID!) { financialAnalysis(customerId: $id) {
  latest { periodEnd source }
  statements { statement { periodEnd } ratios { ratio value reason } }
  trends { key higherIsBetter points { periodEnd value change reason } } } }"""

STATEMENTS = """query S($id: ID!, $after: String) {
  financialStatements(customerId: $id, first: 1, after: $after) {
    edges { cursor node { periodEnd } } pageInfo { hasNextPage endCursor } } }"""

EXTERNAL = """mutation E($input: RecordExternalCreditRecordInput!) {
  recordExternalCreditRecord(input: $input) {
    status record { kind source sourceRef legal { kind role caseNumber court status
      amount { amount currency } filedOn } }
    userErrors { field code } } }"""

PUSH = """mutation P($input: ImportExternalCreditRecordsInput!) {
  importExternalCreditRecords(input: $input) {
    created updated unchanged failed results { index status id userErrors { field code } }
    userErrors { code } } }"""

RECORDS = """query X($id: ID!) { externalCreditRecords(customerId: $id, kind: LEGAL_RECORD) {
  edges { node { sourceRef legal { status } } } } }"""

BEHAVIOUR = """query B($id: ID!) { paymentBehaviour(customerId: $id, asOf: "2026-06-30") {
  windowStart windowEnd windowMonths overall { onTimeRatio maxDaysPastDue trend }
  byCurrency { currency } } }"""

LINES = [
    ("CASH", "120"),
    ("RECEIVABLES", "300"),
    ("INVENTORY", "180"),
    ("CURRENT_ASSETS", "650"),
    ("TOTAL_ASSETS", "1000"),
    ("CURRENT_LIABILITIES", "400"),
    ("TOTAL_LIABILITIES", "550"),
    ("EQUITY", "450"),
    ("RETAINED_EARNINGS", "200"),
    ("REVENUE", "2400"),
    ("COST_OF_SALES", "1800"),
    ("PROFIT_BEFORE_TAX", "110"),
    ("INTEREST_EXPENSE", "20"),
    ("NET_PROFIT", "82.5"),
    ("OPERATING_CASH_FLOW", "100"),
]


def statement_input(customer: str, year: int = 2025, **changes: str) -> dict[str, Any]:
    lines = [{"line": k, "amount": changes.get(k, v)} for k, v in LINES]
    return {
        "customerId": customer,
        "periodStart": f"{year}-01-01",
        "periodEnd": f"{year}-12-31",
        "kind": "ANNUAL",
        "source": "AUDITED",
        "currency": "CNY",
        "unit": "TEN_THOUSAND",
        "lines": lines,
    }


async def test_record_a_statement_and_read_its_analysis(client, settings, database):
    # given
    analyst = token(settings, roles=["credit_analyst"], sub="ana")
    customer = (await create(client, analyst, "FS-1"))["customer"]["id"]
    # when
    first = await gql(
        client, RECORD, {"input": statement_input(customer, 2024, REVENUE="2000")}, analyst
    )
    second = await gql(client, RECORD, {"input": statement_input(customer)}, analyst)
    analysis = await gql(client, ANALYSIS, {"id": customer}, analyst)
    page1 = await gql(client, STATEMENTS, {"id": customer}, analyst)
    cursor = page1["data"]["financialStatements"]["pageInfo"]["endCursor"]
    page2 = await gql(client, STATEMENTS, {"id": customer, "after": cursor}, analyst)
    # then
    payload = second["data"]["recordFinancialStatement"]
    assert payload["userErrors"] == [] and payload["status"] == "CREATED"
    stmt = payload["statement"]
    assert {"line": "TOTAL_ASSETS", "amount": {"amount": "10000000.00", "currency": "CNY"}} in stmt[
        "lines"
    ]
    assert stmt["altmanZ"]["zone"] == "SAFE"
    assert stmt["altmanZ"]["score"] == "4.0247"
    assert stmt["altmanZ"]["x"] == ["0.250000", "0.200000", "0.130000", "0.818182"]
    assert {"line": "EBIT", "amount": {"amount": "1300000.00"}} in stmt["altmanZ"]["lines"]
    assert first["data"]["recordFinancialStatement"]["userErrors"] == []
    result = analysis["data"]["financialAnalysis"]
    assert result["latest"] == {"periodEnd": "2025-12-31", "source": "AUDITED"}
    ratios = {r["ratio"]: r["value"] for r in result["statements"][0]["ratios"]}
    assert ratios["CURRENT_RATIO"] == "1.6250" and ratios["RECEIVABLE_DAYS"] == "45.6"
    growth = next(t for t in result["trends"] if t["key"] == "REVENUE_GROWTH")
    assert [p["value"] for p in growth["points"]] == [None, "0.2000"]
    assert [e["node"]["periodEnd"] for e in page1["data"]["financialStatements"]["edges"]] == [
        "2025-12-31"
    ]
    assert page2["data"]["financialStatements"]["edges"][0]["node"]["periodEnd"] == "2024-12-31"
    assert not page2["data"]["financialStatements"]["pageInfo"]["hasNextPage"]
    assert database.query("SELECT count(*), max(created_by) FROM financial_statements") == [
        (2, "ana")
    ]


async def test_bad_statements_give_user_errors_and_write_nothing(client, settings, database):
    # given
    analyst = token(settings, roles=["credit_analyst"])
    customer = (await create(client, analyst, "FS-2"))["customer"]["id"]
    unbalanced = statement_input(customer, EQUITY="300")
    other_currency = statement_input(customer)
    other_currency["lines"][0]["currency"] = "USD"
    # when
    bad = await gql(client, RECORD, {"input": unbalanced}, analyst)
    mixed = await gql(client, RECORD, {"input": other_currency}, analyst)
    sales = await gql(
        client, RECORD, {"input": statement_input(customer)}, token(settings, roles=["sales"])
    )
    # then
    assert (
        bad["data"]["recordFinancialStatement"]["userErrors"][0]["code"] == "UNBALANCED_STATEMENT"
    )
    assert bad["data"]["recordFinancialStatement"]["statement"] is None
    assert mixed["data"]["recordFinancialStatement"]["userErrors"] == [
        {
            "field": "lines.0.currency",
            "code": "CURRENCY_MISMATCH",
            "message": "the statement is in CNY, this line in USD",
        }
    ]
    assert sales["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert database.query("SELECT count(*) FROM financial_statements") == [(0,)]
    assert database.query(
        "SELECT count(*) FROM audit_log WHERE entity_type = 'FinancialStatement'"
    ) == [(0,)]


async def test_negative_equity_is_accepted_and_flagged(client, settings):
    analyst = token(settings, roles=["credit_analyst"])
    customer = (await create(client, analyst, "FS-3"))["customer"]["id"]
    data = statement_input(
        customer, TOTAL_LIABILITIES="1100", EQUITY="-100", RETAINED_EARNINGS="-600"
    )
    body = await gql(client, RECORD, {"input": data}, analyst)
    stmt = body["data"]["recordFinancialStatement"]["statement"]
    assert stmt["negativeEquity"] is True
    assert stmt["altmanZ"]["zone"] == "DISTRESS"


def csv_body() -> bytes:
    header = "customer_code,period_start,period_end,kind,source,currency,unit," + ",".join(
        k.lower() for k, _ in LINES
    )
    good = "FS-4,2025-01-01,2025-12-31,ANNUAL,AUDITED,CNY,TEN_THOUSAND," + ",".join(
        v for _, v in LINES
    )
    unbalanced = good.replace(",450,", ",300,")
    unknown = good.replace("FS-4", "NOPE")
    return "\n".join([header, good, unbalanced, unknown]).encode()


async def test_statements_csv_import(client, settings, database):
    # given
    analyst = token(settings, roles=["credit_analyst"])
    await create(client, analyst, "FS-4")
    headers = {"Authorization": f"Bearer {analyst}", "content-type": "text/csv"}
    # when
    answer = await client.post(
        "/imports/financial-statements.csv", content=csv_body(), headers=headers
    )
    again = await client.post(
        "/imports/financial-statements.csv", content=csv_body(), headers=headers
    )
    ragged = await client.post(
        "/imports/financial-statements.csv",
        content=b"customer_code,period_start\nx",
        headers=headers,
    )
    # then
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["created"], body["failed"]) == (1, 2)
    assert [r["userErrors"][0]["code"] for r in body["results"][1:]] == [
        "UNBALANCED_STATEMENT",
        "NOT_FOUND",
    ]
    assert body["results"][2]["line"] == 4
    assert again.json()["unchanged"] == 1
    assert ragged.status_code == 400 and ragged.json()["error"]["code"] == "MALFORMED_CSV"
    assert database.query("SELECT total_assets_minor FROM financial_statements") == [
        (1_000_000_000,)
    ]


def legal(customer: str, **changes: Any) -> dict[str, Any]:
    return {
        "customerId": customer,
        "kind": "LEGAL_RECORD",
        "source": "court-db",
        "sourceRef": "(2026)沪0115执1234号",
        "recordedOn": "2026-03-01",
        "evidence": "https://example.invalid/case/1234",
        "legalKind": "ENFORCEMENT",
        "role": "DEFENDANT",
        "caseNumber": "(2026)沪0115执1234号",
        "court": "上海市浦东新区人民法院",
        "amount": "125000.00",
        "currency": "CNY",
        "status": "OPEN",
        "filedOn": "2026-02-20",
        **changes,
    }


async def test_external_records_by_mutation_and_batch(client, settings, database):
    # given
    analyst = token(settings, roles=["credit_analyst"])
    customer = (await create(client, analyst, "EX-1"))["customer"]["id"]
    integrator = token(settings, roles=["integrator"], sub="erp")
    # when
    recorded = await gql(client, EXTERNAL, {"input": legal(customer)}, analyst)
    replay = await gql(client, EXTERNAL, {"input": legal(customer)}, analyst)
    no_case = await gql(
        client, EXTERNAL, {"input": legal(customer, caseNumber=None, sourceRef="Y")}, analyst
    )
    rows = [
        {
            "customerCode": "EX-1",
            "kind": "LEGAL_RECORD",
            "source": "court-db",
            "sourceRef": "(2026)沪0115执1234号",
            "recordedOn": "2026-05-01",
            "evidence": "https://example.invalid/case/1234",
            "legalKind": "ENFORCEMENT",
            "role": "DEFENDANT",
            "caseNumber": "(2026)沪0115执1234号",
            "court": "上海市浦东新区人民法院",
            "status": "CLOSED",
            "filedOn": "2026-02-20",
            "closedOn": "2026-04-30",
        },
        {
            "customerCode": "EX-1",
            "kind": "NEGATIVE_NEWS",
            "source": "news",
            "sourceRef": "N1",
            "recordedOn": "2026-13-01",
            "severity": "HIGH",
            "evidence": "url",
        },
    ]
    pushed = await gql(client, PUSH, {"input": {"rows": rows}}, integrator)
    listed = await gql(client, RECORDS, {"id": customer}, analyst)
    # then
    first = recorded["data"]["recordExternalCreditRecord"]
    assert first["status"] == "CREATED"
    assert first["record"]["legal"]["amount"] == {"amount": "125000.00", "currency": "CNY"}
    assert replay["data"]["recordExternalCreditRecord"]["status"] == "UNCHANGED"
    assert no_case["data"]["recordExternalCreditRecord"]["userErrors"] == [
        {"field": "caseNumber", "code": "REQUIRED"}
    ]
    push = pushed["data"]["importExternalCreditRecords"]
    assert (push["updated"], push["failed"]) == (1, 1)
    assert push["results"][1]["userErrors"] == [{"field": "recordedOn", "code": "INVALID_DATE"}]
    assert listed["data"]["externalCreditRecords"]["edges"] == [
        {"node": {"sourceRef": "(2026)沪0115执1234号", "legal": {"status": "CLOSED"}}}
    ]
    assert database.query("SELECT count(*) FROM credit_external_records") == [(1,)]


async def test_payment_behaviour_query(client, settings):
    analyst = token(settings, roles=["credit_analyst"])
    customer = (await create(client, analyst, "PB-1"))["customer"]["id"]
    body = await gql(client, BEHAVIOUR, {"id": customer}, analyst)
    behaviour = body["data"]["paymentBehaviour"]
    assert behaviour["windowStart"] == "2025-07-01" and behaviour["windowMonths"] == 12
    assert behaviour["overall"] is None and behaviour["byCurrency"] == []
    bad = await gql(
        client,
        'query { paymentBehaviour(customerId: "x") { windowMonths } }',
        None,
        analyst,
    )
    assert bad["data"]["paymentBehaviour"] is None
