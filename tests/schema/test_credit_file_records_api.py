"""Credit-file completeness counts what the credit-decision mutations record: statements (and
the annual sales an annual statement states), bureau reports and legal records, with the
policy's freshness, in every reader (the field, the PDF, the review warning, the check)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from schema.relay import from_global_id
from services.credit.exposure import dossier_missing
from services.customers import reviews
from services.uow import UnitOfWork
from tests.conftest import gql, token
from tests.documents.pdf_tools import pdf_text
from tests.schema.test_credit_analysis_api import EXTERNAL, RECORD, legal, statement_input
from tests.schema.test_customers_api import create

FILE = """query F($id: ID!) { customer(id: $id) { creditFile {
  completeness { ratio missing { key reason asOf } } } } }"""
LINK = """mutation L($input: LinkPartnerInput!) { linkPartner(input: $input) {
  partnerId userErrors { field code } } }"""
ENTRY = """mutation E($input: AddCreditFileEntryInput!) { addCreditFileEntry(input: $input) {
  entry { id } userErrors { field code } } }"""
PDF = "/documents/customers/{id}/credit-file.pdf"
#: Every customer field the default checklist asks for, except annual sales.
FIELDS = {"industry": "Machinery", "businessModel": "分销", "companyHistory": "2008年成立"}


def bureau(customer: str, recorded_on: date, ref: str = "BR-1") -> dict[str, Any]:
    """A bureau report (the checklist's CREDIT_REPORT) recorded on a day."""
    return {
        "customerId": customer,
        "kind": "BUREAU_REPORT",
        "source": "pboc",
        "sourceRef": ref,
        "recordedOn": recorded_on.isoformat(),
        "evidence": "https://example.invalid/report/1",
        "score": "720",
    }


def litigation(customer: str, recorded_on: date, ref: str) -> dict[str, Any]:
    """A legal record found by a litigation search on a day."""
    return legal(
        customer,
        sourceRef=ref,
        caseNumber=ref,
        recordedOn=recorded_on.isoformat(),
        filedOn=(recorded_on - timedelta(days=30)).isoformat(),
    )


async def _dossier(client: Any, bearer: str, code: str) -> str:
    """A customer holding every field of the checklist but annual sales, and a partner."""
    customer = (await create(client, bearer, code, **FIELDS))["customer"]["id"]
    other = (await create(client, bearer, code + "-P"))["customer"]["id"]
    linked = await gql(
        client,
        LINK,
        {"input": {"customerId": customer, "relatedId": other, "kind": "GUARANTOR"}},
        bearer,
    )
    assert linked["data"]["linkPartner"]["userErrors"] == []
    return str(customer)


async def _record(client: Any, bearer: str, mutation: str, data: dict[str, Any]) -> None:
    body = await gql(client, mutation, {"input": data}, bearer)
    payload = next(iter(body["data"].values()))
    assert payload["userErrors"] == [], payload


async def _grade(client: Any, bearer: str, customer: str) -> dict[str, Any]:
    body = await gql(client, FILE, {"id": customer}, bearer)
    grade: dict[str, Any] = body["data"]["customer"]["creditFile"]["completeness"]
    return grade


async def test_recorded_credit_data_makes_the_file_complete_everywhere(
    client: Any, settings: Any, runtime: Any, tenants: dict[str, UUID], database: Any
) -> None:
    # given a customer with every field but annual sales, and a partner
    analyst = token(settings, roles=["credit_analyst"])
    customer = await _dossier(client, analyst, "CR-1")
    before = await _grade(client, analyst, customer)
    today = date.today()
    # when last year's annual statement, a bureau report and a legal record are recorded
    await _record(client, analyst, RECORD, statement_input(customer, today.year - 1))
    await _record(client, analyst, EXTERNAL, bureau(customer, today - timedelta(days=10)))
    await _record(client, analyst, EXTERNAL, litigation(customer, today - timedelta(days=5), "L1"))
    after = await _grade(client, analyst, customer)
    async with UnitOfWork(runtime.engine, tenants["acme"]) as uow:
        tally = await reviews.review_credit_files(uow, today)
        missing = await dossier_missing(uow.conn, from_global_id(customer, "Customer")[1], today)
        await uow.commit()
    headers = {"Authorization": f"Bearer {analyst}"}
    pdf = await client.get(PDF.format(id=customer), params={"lang": "en"}, headers=headers)
    # then every item is present: the statement's revenue is the annual sales on file
    assert {m["key"] for m in before["missing"]} == {
        "ANNUAL_SALES",
        "FINANCIAL_STATEMENT",
        "CREDIT_REPORT",
        "LEGAL_RECORD",
    }
    assert after == {"ratio": "1.0000", "missing": []}
    # and the credit check, the review job and the PDF agree
    assert missing == ()
    assert tally.reviewed == 2
    incomplete = database.query(
        "SELECT c.code FROM warnings w JOIN customers c ON c.id = w.customer_id "
        "WHERE w.kind = 'CREDIT_FILE_INCOMPLETE' ORDER BY c.code"
    )
    assert incomplete == [("CR-1-P",)]  # the partner holds no statement or report
    text = pdf_text(pdf.content)
    assert pdf.status_code == 200 and "100%" in text
    assert "Missing or stale items" not in text


async def test_stale_credit_data_leaves_the_items_missing(client: Any, settings: Any) -> None:
    # given a customer whose statement, bureau report and legal search are all too old
    analyst = token(settings, roles=["credit_analyst"])
    customer = await _dossier(client, analyst, "CR-2")
    today = date.today()
    old_year = today.year - 3  # its period ended more than 18 months ago
    report_day, search_day = today - timedelta(days=400), today - timedelta(days=366)
    # when they are recorded, with an interim statement and negative news beside them
    await _record(client, analyst, RECORD, statement_input(customer, old_year))
    interim = statement_input(customer, today.year - 1)  # two months, without revenue
    interim.update(kind="INTERIM", periodStart=f"{today.year - 1}-11-01")
    interim.update(lines=[line for line in interim["lines"] if line["line"] != "REVENUE"])
    news = {
        "customerId": customer,
        "kind": "NEGATIVE_NEWS",
        "source": "news",
        "sourceRef": "N-1",
        "recordedOn": today.isoformat(),
        "evidence": "https://example.invalid/news/1",
        "severity": "HIGH",
    }
    await _record(client, analyst, EXTERNAL, bureau(customer, report_day))
    await _record(client, analyst, EXTERNAL, litigation(customer, search_day, "L2"))
    await _record(client, analyst, EXTERNAL, news)
    stale = await _grade(client, analyst, customer)
    headers = {"Authorization": f"Bearer {analyst}"}
    pdf = await client.get(PDF.format(id=customer), params={"lang": "en"}, headers=headers)
    # then the dated items stay missing, stale as of their own dates (annual sales has no
    # age limit, so the old statement's revenue still counts)
    assert stale["missing"] == [
        {
            "key": "FINANCIAL_STATEMENT",
            "reason": "STALE",
            "asOf": f"{old_year}-12-31",
        },
        {"key": "CREDIT_REPORT", "reason": "STALE", "asOf": report_day.isoformat()},
        {"key": "LEGAL_RECORD", "reason": "STALE", "asOf": search_day.isoformat()},
    ]
    assert stale["ratio"] == "0.7273"  # 8 of 11
    assert "Financial statements — stale" in pdf_text(pdf.content)
    # and when a recent interim statement is recorded, the statement item is fresh again
    await _record(client, analyst, RECORD, interim)
    fresh = await _grade(client, analyst, customer)
    assert [m["key"] for m in fresh["missing"]] == ["CREDIT_REPORT", "LEGAL_RECORD"]


async def test_either_source_fresh_is_enough(client: Any, settings: Any) -> None:
    # given a stale recorded bureau report
    analyst = token(settings, roles=["credit_analyst"])
    customer = await _dossier(client, analyst, "CR-3")
    today = date.today()
    await _record(client, analyst, EXTERNAL, bureau(customer, today - timedelta(days=500)))
    entry = {
        "customerId": customer,
        "occurredOn": (today - timedelta(days=3)).isoformat(),
        "kind": "CREDIT_REPORT",
        "title": "bank credit record",
    }
    # when a fresh credit record is filed on the timeline
    before = await _grade(client, analyst, customer)
    await _record(client, analyst, ENTRY, entry)
    after = await _grade(client, analyst, customer)
    # then the credit report is fresh through the entry
    assert ("CREDIT_REPORT", "STALE") in {(m["key"], m["reason"]) for m in before["missing"]}
    assert "CREDIT_REPORT" not in {m["key"] for m in after["missing"]}
    assert "ANNUAL_SALES" in {m["key"] for m in after["missing"]}
