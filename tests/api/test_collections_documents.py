"""Collections and statement documents through the API: letters, exports, statements."""

from __future__ import annotations

from datetime import date, timedelta

from tests.conftest import gql, token
from tests.documents.pdf_tools import ink, pdf_text, render_page
from tests.schema.test_customers_api import create
from tests.schema.test_ledger_api import INVOICE, invoice_input

ACTIVITY = """mutation A($input: RecordActivityInput!) { recordActivity(input: $input) {
  id userErrors { field code } } }"""
PROMISE = """mutation P($input: PromiseToPayInput!) { promiseToPay(input: $input) {
  id userErrors { field code } } }"""
SENT = """mutation S($input: SendDunningLetterInput!) { sendDunningLetter(input: $input) {
  id userErrors { code } } }"""
RUN = """mutation R($input: RunStatementsInput!) { runStatements(input: $input) {
  job { status } userErrors { code } } }"""


async def test_dunning_letter_export_and_activities(client, settings, database):
    manager = token(settings)
    customer = (await create(client, manager, "DUN-1"))["customer"]["id"]
    due = (date.today() - timedelta(days=20)).isoformat()
    issue = (date.today() - timedelta(days=50)).isoformat()
    await gql(
        client,
        INVOICE,
        {
            "input": {
                **invoice_input(customer, "OVD", "1000.00"),
                "issueDate": issue,
                "dueDate": due,
            }
        },
        token(settings, roles=["finance"]),
    )
    collector = token(settings, roles=["collector"], sub="carl")
    headers = {"Authorization": f"Bearer {collector}"}
    # the lawyer's letter, in Chinese, with interest for 20 days: 1000 * 0.0005 * 20 = 10.00
    letter = await client.get(
        f"/documents/customers/{customer}/dunning-letter.pdf",
        params={"kind": "LAWYER", "lang": "zh-CN"},
        headers=headers,
    )
    assert letter.status_code == 200
    text = pdf_text(letter.content)
    assert "律师函" in text and "OVD" in text and "10.00" in text
    assert ink(render_page(letter.content)) > 0.01
    sent = await gql(
        client,
        SENT,
        {"input": {"customerId": customer, "kind": "LAWYER", "channel": "courier"}},
        collector,
    )
    call = await gql(
        client,
        ACTIVITY,
        {
            "input": {
                "customerId": customer,
                "kind": "CALL",
                "occurredAt": "2026-11-20T09:30:00+08:00",
                "outcome": "promised",
                "notes": "CFO promises payment next week",
            }
        },
        collector,
    )
    bad_kind = await gql(
        client,
        ACTIVITY,
        {
            "input": {
                "customerId": customer,
                "kind": "TELEPATHY",
                "occurredAt": "2026-11-20T09:30:00Z",
            }
        },
        collector,
    )
    promise = await gql(
        client,
        PROMISE,
        {
            "input": {
                "customerId": customer,
                "amount": {"amount": "1000.00", "currency": "CNY"},
                "promisedOn": (date.today() + timedelta(days=7)).isoformat(),
            }
        },
        collector,
    )
    assert sent["data"]["sendDunningLetter"]["userErrors"] == []
    assert call["data"]["recordActivity"]["userErrors"] == []
    assert bad_kind["data"]["recordActivity"]["userErrors"][0]["code"] == "INVALID_KIND"
    assert promise["data"]["promiseToPay"]["userErrors"] == []
    export = await client.get(f"/documents/customers/{customer}/activities.csv", headers=headers)
    lines = export.text.strip().splitlines()
    assert lines[0].startswith("customer,occurred_at,kind")
    assert {line.split(",")[2] for line in lines[1:]} == {"DUNNING_LETTER", "CALL", "NOTE"}
    assert (
        await client.get(
            f"/documents/customers/{customer}/activities.csv",
            headers={"Authorization": f"Bearer {token(settings, 'globex', roles=['collector'])}"},
        )
    ).status_code == 404


async def test_statement_run_and_download(client, settings, runtime, tenants, database):
    from services.statements import monthly as statements
    from services.uow import Actor, UnitOfWork

    manager = token(settings)
    customer = (await create(client, manager, "STM-1"))["customer"]["id"]
    await gql(
        client,
        INVOICE,
        {"input": {**invoice_input(customer, "OCT", "250.00"), "issueDate": "2026-10-10"}},
        token(settings, roles=["finance"]),
    )
    queued = await gql(
        client, RUN, {"input": {"period": "2026-10-31"}}, token(settings, roles=["finance"])
    )
    assert queued["data"]["runStatements"]["job"]["status"] == "PENDING"
    async with UnitOfWork(runtime.engine, tenants["acme"], Actor("job")) as uow:
        await statements.generate(uow, date(2026, 10, 1))
        await uow.commit()
    listed = await gql(
        client, "query { statements { id period closing { amount } status } }", bearer=manager
    )
    statement = listed["data"]["statements"][0]
    assert statement["closing"]["amount"] == "250.00"
    pdf = await client.get(
        f"/documents/statements/{statement['id']}.pdf",
        params={"lang": "en"},
        headers={"Authorization": f"Bearer {manager}"},
    )
    assert pdf.status_code == 200 and "Statement of account" in pdf_text(pdf.content)
    # rendered on demand (no worker ran the render job) and kept by the route's commit
    assert database.query("SELECT lang FROM statement_documents") == [("en",)]
    other = await client.get(
        f"/documents/statements/{statement['id']}.pdf",
        headers={"Authorization": f"Bearer {token(settings, 'globex')}"},
    )
    assert other.status_code == 404
